"""Writes items to the database: batched, idempotent upserts on natural keys, in arrival order.

Items are buffered and written in one transaction per batch (``STORE_BATCH_SIZE`` items, or sooner when the
buffer is older than ``STORE_FLUSH_SECONDS``), in a worker thread so the reactor never waits on the database.
Upserts key on natural keys (model context_id, (model, commit id), (model, discussion number) ...), so a request
delivered twice, a resumed crawl or two racing nodes converge to the same rows, and surrogate ids never change.

A bundle (crawler/itembundle.py) is buffered member by member: batches and ``store/items`` count the members.

A crawl is one ``crawl_run`` row (its life: crawler/runs.py); every listed model gets one
``crawl_model_observation`` per run, so downloads and likes can be followed over time.

One bad value never costs a batch: a batch the database refuses is written again in halves, down to single items,
and an item refused alone goes to ``crawl_rejected_item`` (pipelines/rejects.py) with a warning and the counter
``store/rejected``; the run then ends ``incomplete``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from sqlalchemy import Connection, Engine

from crawler.batch import Batch
from crawler.db.engine import database_url, open_engine
from crawler.itembundle import members
from crawler.registries import finishers, writers
from crawler.runs import EXIT_CODES, RunLedger, close_status, plain_stats
from pipelines import rejects
from pipelines.validate import InvalidItem

logger = logging.getLogger(__name__)

# Item writers, in dependency order; each registers its (item type, writer) pairs and end-of-run finishers.
WRITERS = writers()
FINISHERS = finishers()


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url = database_url(crawler.settings.get("DATABASE_URL"))
        self.batch_size = crawler.settings.getint("STORE_BATCH_SIZE")
        self.flush_seconds = crawler.settings.getfloat("STORE_FLUSH_SECONDS")
        self.heartbeat_seconds = crawler.settings.getfloat("RUN_HEARTBEAT_INTERVAL")
        self.retries = crawler.settings.getint("STORE_RETRIES")
        self.cluster = bool(crawler.settings.get("REDIS_URL"))
        self.engine: Engine | None = None
        self.buffer: list[Any] = []
        self.buffer_since = time.monotonic()
        self.lock = asyncio.Lock()
        self.ledger = RunLedger.of(crawler)
        self.beat: asyncio.Task[None] | None = None
        # The close reason is known only when spider_closed fires (after close_spider), so the run ends there.
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # Claimed when the spider opens, after Scrapy's SpiderState loaded the JOBDIR state (which names the run).
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        self.invalid: list[tuple[Any, Exception]] = []  # items validation refused, recorded with the next batch

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def run_id(self) -> int | None:
        return self.ledger.run_id

    async def open_spider(self) -> None:
        self.engine = await asyncio.to_thread(open_engine, self.url)
        logger.info("Storing into %s", self.engine.url.render_as_string(hide_password=True))

    async def spider_opened(self, spider: Spider) -> None:
        if not self.cluster:  # a cluster's shared row is created by the seeding node (crawler/cluster/seeding.py)
            await asyncio.to_thread(self._in_transaction, self._claim)
        self.beat = asyncio.ensure_future(self._heartbeats())

    async def process_item(self, item: Any) -> Any:
        if not self.buffer:
            self.buffer_since = time.monotonic()
        self.buffer.extend(members(item))
        if self._due():
            await self.flush(only_if_due=True)
        return item

    def _due(self) -> bool:
        return len(self.buffer) >= self.batch_size or time.monotonic() - self.buffer_since > self.flush_seconds

    async def close_spider(self) -> None:
        if self.beat is not None:
            self.beat.cancel()
        await self.flush()
        await self.flush()  # items dropped while the last batch was written

    def item_dropped(self, item: Any, exception: Exception, **kwargs: Any) -> None:
        if isinstance(exception, InvalidItem):
            self.crawler.stats.inc_value("store/rejected")
            self.invalid.append((item, exception))

    async def flush(self, only_if_due: bool = False) -> None:
        async with self.lock:
            # Items that waited for the lock while a batch was written find the buffer already taken by the first
            # of them: they leave the rest to fill up, so batches stay STORE_BATCH_SIZE long.
            if only_if_due and not self._due():
                return
            invalid, self.invalid = self.invalid, []
            if invalid and self.engine is not None:
                try:
                    await asyncio.to_thread(self._in_transaction, self._record_invalid, invalid)
                except Exception as exc:  # counted in store/rejected and logged by the validator already
                    logger.error("%d rejected items not recorded: %s", len(invalid), rejects.error_text(exc))
            items, self.buffer = self.buffer, []
            if items:
                started = time.monotonic()
                if not await self._write_with_retries(items):
                    return
                self.crawler.stats.inc_value("store/batches")
                self.crawler.stats.inc_value("store/items", len(items))
                seconds = round(time.monotonic() - started, 3)
                self.crawler.stats.max_value("store/max_batch_seconds", seconds)
                self.crawler.stats.inc_value("store/write_seconds", seconds)  # type: ignore[arg-type]  # any number

    async def _write_with_retries(self, items: list[Any]) -> bool:
        """A database that is briefly unavailable (locked, restarting) gets a few tries before the crawl fails."""
        for attempt in range(self.retries + 1):
            try:
                await asyncio.to_thread(self._write_isolated, items)
                return True
            except Exception as exc:
                if attempt == self.retries:
                    self._failed(exc, len(items))
                    return False
                delay = 2.0**attempt
                self.crawler.stats.inc_value("store/retries")
                logger.warning("Store write failed (%s); trying again in %.0f s", rejects.error_text(exc), delay)
                await asyncio.sleep(delay)
        return False

    def _failed(self, exc: Exception, count: int) -> None:
        """The database cannot take writes at all (not one item's fault): the crawl stops as ``failed``."""
        logger.error("Store failed; %d items not written; stopping the crawl: %s", count, rejects.error_text(exc))
        self.crawler.stats.set_value("crawl/failed", rejects.error_text(exc))
        self.crawler.stats.inc_value("store/lost_items", count)
        if self.crawler.crawling and self.crawler.engine.spider is not None:
            asyncio.ensure_future(self.crawler.engine.close_spider_async(reason="store_failed"))

    # --- the crawl run ---------------------------------------------------------------------------------------

    def _in_transaction(self, work: Any, *args: Any) -> Any:
        assert self.engine is not None
        with self.engine.begin() as conn:
            return work(conn, *args)

    def _claim(self, conn: Connection) -> int:
        return self.ledger.claim(conn, self.crawler.spider)

    def _ensure_run(self, conn: Connection) -> int:
        if self.ledger.run_id is None:
            state = getattr(self.crawler.spider, "state", None)
            if self.cluster and isinstance(state, dict) and state.get("run_id"):
                self.ledger.run_id = int(state["run_id"])  # the cluster's shared row
            else:
                self.ledger.claim(conn, self.crawler.spider)
        assert self.ledger.run_id is not None
        return self.ledger.run_id

    async def _heartbeats(self) -> None:
        """Tells the next crawl of this spider that this process is alive (crawler.runs.RunLedger.gone) and, on a
        single node, keeps the run's stats so far in its row (``scrapy progress`` reads them there)."""
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            if self.ledger.run_id is None:
                continue
            stats = None if self.cluster else plain_stats(self.crawler.stats.get_stats())  # a copy, made here
            try:
                await asyncio.to_thread(self._in_transaction, self.ledger.heartbeat, stats)
            except Exception as exc:  # a missed heartbeat is not worth stopping the crawl
                logger.warning("Run heartbeat not written: %s", rejects.error_text(exc))

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        status = close_status(reason, stats.get_stats())
        if status == "incomplete":
            logger.warning(
                "Crawl incomplete: %s; %d detail chains failed; %d items rejected",
                stats.get_value("crawl/incomplete", "every list page answered"),
                stats.get_value("crawl/details_failed", 0),
                stats.get_value("store/rejected", 0),
            )
        stats.set_value("crawl/exit_code", EXIT_CODES[status])
        if self.engine is None:
            return
        try:
            status = await asyncio.to_thread(self._in_transaction, self._finish_run, reason)
        except Exception as exc:
            logger.error("The run's final state was not written: %s", rejects.error_text(exc))
            stats.set_value("crawl/exit_code", EXIT_CODES["failed"])
            return
        stats.set_value("crawl/exit_code", EXIT_CODES[status])
        logger.info("Run %s: %s (exit code %d)", self.ledger.run_id, status, EXIT_CODES[status])

    def _finish_run(self, conn: Connection, reason: str) -> str:
        run_id = self._ensure_run(conn)
        batch = Batch(conn, run_id, self.crawler.stats)
        for finish in FINISHERS:
            finish(batch)
        stats = plain_stats(self.crawler.stats.get_stats())
        if self.cluster:
            from crawler.cluster.run import ClusterRun

            return self.ledger.finish_cluster(conn, reason, stats, ClusterRun.of(self.crawler))
        return self.ledger.finish(conn, reason, stats)

    # --- writing a batch ---------------------------------------------------------------------------------------

    def _write_isolated(self, items: list[Any]) -> None:
        """Writes ``items``; a refused batch is written again in halves, and an item refused alone is rejected."""
        try:
            self._write(items)
        except Exception as exc:
            if not rejects.is_data_error(exc):
                raise
            if len(items) == 1:
                self._reject(items[0], exc)
                return
            self.crawler.stats.inc_value("store/batch_split")
            half = len(items) // 2
            self._write_isolated(items[:half])
            self._write_isolated(items[half:])

    def _reject(self, item: Any, exc: Exception) -> None:
        self.crawler.stats.inc_value("store/rejected")
        self.crawler.stats.inc_value(f"store/rejected/{type(item).__name__}")
        logger.warning(
            "Rejected %s %s (kept in crawl_rejected_item): %s",
            type(item).__name__,
            rejects.natural_key(item)[:300],
            rejects.error_text(exc)[:300],
        )
        self._in_transaction(lambda conn: rejects.reject(conn, self._ensure_run(conn), item, exc))

    def _record_invalid(self, conn: Connection, invalid: list[tuple[Any, Exception]]) -> None:
        run_id = self._ensure_run(conn)
        for item, exc in invalid:
            rejects.reject(conn, run_id, item, exc)

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
