"""Leases: a request popped from the shared queue stays leased to its node until its outcome is durable.

"Durable" means: the engine is done with the request (downloaded, callback or errback run, every item through
the pipelines), every pipeline with a ``flush()`` (the store's batch buffer) has been flushed, and the requests
it yielded are in the shared queue. Only then is the lease acknowledged. Children are pushed at that moment too
(not when yielded, see ``lineage``), so no node ever works on a request whose parent's rows are not stored yet.

A node killed before that loses nothing: its heartbeat expires, and another node (or the restarted one) puts
its leases back in the queue. Work may be done twice after a kill (at-least-once); the store's upserts on
natural keys make that converge to the same rows.
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

# (fingerprint, dont_filter, priority, member): one push to the shared queue.
Entry = tuple[str, bool, int, str]


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
        self.held: dict[Request, str] = {}  # leased request -> lease id
        self.parents: dict[Request, Request] = {}  # yielded request -> the request whose callback yielded it
        self.children: dict[Request, list[Entry]] = {}  # parent -> pushes waiting for its outcome to be stored
        self.unsent: deque[Entry] = deque()  # pushes waiting for Redis to come back
        self._settling = False

    @property
    def stats(self) -> Any:
        return self.crawler.stats

    @property
    def pending(self) -> bool:
        """Anything this node still has to push or acknowledge."""
        return bool(self.held or self.children or self.unsent)

    def hold(self, request: Request, lease_id: str) -> None:
        self.held[request] = lease_id

    def add(self, request: Request, entry: Entry) -> bool | None:
        """Queue a push: after its parent (if known), else now. None: deferred; else whether it was new."""
        parent = self.parents.pop(request, None)
        if parent is not None:
            self.children.setdefault(parent, []).append(entry)
            self.stats.inc_value("cluster/children_deferred")
            return None
        if self.unsent:
            self.unsent.append(entry)  # keep arrival order behind what is already waiting
            return None
        try:
            return self._push(entry)
        except RedisUnavailable:
            self.unsent.append(entry)
            self.stats.inc_value("cluster/held_while_redis_down")
            return None

    def _push(self, entry: Entry) -> bool:
        added = self.run.push(*entry)
        self.stats.inc_value("scheduler/enqueued/redis" if added else "dupefilter/filtered")
        return added

    def send_unsent(self) -> None:
        """Push what was held while Redis was down (raises RedisUnavailable if it still is)."""
        while self.unsent:
            self._push(self.unsent[0])
            self.unsent.popleft()

    def _send_children(self, parent: Request) -> None:
        entries = self.children.get(parent, [])
        while entries:
            self._push(entries[0])
            entries.pop(0)
        self.children.pop(parent, None)

    async def settle(self) -> int:
        """Flush the store, push the children of finished requests, acknowledge them; returns how many."""
        if self._settling:
            return 0
        self._settling = True
        try:
            self.send_unsent()
            busy = in_progress(self.crawler)
            done = [(request, lease) for request, lease in self.held.items() if request not in busy]
            parents = [parent for parent in self.children if parent not in busy]
            if not self.held:
                self._release_orphans()
            if not done and not parents:
                return 0
            try:
                await flush_pipelines(self.crawler)
            except Exception:
                logger.exception("Cluster: could not store a batch; %d requests go back to the queue", len(done))
                for parent in parents:
                    self.children.pop(parent, None)
                self.run.release([lease for _, lease in done])
                self.stats.inc_value("cluster/requeued_after_store_error", len(done))
                self._forget(done)
                return 0
            for parent in parents:
                self._send_children(parent)
            acked = self.run.ack([lease for _, lease in done]) if done else 0
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

    def _release_orphans(self) -> None:
        """Leases Redis holds for this node while the node holds no request: a pop whose answer was lost when
        Redis went away (the script ran, the reply never came). The node is alive, so no other node would ever
        reclaim them: put them back in the queue."""
        orphans = self.run.my_leases()
        if orphans:
            moved = self.run.release(orphans)
            self.stats.inc_value("cluster/orphan_leases_released", moved)
            logger.warning("Cluster: %d leased requests this node never received went back to the queue", moved)

    def _forget(self, done: list[tuple[Request, str]]) -> None:
        for request, _ in done:
            self.held.pop(request, None)

    def close(self) -> None:
        """At the end of a node's crawl (pipelines closed, so flushed): push the children, acknowledge what
        finished, give back the rest, and leave the run."""
        try:
            self.send_unsent()
            busy = in_progress(self.crawler)
            for parent in [p for p in self.children if p not in busy]:
                self._send_children(parent)
            done = [(request, lease) for request, lease in self.held.items() if request not in busy]
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
                len(self.held),
            )
