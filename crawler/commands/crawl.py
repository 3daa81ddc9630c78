"""``scrapy crawl SPIDER``: Scrapy's crawl command, with checks before the first request and honest exit codes.

Before the crawler starts: the spider's ``-a`` arguments against its declared spec (crawler/spiderargs.py; ``-a
help=1`` prints it) and the settings a crawl needs (crawler/settingchecks.py). They run while the options are
processed, before Scrapy creates its crawler process, so a problem is one line on stderr (no start-up banner, no
traceback) and exit code 2, and nothing is requested. After the crawl the exit code is the stat
``crawl/exit_code`` when set (crawler/exitcodes.py; the store pipeline sets it from the run's state,
crawler/runs.py), 4 when the spider never closed, 5 when the crawler could not start.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from crawler import exitcodes
from crawler.settingchecks import SettingError, check_settings
from crawler.spiderargs import HELP_ARG, ArgumentError, spec_of


class Command(ScrapyCrawlCommand):
    refusal: str | None = None  # the one-line error, when the crawl must not start
    help_text: str | None = None  # `-a help=1`: the spider's arguments instead of a crawl

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # run() says what is wrong
        assert self.settings is not None
        loader = get_spider_loader(self.settings)
        try:
            spidercls = loader.load(args[0])
        except KeyError:
            self.refusal = f"unknown spider {args[0]!r} (valid: {', '.join(loader.list())})"
        else:
            spec = spec_of(spidercls)
            if HELP_ARG in opts.spargs:
                self.help_text = spec.describe(spidercls.name)
            else:
                try:
                    spec.check(spidercls.name, opts.spargs)
                    check_settings(self.settings)
                except (ArgumentError, SettingError) as exc:
                    self.refusal = str(exc)
        if self.refusal or self.help_text:
            self.requires_crawler_process = False  # nothing to crawl: Scrapy need not start (nor log its banner)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one SPIDER (scrapy list shows them)")
        if self.help_text:
            sys.stdout.write(self.help_text)
            return
        if self.refusal:
            sys.stderr.write(f"Error: {self.refusal}\n")
            self.exitcode = exitcodes.USAGE
            return
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exitcodes.FAILED
        elif crawler.stats is not None:
            stats = crawler.stats.get_stats()
            if exitcodes.STAT in stats:
                self.exitcode = int(stats[exitcodes.STAT])
            elif "finish_reason" not in stats:
                self.exitcode = exitcodes.INTERRUPTED  # stopped before the spider could close (Ctrl-C twice)
