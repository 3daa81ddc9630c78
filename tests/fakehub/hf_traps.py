"""Trap models (``--traps``); filled in below."""

from __future__ import annotations

from .hf_model import Model


def trap_models(seed: int) -> list[Model]:
    return []
