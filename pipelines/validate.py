"""Drops items that would write wrong or partial rows, with a log line and a stats counter.

Each item type has a checker returning what is wrong with an item (empty: it may be stored); every registry declares
its own in ``crawler/<registry>/checks.py``. An item type without a checker is refused: the store would not know it.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.registries import checkers

logger = logging.getLogger(__name__)

CHECKERS = checkers()


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
