"""Lazy imports of the ``publish`` extra, with an error that says how to install it."""

from __future__ import annotations

import importlib
from types import ModuleType

INSTALL_HINT = "pip install -e '.[publish]'"


class MissingExtra(RuntimeError):
    """A package of the ``publish`` extra is not installed."""


def require(module: str, package: str | None = None) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtra` naming the package and the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        name = package or module.split(".")[0]
        raise MissingExtra(f"{name} is not installed; it is part of the 'publish' extra: {INSTALL_HINT}") from exc
