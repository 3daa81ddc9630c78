"""Writes items to the database: batched, idempotent upserts on natural keys, in arrival order.

Items are buffered and written in one transaction per batch (``STORE_BATCH_SIZE`` items, or sooner when the
buffer is older than ``STORE_FLUSH_SECONDS``), in a worker thread so the reactor never waits on the database.
Upserts key on natural keys (model context_id, (model, commit id), (model, discussion number) ...), so a request
delivered twice, a resumed crawl or two racing nodes converge to the same rows, and surrogate ids never change.

A crawl is one ``crawl_run`` row (kept across JOBDIR resumes through ``spider.state``); every listed model gets one
``crawl_model_observation`` per run, so downloads and likes can be followed over time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from collections import defaultdict
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import Connection, Engine, update

from crawler.db import ours
from crawler.db.engine import database_url, open_engine
from crawler.registries import finishers, writers
from pipelines.batch import Batch, now_iso

logger = logging.getLogger(__name__)

# Item writers in dependency order, and end-of-run finishers, of every registry (crawler/<registry>/writes.py).
WRITERS = writers()
FINISHERS = finishers()


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url = database_url(crawler.settings.get("DATABASE_URL"))
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE")
        self.flush_seconds = crawler.settings.getfloat("STORE_FLUSH_SECONDS")
        self.engine: Engine | None = None
        self.buffer: list[Any] = []
        self.buffer_since = time.monotonic()
        self.lock = asyncio.Lock()
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        self.engine = await asyncio.to_thread(open_engine, self.url)
        logger.info("Storing into %s", self.engine.url.render_as_string(hide_password=True))

    async def process_item(self, item: Any) -> Any:
        if not self.buffer:
            self.buffer_since = time.monotonic()
        self.buffer.append(item)
        if self._due():
            await self.flush(only_if_due=True)
        return item

    def _due(self) -> bool:
        return len(self.buffer) >= self.batch_size or time.monotonic() - self.buffer_since > self.flush_seconds

    async def close_spider(self) -> None:
        await self.flush()
        reason = self.crawler.stats.get_value("finish_reason") or "finished"
        if reason == "finished" and self.crawler.stats.get_value("crawl/incomplete"):
            reason = "incomplete"  # e.g. the listing could not be walked to its end
            logger.warning("Crawl incomplete: %s", self.crawler.stats.get_value("crawl/incomplete"))
        await asyncio.to_thread(self._finish_run, reason)

    async def flush(self, only_if_due: bool = False) -> None:
        async with self.lock:
            # Items that waited for the lock while a batch was written find the buffer already taken by the first
            # of them: they leave the rest to fill up, so batches stay STORE_BATCH_SIZE long.
            if only_if_due and not self._due():
                return
            items, self.buffer = self.buffer, []
            if items:
                started = time.monotonic()
                await asyncio.to_thread(self._write, items)
                self.crawler.stats.inc_value("store/batches")
                self.crawler.stats.inc_value("store/items", len(items))
                seconds = round(time.monotonic() - started, 3)
                self.crawler.stats.max_value("store/max_batch_seconds", seconds)
                self.crawler.stats.inc_value("store/write_seconds", seconds)

    # --- the crawl run ---------------------------------------------------------------------------------------

    def _ensure_run(self, conn: Connection) -> int:
        if self.run_id is not None:
            return self.run_id
        spider = self.crawler.spider
        state = getattr(spider, "state", None)  # JOBDIR: a resumed crawl continues its run
        run = ours.crawl_run
        if isinstance(state, dict) and state.get("run_id"):
            self.run_id = int(state["run_id"])
            conn.execute(update(run).where(run.c.id == self.run_id).values(status="running", finished_at=None))
        else:
            args = {k: v for k, v in vars(spider).items() if k in ("limit", "author", "search", "filters", "sort")}
            result = conn.execute(
                run.insert().values(
                    spider=spider.name,
                    node=socket.gethostname(),
                    started_at=now_iso(),
                    status="running",
                    args=json.dumps(args, default=str),
                )
            )
            self.run_id = int(result.inserted_primary_key[0])
            if isinstance(state, dict):
                state["run_id"] = self.run_id
        return self.run_id

    def _finish_run(self, reason: str) -> None:
        assert self.engine is not None
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, int | float | str)}
        with self.engine.begin() as conn:
            run_id = self._ensure_run(conn)
            run = ours.crawl_run
            conn.execute(
                update(run)
                .where(run.c.id == run_id)
                .values(finished_at=now_iso(), status=reason, stats=json.dumps(stats, default=str))
            )
            batch = Batch(conn, run_id, self.crawler.stats)
            for finish in FINISHERS:
                finish(batch)

    # --- writing a batch ---------------------------------------------------------------------------------------

    def _write(self, items: list[Any]) -> None:
        assert self.engine is not None
        kinds: dict[type, list[Any]] = defaultdict(list)
        for item in items:
            kinds[type(item)].append(item)
        unknown = set(kinds) - {kind for kind, _ in WRITERS}
        if unknown:
            raise TypeError(f"no writer for {', '.join(sorted(k.__name__ for k in unknown))}")
        with self.engine.begin() as conn:
            batch = Batch(conn, self._ensure_run(conn), self.crawler.stats)
            for kind, write in WRITERS:
                if kinds.get(kind):
                    write(batch, kinds[kind])
