"""Drops items that would write wrong or partial rows, with a log line and a stats counter."""

from __future__ import annotations

import logging
import re
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem, HfSnapshotItem

logger = logging.getLogger(__name__)

ITEM_TYPES = (HfModelItem, HfCommitsItem, HfRefsItem, HfDiscussionItem, HfSnapshotItem)
_SHA = re.compile(r"^[0-9a-f]{40}$")
_REPO_ID = re.compile(r"^[\w.\-]+(/[\w.\-]+)?$")


def problems(item: Any) -> list[str]:
    """What is wrong with an item; empty when it may be stored."""
    found: list[str] = []
    context_id = ItemAdapter(item).get("context_id") if not isinstance(item, ITEM_TYPES) else item.context_id
    if not isinstance(context_id, str) or not _REPO_ID.match(context_id) or ".." in context_id:
        found.append(f"bad repo id {context_id!r}")
    if isinstance(item, HfModelItem):
        if item.sha is not None and not _SHA.match(item.sha):
            found.append(f"bad sha {item.sha!r}")
        for name in ("downloads", "likes"):
            value = getattr(item, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                found.append(f"bad {name} {value!r}")
    elif isinstance(item, HfSnapshotItem):
        if not _SHA.match(item.revision or ""):
            found.append(f"bad revision {item.revision!r}")
    elif isinstance(item, HfDiscussionItem):
        if not isinstance(item.num, int) or item.num <= 0:
            found.append(f"bad discussion number {item.num!r}")
    elif not isinstance(item, ITEM_TYPES):
        found.append(f"unknown item type {type(item).__name__}")
    return found


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
