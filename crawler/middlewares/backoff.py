"""Retries with exponential backoff, and waits out rate limits without blocking the reactor.

Scrapy's RetryMiddleware retries at once and ignores ``Retry-After`` and the registries' quota headers (e.g. HF's
IETF ``RateLimit: "api";r=0;t=42``). This middleware replaces it:

* a rate-limit answer (429, or 403 carrying ``Retry-After``): wait the announced time, then send the request again.
  A rate limit is not a failure, so it does not use the retry budget; it is bounded by ``RATELIMIT_MAX_RETRIES``.
* While a quota is known to be spent, new requests that would spend it wait too (``process_request``), so one 429
  pauses them all instead of letting every in-flight request hit the limit.
* ``RETRY_HTTP_CODES`` and ``RETRY_EXCEPTIONS`` (network errors): exponential backoff from ``BACKOFF_BASE``
  (capped at ``BACKOFF_MAX``), counted against ``RETRY_TIMES`` through Scrapy's ``get_retry_request``.

What "a quota" is, and how to read a rate-limit answer, is a :class:`RateLimitPolicy`: the policies named in
``RATELIMIT_POLICIES`` are asked in order whether they handle a request (e.g. GitHub's, per token and bucket:
crawler/middlewares/github.py); every other request gets :class:`HostPolicy` (one pause per host, quota headers
read by the registries' ``limits.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import cached_property
from typing import Protocol
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.response import response_status_message

from crawler.limits import Limited, retry_after, until_back
from crawler.registries import all_limits

logger = logging.getLogger(__name__)


def rate_limit_wait(response: Response) -> float | None:
    """Seconds to wait before the quota that ``response`` reports is available again, or None.

    A registry's spent quota (as its ``limits.py`` reads it, e.g. HF's ``RateLimit`` with ``r=0``), else
    ``Retry-After`` in seconds.
    """
    for limits in all_limits():
        quota = limits.quota(response)
        if quota is not None and quota.spent:
            return until_back(quota)
    return retry_after(response)


class RateLimitPolicy(Protocol):
    """How the requests a policy handles are rate limited; consulted by :class:`BackoffRetryMiddleware`."""

    stats_prefix: str  # e.g. "ratelimit/": <prefix>paused_requests, wait_seconds, gave_up, token_rotated

    def handles(self, request: Request) -> bool: ...

    def delay(self, request: Request) -> float:
        """Seconds ``request`` must wait before it is sent (0: now)."""
        ...

    def limited(self, request: Request, response: Response) -> Limited | None:
        """Whether ``response`` is a rate-limit answer (None: it is not)."""
        ...

    def observe(self, request: Request, response: Response) -> None:
        """Any other response: pause what it reports spent, before the next request fails."""
        ...

    def hold(self, request: Request, hit: Limited, wait: float) -> bool:
        """Pause what ``hit`` spent for ``wait`` s; True when the retry may go at once (another credential)."""
        ...

    def backoff(self, request: Request, count: int) -> float:
        """The wait when the answer names none (``count``: rate limits of this request so far)."""
        ...

    def retry(self, retry: Request, hit: Limited) -> None:
        """Note ``hit`` in the retry's meta (e.g. to grow the next backoff)."""
        ...

    def hit_stats(self, hit: Limited) -> list[str]: ...

    def describe(self, hit: Limited, response: Response) -> str:
        """For the log line: e.g. ``Rate limited (HTTP 429)``."""
        ...


class HostPolicy:
    """Every request not handled by another policy: one pause per host."""

    stats_prefix = "ratelimit/"

    def __init__(self, crawler: Crawler) -> None:
        self.base = crawler.settings.getfloat("BACKOFF_BASE")
        self.cap = crawler.settings.getfloat("BACKOFF_MAX")
        self.max_wait = crawler.settings.getfloat("RATELIMIT_MAX_WAIT")
        self._paused_until: dict[str, float] = {}

    def handles(self, request: Request) -> bool:
        return True

    def delay(self, request: Request) -> float:
        return self._paused_until.get(urlsplit(request.url).netloc, 0.0) - time.monotonic()

    def limited(self, request: Request, response: Response) -> Limited | None:
        if response.status not in (403, 429):
            return None  # the common case: observe() reads the quota headers of this response once
        wait = rate_limit_wait(response)
        if response.status == 429 or wait is not None:
            return Limited(str(response.status), wait, None)
        return None

    def observe(self, request: Request, response: Response) -> None:
        wait = rate_limit_wait(response)
        if wait is not None and response.status < 400:
            self._pause(request, wait)  # quota spent by this very response

    def hold(self, request: Request, hit: Limited, wait: float) -> bool:
        self._pause(request, wait)
        return False

    def _pause(self, request: Request, wait: float) -> None:
        host = urlsplit(request.url).netloc
        until = time.monotonic() + min(wait, self.max_wait)
        if until > self._paused_until.get(host, 0.0):
            self._paused_until[host] = until

    def backoff(self, request: Request, count: int) -> float:
        return min(self.cap, self.base * 2 ** min(count, 10))

    def retry(self, retry: Request, hit: Limited) -> None:
        return None

    def hit_stats(self, hit: Limited) -> list[str]:
        return ["429"]

    def describe(self, hit: Limited, response: Response) -> str:
        return f"Rate limited (HTTP {response.status})"


class BackoffRetryMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.retry_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.base = settings.getfloat("BACKOFF_BASE")
        self.cap = settings.getfloat("BACKOFF_MAX")
        self.max_wait = settings.getfloat("RATELIMIT_MAX_WAIT")
        self.max_ratelimit_retries = settings.getint("RATELIMIT_MAX_RETRIES")
        self.policies: list[RateLimitPolicy] = [
            build_from_crawler(load_object(path), crawler) for path in settings.getlist("RATELIMIT_POLICIES")
        ]
        self.policies.append(HostPolicy(crawler))
        self._retry_exceptions = settings.getlist("RETRY_EXCEPTIONS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    @cached_property
    def network_errors(self) -> tuple[type[BaseException], ...]:
        """Scrapy's list of transient network errors (DNS, refused, timeouts, data loss, ...), loaded at the first
        exception: the list names Twisted's HTTP client module, whose import (with TLS) costs 0.1 s of every start
        although the crawl's client is aiohttp."""
        return tuple(e if isinstance(e, type) else load_object(e) for e in self._retry_exceptions)

    @property
    def stats(self):  # noqa: ANN201 - Scrapy's StatsCollector
        return self.crawler.stats

    def policy(self, request: Request) -> RateLimitPolicy:
        return next(policy for policy in self.policies if policy.handles(request))

    async def process_request(self, request: Request) -> None:
        policy = self.policy(request)
        delay = policy.delay(request)
        if delay > 0:
            self.stats.inc_value(f"{policy.stats_prefix}paused_requests")
            await asyncio.sleep(min(delay, self.max_wait))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry"):
            return response
        policy = self.policy(request)
        hit = policy.limited(request, response)
        if hit is not None:
            return await self._wait_rate_limit(policy, request, response, hit)
        policy.observe(request, response)
        if response.status in self.retry_codes:
            return await self._backoff(request, response_status_message(response.status), response)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if isinstance(exception, self.network_errors) and not request.meta.get("dont_retry"):
            return await self._backoff(request, f"{type(exception).__module__}.{type(exception).__name__}")
        return None

    async def _wait_rate_limit(
        self, policy: RateLimitPolicy, request: Request, response: Response, hit: Limited
    ) -> Request:
        prefix = policy.stats_prefix
        count = request.meta.get("ratelimit_retries", 0) + 1
        if count > self.max_ratelimit_retries:
            self.stats.inc_value(f"{prefix}gave_up")
            logger.error("Rate limited %d times, giving up on %s", count - 1, request.url)
            raise IgnoreRequest(f"rate limited {count - 1} times")
        wait = min(hit.wait if hit.wait is not None else policy.backoff(request, count), self.max_wait)
        for name in policy.hit_stats(hit):
            self.stats.inc_value(f"{prefix}{name}")
        at_once = policy.hold(request, hit, wait)
        retry = request.replace(dont_filter=True)
        retry.meta["ratelimit_retries"] = count
        policy.retry(retry, hit)
        if at_once:
            self.stats.inc_value(f"{prefix}token_rotated")
            logger.info("%s on %s: retrying at once with another token", policy.describe(hit, response), request.url)
            return retry
        self.stats.inc_value(f"{prefix}wait_seconds", round(wait, 3))
        logger.info("%s on %s: waiting %.0f s", policy.describe(hit, response), request.url, wait)
        await asyncio.sleep(wait)
        return retry

    async def _backoff(self, request: Request, reason: str, response: Response | None = None):
        retries = request.meta.get("retry_times", 0)
        retry = get_retry_request(request, spider=self.crawler.spider, reason=reason)
        if retry is None:
            self.stats.inc_value("backoff/gave_up")
            if response is not None:
                return response
            return None
        delay = min(self.cap, self.base * 2**retries)
        self.stats.inc_value("backoff/wait_seconds", round(delay, 3))
        await asyncio.sleep(delay)
        return retry
