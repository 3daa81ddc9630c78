"""Bulk, idempotent writes for SQLite and PostgreSQL (``INSERT .. ON CONFLICT``).

All functions take an open ``Connection`` and leave transaction control to the caller. Rows go out as
executemany batches (one prepared statement per batch, no per-row round trip); lookups use chunked
``IN`` lists so that no statement binds more parameters than old SQLite builds allow (999).
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Table, select

ROWS_PER_BATCH = 1_000
VALUES_PER_IN = 500

Row = Mapping[str, Any]


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[Row],
    keys: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """Insert ``rows``; where ``keys`` (a unique constraint or index) already exist, update instead.

    ``update`` names the columns to overwrite (default: every non-key column present in the rows).
    Primary-key and generated columns are never updated, so ids stay stable. A column listed in
    ``update`` but absent from a row is left as it is for that row.
    """
    for columns, group in _by_columns(rows).items():
        wanted = update if update is not None else [c for c in columns if c not in keys]
        set_cols = [c for c in wanted if c in columns and _updatable(table, c)]
        stmt = _insert(conn, table)
        if set_cols:
            stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_={c: stmt.excluded[c] for c in set_cols})
        else:
            stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
        _execute_batches(conn, stmt, _in_key_order(conn, group, keys))


def insert_ignore(conn: Connection, table: Table, rows: Sequence[Row], keys: Sequence[str] | None = None) -> None:
    """Insert ``rows``, silently skipping those that conflict on ``keys`` (on any constraint if None)."""
    for group in _by_columns(rows).values():
        stmt = _insert(conn, table)
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys) if keys else None)
        _execute_batches(conn, stmt, _in_key_order(conn, group, keys or list(group[0]) if group else []))


def ensure_names(conn: Connection, table: Table, names: Iterable[str], column: str = "name") -> dict[str, int]:
    """Make sure every name exists in the lookup ``table``; return ``{name: id}`` for all of them.

    Safe against concurrent writers: a name inserted meanwhile by someone else is simply found.
    """
    wanted = [n for n in dict.fromkeys(names) if n is not None]
    found = ids_by(conn, table, column, wanted)
    missing = [n for n in wanted if n not in found]
    if missing:
        insert_ignore(conn, table, [{column: n} for n in missing], [column])
        found.update(ids_by(conn, table, column, missing))
    return found


def ids_by(
    conn: Connection, table: Table, column: str, values: Iterable[Hashable], id_column: str = "id"
) -> dict[Any, int]:
    """``{value: id}`` for the rows of ``table`` whose ``column`` is one of ``values`` (absent ones omitted).

    Keys come back as the column's Python values (``str`` for ``model.context_id``).
    """
    col, id_col = table.c[column], table.c[id_column]
    unique = [v for v in dict.fromkeys(values) if v is not None]
    result: dict[Any, int] = {}
    for start in range(0, len(unique), VALUES_PER_IN):
        chunk = unique[start : start + VALUES_PER_IN]
        # (a Result has .keys(), so dict.update would take it for a mapping: feed it pairs)
        result.update((value, id_) for value, id_ in conn.execute(select(col, id_col).where(col.in_(chunk))))
    return result


def _insert(conn: Connection, table: Table) -> Any:
    name = conn.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"upserts are not implemented for dialect {name!r}")
    # The engine has imported its dialect's module already; naming both here cost SQLite crawls PostgreSQL's (45 ms).
    return importlib.import_module(f"sqlalchemy.dialects.{name}").insert(table)


def _updatable(table: Table, column: str) -> bool:
    col = table.c[column]
    return not col.primary_key and col.computed is None


def _by_columns(rows: Iterable[Row]) -> dict[tuple[str, ...], list[Row]]:
    """Group rows by their column set: one executemany statement needs the same columns in every row."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return groups


def _in_key_order(conn: Connection, rows: list[Row], keys: Sequence[str]) -> list[Row]:
    """Rows sorted by their conflict key (cluster mode, owner crawler/cluster): concurrent transactions that
    touch overlapping keys then lock them in the same order and cannot deadlock (PostgreSQL). SQLite has one
    writer at a time, so there the rows keep their order (sorting cost a fifth of a batch's write time)."""
    if conn.dialect.name == "sqlite":
        return rows

    def order(row: Row) -> tuple[tuple[bool, Any], ...]:
        return tuple((row.get(k) is None, 0 if row.get(k) is None else row.get(k)) for k in keys)

    try:
        return sorted(rows, key=order)
    except TypeError:  # mixed types in a key column: keep the order
        return rows


def insert_ignore_tuples(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], keys: Sequence[str]
) -> None:
    """:func:`insert_ignore` for rows given as tuples in ``columns`` order: no dict per row (junction tables of the
    listing write tens of rows per model; building and reading a dict for each was a fifth of the write time)."""
    if not rows:
        return
    stmt = _insert(conn, table).on_conflict_do_nothing(index_elements=list(keys))
    sql, names, processors, positional = _compiled(conn, stmt, list(columns))
    order = [list(columns).index(name) for name in names]
    if conn.dialect.name != "sqlite":  # the same lock order for every node (see _in_key_order)
        at = [list(columns).index(key) for key in keys]
        rows = sorted(rows, key=lambda row: tuple(row[i] for i in at))
    plain = positional and not any(processors) and order == list(range(len(columns)))
    for start in range(0, len(rows), ROWS_PER_BATCH):
        batch = rows[start : start + ROWS_PER_BATCH]
        params: list[Any]
        if plain:
            params = list(batch)
        elif positional:
            params = [
                tuple(p(row[i]) if p else row[i] for i, p in zip(order, processors, strict=True)) for row in batch
            ]
        else:
            params = [
                {n: p(row[i]) if p else row[i] for n, i, p in zip(names, order, processors, strict=True)}
                for row in batch
            ]
        conn.exec_driver_sql(sql, params)


def _compiled(conn: Connection, stmt: Insert, columns: list[str]) -> tuple[str, list[str], list[Any], bool]:
    """The statement's SQL for ``columns``, its parameter names in binding order, their bind processors, and
    whether the driver takes positional parameters."""
    dialect = conn.dialect
    compiled = stmt.compile(dialect=dialect, column_keys=columns)
    names = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
    return compiled.string, names, [_bind_processor(stmt.table, name, dialect) for name in names], compiled.positional


def _execute_batches(conn: Connection, stmt: Insert, rows: list[Row]) -> None:
    """One driver-level executemany per batch.

    The statement is compiled once and the rows go to the DB-API as tuples, with each column type's bind processor
    applied: SQLAlchemy's own executemany builds parameters row by row in Python, which cost about two thirds of
    the listing's write time (bench/bench_listing.py).
    """
    if not rows:
        return
    sql, names, processors, positional = _compiled(conn, stmt, list(rows[0]))
    for start in range(0, len(rows), ROWS_PER_BATCH):
        batch = rows[start : start + ROWS_PER_BATCH]
        if positional:
            params: list[Any] = [
                tuple(p(row[n]) if p else row[n] for n, p in zip(names, processors, strict=True)) for row in batch
            ]
        else:
            params = [{n: p(row[n]) if p else row[n] for n, p in zip(names, processors, strict=True)} for row in batch]
        conn.exec_driver_sql(sql, params)


def _bind_processor(table: Any, name: str, dialect: Any) -> Any:
    column = table.c.get(name)
    return column.type.dialect_impl(dialect).bind_processor(dialect) if column is not None else None
