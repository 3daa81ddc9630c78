"""Leases: a request popped from the shared queue stays leased to its node until its outcome is durable.

"Durable" means: the engine is done with the request (downloaded, callback or errback run, every request it
yielded pushed to Redis, every item through the pipelines), and then every pipeline with a ``flush()`` (the
store's batch buffer) has been flushed. Only then is the lease acknowledged. A node killed before that loses
nothing: its heartbeat expires, and another node (or the restarted one) puts its leases back in the queue.
Work may be done twice after a kill (at-least-once); the store's upserts make that converge to the same rows.
"""

from __future__ import annotations

import inspect
import logging
from collections import deque
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.run import ClusterRun

logger = logging.getLogger(__name__)

# (fingerprint, dont_filter, priority, member): a push that waits for Redis to come back.
Unsent = tuple[str, bool, int, str]


def in_progress(crawler: Crawler) -> set[Request]:
    """Requests the engine has not finished with (Scrapy's engine slot: from the pop to the end of scraping)."""
    engine = crawler.engine
    slot = getattr(engine, "_slot", None) if engine is not None else None
    return slot.inprogress if slot is not None else set()


async def flush_pipelines(crawler: Crawler) -> None:
    """Make every buffered item durable: call ``flush()`` on each item pipeline that has one."""
    engine = crawler.engine
    if engine is None or engine.scraper is None:
        return
    for pipeline in getattr(engine.scraper.itemproc, "middlewares", ()):
        flush = getattr(pipeline, "flush", None)
        if flush is None:
            continue
        result = flush()
        if inspect.isawaitable(result):
            await result


class LeaseBook:
    def __init__(self, crawler: Crawler, run: ClusterRun) -> None:
        self.crawler = crawler
        self.run = run
        self.held: dict[Request, str] = {}
        self.unsent: deque[Unsent] = deque()
        self._settling = False

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    def hold(self, request: Request, lease_id: str) -> None:
        self.held[request] = lease_id

    def send_unsent(self) -> bool:
        """Push what was held while Redis was down; True when nothing is left."""
        while self.unsent:
            entry = self.unsent[0]
            added = self.run.push(*entry)  # RedisUnavailable: keep the rest for later
            self.unsent.popleft()
            if not added:
                self.stats.inc_value("dupefilter/filtered")
        return True

    def finished(self) -> list[tuple[Request, str]]:
        busy = in_progress(self.crawler)
        return [(request, lease) for request, lease in self.held.items() if request not in busy]

    async def settle(self) -> int:
        """Flush the store, then acknowledge every finished lease; returns how many were acknowledged."""
        if self._settling:
            return 0
        self._settling = True
        try:
            if self.unsent:
                self.send_unsent()
            done = self.finished()
            if not done:
                return 0
            try:
                await flush_pipelines(self.crawler)
            except Exception:
                logger.exception("Cluster: could not store a batch; %d requests go back to the queue", len(done))
                self.run.release([lease for _, lease in done])
                self.stats.inc_value("cluster/requeued_after_store_error", len(done))
                self._forget(done)
                return 0
            acked = self.run.ack([lease for _, lease in done])
            self._forget(done)
            if acked < len(done):
                # Our heartbeat lapsed (a long Redis outage) and another node requeued them: they run again.
                self.stats.inc_value("cluster/leases_lost", len(done) - acked)
            self.stats.inc_value("cluster/acked", acked)
            return acked
        except RedisUnavailable:
            return 0
        finally:
            self._settling = False

    def _forget(self, done: list[tuple[Request, str]]) -> None:
        for request, _ in done:
            self.held.pop(request, None)

    def close(self) -> None:
        """At the end of a node's crawl (pipelines already closed and flushed): acknowledge what finished, give
        back the rest, and leave the run."""
        try:
            self.send_unsent()
            done = self.finished()
            if done:
                self.stats.inc_value("cluster/acked", self.run.ack([lease for _, lease in done]))
                self._forget(done)
            if self.held:
                moved = self.run.release(list(self.held.values()))
                self.stats.inc_value("cluster/released", moved)
                self.held.clear()
            self.run.leave()
        except RedisUnavailable:
            logger.warning(
                "Cluster: Redis is unreachable at shutdown; the %d requests this node holds go back to the queue "
                "once its heartbeat expires",
                len(self.held) + len(self.unsent),
            )
