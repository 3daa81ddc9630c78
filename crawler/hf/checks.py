"""Checkers of the Hugging Face items: what would write a wrong or partial row (empty list: the item may be stored)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from crawler.hf.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem, HfSnapshotItem
from crawler.validation import INT32_MAX, short

# Patterns are matched with fullmatch: `$` would let a trailing newline through.
SHA = re.compile(r"[0-9a-f]{40}")
REPO_ID = re.compile(r"[\w.\-]+(/[\w.\-]+)?", re.ASCII)
# The Hub allows 96 characters per name; anything much longer is not a real id (and would not fit a path).
MAX_REPO_ID = 256


def is_sha(value: Any) -> bool:
    return isinstance(value, str) and bool(SHA.fullmatch(value))


def valid_repo_id(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_REPO_ID and bool(REPO_ID.fullmatch(value)) and ".." not in value


def repo_id_problems(value: Any) -> list[str]:
    return [] if valid_repo_id(value) else [f"bad repo id {short(value)}"]


def count_problems(name: str, value: Any) -> list[str]:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT32_MAX):
        return [f"bad {name} {short(value)}"]
    return []


def check_model(item: HfModelItem) -> list[str]:
    found = repo_id_problems(item.context_id)
    found += count_problems("downloads", item.downloads) + count_problems("likes", item.likes)
    if item.sha is not None and not is_sha(item.sha):
        found.append(f"bad sha {short(item.sha)}")
    return found


def check_snapshot(item: HfSnapshotItem) -> list[str]:
    bad_revision = [] if is_sha(item.revision) else [f"bad revision {short(item.revision)}"]
    return repo_id_problems(item.context_id) + bad_revision


def check_discussion(item: HfDiscussionItem) -> list[str]:
    ok = isinstance(item.num, int) and not isinstance(item.num, bool) and 0 < item.num <= INT32_MAX
    return repo_id_problems(item.context_id) + ([] if ok else [f"bad discussion number {short(item.num)}"])


def check_repo_item(item: HfCommitsItem | HfRefsItem) -> list[str]:
    return repo_id_problems(item.context_id)


CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    HfModelItem: check_model,
    HfCommitsItem: check_repo_item,
    HfRefsItem: check_repo_item,
    HfDiscussionItem: check_discussion,
    HfSnapshotItem: check_snapshot,
}
