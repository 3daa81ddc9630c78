"""Loggers below ``LOG_LEVEL`` build no records (extension ``LogLevel``).

Scrapy sets its own logger to DEBUG and leaves filtering to the root handler, whose level is ``LOG_LEVEL``: every
debug line of a crawl ("Crawled (200) ...", "File (downloaded) ...", one or two per request) was built into a log
record, caller looked up, then thrown away by the handler; about 2% of a detail crawl's CPU (docs/benchmarks.md,
issue 14). The root and ``scrapy`` loggers are raised to ``LOG_LEVEL`` when they are below it, so the same lines
reach the handler as before; ``LOG_LEVEL = "DEBUG"`` changes nothing.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


def level_of(value: str | int) -> int:
    """A ``LOG_LEVEL`` value (a name such as ``"INFO"`` or a number) as a number."""
    if isinstance(value, int):
        return value
    number = logging.getLevelNamesMapping().get(str(value).upper())
    if number is None:
        raise NotConfigured(f"LOG_LEVEL {value!r} is not a logging level")
    return number


class LogLevel:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogLevel:
        level = level_of(crawler.settings.get("LOG_LEVEL"))
        for name in ("", "scrapy"):  # the root (our loggers inherit it) and Scrapy's, which Scrapy sets to DEBUG
            logger = logging.getLogger(name)
            if logger.getEffectiveLevel() < level:
                logger.setLevel(level)
        return cls()
