"""Seeds are enqueued once per run, however many nodes start: a spider middleware around ``Spider.start()``.

The first node to claim the run's seed lock creates the run's ``crawl_run`` row and runs the spider's own
``start()``; when every seed is in the shared queue the run is marked seeded. The others wait for that (a seeding
node that dies stops refreshing its lock, and another node takes over), then only consume the shared queue.
A resumed run is already seeded: nobody runs ``start()`` again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from scrapy.crawler import Crawler

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.defaults import setting
from crawler.cluster.run import ClusterRun

logger = logging.getLogger(__name__)

WAIT = 0.2


class SeedOnceMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run = ClusterRun.of(crawler)
        self.lock_ttl_ms = int(float(setting(crawler.settings, "CLUSTER_SEED_LOCK_TTL")) * 1000)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnceMiddleware:
        return cls(crawler)

    async def _retry(self, fn: Any, *args: Any) -> Any:
        while True:
            try:
                return fn(*args)
            except RedisUnavailable:
                await asyncio.sleep(1.0)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        ready = False
        while True:
            claim = await self._retry(self.run.claim_seed, self.lock_ttl_ms)
            if claim == "done":
                if not ready:
                    await self._ready(spider)
                logger.info("Cluster: run %s is seeded; consuming the shared queue", self.run.run)
                return
            if claim == "seed":
                break
            if not ready and (await self._retry(self.run.meta)).get("db_run_id"):
                await self._ready(spider)  # help with the seeds already queued while the seeder goes on
                ready = True
            await asyncio.sleep(WAIT)
        if not ready:
            await self._ready(spider)
        logger.info("Cluster: this node seeds run %s", self.run.run)
        self.run.seeding = True
        count = 0
        async for item_or_request in start:
            count += 1
            yield item_or_request
        # Every seed went through the scheduler; those held while Redis was down must reach it first.
        book = getattr(self.run, "book", None)
        while book is not None and book.unsent:
            await self._retry(book.send_unsent)
        await self._retry(self.run.mark_seeded)
        self.run.seeding = False
        logger.info("Cluster: run %s seeded (%d start requests)", self.run.run, count)

    async def _ready(self, spider: Any) -> None:
        """Learn (or create) the run's database row; the scheduler hands out requests only after this."""
        while True:
            try:
                run_id = await asyncio.to_thread(self.run.ensure_db_run, spider)
                break
            except RedisUnavailable:
                await asyncio.sleep(1.0)
        if run_id is not None:
            state = getattr(spider, "state", None)
            if not isinstance(state, dict):
                state = spider.state = {}
            state["run_id"] = run_id  # StorePipeline writes this run's rows
