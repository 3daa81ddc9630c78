"""Real-fixture models (``--real-fixtures DIR``); filled in below."""

from __future__ import annotations

from .hf_model import Model


def load_real_models(directory: str, seed: int) -> list[Model]:
    return []
