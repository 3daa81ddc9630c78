"""The Redis scheduler of a cluster node: scrapy-redis's Scheduler with per-run keys, leases and JSON requests.

Differences from ``scrapy_redis.scheduler.Scheduler`` (0.9.1), all needed on Scrapy 2.19 or for safety:

* keys per crawl run (``crawler.cluster.keys``), persisted (``SCHEDULER_PERSIST`` is always on);
* dupefilter check and push are one Lua script, fingerprints come from the crawler's request fingerprinter;
* a request's children are pushed once its outcome is stored (``crawler.cluster.lineage``);
* ``next_request`` leases the request to this node instead of deleting it (``crawler.cluster.leases``);
* requests are JSON, never pickle (``crawler.cluster.serialize``);
* while Redis is down, new requests are held locally and pushed when it is back; nothing raises into the engine;
* no ``spider=`` arguments to the stats collector (deprecated since Scrapy 2.14).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler as RedisScheduler
from twisted.internet.defer import Deferred

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.leases import LeaseBook
from crawler.cluster.run import ClusterRun
from crawler.cluster.serialize import NotJsonSafe, request_from_json, request_to_json

logger = logging.getLogger(__name__)


class ClusterScheduler(RedisScheduler):
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run = ClusterRun.of(crawler)
        super().__init__(server=self.run.client, persist=True)
        self.stats = crawler.stats
        self.book = LeaseBook(crawler, self.run)
        self.run.book = self.book
        self.spider: Spider | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        return cls(crawler)

    def __len__(self) -> int:
        try:
            return self.run.queue_size()
        except RedisUnavailable:
            return 0

    def open(self, spider: Spider) -> Deferred[None]:
        self.spider = spider
        return deferred_from_coro(self._join(spider))

    async def _join(self, spider: Spider) -> None:
        while True:
            try:
                self.run.join(spider.name)
                return
            except RedisUnavailable:
                await asyncio.sleep(1.0)

    def close(self, reason: str) -> None:
        self.book.close()

    def flush(self) -> None:  # scrapy-redis API; a run's keys are only dropped when the run finishes
        return None

    def enqueue_request(self, request: Request) -> bool:
        assert self.spider is not None
        try:
            payload = request_to_json(request, self.spider)
        except (NotJsonSafe, TypeError, ValueError) as exc:
            self.stats.inc_value("cluster/unserialisable")
            logger.error("Cluster: dropped a request that cannot be queued: %s", exc)
            return False
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        entry = (fingerprint, bool(request.dont_filter), int(request.priority), f"{uuid.uuid4().hex} {payload}")
        return self.book.add(request, entry) is not False  # False: seen before (dupefilter)

    def next_request(self) -> Request | None:
        assert self.spider is not None
        if self.run.db_run_id is None or self.run.status != "running":
            return None  # not seeded yet, or the run is over
        try:
            self.book.send_unsent()
            member = self.run.pop()
        except RedisUnavailable:
            return None
        if member is None:
            return None
        lease, _, payload = member.partition(" ")
        try:
            request = request_from_json(payload, self.spider)
        except Exception as exc:  # noqa: BLE001 - a bad entry must not stop the node
            self.stats.inc_value("cluster/undecodable")
            logger.error("Cluster: dropped an undecodable queue entry (%s): %.200s", exc, payload)
            try:
                self.run.ack([lease])
            except RedisUnavailable:
                pass
            return None
        self.book.hold(request, lease)
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self.book.unsent or self.book.children:
            return True
        try:
            return self.run.queue_size() > 0
        except RedisUnavailable:
            return True

    def __repr__(self) -> str:
        return f"<ClusterScheduler run={self.run.run} node={self.run.node}>"


def scheduler_of(crawler: Crawler) -> Any:
    engine = crawler.engine
    slot = getattr(engine, "_slot", None) if engine is not None else None
    return slot.scheduler if slot is not None else None
