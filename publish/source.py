"""The store a publish command reads: never a new empty SQLite file created by a mistyped ``DATABASE_URL``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, Engine, make_url


def existing_sqlite(url: str) -> Path | None:
    """The file of a SQLite ``url`` (FileNotFoundError when there is none); None for another database."""
    parsed: URL = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    path = Path(parsed.database or "")
    if not parsed.database or not path.is_file():
        raise FileNotFoundError(f"no SQLite database at {parsed.database or url}: crawl first, or set DATABASE_URL")
    return path


def open_source(url: str) -> Engine:
    """The engine of an existing store (SQLite file or PostgreSQL), schema brought to head as any command does."""
    from crawler.db.engine import open_engine

    existing_sqlite(url)
    return open_engine(url)
