"""ItemBundle: several items that travel through Scrapy's item pipelines as one (a list page's entries).

When every list entry was its own item, Scrapy's per-item machinery (the spider-middleware chain, the item queue,
every pipeline, the ``item_scraped`` signal) took about half of a listing's reactor time (docs/benchmarks.md,
issue 14). A bundle pays it once per page. Pipelines handle each member as they handle a lone item
(:func:`each_member`), and a member they drop is dropped alone, as Scrapy drops a lone item: the same log line and
``item_dropped`` signal (so ``item_dropped_count`` and the store's rejected items still count members). Scrapy's
``item_scraped_count`` counts a bundle once; ``store/items`` counts what was stored, member by member.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.log import logformatter_adapter

# Scrapy's own logger for dropped items, so that a dropped member's line reads as a dropped lone item's.
scraper_logger = logging.getLogger("scrapy.core.scraper")


@dataclass
class ItemBundle:
    items: list[Any]


def members(item: Any) -> list[Any]:
    """The items a pipeline handles: a bundle's members, or the item itself."""
    return item.items if isinstance(item, ItemBundle) else [item]


def each_member(crawler: Crawler, item: Any, process: Callable[[Any], Any]) -> Any:
    """``process`` (a pipeline's step for one item) applied to a lone item, or to each member of a bundle; a member
    ``process`` drops (DropItem) leaves the bundle alone, the others go on."""
    if not isinstance(item, ItemBundle):
        return process(item)
    kept = []
    for member in item.items:
        try:
            kept.append(process(member))
        except DropItem as exc:
            drop(crawler, member, exc)
    item.items = kept
    return item


def drop(crawler: Crawler, item: Any, exc: DropItem) -> None:
    """What Scrapy does with a lone item a pipeline dropped (core/scraper.py), for one member of a bundle."""
    spider = crawler.spider
    logkws = crawler.logformatter.dropped(item, exc, None, spider)
    if logkws is not None:
        scraper_logger.log(*logformatter_adapter(logkws), extra={"spider": spider, "item": item})
    crawler.signals.send_catch_log(signal=signals.item_dropped, item=item, response=None, spider=spider, exception=exc)
