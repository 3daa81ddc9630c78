"""The ``crawl_run`` rows, read and kept current for people: ``scrapy progress`` without Redis, totals for ETAs.

A run's row gets its final stats when the crawl closes (pipelines/store.py); while it runs, its heartbeat refreshes
them every RUN_HEARTBEAT_INTERVAL (crawler/runs.py), so the database alone says how far a crawl is.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from crawler.db.ours import crawl_run


@dataclass(frozen=True)
class RunSummary:
    id: int
    spider: str
    node: str | None
    status: str | None
    started_at: str | None
    finished_at: str | None
    stats: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "progress": self.summary()}

    def elapsed(self) -> float:
        """Seconds the run has taken (so far, while it runs)."""
        seconds = self.stats.get("elapsed_time_seconds")
        if isinstance(seconds, int | float) and self.status != "running":
            return float(seconds)
        try:
            started = datetime.fromisoformat(self.started_at or "")
        except ValueError:
            return 0.0
        end = datetime.fromisoformat(self.finished_at) if self.finished_at and self.status != "running" else None
        return ((end or datetime.now(UTC)) - started).total_seconds()

    def summary(self) -> str:
        from crawler.progress import Snapshot

        return Snapshot.from_stats(self.stats, self.elapsed()).summary(eta=self.status == "running")

    def line(self) -> str:
        where = f"{self.status}, node {self.node}, started {self.started_at}"
        return f"{self.spider} run {self.id} ({where}): {self.summary()}"


def _summary(row: Any) -> RunSummary:
    try:
        stats = json.loads(row.stats) if row.stats else {}
    except ValueError:
        stats = {}
    return RunSummary(
        row.id,
        row.spider,
        row.node,
        row.status,
        row.started_at,
        row.finished_at,
        stats if isinstance(stats, dict) else {},
    )


def latest_runs(engine: Engine, spiders: list[str] | None = None) -> list[RunSummary]:
    """The current (or last) run of each spider, or of the given ones, by spider name."""
    newest = select(func.max(crawl_run.c.id)).group_by(crawl_run.c.spider)
    query = select(crawl_run).where(crawl_run.c.id.in_(newest)).order_by(crawl_run.c.spider)
    if spiders:
        query = query.where(crawl_run.c.spider.in_(spiders))
    with engine.connect() as conn:
        return [_summary(row) for row in conn.execute(query)]


def previous_stats(engine: Engine, spider: str) -> dict[str, Any] | None:
    """The stats of the spider's last finished run (how many it listed: the total to expect this time)."""
    query = (
        select(crawl_run)
        .where(crawl_run.c.spider == spider, crawl_run.c.status == "finished", crawl_run.c.stats.is_not(None))
        .order_by(crawl_run.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return _summary(row).stats if row is not None else None
