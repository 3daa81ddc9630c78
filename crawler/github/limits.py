"""GitHub rate limits: what a response says about the quota, and which token may send next per bucket.

Signals (reference/api-shapes.md §3.7): primary limit = 403 or 429 with ``x-ratelimit-remaining: 0`` (wait until
``x-ratelimit-reset``, epoch seconds), per token and bucket (``x-ratelimit-resource``); secondary limit = 403/429
with ``Retry-After`` and usually no x-ratelimit headers, or only a message (wait a minute, then back off
exponentially). GraphQL may also answer 200 with an ``errors`` entry of type ``RATE_LIMITED``.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler.constants import GITHUB_PUBLIC_API_URL
from crawler.limits import Limited, Quota, RegistryLimits, header, retry_after, until_back

ANONYMOUS = -1  # token index of requests sent without a token

_SECONDARY_MARKERS = (
    "secondary rate limit",
    "abuse detection",
    "please retry your request again later",
    "please wait a few minutes before you try again",
)


# REST rate limit docs: bucket -> {"anonymous" | "token": (quota, window seconds)}.
PUBLISHED = {
    "core": {"anonymous": (60, 3600.0), "token": (5000, 3600.0)},
    "search": {"anonymous": (10, 60.0), "token": (30, 60.0)},
    "code_search": {"anonymous": (10, 60.0), "token": (10, 60.0)},
    "graphql": {"anonymous": (0, 3600.0), "token": (5000, 3600.0)},
}


def api_base(settings: Any = None) -> str:
    """The API base URL: setting ``GITHUB_API_URL``, else env ``GITHUB_API_URL``, else api.github.com (no slash)."""
    value = (settings.get("GITHUB_API_URL") if settings is not None else None) or os.environ.get("GITHUB_API_URL")
    return (value or GITHUB_PUBLIC_API_URL).rstrip("/")


def bucket_of(url: str, base: str) -> str:
    """The rate-limit bucket a request to ``url`` spends."""
    return bucket_of_path(urlsplit(url).path[len(urlsplit(base).path) :])


def bucket_of_path(path: str) -> str:
    """The rate-limit bucket of an API path (relative to the API base)."""
    if path.startswith("/search/code"):
        return "code_search"
    if path.startswith("/search/"):
        return "search"
    if path.startswith("/graphql"):
        return "graphql"
    return "core"


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def quota(response: Response, now: float | None = None) -> Quota | None:
    """The quota a response reports, or None when it carries no x-ratelimit headers (e.g. a secondary limit).

    ``x-ratelimit-reset`` is in epoch seconds; ``Quota.reset`` counts from ``now`` (default: the clock)."""
    remaining = _int(header(response, "x-ratelimit-remaining"))
    reset = _int(header(response, "x-ratelimit-reset"))
    if remaining is None and reset is None:
        return None
    now = time.time() if now is None else now
    return Quota(
        resource=header(response, "x-ratelimit-resource"),
        limit=_int(header(response, "x-ratelimit-limit")),
        remaining=remaining,
        reset=max(0.0, reset - now) if reset is not None else None,
    )


def _message(response: Response) -> str:
    try:
        body = json.loads(response.body or b"{}")
    except ValueError:
        return ""
    if isinstance(body, dict):
        parts = [str(body.get("message") or "")]
        errors = body.get("errors")
        if isinstance(errors, list):
            parts += [f"{e.get('type', '')} {e.get('message', '')}" for e in errors if isinstance(e, dict)]
        return " ".join(parts).lower()
    return ""


def limited(response: Response, now: float | None = None) -> Limited | None:
    """Whether ``response`` is a rate-limit answer, and how long to wait (None: not a rate limit)."""
    q = quota(response, now)
    resource = q.resource if q else None
    after = retry_after(response)
    if response.status in (403, 429):
        if after is not None:
            kind = "primary" if q is not None and q.remaining == 0 else "secondary"
            return Limited(kind, after, resource)
        if q is not None and q.remaining == 0:
            return Limited("primary", _until(q), resource)
        message = _message(response)
        if any(marker in message for marker in _SECONDARY_MARKERS):
            return Limited("secondary", None, resource)
        if "rate limit" in message:
            return Limited("primary", _until(q) if q else None, resource)
        if response.status == 429:
            return Limited("secondary", None, resource)
        return None
    if response.status == 200 and q is not None and q.remaining == 0 and b"RATE_LIMITED" in (response.body or b""):
        return Limited("primary", _until(q), resource)
    return None


def _until(q: Quota | None) -> float | None:
    return until_back(q) if q is not None and q.reset is not None else None


class QuotaBook:
    """Per (token index, bucket): until when (monotonic seconds) it must not send. Shared by the middlewares."""

    def __init__(self, token_count: int) -> None:
        self.indexes = list(range(token_count)) or [ANONYMOUS]
        self._paused: dict[tuple[int, str], float] = {}
        self._next = 0

    def pause(self, token: int, bucket: str, seconds: float) -> None:
        until = time.monotonic() + max(0.0, seconds)
        key = (token, bucket)
        if until > self._paused.get(key, 0.0):
            self._paused[key] = until

    def delay(self, token: int, bucket: str) -> float:
        """Seconds until ``token`` may send in ``bucket`` again (0: now)."""
        return max(0.0, self._paused.get((token, bucket), 0.0) - time.monotonic())

    def pick(self, bucket: str) -> int:
        """The token to send with: round robin over the free ones, else the one free soonest."""
        count = len(self.indexes)
        for step in range(count):
            index = self.indexes[(self._next + step) % count]
            if self.delay(index, bucket) == 0:
                self._next = (self._next + step + 1) % count
                return index
        return min(self.indexes, key=lambda i: self.delay(i, bucket))

    def any_free(self, bucket: str, besides: int) -> bool:
        return any(self.delay(i, bucket) == 0 for i in self.indexes if i != besides)


LIMITS = RegistryLimits("github", api_base, bucket_of_path, quota, PUBLISHED)
