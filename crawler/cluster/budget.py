"""One rate budget per registry, bucket and token, held in Redis and shared by every node.

A budget is a sliding window: at most ``quota`` grants in any ``window + margin`` seconds (Redis server time,
so node clocks do not matter). Because the registries count fixed windows, a sliding window of the same size
never exceeds them, and in steady state it grants the whole quota. Limits start from the published ones
(or ``RATE_BUDGET_LIMITS``) and follow what the registries report:

* Hugging Face: ``RateLimit-Policy: "fixed window";"api";q=1000;w=300`` sets quota and window,
  ``RateLimit: "api";r=0;t=42`` (quota spent) stops every node for 42 s;
* GitHub: ``x-ratelimit-limit`` sets the quota of ``x-ratelimit-resource``, ``x-ratelimit-remaining: 0`` stops
  every node until ``x-ratelimit-reset``;
* any 429 or ``Retry-After`` stops every node for the time given.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.cluster.connection import RedisUnavailable
from crawler.cluster.defaults import setting
from crawler.cluster.keys import budget_key
from crawler.cluster.run import ClusterRun
from crawler.github.access import bucket_of_path

logger = logging.getLogger(__name__)

# Published limits: (registry, bucket) -> {"anonymous" | "token": (quota, window seconds)}.
# HF: huggingface/hub-docs docs/hub/rate-limits.md (free plan with a token). GitHub: REST rate limit docs.
PUBLISHED: dict[tuple[str, str], dict[str, tuple[int, float]]] = {
    ("hf", "api"): {"anonymous": (500, 300), "token": (1000, 300)},
    ("hf", "resolvers"): {"anonymous": (3000, 300), "token": (5000, 300)},
    ("hf", "pages"): {"anonymous": (100, 300), "token": (200, 300)},
    ("github", "core"): {"anonymous": (60, 3600), "token": (5000, 3600)},
    ("github", "search"): {"anonymous": (10, 60), "token": (30, 60)},
    ("github", "code_search"): {"anonymous": (10, 60), "token": (10, 60)},
    ("github", "graphql"): {"anonymous": (0, 3600), "token": (5000, 3600)},
}
GITHUB_WINDOWS = {"core": 3600.0, "search": 60.0, "code_search": 60.0, "graphql": 3600.0}

_RATELIMIT = re.compile(r'"?([\w-]+)"?\s*;\s*r\s*=\s*(\d+)\s*;\s*t\s*=\s*(\d+)')
_POLICY_Q = re.compile(r"\bq\s*=\s*(\d+)")
_POLICY_W = re.compile(r"\bw\s*=\s*(\d+)")
_POLICY_NAME = re.compile(r'"([\w-]+)"\s*;\s*q\s*=')


@dataclass(frozen=True)
class Bucket:
    registry: str
    bucket: str


def _base(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc.lower(), parts.path.rstrip("/")


class Classifier:
    """Which registry and bucket a request counts against (None: not rate limited by us)."""

    def __init__(self, settings: BaseSettings) -> None:
        hf = settings.get("HF_ENDPOINT") or "https://huggingface.co"
        gh = settings.get("GITHUB_API_URL") or os.environ.get("GITHUB_API_URL") or "https://api.github.com"
        # longest path prefix first: the fake registry serves both APIs on one host
        self.bases = sorted([(*_base(gh), "github"), (*_base(hf), "hf")], key=lambda b: -len(b[1]))

    def classify(self, url: str) -> Bucket | None:
        host, path = _base(url)
        for base_host, base_path, registry in self.bases:
            if host == base_host and (path == base_path or path.startswith(base_path + "/")):
                rest = path[len(base_path) :]
                return Bucket(registry, _hf_bucket(rest) if registry == "hf" else bucket_of_path(rest))
        return None


def _hf_bucket(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if "/resolve/" in path:
        return "resolvers"
    return "pages"


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

    def limits(self, bucket: Bucket, request: Request) -> tuple[int, float]:
        override = self.overrides.get((bucket.registry, bucket.bucket))
        if override:
            return override
        published = PUBLISHED.get((bucket.registry, bucket.bucket), {"anonymous": (100, 60), "token": (100, 60)})
        return published["token" if request.headers.get(b"Authorization") else "anonymous"]

    def take(self, request: Request) -> float:
        """0 when the request may go now, else seconds to wait. Raises RedisUnavailable."""
        bucket = self.classifier.classify(request.url)
        if bucket is None:
            return 0.0
        key = self.key(bucket, request)
        quota, window = self.limits(bucket, request)
        if key not in self._applied and (bucket.registry, bucket.bucket) in self.overrides:
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
        bucket = self.classifier.classify(request.url)
        if bucket is None:
            return
        quota, window_ms, remaining, reset_ms = _read_headers(bucket, response)
        name = bucket.bucket
        if bucket.registry == "hf":
            name = _header_bucket(response) or name
        key = self.key(Bucket(bucket.registry, name), request)
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


def _header_bucket(response: Response) -> str | None:
    value = response.headers.get(b"RateLimit")
    match = _RATELIMIT.search(value.decode("latin-1")) if value else None
    return match.group(1) if match else None


def _read_headers(bucket: Bucket, response: Response) -> tuple[str, str, str, str]:
    """(quota, window ms, remaining, ms until reset) as strings, '' where unknown."""
    h = response.headers
    quota = window_ms = remaining = reset_ms = ""
    if bucket.registry == "hf":
        policy = h.get(b"RateLimit-Policy")
        if policy:
            text = policy.decode("latin-1")
            q, w = _POLICY_Q.search(text), _POLICY_W.search(text)
            if q and w:
                quota, window_ms = q.group(1), str(int(w.group(1)) * 1000)
        value = h.get(b"RateLimit")
        match = _RATELIMIT.search(value.decode("latin-1")) if value else None
        if match:
            remaining, reset_ms = match.group(2), str(int(match.group(3)) * 1000)
    else:
        limit, left, reset = h.get(b"x-ratelimit-limit"), h.get(b"x-ratelimit-remaining"), h.get(b"x-ratelimit-reset")
        resource = (h.get(b"x-ratelimit-resource") or b"").decode("latin-1") or bucket.bucket
        if limit and limit.isdigit():
            quota, window_ms = limit.decode(), str(int(GITHUB_WINDOWS.get(resource, 3600.0) * 1000))
        if left and left.isdigit():
            remaining = left.decode()
        if reset and reset.isdigit():
            reset_ms = str(max(1000, int((int(reset) - time.time()) * 1000) + 1000))
    retry_after = h.get(b"Retry-After")
    if response.status == 429 or (retry_after and response.status in (403, 429)):
        remaining = "0"
        if retry_after and retry_after.strip().isdigit():
            reset_ms = str(int(retry_after.strip()) * 1000)
        elif not reset_ms:
            reset_ms = "1000"
    return quota, window_ms, remaining, reset_ms


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
