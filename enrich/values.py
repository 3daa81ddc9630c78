"""The value types of the enhanced-metadata fields (what a field holds, and what the LLM is asked to return)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Domain = Literal["nlp", "computer-vision", "audio", "multimodal", "reinforcement-learning", "tabular", "other"]
Framework = Literal["pytorch", "tensorflow", "jax"]


class EvalResult(BaseModel):
    """One reported result of this checkpoint."""

    model_config = ConfigDict(extra="forbid")
    metric: str
    value: float | str
    dataset: str | None = None


class LLMHyperParameter(BaseModel):
    """Hyper-parameters as the LLM returns them: strict schemas need fixed keys, so name/value pairs."""

    model_config = ConfigDict(extra="forbid")
    name: str
    value: str


class LLMEval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metric: str
    value: str
    dataset: str | None


def is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or (isinstance(value, str) and not value.strip())
