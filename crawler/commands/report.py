"""``scrapy report``: the PeaTMOSS paper's analyses from the database, as figures, CSVs and one HTML page.

scrapy report [--output DIR] [--since YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--output DIR] [--since YYYY-MM-DD]"

    def short_desc(self) -> str:
        return "Write the paper's figures, their data and an HTML page from the database"

    def long_desc(self) -> str:
        return (
            "Reads the database of DATABASE_URL and writes DIR/index.html (self-contained), DIR/figures/*.png|svg "
            "and DIR/data/*.csv: metadata availability, domains, reuse, models created, median parameters, license "
            "flows with OSADL compatibility verdicts, popularity per crawl run, model lineage, models by the number "
            "of Spaces declaring them and downstream use per domain (GitHub repositories vs Spaces). --since "
            "restricts the time-based figures to models created, and crawl runs finished, on or after that date. "
            "Needs the 'report' extra: pip install -e '.[report]'."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group("Report")
        group.add_argument(
            "-o", "--output", metavar="DIR", default="data/report", help="output folder (default: data/report)"
        )
        group.add_argument("--since", metavar="DATE", help="only models created / runs finished on or after DATE")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args:
            raise UsageError("unexpected arguments: " + " ".join(args))
        since = None
        if opts.since:
            try:
                since = date.fromisoformat(opts.since).isoformat()
            except ValueError as exc:
                raise UsageError(f"--since: {opts.since!r} is not a date (YYYY-MM-DD)") from exc
        from crawler.db.engine import database_url
        from report.build import build_report
        from report.deps import MissingExtraError

        try:
            report = build_report(database_url(self.settings.get("DATABASE_URL")), Path(opts.output), since)
        except (MissingExtraError, FileNotFoundError) as exc:
            print(f"[report] {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        print(f"[report] {len(report.written)} files written to {report.output}/ (open {report.output / 'index.html'})")
        for name, value in report.findings.licenses.headlines().items():
            print(f"[report] license pairs {name}: {value:.2f} %")
