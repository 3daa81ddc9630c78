"""``scrapy export-sqlite OUT.db``: a PeaTMOSS-compatible SQLite file from the store (PostgreSQL or SQLite).

The file gets the schema from the same Alembic migrations as any SQLite store (the PeaTMOSS tables with their
SQLite DDL, plus ours), then every row of every table, ids unchanged, so researchers' SQL (e.g.
``reference/peatmoss-queries.sql``) runs on it as on the published ``PeaTMOSS.db``. Rows are streamed in
batches: the export never holds a table in memory.

    DATABASE_URL=postgresql://... scrapy export-sqlite out.db [--force]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from sqlalchemy import Engine, delete, inspect, select

from crawler.db import metadata
from crawler.db.engine import database_url, forget_engine, open_engine

BATCH = 5_000


def export_sqlite(source: Engine, out: Path, batch: int = BATCH) -> dict[str, int]:
    """Copy every table of ``source`` into a new SQLite file ``out``; returns rows per table."""
    url = f"sqlite:///{out.resolve()}"
    target = open_engine(url)  # creates the file and migrates it to head
    try:
        source_tables = set(inspect(source).get_table_names())
        target_tables = set(inspect(target).get_table_names())
        counts: dict[str, int] = {}
        with source.connect() as src, target.begin() as dst:
            for table in metadata.sorted_tables:
                if table.name not in target_tables:
                    continue
                dst.execute(delete(table))  # rows the migrations seed (hubs) come from the source like the rest
                if table.name not in source_tables:
                    counts[table.name] = 0
                    continue
                columns = [c for c in table.columns if c.computed is None]  # generated columns recompute
                order = list(table.primary_key.columns) or columns
                result = src.execution_options(stream_results=True, yield_per=batch).execute(
                    select(*columns).order_by(*order)
                )
                copied = 0
                for rows in result.mappings().partitions(batch):
                    dst.execute(table.insert(), [dict(row) for row in rows])
                    copied += len(rows)
                counts[table.name] = copied
        return counts
    finally:
        forget_engine(url)


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "OUT.db [--force]"

    def short_desc(self) -> str:
        return "Export the store (PostgreSQL or SQLite) to a PeaTMOSS-compatible SQLite file"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--force", action="store_true", help="overwrite OUT.db if it exists")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) != 1:
            raise UsageError("give one output file: scrapy export-sqlite OUT.db")
        out = Path(args[0])
        if out.exists():
            if not opts.force:
                raise UsageError(f"{out} exists (use --force to overwrite it)")
            out.unlink()
        source_url = database_url(self.settings.get("DATABASE_URL"))
        if Path(out).resolve().as_posix() in source_url:
            raise UsageError("the output file is the store itself")
        started = time.monotonic()
        source = open_engine(source_url)
        counts = export_sqlite(source, out)
        rows = sum(counts.values())
        sys.stderr.write(
            f"[export-sqlite] {out}: {len(counts)} tables, {rows} rows from "
            f"{source.url.render_as_string(hide_password=True)} in {time.monotonic() - started:.1f} s\n"
        )
