"""Checkers of the PyTorch Hub items: what would make an item write wrong rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from crawler.pytorch_hub.items import PyTorchHubModelItem, PyTorchHubPageItem, PyTorchHubSourceItem

_FULL_NAME = re.compile(r"^[\w.\-]+/[\w.\-]+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")


def _full_name(value: Any) -> list[str]:
    ok = isinstance(value, str) and _FULL_NAME.match(value) and ".." not in value
    return [] if ok else [f"bad repository {value!r}"]


def check_page(item: PyTorchHubPageItem) -> list[str]:
    ok = isinstance(item.path, str) and item.path and "/" not in item.path and ".." not in item.path
    return [] if ok else [f"bad page path {item.path!r}"]


def check_source(item: PyTorchHubSourceItem) -> list[str]:
    bad = [e.get("name") for e in item.entrypoints if not _IDENTIFIER.match(str(e.get("name")))]
    return _full_name(item.repo) + ([f"bad entrypoint names {bad!r}"] if bad else [])


def check_model(item: PyTorchHubModelItem) -> list[str]:
    ok = isinstance(item.entrypoint, str) and _IDENTIFIER.match(item.entrypoint)
    return _full_name(item.repo) + ([] if ok else [f"bad entrypoint {item.entrypoint!r}"])


# Item type -> checker (pipelines.validate dispatches through crawler.registries).
CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    PyTorchHubPageItem: check_page,
    PyTorchHubSourceItem: check_source,
    PyTorchHubModelItem: check_model,
}
