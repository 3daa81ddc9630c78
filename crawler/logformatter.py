"""Scrapy's LogFormatter, minus one DEBUG line per scraped item.

A listing yields thousands of items per second; building a log record for each costs about 10% of the ingestion
time even when DEBUG is filtered out by the handler. Returning None from ``scraped`` skips the record (Scrapy's
documented way to silence a LogFormatter message). Dropped items and errors are still logged.
"""

from __future__ import annotations

from typing import Any

from scrapy.logformatter import LogFormatter


class QuietLogFormatter(LogFormatter):
    def scraped(self, item: Any, response: Any, spider: Any) -> None:  # type: ignore[override]
        return None
