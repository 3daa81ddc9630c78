"""A test-only extension: sets ``crawl/exit_code`` to TEST_EXIT_CODE when the spider closes, as run states do."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.exitcodes import STAT


class SetExitCode:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SetExitCode:
        return cls(crawler)

    def spider_closed(self) -> None:
        self.crawler.stats.set_value(STAT, self.crawler.settings.getint("TEST_EXIT_CODE"))
