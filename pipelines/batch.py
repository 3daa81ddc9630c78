"""What a writer gets for one batch: the transaction, the crawl run and the stats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from scrapy.statscollectors import StatsCollector
from sqlalchemy import Connection


@dataclass
class Batch:
    conn: Connection
    run_id: int
    stats: StatsCollector


def now_iso() -> str:
    """Our timestamps: ISO-8601 UTC with a Z, second precision."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def flag(value: bool | None) -> int | None:
    """PeaTMOSS booleans are INTEGER 0/1."""
    return None if value is None else int(value)
