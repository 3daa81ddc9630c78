"""``scrapy crawl``, exiting with the run's state: 0 finished, 3 incomplete, 4 interrupted, 5 failed (crawler/runs.py).

The store pipeline sets the stat ``crawl/exit_code`` when the run ends; Scrapy's own command always exits 0.
"""

from __future__ import annotations

from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.runs import EXIT_CODES


class Command(ScrapyCrawl):
    def _create_crawler(self, spname: Any) -> Any:
        self.run_crawler = super()._create_crawler(spname)
        return self.run_crawler

    def run(self, args: list[str], opts: Any) -> None:
        super().run(args, opts)
        crawler = getattr(self, "run_crawler", None)
        if self.exitcode or crawler is None or crawler.stats is None:
            return
        stats = crawler.stats.get_stats()
        if "crawl/exit_code" in stats:
            self.exitcode = int(stats["crawl/exit_code"])
        elif crawler.crawling and "finish_reason" not in stats:
            self.exitcode = EXIT_CODES["interrupted"]  # stopped before the spider could close (Ctrl-C twice)
