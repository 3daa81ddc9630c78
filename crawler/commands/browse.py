"""``scrapy browse [--port 8001] [--host 127.0.0.1] [--allow-sql]``: the store in Datasette, read-only, with the
researchers' queries as canned queries; a PostgreSQL store is exported to SQLite first. See publish/browse.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[--port 8001] [--host 127.0.0.1] [--allow-sql] [--sqlite FILE]"

    def short_desc(self) -> str:
        return "Browse the database in Datasette (read-only)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, default=8001, help="port to serve on (default: 8001)")
        parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
        parser.add_argument("--allow-sql", action="store_true", help="allow arbitrary SQL queries")
        parser.add_argument(
            "--sqlite",
            default="data/browse.db",
            help="where a PostgreSQL store is exported before serving (default: data/browse.db)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        from crawler.db.engine import database_url
        from publish.browse import browse
        from publish.extra import MissingExtra

        def say(message: str) -> None:
            sys.stderr.write(f"[browse] {message}\n")
            sys.stderr.flush()

        try:
            self.exitcode = browse(
                database_url(self.settings.get("DATABASE_URL")),
                opts.port,
                opts.host,
                opts.allow_sql,
                Path(opts.sqlite),
                say,
            )
        except (MissingExtra, FileNotFoundError) as exc:
            say(str(exc))
            self.exitcode = 1
