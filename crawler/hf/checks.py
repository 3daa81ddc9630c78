"""Checkers of the Hugging Face items: what would write a wrong or partial row (empty list: the item may be stored)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from crawler.hf.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem, HfSnapshotItem

SHA = re.compile(r"^[0-9a-f]{40}$")
REPO_ID = re.compile(r"^[\w.\-]+(/[\w.\-]+)?$")


def repo_id_problems(value: Any) -> list[str]:
    if not isinstance(value, str) or not REPO_ID.match(value) or ".." in value:
        return [f"bad repo id {value!r}"]
    return []


def count_problems(name: str, value: Any) -> list[str]:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        return [f"bad {name} {value!r}"]
    return []


def check_model(item: HfModelItem) -> list[str]:
    found = (
        repo_id_problems(item.context_id)
        + count_problems("downloads", item.downloads)
        + count_problems("likes", item.likes)
    )
    if item.sha is not None and not SHA.match(item.sha):
        found.append(f"bad sha {item.sha!r}")
    return found


def check_snapshot(item: HfSnapshotItem) -> list[str]:
    return repo_id_problems(item.context_id) + (
        [] if SHA.match(item.revision or "") else [f"bad revision {item.revision!r}"]
    )


def check_discussion(item: HfDiscussionItem) -> list[str]:
    ok = isinstance(item.num, int) and not isinstance(item.num, bool) and item.num > 0
    return repo_id_problems(item.context_id) + ([] if ok else [f"bad discussion number {item.num!r}"])


def check_repo_item(item: HfCommitsItem | HfRefsItem) -> list[str]:
    return repo_id_problems(item.context_id)


# Item type -> checker (pipelines.validate dispatches through crawler.registries).
CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    HfModelItem: check_model,
    HfCommitsItem: check_repo_item,
    HfRefsItem: check_repo_item,
    HfDiscussionItem: check_discussion,
    HfSnapshotItem: check_snapshot,
}
