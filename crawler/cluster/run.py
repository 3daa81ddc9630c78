"""One node's view of the cluster run it belongs to: joining, heartbeats, the shared queue, leases, the finish.

Every method that talks to Redis raises :class:`RedisUnavailable` while Redis is down; callers keep their work
and try again (see ``RedisGuard``).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
import weakref
from typing import Any

from scrapy.crawler import Crawler

from crawler.cluster.connection import RedisGuard, redis_client
from crawler.cluster.defaults import setting
from crawler.cluster.keys import RunKeys, SpiderKeys
from crawler.cluster.scripts import Scripts
from crawler.timestamps import now_iso

logger = logging.getLogger(__name__)

_runs: weakref.WeakKeyDictionary[Crawler, ClusterRun] = weakref.WeakKeyDictionary()
CHUNK = 500


def node_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:4]}"


class ClusterRun:
    """Shared by the scheduler, the extension and the middlewares of one crawler (``ClusterRun.of(crawler)``)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.url = settings.get("REDIS_URL")
        self.client = redis_client(self.url, float(setting(settings, "CLUSTER_REDIS_TIMEOUT")))
        self.guard = RedisGuard(self.client, self.url)
        self.scripts = Scripts(self.client)
        self.prefix = str(setting(settings, "CLUSTER_KEY_PREFIX"))
        self.node = node_name()
        self.node_ttl_ms = int(float(setting(settings, "CLUSTER_NODE_TTL")) * 1000)
        self.spider_keys: SpiderKeys | None = None
        self.keys: RunKeys | None = None
        self.run: str | None = None
        self.db_run_id: int | None = None
        self.status = "running"
        self.seeding = False  # this node runs the spider's start() (its seed lock is refreshed meanwhile)
        self.book: Any = None  # the scheduler's LeaseBook

    @classmethod
    def of(cls, crawler: Crawler) -> ClusterRun:
        run = _runs.get(crawler)
        if run is None:
            run = _runs[crawler] = cls(crawler)
        return run

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return self.guard.call(fn, *args, **kwargs)

    # --- joining -------------------------------------------------------------------------------------------

    def join(self, spider_name: str) -> None:
        """Join the spider's running run, or start the next one (the previous one finished)."""
        self.spider_keys = SpiderKeys(self.prefix, spider_name)
        sk = self.spider_keys
        run, how = self._call(self.scripts.join_run, keys=[sk.current, sk.counter], args=[sk.base, now_iso()])
        self.run, self.keys = str(run), sk.run(run)
        self.heartbeat()
        queued = self.queue_size()
        if how == "created":
            logger.info(
                "Cluster: node %s started run %s of %s (keys %s:*)", self.node, run, spider_name, self.keys.base
            )
        else:
            logger.info(
                "Cluster: node %s joined run %s of %s (%d requests queued; keys %s:*)",
                self.node,
                run,
                spider_name,
                queued,
                self.keys.base,
            )

    @property
    def k(self) -> RunKeys:
        assert self.keys is not None, "join() first"
        return self.keys

    # --- liveness ----------------------------------------------------------------------------------------------

    def heartbeat(self) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.sadd(self.k.nodes, self.node)
        pipe.set(self.k.alive(self.node), "1", px=self.node_ttl_ms)
        self._call(pipe.execute)

    def leave(self) -> None:
        """A clean stop: this node holds no lease any more."""
        pipe = self.client.pipeline(transaction=False)
        pipe.delete(self.k.alive(self.node))
        pipe.srem(self.k.nodes, self.node)
        self._call(pipe.execute)

    def others_alive(self) -> bool:
        """Whether another node of the run still heart-beats."""
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in self._call(self.client.smembers, self.k.nodes)]
        others = [n for n in names if n != self.node]
        return bool(others) and int(self._call(self.client.exists, *[self.k.alive(n) for n in others])) > 0

    def reclaim(self) -> int:
        """Requeue the leases of nodes that stopped heart-beating; returns how many requests went back."""
        moved = int(self._call(self.scripts.reclaim, keys=[self.k.nodes, self.k.queue], args=[self.k.node_prefix]))
        if moved:
            logger.warning("Cluster: %d requests leased by stopped nodes went back to the queue", moved)
        return moved

    # --- the queue ---------------------------------------------------------------------------------------------

    def push(self, fingerprint: str, dont_filter: bool, priority: int, member: str) -> bool:
        """Dupefilter + enqueue in one step; False when the request was seen before."""
        added = self._call(
            self.scripts.push,
            keys=[self.k.dupefilter, self.k.queue, self.k.seq],
            args=[fingerprint, "1" if dont_filter else "0", priority, member],
        )
        return bool(int(added))

    def pop(self) -> str | None:
        return self._call(
            self.scripts.pop,
            keys=[self.k.queue, self.k.leases(self.node), self.k.nodes, self.k.alive(self.node)],
            args=[self.node, self.node_ttl_ms],
        )

    def ack(self, lease_ids: list[str]) -> int:
        done = 0
        for start in range(0, len(lease_ids), CHUNK):
            done += int(self._call(self.client.hdel, self.k.leases(self.node), *lease_ids[start : start + CHUNK]))
        return done

    def my_leases(self) -> list[str]:
        """The lease ids Redis holds for this node."""
        keys = self._call(self.client.hkeys, self.k.leases(self.node))
        return [k.decode() if isinstance(k, bytes) else str(k) for k in keys]

    def release(self, lease_ids: list[str]) -> int:
        moved = 0
        for start in range(0, len(lease_ids), CHUNK):
            chunk = lease_ids[start : start + CHUNK]
            moved += int(self._call(self.scripts.release, keys=[self.k.leases(self.node), self.k.queue], args=chunk))
        return moved

    def queue_size(self) -> int:
        return int(self._call(self.client.zcard, self.k.queue))

    # --- seeding and the end -------------------------------------------------------------------------------------

    def claim_seed(self, ttl_ms: int) -> str:
        return str(self._call(self.scripts.claim_seed, keys=[self.k.meta, self.k.seed_lock], args=[self.node, ttl_ms]))

    def refresh_seed_lock(self, ttl_ms: int) -> None:
        self._call(self.client.pexpire, self.k.seed_lock, ttl_ms)

    def mark_seeded(self) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.k.meta, "seeded", "1")
        pipe.delete(self.k.seed_lock)
        self._call(pipe.execute)

    def meta(self) -> dict[str, str]:
        return dict(self._call(self.client.hgetall, self.k.meta))

    def try_finish(self) -> str:
        """The run's status after trying to finish it: running, finished, abandoned or lost."""
        status = str(
            self._call(
                self.scripts.finish,
                keys=[self.k.meta, self.k.queue, self.k.nodes],
                args=[self.k.node_prefix, now_iso()],
            )
        )
        if status == "finished" and self.status != "finished":
            self._cleanup()
        self.status = status
        return status

    def _cleanup(self) -> None:
        """A finished run keeps its counters for a while; its frontier and fingerprints go."""
        ttl = int(setting(self.crawler.settings, "CLUSTER_FINISHED_TTL"))
        pipe = self.client.pipeline(transaction=False)
        pipe.unlink(self.k.dupefilter, self.k.queue, self.k.seq, self.k.seed_lock)
        for key in (self.k.meta, self.k.stats, self.k.nodes):
            pipe.expire(key, ttl)
        self._call(pipe.execute)

    def publish_stats(self, stats: dict[str, Any]) -> None:
        self._call(self.client.hset, self.k.stats, self.node, json.dumps(stats, default=str))

    # --- the database run row --------------------------------------------------------------------------------

    def ensure_db_run(self, spider: Any) -> int | None:
        """The id of the run's ``crawl_run`` row: claimed once (by the seeding node), shared by every node."""
        meta = self.meta()
        if meta.get("db_run_id"):
            self.db_run_id = int(meta["db_run_id"])
            return self.db_run_id
        from crawler.db.engine import database_url, open_engine
        from crawler.runs import RunLedger

        engine = open_engine(database_url(self.crawler.settings.get("DATABASE_URL")))
        with engine.begin() as conn:  # the same command after an incomplete/interrupted cluster run continues its row
            row_id = RunLedger.of(self.crawler).claim(conn, spider, shared=f"cluster:{self.run}")
        self._call(self.client.hsetnx, self.k.meta, "db_run_id", row_id)
        self.db_run_id = int(self.meta()["db_run_id"])
        return self.db_run_id
