"""Garbage-collector settings for the crawl process (extension ``GcPolicy``).

A crawl allocates many short-lived containers per model (JSON entries, items, parameter tuples) while keeping a
large, unchanging heap of modules, SQLAlchemy metadata and Scrapy objects. With Python's default thresholds the
collector runs every 700 net allocations and re-walks that heap in its older generations. Once the engine has
started, the heap built so far is frozen (``gc.freeze``: never scanned again) and the thresholds are raised to
``GC_THRESHOLDS``; memory stays flat because nothing per model survives a page (bench/bench_vs_hub.py).
"""

from __future__ import annotations

import gc
import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class GcPolicy:
    def __init__(self, thresholds: tuple[int, ...]) -> None:
        self.thresholds = thresholds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcPolicy:
        thresholds = tuple(int(t) for t in crawler.settings.getlist("GC_THRESHOLDS"))
        if not thresholds:
            raise NotConfigured("GC_THRESHOLDS is empty: Python's defaults")
        ext = cls(thresholds)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        return ext

    def engine_started(self) -> None:
        gc.freeze()  # no gc.collect() first: a full collection of the start-up heap costs 0.1 s, its garbage is small
        gc.set_threshold(*self.thresholds)
        logger.debug("Garbage collector: start-up heap frozen, thresholds %s", self.thresholds)
