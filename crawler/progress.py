"""A progress line a person can read, every PROGRESS_INTERVAL seconds, on every node (single or cluster).

``Progress hf_models: 1,200 of 2,000 models listed (60%), detail chains 300 done / 450 queued, 1,210 files,
0 errors, rate-limit waits 0 s; ETA 3 min``

Registry-agnostic: a spider declares which of its stats count what (``progress_keys``, a :class:`ProgressKeys`),
and the extension copies them to the generic ``progress/*`` stats, so the final stats in ``crawl_run`` and
``scrapy progress`` read the same keys for every spider. The total is the registry's when the spider sets
``progress/total``, else what the spider's last finished run listed (capped by its ``limit``). Without Redis the
extension also refreshes the running ``crawl_run`` row's stats, so ``scrapy progress`` works from the database.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)

LISTED = "progress/listed"
TOTAL = "progress/total"
CHAINS_QUEUED = "progress/chains_queued"
CHAINS_DONE = "progress/chains_done"
UNIT = "progress/unit"
ERRORS = "log_count/ERROR"
FILES = "file_count"
RATE_WAIT = "ratelimit/wait_seconds"


@dataclass(frozen=True)
class ProgressKeys:
    """Which of a spider's own stats count its listing and its per-entity request chains."""

    unit: str
    listed: str
    chains_queued: str | None = None
    chains_done: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """The counts of one progress line."""

    unit: str
    listed: int
    total: int | None
    queued: int | None
    done: int | None
    files: int
    errors: int
    rate_wait: float
    elapsed: float

    def eta_seconds(self) -> float | None:
        """Time left for the known work: the rest of the listing (when the total is known) and the queued chains."""
        left: list[float] = []
        if self.total is not None and self.listed:
            left.append(max(0, self.total - self.listed) * self.elapsed / self.listed)
        if self.queued and self.done:
            left.append(max(0, self.queued - self.done) * self.elapsed / self.done)
        return max(left) if left else None

    def line(self, spider: str) -> str:
        if self.total:
            listed = (
                f"{self.listed:,} of {self.total:,} {self.unit} listed ({min(100, 100 * self.listed // self.total)}%)"
            )
        else:
            listed = f"{self.listed:,} {self.unit} listed (total unknown)"
        parts = [listed]
        if self.queued is not None or self.done is not None:
            parts.append(f"detail chains {self.done or 0:,} done / {self.queued or 0:,} queued")
        parts += [f"{self.files:,} files", f"{self.errors:,} errors", f"rate-limit waits {self.rate_wait:,.0f} s"]
        eta = self.eta_seconds()
        return f"Progress {spider}: {', '.join(parts)}; ETA {format_duration(eta) if eta is not None else 'unknown'}"


def format_duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


class ProgressLog:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.previous_total: int | None = None
        self.task: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        # Pipelines write the final stats before spider_closed: the last copy is taken when the crawl runs dry.
        crawler.signals.connect(self.snapshot, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLog:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    async def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        keys = getattr(spider, "progress_keys", None)
        if isinstance(keys, ProgressKeys):
            self.previous_total = await asyncio.to_thread(self._previous_total, spider.name)
        self.task = create_looping_call(self.tick)
        self.task.start(self.interval, now=False)

    def _previous_total(self, spider: str) -> int | None:
        from crawler.db.engine import database_url, open_engine
        from crawler.runs import previous_stat

        try:
            value = previous_stat(open_engine(database_url(self.crawler.settings.get("DATABASE_URL"))), spider, LISTED)
        except Exception as exc:  # noqa: BLE001 - a progress total is never worth stopping a crawl for
            logger.debug("No previous total for %s: %s", spider, exc)
            return None
        return int(value) if value else None

    def snapshot(self) -> Snapshot | None:
        """Copy the spider's counters to the generic progress/* stats and return them (None: nothing declared)."""
        spider = self.crawler.spider
        keys = getattr(spider, "progress_keys", None)
        stats = self.crawler.stats
        if not isinstance(keys, ProgressKeys) or stats is None:
            return None
        listed = int(stats.get_value(keys.listed, 0))
        total = stats.get_value(TOTAL) or self.previous_total
        limit = getattr(spider, "limit", None)
        if isinstance(limit, int) and limit > 0:
            total = min(total, limit) if total else limit
        queued = stats.get_value(keys.chains_queued, 0) if keys.chains_queued else None
        done = stats.get_value(keys.chains_done, 0) if keys.chains_done else None
        values = {UNIT: keys.unit, LISTED: listed, TOTAL: total, CHAINS_QUEUED: queued, CHAINS_DONE: done}
        for key, value in values.items():
            if value is not None:
                stats.set_value(key, value)
        return Snapshot(
            keys.unit,
            listed,
            int(total) if total else None,
            queued,
            done,
            int(stats.get_value(FILES, 0)),
            int(stats.get_value(ERRORS, 0)),
            float(stats.get_value(RATE_WAIT, 0)),
            time.monotonic() - self.started,
        )

    async def tick(self) -> None:
        snap = self.snapshot()
        if snap is None:
            return
        logger.info(snap.line(self.crawler.spider.name))
        if not self.crawler.settings.get("REDIS_URL"):  # cluster mode: `scrapy progress` reads Redis
            await asyncio.to_thread(self._save)

    def _save(self) -> None:
        from crawler.db.engine import database_url, open_engine
        from crawler.runs import save_running_stats

        spider = self.crawler.spider
        state = getattr(spider, "state", None)
        run_id = state.get("run_id") if isinstance(state, dict) else None
        try:
            engine = open_engine(database_url(self.crawler.settings.get("DATABASE_URL")))
            save_running_stats(engine, spider.name, run_id, self.crawler.stats.get_stats())
        except Exception as exc:  # noqa: BLE001 - progress bookkeeping never stops a crawl
            logger.warning("Could not record progress in crawl_run: %s", exc)

    def spider_closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
