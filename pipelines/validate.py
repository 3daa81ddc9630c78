"""Drops items that would write wrong or partial rows, with a log line and a stats counter.

Each item type has a checker returning what is wrong with an item (empty: it may be stored); every registry declares
its own in ``crawler/<registry>/checks.py``. An item type without a checker is refused: the store would not know it.
Before that, every item is cleaned of NUL characters and no integer may exceed what its column holds
(crawler/validation.py). A dropped item is an :class:`InvalidItem`, which the store keeps in ``crawl_rejected_item``
(the run then ends ``incomplete``).
A bundle's members (crawler/itembundle.py) are checked one by one; an invalid member is dropped alone.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.itembundle import each_member
from crawler.registries import checkers
from crawler.validation import clean, out_of_range, plain

logger = logging.getLogger(__name__)

CHECKERS = checkers()


class InvalidItem(DropItem):
    """An item validation refused; ``reasons`` says why (the store records it as a rejected item)."""


def problems(item: Any, simple: bool | None = None) -> list[str]:
    """What is wrong with an item; empty when it may be stored. ``simple``: what :func:`plain` says of it, when the
    caller already asked."""
    checker = CHECKERS.get(type(item))
    if checker is None:
        return [f"unknown item type {type(item).__name__}"]
    if simple is None:
        simple = plain(item)
    fields = vars(item) if hasattr(item, "__dict__") and not simple else {}  # plain: no integer too large
    return checker(item) + [p for name, value in fields.items() for p in out_of_range(value, name)]


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return each_member(self.crawler, item, self.check)

    def check(self, item: Any) -> Any:
        simple = plain(item)  # one C pass decides for almost every item: no NUL, no integer too large
        if not simple and clean(item):
            self.crawler.stats.inc_value("item_cleaned/nul")
        found = problems(item, simple)
        if found:
            self.crawler.stats.inc_value(f"item_invalid/{type(item).__name__}")
            logger.warning("Dropped invalid %s: %s", type(item).__name__, "; ".join(found))
            raise InvalidItem("; ".join(found))
        return item
