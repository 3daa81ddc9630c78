"""One table to one Parquet file, streamed: rows are read in batches and written in row groups as they come.

Memory stays flat whatever the table's size: at most one row group (``ROW_GROUP_ROWS`` rows or ``ROW_GROUP_BYTES``
of row text, whichever comes first) is held at a time. While writing, the rows are hashed; a table whose hash equals
the previous export's keeps its file untouched (see :mod:`publish.changes`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, Text, select

from publish.arrow_schema import FLOAT, INT, arrow_schema, logical_type
from publish.extra import require

FETCH_ROWS = 5_000
# TEXT columns hold model cards, issue bodies and JSON: smaller batches keep memory flat whatever they hold.
FETCH_ROWS_WITH_TEXT = 500
ROW_GROUP_ROWS = 100_000
ROW_GROUP_BYTES = 64 * 1024 * 1024
# Part of every content hash: bump it when the file layout changes, so every table is rewritten once.
FORMAT_VERSION = "1"


@dataclass
class TableFile:
    """What exporting one table did."""

    table: str
    rows: int
    content_sha256: str
    written: bool  # False: same content as the previous export, the file was left as it was
    nulled: int  # values that do not fit their column's type (bad data), exported as NULL


def export_table(conn: Connection, table: Table, path: Path, previous_sha256: str | None = None) -> TableFile:
    """Write ``table`` to ``path`` (zstd Parquet) unless its content hash is ``previous_sha256`` and the file exists.

    The new file is written beside the old one and renamed over it at the end, so an interrupted export leaves the
    previous file intact.
    """
    pq = require("pyarrow.parquet", "pyarrow")
    schema = arrow_schema(table)
    kinds = [logical_type(column) for column in table.columns]
    digest = hashlib.sha256(f"{FORMAT_VERSION}\n{schema}\n".encode())
    partial = path.with_name(f".{path.name}.partial")
    order = list(table.primary_key.columns) or list(table.columns)  # a stable order makes a stable hash
    statement = select(*table.columns).order_by(*order)
    fetch = FETCH_ROWS_WITH_TEXT if any(isinstance(c.type, Text) for c in table.columns) else FETCH_ROWS
    rows = nulled = 0
    group: list[Any] = []
    group_rows = group_bytes = 0
    try:
        with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
            result = conn.execution_options(stream_results=True, yield_per=fetch).execute(statement)
            for batch in result.partitions(fetch):
                text = repr([tuple(row) for row in batch]).encode()
                digest.update(text)
                record_batch, bad = _record_batch(batch, schema, kinds)
                nulled += bad
                group.append(record_batch)
                rows += len(batch)
                group_rows += len(batch)
                group_bytes += len(text)
                if group_rows >= ROW_GROUP_ROWS or group_bytes >= ROW_GROUP_BYTES:
                    _write_group(writer, group, schema)
                    group, group_rows, group_bytes = [], 0, 0
            if group or rows == 0:
                _write_group(writer, group, schema)
        content = digest.hexdigest()
        if content == previous_sha256 and path.exists():
            partial.unlink()
            return TableFile(table.name, rows, content, written=False, nulled=nulled)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return TableFile(table.name, rows, content, written=True, nulled=nulled)


def _write_group(writer: Any, batches: list[Any], schema: Any) -> None:
    data = require("pyarrow").Table.from_batches(batches, schema=schema)
    writer.write_table(data, row_group_size=max(data.num_rows, 1))


def _record_batch(rows: Sequence[Any], schema: Any, kinds: list[str]) -> tuple[Any, int]:
    """The rows as one Arrow record batch; values of the wrong type are converted, or NULL when they cannot be."""
    pa = require("pyarrow")
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in kinds]
    arrays, nulled = [], 0
    for values, field, kind in zip(columns, schema, kinds, strict=True):
        try:
            arrays.append(pa.array(values, type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError, ValueError):
            fixed = [_convert(value, kind) for value in values]
            nulled += sum(1 for old, new in zip(values, fixed, strict=True) if old is not None and new is None)
            arrays.append(pa.array(fixed, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema), nulled


def _convert(value: Any, kind: str) -> Any:
    """``value`` as the column's type (SQLite's type affinity lets any value into any column), or None."""
    if value is None:
        return None
    try:
        if kind == INT:
            number = int(value) if not isinstance(value, float) or value.is_integer() else None
            return number if number is not None and -(2**63) <= number < 2**63 else None
        if kind == FLOAT:
            return float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
