"""GitHub on the downloader side: tokens, headers, conditional requests, and rate-limit waits per token+bucket.

``GithubMiddleware`` (before the downloader): for requests under ``GITHUB_API_URL`` only, adds
``Authorization: Bearer <token>`` (rotating over ``GITHUB_TOKENS``, skipping tokens whose bucket is spent),
``Accept``, ``X-GitHub-Api-Version`` and, from ``meta["github_validator"]``, ``If-None-Match`` /
``If-Modified-Since``. Tokens come from the environment, are never put in meta or settings, never logged.

``GithubBackoffMiddleware`` replaces :class:`BackoffRetryMiddleware` and keeps its behaviour for every other host.
For GitHub it pauses per (token, bucket) instead of per host: a primary limit pauses that token's bucket until
``x-ratelimit-reset`` and retries at once with another token when one is free; a secondary limit waits
``Retry-After``, or a minute doubling with every repeat; a response announcing ``remaining: 0`` pauses the bucket
before the next request fails.
"""

from __future__ import annotations

import asyncio
import logging
import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.github.access import ACCEPT, API_VERSION, api_base, bucket_of, is_api_url, tokens_from_env
from crawler.github.ratelimit import ANONYMOUS, QuotaBook, limited, quota
from crawler.middlewares.backoff import BackoffRetryMiddleware

logger = logging.getLogger(__name__)


def quota_book(crawler: Crawler) -> QuotaBook:
    """The crawler's one QuotaBook (created on first use)."""
    book = getattr(crawler, "_github_quota_book", None)
    if book is None:
        book = QuotaBook(len(tokens_from_env()))
        crawler._github_quota_book = book  # type: ignore[attr-defined]
    return book


def _bucket(request: Request, base: str) -> str:
    return request.meta.get("github_bucket") or bucket_of(request.url, base)


class GithubMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.base = api_base(crawler.settings)
        self.book = quota_book(crawler)
        self._headers = [f"Bearer {t}".encode() for t in tokens_from_env()]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GithubMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not is_api_url(request.url, self.base):
            return
        headers = request.headers
        headers[b"Accept"] = ACCEPT.encode()
        headers[b"X-GitHub-Api-Version"] = API_VERSION.encode()
        index = self.book.pick(_bucket(request, self.base)) if self._headers else ANONYMOUS
        request.meta["github_token"] = index
        if index != ANONYMOUS:
            headers[b"Authorization"] = self._headers[index]
        validator = request.meta.get("github_validator") or {}
        if validator.get("etag"):
            headers[b"If-None-Match"] = validator["etag"].encode("latin-1")
        if validator.get("last_modified"):
            headers[b"If-Modified-Since"] = validator["last_modified"].encode("latin-1")


class GithubBackoffMiddleware(BackoffRetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.api_base = api_base(crawler.settings)  # not self.base: that is BACKOFF_BASE (seconds)
        self.book = quota_book(crawler)
        self.secondary_wait = crawler.settings.getfloat("GITHUB_SECONDARY_WAIT", 60.0)

    def _github(self, request: Request) -> bool:
        return is_api_url(request.url, self.api_base)

    def _key(self, request: Request) -> tuple[int, str]:
        return request.meta.get("github_token", ANONYMOUS), _bucket(request, self.api_base)

    async def process_request(self, request: Request) -> None:
        if not self._github(request):
            return await super().process_request(request)
        delay = self.book.delay(*self._key(request))
        if delay > 0:
            self.stats.inc_value("github/ratelimit/paused_requests")
            await asyncio.sleep(min(delay, self.max_wait))

    def _pause(self, request: Request, wait: float) -> None:
        if not self._github(request):
            return super()._pause(request, wait)
        token, bucket = self._key(request)
        self.book.pause(token, bucket, min(wait, self.max_wait))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if not self._github(request):
            return await super().process_response(request, response)
        if request.meta.get("dont_retry"):
            return response
        hit = limited(response)
        token, bucket = self._key(request)
        if hit is not None:
            bucket = _known_bucket(hit.resource) or bucket
            return await self._github_limit(request, response, hit.kind, hit.wait, token, bucket)
        q = quota(response)
        if q is not None and q.remaining == 0 and q.reset is not None:
            # This response spent the last unit: pause before the next request fails.
            self.book.pause(token, _known_bucket(q.resource) or bucket, max(0.0, q.reset - _now()) + 1.0)
        if response.status in self.retry_codes:
            return await self._backoff(request, f"github {response.status}", response)
        return response

    async def _github_limit(
        self, request: Request, response: Response, kind: str, wait: float | None, token: int, bucket: str
    ) -> Request:
        count = request.meta.get("ratelimit_retries", 0) + 1
        if count > self.max_ratelimit_retries:
            self.stats.inc_value("github/ratelimit/gave_up")
            logger.error("GitHub rate limit hit %d times, giving up on %s", count - 1, request.url)
            raise IgnoreRequest(f"rate limited {count - 1} times")
        if wait is None:
            wait = self.secondary_wait * 2 ** min(request.meta.get("secondary_retries", 0), 6)
        wait = min(wait, self.max_wait)
        self.stats.inc_value(f"github/ratelimit/{kind}")
        self.stats.inc_value(f"github/ratelimit/{kind}/{bucket}")
        self.book.pause(token, bucket, wait)
        retry = request.replace(dont_filter=True)
        retry.meta["ratelimit_retries"] = count
        if kind == "secondary":
            retry.meta["secondary_retries"] = request.meta.get("secondary_retries", 0) + 1
        if kind == "primary" and self.book.any_free(bucket, besides=token):
            self.stats.inc_value("github/ratelimit/token_rotated")
            logger.info(
                "GitHub %s quota of token #%d spent: retrying %s with another token", bucket, token, request.url
            )
            return retry
        self.stats.inc_value("github/ratelimit/wait_seconds", round(wait, 3))
        logger.info(
            "GitHub %s rate limit (HTTP %d, %s bucket) on %s: waiting %.0f s",
            kind,
            response.status,
            bucket,
            request.url,
            wait,
        )
        await asyncio.sleep(wait)
        return retry


def _known_bucket(resource: str | None) -> str | None:
    return resource if resource in ("core", "search", "code_search", "graphql") else None


def _now() -> float:
    return time.time()
