"""GitHub on the downloader side: tokens, headers, conditional requests, and rate-limit waits per token+bucket.

``GithubMiddleware`` (before the downloader): for requests under ``GITHUB_API_URL`` only, adds
``Authorization: Bearer <token>`` (rotating over ``GITHUB_TOKENS``, skipping tokens whose bucket is spent),
``Accept``, ``X-GitHub-Api-Version`` and, from ``meta["github_validator"]``, ``If-None-Match`` /
``If-Modified-Since``. Tokens come from the environment, are never put in meta or settings, never logged.

``GithubRateLimitPolicy`` is what :class:`~crawler.middlewares.backoff.BackoffRetryMiddleware` consults for
GitHub API requests (setting ``RATELIMIT_POLICIES``): it pauses per (token, bucket) instead of per host. A primary
limit pauses that token's bucket until ``x-ratelimit-reset`` and retries at once with another token when one is
free; a secondary limit waits ``Retry-After``, or a minute doubling with every repeat; a response announcing
``remaining: 0`` pauses the bucket before the next request fails.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.github.access import ACCEPT, API_VERSION, is_api_url, tokens_from_env
from crawler.github.limits import ANONYMOUS, PUBLISHED, QuotaBook, api_base, bucket_of, limited, quota
from crawler.limits import Limited, until_back


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


class GithubRateLimitPolicy:
    """GitHub's rate limits for :class:`BackoffRetryMiddleware` (setting ``RATELIMIT_POLICIES``): per token+bucket."""

    stats_prefix = "github/ratelimit/"

    def __init__(self, crawler: Crawler) -> None:
        self.api_base = api_base(crawler.settings)
        self.book = quota_book(crawler)
        self.secondary_wait = crawler.settings.getfloat("GITHUB_SECONDARY_WAIT")
        self.max_wait = crawler.settings.getfloat("RATELIMIT_MAX_WAIT")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GithubRateLimitPolicy:
        return cls(crawler)

    def handles(self, request: Request) -> bool:
        return is_api_url(request.url, self.api_base)

    def _key(self, request: Request) -> tuple[int, str]:
        return request.meta.get("github_token", ANONYMOUS), _bucket(request, self.api_base)

    def delay(self, request: Request) -> float:
        return self.book.delay(*self._key(request))

    def limited(self, request: Request, response: Response) -> Limited | None:
        hit = limited(response)
        if hit is None:
            return None
        return Limited(hit.kind, hit.wait, _known_bucket(hit.resource) or self._key(request)[1])

    def observe(self, request: Request, response: Response) -> None:
        q = quota(response)
        if q is not None and q.spent:
            # This response spent the last unit: pause before the next request fails.
            token, bucket = self._key(request)
            self.book.pause(token, _known_bucket(q.resource) or bucket, min(until_back(q), self.max_wait))

    def hold(self, request: Request, hit: Limited, wait: float) -> bool:
        token = self._key(request)[0]
        bucket = hit.resource or self._key(request)[1]
        self.book.pause(token, bucket, wait)
        return hit.kind == "primary" and self.book.any_free(bucket, besides=token)

    def backoff(self, request: Request, count: int) -> float:
        return self.secondary_wait * 2 ** min(request.meta.get("secondary_retries", 0), 6)

    def retry(self, retry: Request, hit: Limited) -> None:
        if hit.kind == "secondary":
            retry.meta["secondary_retries"] = retry.meta.get("secondary_retries", 0) + 1

    def hit_stats(self, hit: Limited) -> list[str]:
        return [hit.kind, f"{hit.kind}/{hit.resource}"]

    def describe(self, hit: Limited, response: Response) -> str:
        return f"GitHub {hit.kind} rate limit (HTTP {response.status}, {hit.resource} bucket)"


def _known_bucket(resource: str | None) -> str | None:
    return resource if resource in PUBLISHED else None
