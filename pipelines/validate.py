"""Drops items that would write wrong or partial rows, with a log line and a stats counter.

Each item type has a checker returning what is wrong with an item (empty: it may be stored). Other registries
register theirs in ``CHECKERS``; an item type without a checker is refused, since the store would not know it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.hf_repos.checks import CHECKERS as HF_REPOS_CHECKERS
from crawler.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem, HfSnapshotItem
from pipelines.github_checks import GITHUB_CHECKERS
from pipelines.pytorch_writes import PYTORCH_CHECKERS

logger = logging.getLogger(__name__)

_SHA = re.compile(r"^[0-9a-f]{40}$")
_REPO_ID = re.compile(r"^[\w.\-]+(/[\w.\-]+)?$")


def _repo_id(value: Any) -> list[str]:
    if not isinstance(value, str) or not _REPO_ID.match(value) or ".." in value:
        return [f"bad repo id {value!r}"]
    return []


def _count(name: str, value: Any) -> list[str]:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        return [f"bad {name} {value!r}"]
    return []


def check_model(item: HfModelItem) -> list[str]:
    found = _repo_id(item.context_id) + _count("downloads", item.downloads) + _count("likes", item.likes)
    if item.sha is not None and not _SHA.match(item.sha):
        found.append(f"bad sha {item.sha!r}")
    return found


def check_snapshot(item: HfSnapshotItem) -> list[str]:
    return _repo_id(item.context_id) + ([] if _SHA.match(item.revision or "") else [f"bad revision {item.revision!r}"])


def check_discussion(item: HfDiscussionItem) -> list[str]:
    ok = isinstance(item.num, int) and not isinstance(item.num, bool) and item.num > 0
    return _repo_id(item.context_id) + ([] if ok else [f"bad discussion number {item.num!r}"])


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
    **HF_REPOS_CHECKERS,
}


def problems(item: Any) -> list[str]:
    """What is wrong with an item; empty when it may be stored."""
    checker = CHECKERS.get(type(item))
    if checker is None:
        return [f"unknown item type {type(item).__name__}"]
    return checker(item)


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        found = problems(item)
        if found:
            self.crawler.stats.inc_value(f"item_invalid/{type(item).__name__}")
            logger.warning("Dropped invalid %s: %s", type(item).__name__, "; ".join(found))
            raise DropItem("; ".join(found))
        return item
