"""The 20 enhanced-metadata fields as typed models, and the JSON schemas derived from them.

`CardFields` is the output record (names and types as ../shared/eval/cards/README.md). `llm_schema(names)` builds a
strict JSON schema asking only for some fields; each answer carries a value, a confidence and a verbatim evidence
quote so that the validator can check it against the card.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

Domain = Literal["nlp", "computer-vision", "audio", "multimodal", "reinforcement-learning", "tabular", "other"]

FIELD_NAMES: tuple[str, ...] = (
    "domain",
    "model_tasks",
    "libraries",
    "frameworks",
    "license",
    "datasets",
    "base_models",
    "languages",
    "parameter_count",
    "hyperparameters",
    "evaluation",
    "hardware",
    "carbon_emitted_kg",
    "limitations_and_biases",
    "demonstration",
    "input_format",
    "output_format",
    "github_repo",
    "papers",
    "grant_sponsorship",
)


class EvalResult(BaseModel):
    """One reported result of this checkpoint."""

    model_config = ConfigDict(extra="forbid")
    metric: str
    value: float | str
    dataset: str | None = None


class CardFields(BaseModel):
    """The 20 fields of one card; `None` means not stated."""

    model_config = ConfigDict(extra="forbid")
    domain: Domain | None = None
    model_tasks: list[str] | None = None
    libraries: list[str] | None = None
    frameworks: list[str] | None = None
    license: str | None = None
    datasets: list[str] | None = None
    base_models: list[str] | None = None
    languages: list[str] | None = None
    parameter_count: int | None = None
    hyperparameters: dict[str, Any] | None = None
    evaluation: list[EvalResult] | None = None
    hardware: list[str] | None = None
    carbon_emitted_kg: float | None = None
    limitations_and_biases: str | None = None
    demonstration: bool | None = None
    input_format: str | None = None
    output_format: str | None = None
    github_repo: list[str] | None = None
    papers: list[str] | None = None
    grant_sponsorship: str | None = None

    def present(self) -> set[str]:
        """Names of the fields that hold a value."""
        return {n for n in FIELD_NAMES if not is_empty(getattr(self, n))}

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------------------------- LLM schema


class _HyperParameter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    value: str


class _LLMEval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metric: str
    value: str
    dataset: str | None


# What the LLM is asked to return per field. Dicts become name/value lists (strict schemas need fixed keys).
_LLM_TYPES: dict[str, Any] = {
    "domain": Domain | None,
    "model_tasks": list[str] | None,
    "libraries": list[str] | None,
    "frameworks": list[Literal["pytorch", "tensorflow", "jax"]] | None,
    "license": str | None,
    "datasets": list[str] | None,
    "base_models": list[str] | None,
    "languages": list[str] | None,
    "parameter_count": int | None,
    "hyperparameters": list[_HyperParameter] | None,
    "evaluation": list[_LLMEval] | None,
    "hardware": list[str] | None,
    "carbon_emitted_kg": float | None,
    "limitations_and_biases": str | None,
    "demonstration": bool | None,
    "input_format": str | None,
    "output_format": str | None,
    "github_repo": list[str] | None,
    "papers": list[str] | None,
    "grant_sponsorship": str | None,
}

FIELD_HELP: dict[str, str] = {
    "domain": "problem area of the model",
    "model_tasks": "Hugging Face task ids the card states (pipeline tag, task tags, stated objective)",
    "libraries": "ML libraries the card says load, run or train the model",
    "frameworks": "deep-learning frameworks stated (pytorch, tensorflow, jax)",
    "license": "the model's licence as a Hub licence id in lower case",
    "datasets": "datasets used to train or fine-tune this checkpoint (not evaluation-only)",
    "base_models": "checkpoint this model was fine-tuned or initialised from",
    "languages": "ISO 639-1 codes of the natural languages the model handles",
    "parameter_count": "stated number of parameters of this checkpoint, as an integer",
    "hyperparameters": "training hyper-parameters as name/value pairs",
    "evaluation": "reported results of this checkpoint: metric, value as written, dataset",
    "hardware": "hardware used to train or run this model (short name such as v100, a100, tpu v3)",
    "carbon_emitted_kg": "CO2-eq emissions in kilograms",
    "limitations_and_biases": "one-sentence summary of substantive limitations, biases or risks",
    "demonstration": "true if the card contains a usage example (code, CLI or cURL call) for this model",
    "input_format": "the model's input as explicitly described",
    "output_format": "the model's output as explicitly described",
    "github_repo": "owner/repo of the model's own GitHub code repository",
    "papers": "arXiv ids cited in the card",
    "grant_sponsorship": "funding or compute-grant statements",
}


def _answer_model(name: str) -> type[BaseModel]:
    return create_model(
        f"Answer_{name}",
        __config__=ConfigDict(extra="forbid"),
        value=(_LLM_TYPES[name], Field(description=FIELD_HELP[name])),
        confidence=(float, Field(description="0 to 1")),
        evidence=(str, Field(description="short verbatim quote from the card supporting the value, or ''")),
    )


def llm_response_model(names: list[str]) -> type[BaseModel]:
    """A pydantic model with one answer object per requested field."""
    unknown = set(names) - set(FIELD_NAMES)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    return create_model(
        "CardExtraction",
        __config__=ConfigDict(extra="forbid"),
        **{n: (_answer_model(n), ...) for n in names},
    )


def _strictify(node: Any) -> Any:
    """OpenAI strict mode: every object lists all its properties as required and forbids extra keys."""
    if isinstance(node, dict):
        node = {k: _strictify(v) for k, v in node.items() if k not in ("title", "default")}
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strictify(v) for v in node]
    return node


def llm_schema(names: list[str]) -> dict[str, Any]:
    """Strict JSON schema (OpenAI `response_format` json_schema) for the given fields only."""
    return _strictify(llm_response_model(names).model_json_schema())


def output_schema() -> dict[str, Any]:
    """JSON schema of one output record's `fields` object."""
    return CardFields.model_json_schema()
