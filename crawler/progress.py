"""A progress line a person can read, every PROGRESS_INTERVAL seconds, on every node (single or cluster).

``Progress hf_models: 1,200 of 2,000 models listed (60%), detail chains 300 done / 450 queued, 1,210 files,
0 errors, rate-limit waits 0 s; ETA 3 min``

Registry-agnostic: a spider declares which of its own stats count what (``progress_keys``, a
:class:`ProgressKeys`). The extension records those stat *names* in the crawl's stats (``progress/*_key``), so
the live line, the final stats in ``crawl_run`` and ``scrapy progress`` all read the same counters for every
spider, never a stale copy. The total is the registry's when the spider sets ``progress/total``, else what the
spider's last finished run listed, capped by its ``limit``. The running ``crawl_run`` row's stats (what ``scrapy
progress`` reads without Redis) are refreshed by the run's heartbeat (pipelines/store.py, crawler/runs.py).
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

UNIT = "progress/unit"
TOTAL = "progress/total"  # set by a spider whose registry tells the total, else from the previous run
LISTED_KEY = "progress/listed_key"
CHAINS_QUEUED_KEY = "progress/chains_queued_key"
CHAINS_DONE_KEY = "progress/chains_done_key"
ERRORS = "log_count/ERROR"
FILES = "file_count"
# Seconds spent waiting for rate limits: Retry-After / RateLimit (every registry), GitHub's x-ratelimit resets.
RATE_WAITS = ("ratelimit/wait_seconds", "github/ratelimit/wait_seconds")


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

    @classmethod
    def from_stats(cls, stats: dict[str, Any], elapsed: float) -> Snapshot:
        """From a crawl's stats (a live crawler's, or a crawl_run row's)."""

        def number(key: Any) -> int | None:
            value = stats.get(key) if isinstance(key, str) else None
            return int(value) if isinstance(value, int | float) else None

        def counter(name_key: str) -> int | None:
            name = stats.get(name_key)
            return (number(name) or 0) if isinstance(name, str) else None

        return cls(
            str(stats.get(UNIT) or "entries"),
            counter(LISTED_KEY) or 0,
            number(TOTAL) or None,
            counter(CHAINS_QUEUED_KEY),
            counter(CHAINS_DONE_KEY),
            number(FILES) or 0,
            number(ERRORS) or 0,
            sum(float(stats.get(key) or 0) for key in RATE_WAITS),
            elapsed,
        )

    def eta_seconds(self) -> float | None:
        """Time left for the known work: the rest of the listing (when the total is known) and the queued chains."""
        left: list[float] = []
        if self.total is not None:
            if not self.listed:
                return None
            left.append(max(0, self.total - self.listed) * self.elapsed / self.listed)
        if self.queued:
            if not self.done:
                return None
            left.append(max(0, self.queued - self.done) * self.elapsed / self.done)
        return max(left) if left else None

    def summary(self, eta: bool = True) -> str:
        """The counts and (for a running crawl) the ETA, without the spider's name."""
        if self.total:
            percent = min(100, 100 * self.listed // self.total)
            listed = f"{self.listed:,} of {self.total:,} {self.unit} listed ({percent}%)"
        else:
            listed = f"{self.listed:,} {self.unit} listed (total unknown)"
        parts = [listed]
        if self.queued is not None or self.done is not None:
            parts.append(f"detail chains {self.done or 0:,} done / {self.queued or 0:,} queued")
        parts += [f"{self.files:,} files", f"{self.errors:,} errors", f"rate-limit waits {self.rate_wait:,.0f} s"]
        if not eta:
            return ", ".join(parts)
        seconds = self.eta_seconds()
        return f"{', '.join(parts)}; ETA {format_duration(seconds) if seconds is not None else 'unknown'}"


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
        self.task: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLog:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    async def spider_opened(self, spider: Spider) -> None:
        keys = getattr(spider, "progress_keys", None)
        stats = self.crawler.stats
        if not isinstance(keys, ProgressKeys) or stats is None:
            return
        self.started = time.monotonic()
        names = {UNIT: keys.unit, LISTED_KEY: keys.listed}
        names.update({CHAINS_QUEUED_KEY: keys.chains_queued, CHAINS_DONE_KEY: keys.chains_done})
        for name, value in names.items():
            if value is not None:
                stats.set_value(name, value)
        total = await asyncio.to_thread(self._previous_listed, spider.name)
        limit = getattr(spider, "limit", None)
        if isinstance(limit, int) and limit > 0:
            total = min(total, limit) if total else limit
        if total and stats.get_value(TOTAL) is None:
            stats.set_value(TOTAL, total)
        self.task = create_looping_call(self.tick)
        self.task.start(self.interval, now=False)

    def _previous_listed(self, spider: str) -> int | None:
        from crawler.db.engine import database_url, open_engine
        from crawler.run_summaries import previous_stats

        try:
            previous = previous_stats(open_engine(database_url(self.crawler.settings.get("DATABASE_URL"))), spider)
        except Exception as exc:  # noqa: BLE001 - a progress total is never worth stopping a crawl for
            logger.debug("No previous total for %s: %s", spider, exc)
            return None
        return Snapshot.from_stats(previous, 0).listed or None if previous else None

    def tick(self) -> None:
        snap = Snapshot.from_stats(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        logger.info("Progress %s: %s", self.crawler.spider.name, snap.summary())

    def spider_closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
