"""Database URLs and engines: one cached engine per URL, schema brought to head on first open."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.pool import StaticPool

from crawler.db.migrate import is_current, upgrade_to_head

DEFAULT_DATABASE_URL = "sqlite:///data/peatmoss.db"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Page cache per connection (SQLite's default is 2 MiB): the unique and junction indexes of a 100,000-model listing
# outgrow 2 MiB, and every insert then reads index pages back from the OS (write time per model grew with N).
SQLITE_CACHE_KIB = 32 * 1024

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def normalise_url(url: str) -> str:
    """Map ``postgres://`` and ``postgresql://`` (no driver) to SQLAlchemy's psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(setting: str | None = None) -> str:
    """The URL to use: ``setting`` if given, else env ``DATABASE_URL``, else the SQLite default."""
    return normalise_url(setting or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)


def open_engine(url: str) -> Engine:
    """Return the process-wide engine for ``url``, creating it and migrating the schema to head on first use
    (one query when the schema is already at head).

    Never drops anything: migrations only add. Safe to call from several processes at once (SQLite: the
    migration runs under ``BEGIN IMMEDIATE``; PostgreSQL: under an advisory lock).
    """
    url = normalise_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _create(url)
            if not is_current(engine):
                upgrade_to_head(engine)
            _engines[url] = engine
        return engine


def _create(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    kwargs: dict[str, Any] = {}
    in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
    if in_memory:
        # One shared connection, otherwise every new connection would see a fresh, empty database.
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas(wal=not in_memory))
    return engine


def _sqlite_pragmas(wal: bool) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        finally:
            cursor.close()

    return on_connect


def forget_engine(url: str) -> None:
    """Dispose the cached engine for ``url`` (if any); the next :func:`open_engine` makes a new one."""
    with _lock:
        engine = _engines.pop(normalise_url(url), None)
    if engine is not None:
        engine.dispose()


def dispose_all() -> None:
    """Dispose and forget every cached engine (tests, and processes about to fork)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
