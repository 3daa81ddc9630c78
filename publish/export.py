"""``scrapy export-parquet DIR``: every table as Parquet, with ``croissant.json`` and a ``README.md`` dataset card.

Layout of ``DIR``::

    data/<table>.parquet      one file per table (zstd, row groups of up to 100,000 rows)
    croissant.json            Croissant 1.0 metadata of every file and column
    README.md                 dataset card (Hugging Face Hub format, one config per table)
    export-manifest.json      rows and content hash per table: what a re-export compares

A re-export rewrites only the tables whose content changed and says which.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, Table

from crawler.db import metadata
from publish.card import dataset_card
from publish.changes import FileEntry, Manifest, file_sha256
from publish.croissant import croissant
from publish.extra import require
from publish.parquet import export_table

DATA_DIR = "data"


@dataclass
class ExportReport:
    folder: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    nulled: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def select_tables(names: Sequence[str] | None = None) -> list[Table]:
    """The tables to export in dependency order: all of them, or ``names`` (ValueError naming unknown ones)."""
    tables = list(metadata.sorted_tables)
    if not names:
        return tables
    unknown = sorted(set(names) - {table.name for table in tables})
    if unknown:
        raise ValueError(f"unknown tables: {', '.join(unknown)} (known: {', '.join(sorted(metadata.tables))})")
    return [table for table in tables if table.name in names]


def export_parquet(
    engine: Engine,
    folder: Path,
    tables: Sequence[str] | None = None,
    on_table: Callable[[str, bool, int], None] | None = None,
) -> ExportReport:
    """Export ``tables`` (default: all) of ``engine`` into ``folder``; ``on_table(name, written, rows)`` after each."""
    require("pyarrow")  # fail before touching the folder
    started = time.monotonic()
    data = folder / DATA_DIR
    data.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(folder)
    report = ExportReport(folder)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with engine.connect() as conn:
        begin_snapshot(conn)
        for table in select_tables(tables):
            path = data / f"{table.name}.parquet"
            result = export_table(conn, table, path, manifest.previous_hash(folder, table.name))
            report.rows[table.name] = result.rows
            if result.nulled:
                report.nulled[table.name] = result.nulled
            if result.written:
                report.written.append(table.name)
                manifest.tables[table.name] = FileEntry(
                    path=f"{DATA_DIR}/{path.name}",
                    rows=result.rows,
                    content_sha256=result.content_sha256,
                    file_sha256=file_sha256(path),
                    bytes=path.stat().st_size,
                    exported_at=now,
                )
            else:
                report.unchanged.append(table.name)
            if on_table:
                on_table(table.name, result.written, result.rows)
    manifest.source = engine.url.render_as_string(hide_password=True)
    manifest.exported_at = now
    manifest.save(folder)
    ordered = list(metadata.sorted_tables)
    version = ".".join(str(int(part)) for part in now[:10].split("-"))  # 2026-12-02 -> 2026.12.2 (semver)
    document = croissant(manifest, ordered, version)
    (folder / "croissant.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (folder / "README.md").write_text(dataset_card(manifest, ordered), encoding="utf-8")
    report.seconds = time.monotonic() - started
    return report


def begin_snapshot(conn: Connection) -> None:
    """Read every table in one transaction, so that a crawl writing meanwhile cannot make the files disagree."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # deferred: the snapshot starts at the first read; WAL lets writers go on
    else:
        conn.execution_options(isolation_level="REPEATABLE READ")
