"""The rate budgets of a cluster: :class:`~crawler.budget.budget.RateBudget`'s store held in Redis, so that every
node spends the same budgets (Redis server time, so node clocks do not matter). The sliding window itself is the
Lua script ``BUDGET_TAKE`` (crawler/cluster/scripts.py), one atomic round trip per grant.

While Redis is unreachable a node asks again every second and does not learn from responses (the guard logs the
outage once); its in-flight work is kept.
"""

from __future__ import annotations

import itertools

from scrapy.crawler import Crawler

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.keys import budget_key
from crawler.cluster.run import ClusterRun

UNREACHABLE_WAIT_MS = 1000


class RedisStore:
    def __init__(self, run: ClusterRun, prefix: str) -> None:
        self.run = run
        self.prefix = prefix
        self._seq = itertools.count()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisStore:
        return cls(ClusterRun.of(crawler), crawler.settings["CLUSTER_KEY_PREFIX"])

    def take(self, name: str, quota: int, window_ms: int, margin_ms: int) -> int:
        key = budget_key(self.prefix, name)
        try:
            return int(
                self.run.guard.call(
                    self.run.scripts.budget_take,
                    keys=[f"{key}:log", f"{key}:cfg"],
                    args=[quota, window_ms, margin_ms, f"{self.run.node}:{next(self._seq)}"],
                )
            )
        except RedisUnavailable:
            return UNREACHABLE_WAIT_MS

    def observe(self, name: str, limits: tuple[int, int] | None, block_ms: int | None) -> None:
        quota, window_ms = limits or ("", "")
        try:
            self.run.guard.call(
                self.run.scripts.budget_observe,
                keys=[f"{budget_key(self.prefix, name)}:cfg"],
                args=[quota, window_ms, "" if block_ms is None else block_ms],
            )
        except RedisUnavailable:
            pass
