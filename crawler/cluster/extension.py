"""The node's background loop: heartbeats, acknowledgements, reclaiming dead nodes' leases, the clean finish,
counters for ``scrapy progress`` and the periodic cluster-wide progress line.

A node closes only when the whole run is finished: seeded, the shared queue empty and no node holding a lease.
Until then ``spider_idle`` keeps it open, and the loop pulls new requests as soon as other nodes push some.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.defaults import setting
from crawler.cluster.progress import run_progress
from crawler.cluster.run import ClusterRun

logger = logging.getLogger(__name__)


class Every:
    """True once per ``interval`` seconds."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next = 0.0

    def due(self, now: float) -> bool:
        if self.interval <= 0 or now < self.next:
            return False
        self.next = now + self.interval
        return True


class ClusterExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run = ClusterRun.of(crawler)
        s = crawler.settings
        self.poll = float(setting(s, "CLUSTER_POLL_INTERVAL"))
        self.heartbeat = Every(float(setting(s, "CLUSTER_HEARTBEAT_INTERVAL")))
        self.ack = Every(float(setting(s, "CLUSTER_ACK_INTERVAL")))
        self.reclaim = Every(max(0.5, float(setting(s, "CLUSTER_NODE_TTL")) / 3))
        self.publish = Every(2.0)
        self.progress = Every(float(setting(s, "CLUSTER_PROGRESS_INTERVAL")))
        self.progress.next = time.monotonic() + self.progress.interval
        self.seed_lock_ms = int(float(setting(s, "CLUSTER_SEED_LOCK_TTL")) * 1000)
        self.task: asyncio.Task[None] | None = None
        self.closing = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterExtension:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        self.task = asyncio.ensure_future(self._loop())

    def spider_idle(self, spider: Spider) -> None:
        """Stay open until the run is over (other nodes may still push work)."""
        if self.run.status == "finished" and not self.run.book.pending:
            return
        raise DontCloseSpider

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        self.closing = True
        if self.task is not None:
            self.task.cancel()
        try:
            self.run.publish_stats(self._stats())
        except RedisUnavailable:
            pass

    # --- the loop --------------------------------------------------------------------------------------------

    async def _loop(self) -> None:
        while not self.closing:
            await asyncio.sleep(self.poll)
            try:
                await self._tick(time.monotonic())
            except RedisUnavailable:
                continue
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Cluster: error in the node loop (going on)")

    async def _tick(self, now: float) -> None:
        run, engine = self.run, self.crawler.engine
        if run.keys is None or engine is None:
            return
        if self.heartbeat.due(now):
            run.heartbeat()
            if run.seeding:
                run.refresh_seed_lock(self.seed_lock_ms)
        if self.reclaim.due(now):
            run.reclaim()
        idle = self._idle()
        if self.ack.due(now) or idle or (run.book.children and not _busy(self.crawler)):
            await run.book.settle()
        if self.publish.due(now):
            run.publish_stats(self._stats())
        if self.progress.due(now):
            progress = run.guard.call(run_progress, run.client, run.spider_keys, run.run)
            if progress is not None:
                logger.info("%s", progress.line())
        if idle and not run.book.pending:
            await self._maybe_finish()
        elif run.db_run_id is not None and not engine.needs_backout():
            _kick(self.crawler)  # pull what other nodes pushed, without waiting for the engine's 5 s heartbeat

    def _idle(self) -> bool:
        engine = self.crawler.engine
        try:
            return bool(engine is not None and engine.spider_is_idle())
        except RuntimeError:
            return False

    async def _maybe_finish(self) -> None:
        run = self.run
        if run.db_run_id is None or run.seeding:
            return
        before = run.status
        status = run.try_finish()
        if status == "finished":
            if before != "finished":
                logger.info("Cluster: run %s is finished (queue empty, no node has work in flight); closing", run.run)
            _kick(self.crawler)
        elif status in ("abandoned", "lost"):
            reason = "cluster_run_abandoned" if status == "abandoned" else "cluster_state_lost"
            if status == "lost":
                logger.error("Cluster: Redis no longer knows run %s (restarted without persistence?)", run.run)
            self.closing = True
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=reason))

    def _stats(self) -> dict[str, Any]:
        return {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, int | float)}


def _busy(crawler: Crawler) -> bool:
    return bool(getattr(getattr(crawler.engine, "_slot", None), "inprogress", None))


def _kick(crawler: Crawler) -> None:
    slot = getattr(crawler.engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()
