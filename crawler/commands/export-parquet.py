"""``scrapy export-parquet DIR [--tables t1,t2]``: the store (SQLite or PostgreSQL) as Parquet files with Croissant
metadata and a Hugging Face dataset card; a re-export rewrites only the tables that changed. See publish/export.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "DIR [--tables t1,t2]"

    def short_desc(self) -> str:
        return "Export the store to Parquet files with Croissant metadata and a dataset card"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--tables", help="comma-separated tables to export (default: all)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        from crawler.db.engine import database_url
        from publish.export import export_parquet, select_tables
        from publish.extra import MissingExtra
        from publish.source import open_source

        if len(args) != 1:
            raise UsageError("give one output folder: scrapy export-parquet DIR")
        tables = [name.strip() for name in (opts.tables or "").split(",") if name.strip()]
        try:
            select_tables(tables)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc

        def on_table(name: str, written: bool, rows: int) -> None:
            if written:
                sys.stderr.write(f"[export-parquet] {name}: {rows} rows written\n")

        try:
            engine = open_source(database_url(self.settings.get("DATABASE_URL")))
            report = export_parquet(engine, Path(args[0]), tables, on_table)
        except (MissingExtra, OSError) as exc:  # no extra, no database, an output folder we cannot write
            sys.stderr.write(f"[export-parquet] {exc}\n")
            self.exitcode = 1
            return
        for name, count in report.nulled.items():
            sys.stderr.write(f"[export-parquet] {name}: {count} values did not fit their column type (NULL)\n")
        sys.stderr.write(
            f"[export-parquet] {report.folder}: {_count(report.written, 'written')}, "
            f"{_count(report.unchanged, 'unchanged (not rewritten)')}; "
            f"{sum(report.rows.values())} rows from {engine.url.render_as_string(hide_password=True)} "
            f"in {report.seconds:.1f} s\n"
        )


def _count(tables: list[str], what: str) -> str:
    """``3 tables written (a, b, c)``; the names only when they are few enough to read."""
    names = f" ({', '.join(tables)})" if 0 < len(tables) <= 15 else ""
    return f"{len(tables)} {'table' if len(tables) == 1 else 'tables'} {what}{names}"
