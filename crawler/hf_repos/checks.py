"""What would make a Spaces or datasets item write wrong rows (empty list: it may be stored)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crawler.hf.checks import count_problems, is_sha, repo_id_problems
from crawler.hf_repos.items import (
    DatasetSnapshotItem,
    HfDatasetItem,
    HfDeclaredModelItem,
    HfSpaceItem,
    SpaceSnapshotItem,
)


def _sha(value: str | None, name: str = "sha") -> list[str]:
    return [] if value is None or is_sha(value) else [f"bad {name} {value!r}"]


def check_space(item: HfSpaceItem) -> list[str]:
    # A hostile declared name is dropped from the links, not the Space: the rest of the Space is good data.
    item.models = [n for n in item.models if not repo_id_problems(n)]
    item.datasets = [n for n in item.datasets if not repo_id_problems(n)]
    return repo_id_problems(item.space_id) + count_problems("likes", item.likes) + _sha(item.sha)


def check_dataset(item: HfDatasetItem) -> list[str]:
    return (
        repo_id_problems(item.dataset_id)
        + count_problems("downloads", item.downloads)
        + count_problems("likes", item.likes)
        + _sha(item.sha)
    )


def check_snapshot(item: SpaceSnapshotItem | DatasetSnapshotItem) -> list[str]:
    return repo_id_problems(item.context_id) + _sha(item.revision, "revision")


def check_declared(item: HfDeclaredModelItem) -> list[str]:
    return repo_id_problems(item.name) + (repo_id_problems(item.canonical_id) if item.canonical_id else [])


CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    HfSpaceItem: check_space,
    HfDatasetItem: check_dataset,
    SpaceSnapshotItem: check_snapshot,
    DatasetSnapshotItem: check_snapshot,
    HfDeclaredModelItem: check_declared,
}
