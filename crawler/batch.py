"""What a registry's writer (crawler/<registry>/writes.py) gets for one batch: the transaction, the crawl run and
the stats."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.statscollectors import StatsCollector
from sqlalchemy import Connection


@dataclass
class Batch:
    conn: Connection
    run_id: int
    stats: StatsCollector


def flag(value: bool | None) -> int | None:
    """PeaTMOSS booleans are INTEGER 0/1."""
    return None if value is None else int(value)
