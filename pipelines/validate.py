"""Drops items that would write wrong or partial rows, with a log line and a stats counter.

Each item type has a checker returning what is wrong with an item (empty: it may be stored). Other registries
register theirs in ``CHECKERS``; an item type without a checker is refused, since the store would not know it.
Before that, every item is cleaned of NUL characters (PostgreSQL refuses them in text, SQLite keeps them: removing
them everywhere keeps both databases equal), and no integer may exceed what its column holds. A dropped item is an
:class:`InvalidItem`, which the store keeps in ``crawl_rejected_item`` (the run then ends ``incomplete``).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem, HfSnapshotItem
from pipelines.github_checks import GITHUB_CHECKERS
from pipelines.pytorch_writes import PYTORCH_CHECKERS

logger = logging.getLogger(__name__)

# Patterns are matched with fullmatch: `$` would let a trailing newline through.
_SHA = re.compile(r"[0-9a-f]{40}")
_REPO_ID = re.compile(r"[\w.\-]+(/[\w.\-]+)?", re.ASCII)
# The Hub allows 96 characters per name; anything much longer is not a real id (and would not fit a path).
MAX_REPO_ID = 256
INT32_MAX = 2**31 - 1  # INTEGER columns on PostgreSQL
INT64_MAX = 2**63 - 1  # BIGINT, and SQLite's INTEGER


class InvalidItem(DropItem):
    """An item validation refused; ``reasons`` says why (the store records it as a rejected item)."""


def valid_repo_id(value: Any) -> bool:
    return (
        isinstance(value, str) and len(value) <= MAX_REPO_ID and bool(_REPO_ID.fullmatch(value)) and ".." not in value
    )


def _repo_id(value: Any) -> list[str]:
    return [] if valid_repo_id(value) else [f"bad repo id {_short(value)}"]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:100]}... ({len(text)} characters)"


def _count(name: str, value: Any) -> list[str]:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT32_MAX):
        return [f"bad {name} {_short(value)}"]
    return []


def _out_of_range(value: Any, path: str = "") -> list[str]:
    """Integers anywhere in an item that no integer column can hold."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [] if -INT64_MAX - 1 <= value <= INT64_MAX else [f"integer out of range at {path or 'item'}"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _out_of_range(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in _out_of_range(v, f"{path}[{i}]")]
    return []


def without_nul(value: Any) -> Any:
    """``value`` with every NUL character removed from its strings (dict keys included)."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


def clean(item: Any) -> bool:
    """Removes NUL characters from the item's text, in place; True if there were any."""
    changed = False
    for f in dataclasses.fields(item) if dataclasses.is_dataclass(item) else ():
        old = getattr(item, f.name)
        new = without_nul(old)
        if new != old:
            setattr(item, f.name, new)
            changed = True
    return changed


def check_model(item: HfModelItem) -> list[str]:
    found = _repo_id(item.context_id) + _count("downloads", item.downloads) + _count("likes", item.likes)
    if item.sha is not None and not (isinstance(item.sha, str) and _SHA.fullmatch(item.sha)):
        found.append(f"bad sha {_short(item.sha)}")
    return found


def check_snapshot(item: HfSnapshotItem) -> list[str]:
    ok = isinstance(item.revision, str) and _SHA.fullmatch(item.revision)
    return _repo_id(item.context_id) + ([] if ok else [f"bad revision {_short(item.revision)}"])


def check_discussion(item: HfDiscussionItem) -> list[str]:
    ok = isinstance(item.num, int) and not isinstance(item.num, bool) and 0 < item.num <= INT32_MAX
    return _repo_id(item.context_id) + ([] if ok else [f"bad discussion number {_short(item.num)}"])


def check_repo_item(item: HfCommitsItem | HfRefsItem) -> list[str]:
    return _repo_id(item.context_id)


CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    HfModelItem: check_model,
    HfCommitsItem: check_repo_item,
    HfRefsItem: check_repo_item,
    HfDiscussionItem: check_discussion,
    HfSnapshotItem: check_snapshot,
    **GITHUB_CHECKERS,
    **PYTORCH_CHECKERS,
}


def problems(item: Any) -> list[str]:
    """What is wrong with an item; empty when it may be stored."""
    checker = CHECKERS.get(type(item))
    if checker is None:
        return [f"unknown item type {type(item).__name__}"]
    fields = vars(item) if hasattr(item, "__dict__") else {}
    return checker(item) + [p for name, value in fields.items() for p in _out_of_range(value, name)]


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if clean(item):
            self.crawler.stats.inc_value("item_cleaned/nul")
        found = problems(item)
        if found:
            self.crawler.stats.inc_value(f"item_invalid/{type(item).__name__}")
            logger.warning("Dropped invalid %s: %s", type(item).__name__, "; ".join(found))
            raise InvalidItem("; ".join(found))
        return item
