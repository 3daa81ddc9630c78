"""``scrapy crawl``, exiting with the run's state: 0 finished, 3 incomplete, 4 interrupted, 5 failed (crawler/runs.py).

The store pipeline sets the stat ``crawl/exit_code`` when the run ends; Scrapy's own command always exits 0.
"""

from __future__ import annotations

from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawl


class Command(ScrapyCrawl):
    def _create_crawler(self, spname: Any) -> Any:
        self.run_crawler = super()._create_crawler(spname)
        return self.run_crawler

    def run(self, args: list[str], opts: Any) -> None:
        super().run(args, opts)
        crawler = getattr(self, "run_crawler", None)
        code = crawler.stats.get_value("crawl/exit_code") if crawler is not None and crawler.stats else None
        if not self.exitcode and code:
            self.exitcode = int(code)
