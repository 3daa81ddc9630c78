"""``scrapy crawl SPIDER``: Scrapy's crawl command, with checks before the first request and honest exit codes.

Before the crawler starts: the spider's ``-a`` arguments against its declared spec (crawler/spiderargs.py; ``-a
help=1`` prints it) and the settings a crawl needs (crawler/settingchecks.py). A problem is one line on stderr and
exit code 2; nothing is requested. After the crawl: the exit code is the stat ``crawl/exit_code`` when set
(crawler/exitcodes.py), 5 when the crawler could not start.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler import exitcodes
from crawler.settingchecks import SettingError, check_settings
from crawler.spiderargs import HELP_ARG, ArgumentError, spec_of


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one SPIDER (scrapy list shows them)")
        assert self.crawler_process is not None and self.settings is not None
        try:
            spidercls = self.crawler_process.spider_loader.load(args[0])
        except KeyError:
            known = ", ".join(self.crawler_process.spider_loader.list())
            return self._refuse(f"unknown spider {args[0]!r} (valid: {known})")
        spec = spec_of(spidercls)
        if HELP_ARG in opts.spargs:
            sys.stdout.write(spec.describe(spidercls.name))
            return
        try:
            spec.check(spidercls.name, opts.spargs)
            check_settings(self.settings)
        except (ArgumentError, SettingError) as exc:
            return self._refuse(str(exc))
        crawler = self._create_crawler(spidercls)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = exitcodes.FAILED
        elif crawler.stats is not None:
            self.exitcode = int(crawler.stats.get_value(exitcodes.STAT, exitcodes.FINISHED))

    def _refuse(self, message: str) -> None:
        sys.stderr.write(f"Error: {message}\n")
        self.exitcode = exitcodes.USAGE
