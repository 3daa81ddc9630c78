"""What would make a Spaces or datasets item write wrong rows (empty list: it may be stored)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from crawler.hf_repos.items import (
    DatasetSnapshotItem,
    HfDatasetItem,
    HfDeclaredModelItem,
    HfSpaceItem,
    SpaceSnapshotItem,
)


def _base() -> ModuleType:
    """The HF checks of pipelines.validate, imported on use: that module imports this one to register CHECKERS."""
    from pipelines import validate

    return validate


def _sha(value: str | None, name: str = "sha") -> list[str]:
    return [] if value is None or _base()._SHA.match(value) else [f"bad {name} {value!r}"]


def check_space(item: HfSpaceItem) -> list[str]:
    # A hostile declared name is dropped from the links, not the Space: the rest of the Space is good data.
    item.models = [n for n in item.models if not _base()._repo_id(n)]
    item.datasets = [n for n in item.datasets if not _base()._repo_id(n)]
    return _base()._repo_id(item.space_id) + _base()._count("likes", item.likes) + _sha(item.sha)


def check_dataset(item: HfDatasetItem) -> list[str]:
    return (
        _base()._repo_id(item.dataset_id)
        + _base()._count("downloads", item.downloads)
        + _base()._count("likes", item.likes)
        + _sha(item.sha)
    )


def check_snapshot(item: SpaceSnapshotItem | DatasetSnapshotItem) -> list[str]:
    return _base()._repo_id(item.context_id) + _sha(item.revision, "revision")


def check_declared(item: HfDeclaredModelItem) -> list[str]:
    return _base()._repo_id(item.name) + (_base()._repo_id(item.canonical_id) if item.canonical_id else [])


CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    HfSpaceItem: check_space,
    HfDatasetItem: check_dataset,
    SpaceSnapshotItem: check_snapshot,
    DatasetSnapshotItem: check_snapshot,
    HfDeclaredModelItem: check_declared,
}
