"""One rate budget per registry, bucket and token, held in Redis and shared by every node.

A budget is a sliding window: at most ``quota`` grants in any ``window + margin`` seconds (Redis server time,
so node clocks do not matter). Because the registries count fixed windows, a sliding window of the same size
never exceeds them, and in steady state it grants the whole quota. Limits start from the published ones
(or ``RATE_BUDGET_LIMITS``) and follow what the registries report, read by each registry's
``crawler/<registry>/limits.py`` (the budget names no registry):

* a reported quota and window (HF ``RateLimit-Policy``, GitHub ``x-ratelimit-limit``) set the budget's limits;
* a spent quota (HF ``RateLimit: "api";r=0;t=42``, GitHub ``x-ratelimit-remaining: 0``) stops every node until
  the reset;
* any 429 or ``Retry-After`` stops every node for the time given.
"""

from __future__ import annotations

import itertools
import logging

from scrapy import Request
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.defaults import setting
from crawler.cluster.keys import budget_key
from crawler.cluster.run import ClusterRun
from crawler.limits import RegistryLimits, retry_after
from crawler.registries import Bucket, Classifier

logger = logging.getLogger(__name__)

# A bucket a registry publishes no limits for starts from these (then follows its headers).
UNPUBLISHED = {"anonymous": (100, 60.0), "token": (100, 60.0)}


class RateBudget:
    def __init__(self, run: ClusterRun, settings: BaseSettings) -> None:
        self.run = run
        self.prefix = str(setting(settings, "CLUSTER_KEY_PREFIX"))
        self.margin_ms = int(float(setting(settings, "RATE_BUDGET_MARGIN")) * 1000)
        self.classifier = Classifier(settings)
        self.overrides = {
            tuple(name.split("/", 1)): (int(v[0]), float(v[1]))
            for name, v in settings.getdict("RATE_BUDGET_LIMITS", setting(settings, "RATE_BUDGET_LIMITS")).items()
        }
        self._seq = itertools.count()
        self._known: dict[str, tuple[str, str]] = {}  # budget key -> last (quota, window) written
        self._applied: set[str] = set()

    def key(self, bucket: Bucket, request: Request) -> str:
        credential = request.headers.get(b"Authorization")
        return budget_key(
            self.prefix, bucket.registry, bucket.bucket, credential.decode("latin-1") if credential else None
        )

    def limits(self, registry: RegistryLimits, bucket: str, request: Request) -> tuple[int, float]:
        """(quota, window seconds) a budget starts from: ``RATE_BUDGET_LIMITS``, else the published limits."""
        override = self.overrides.get((registry.registry, bucket))
        if override:
            return override
        published = registry.published.get(bucket) or UNPUBLISHED
        return published["token" if request.headers.get(b"Authorization") else "anonymous"]

    def take(self, request: Request) -> float:
        """0 when the request may go now, else seconds to wait. Raises RedisUnavailable."""
        found = self.classifier.limits_of(request.url)
        if found is None:
            return 0.0
        registry, name = found
        key = self.key(Bucket(registry.registry, name), request)
        quota, window = self.limits(registry, name, request)
        if key not in self._applied and (registry.registry, name) in self.overrides:
            self._write_limits(key, quota, window)  # configured limits win over what an older run learned
        self._applied.add(key)
        wait_ms = self.run.guard.call(
            self.run.scripts.budget_take,
            keys=[f"{key}:log", f"{key}:cfg"],
            args=[quota, int(window * 1000), self.margin_ms, f"{self.run.node}:{next(self._seq)}"],
        )
        return int(wait_ms) / 1000

    def _write_limits(self, key: str, quota: int, window: float) -> None:
        self.run.guard.call(
            self.run.scripts.budget_observe, keys=[f"{key}:cfg"], args=[quota, int(window * 1000), "", ""]
        )
        self._known[key] = (str(quota), str(int(window * 1000)))

    def observe(self, request: Request, response: Response) -> None:
        """Feed what the response says about the quota into the shared budget. Raises RedisUnavailable."""
        found = self.classifier.limits_of(request.url)
        if found is None:
            return
        limits, name = found
        quota, window_ms, remaining, reset_ms, resource = _read_headers(limits, name, response)
        bucket = Bucket(limits.registry, resource or name)
        name = bucket.bucket
        key = self.key(bucket, request)
        learned = (quota, window_ms) if quota and window_ms else None
        if (bucket.registry, name) in self.overrides:
            learned = None  # an explicit setting is not overridden by headers
        spent = remaining == "0" and reset_ms != ""
        if not spent and (learned is None or self._known.get(key) == learned):
            return
        if learned is not None:
            if self._known.get(key) not in (None, learned):
                logger.info("Rate budget %s/%s: the registry reports %s per %s ms", bucket.registry, name, *learned)
            self._known[key] = learned
        self.run.guard.call(
            self.run.scripts.budget_observe,
            keys=[f"{key}:cfg"],
            args=[*(learned or ("", "")), remaining if spent else "", reset_ms if spent else ""],
        )
        if spent:
            logger.info(
                "Rate budget %s/%s spent (HTTP %d): every node waits %.0f s",
                bucket.registry,
                name,
                response.status,
                int(reset_ms) / 1000,
            )


def _read_headers(limits: RegistryLimits, bucket: str, response: Response) -> tuple[str, str, str, str, str | None]:
    """(quota, window ms, remaining, ms until reset) as strings, '' where unknown, and the bucket the response
    names (when the registry knows it)."""
    quota = window_ms = remaining = reset_ms = ""
    q = limits.quota(response)
    resource = q.resource if q is not None and q.resource in limits.published else None
    if q is not None:
        if q.limit is not None:
            quota = str(q.limit)
            window_ms = str(int((q.window or limits.window(resource or bucket)) * 1000))
        if q.remaining is not None:
            remaining = str(q.remaining)
        if q.reset is not None:
            reset_ms = str(max(1000, int(q.reset * 1000) + 1000))
    after = retry_after(response)
    if response.status == 429 or (after is not None and response.status in (403, 429)):
        remaining = "0"
        if after is not None:
            reset_ms = str(int(after * 1000))
        elif not reset_ms:
            reset_ms = "1000"
    return quota, window_ms, remaining, reset_ms, resource


class SharedBudgetMiddleware:
    """Downloader middleware: every budgeted request waits for a grant from the shared budget."""

    def __init__(self, crawler) -> None:  # noqa: ANN001 - scrapy.crawler.Crawler
        self.crawler = crawler
        self.budget = RateBudget(ClusterRun.of(crawler), crawler.settings)

    @classmethod
    def from_crawler(cls, crawler) -> SharedBudgetMiddleware:  # noqa: ANN001
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        import asyncio

        waited = 0.0
        while True:
            try:
                wait = self.budget.take(request)
            except RedisUnavailable:
                wait = 1.0
            if wait <= 0:
                break
            waited += wait
            await asyncio.sleep(wait)
        if waited:
            self.crawler.stats.inc_value("budget/waited_requests")
            self.crawler.stats.inc_value("budget/wait_seconds", round(waited, 3))
        self.crawler.stats.inc_value("budget/granted")

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            self.budget.observe(request, response)
        except RedisUnavailable:
            pass
        return response
