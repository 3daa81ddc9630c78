"""Retries with exponential backoff, and waits out rate limits without blocking the reactor.

Scrapy's RetryMiddleware retries at once and ignores ``Retry-After`` and the IETF ``RateLimit`` header that the
Hugging Face Hub sends (``"api";r=0;t=42``). This middleware replaces it:

* 429 (and 403 carrying ``Retry-After``): wait the announced time, then send the request again. A rate limit is not
  a failure, so it does not use the retry budget; it is bounded by ``RATELIMIT_MAX_RETRIES``.
* While a host is known to be out of quota, new requests to it wait too (``process_request``), so one 429 pauses
  the whole slot instead of letting every in-flight request hit the limit.
* ``RETRY_HTTP_CODES`` and ``RETRY_EXCEPTIONS`` (network errors): exponential backoff from ``BACKOFF_BASE``
  (capped at ``BACKOFF_MAX``), counted against ``RETRY_TIMES`` through Scrapy's ``get_retry_request``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

_RATELIMIT = re.compile(r'"?([\w-]+)"?\s*;\s*r\s*=\s*(\d+)\s*;\s*t\s*=\s*(\d+)')


def rate_limit_wait(response: Response) -> float | None:
    """Seconds to wait before the quota that ``response`` reports is available again, or None.

    Reads HF's ``RateLimit: "api";r=<remaining>;t=<seconds>`` (only ``r=0`` means spent) and ``Retry-After``
    in seconds (the HTTP-date form is ignored, as huggingface_hub does).
    """
    header = response.headers.get(b"RateLimit")
    if header:
        match = _RATELIMIT.search(header.decode("latin-1"))
        if match and int(match.group(2)) == 0:
            return float(match.group(3)) + 1.0
    retry_after = response.headers.get(b"Retry-After")
    if retry_after:
        try:
            return max(0.0, float(retry_after.decode("latin-1").strip()))
        except ValueError:
            return None
    return None


class BackoffRetryMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.retry_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.base = settings.getfloat("BACKOFF_BASE")
        self.cap = settings.getfloat("BACKOFF_MAX")
        self.max_wait = settings.getfloat("RATELIMIT_MAX_WAIT")
        self.max_ratelimit_retries = settings.getint("RATELIMIT_MAX_RETRIES")
        self._paused_until: dict[str, float] = {}
        # Scrapy's own list of transient network errors (DNS, refused, timeouts, data loss, ...).
        self.network_errors = tuple(
            e if isinstance(e, type) else load_object(e) for e in settings.getlist("RETRY_EXCEPTIONS")
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    @property
    def stats(self):  # noqa: ANN201 - Scrapy's StatsCollector
        return self.crawler.stats

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).netloc
        delay = self._paused_until.get(host, 0.0) - time.monotonic()
        if delay > 0:
            self.stats.inc_value("ratelimit/paused_requests")
            await asyncio.sleep(delay)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry"):
            return response
        wait = rate_limit_wait(response)
        if response.status == 429 or (response.status == 403 and wait is not None):
            return await self._wait_rate_limit(request, response, wait)
        if wait is not None and response.status < 400:
            # Quota spent by this very response: pause the host before the next request fails.
            self._pause(request, wait)
        if response.status in self.retry_codes:
            return await self._backoff(request, response_status_message(response.status), response)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if isinstance(exception, self.network_errors) and not request.meta.get("dont_retry"):
            return await self._backoff(request, f"{type(exception).__module__}.{type(exception).__name__}")
        return None

    def _pause(self, request: Request, wait: float) -> None:
        host = urlsplit(request.url).netloc
        until = time.monotonic() + min(wait, self.max_wait)
        if until > self._paused_until.get(host, 0.0):
            self._paused_until[host] = until

    async def _wait_rate_limit(self, request: Request, response: Response, wait: float | None) -> Request:
        count = request.meta.get("ratelimit_retries", 0) + 1
        if count > self.max_ratelimit_retries:
            self.stats.inc_value("ratelimit/gave_up")
            logger.error("Rate limited %d times, giving up on %s", count - 1, request.url)
            raise IgnoreRequest(f"rate limited {count - 1} times")
        if wait is None:
            wait = min(self.cap, self.base * 2 ** min(count, 10))
        wait = min(wait, self.max_wait)
        self._pause(request, wait)
        self.stats.inc_value("ratelimit/429")
        self.stats.inc_value("ratelimit/wait_seconds", round(wait, 3))
        logger.info("Rate limited (HTTP %d) on %s: waiting %.0f s", response.status, request.url, wait)
        await asyncio.sleep(wait)
        retry = request.replace(dont_filter=True)
        retry.meta["ratelimit_retries"] = count
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
