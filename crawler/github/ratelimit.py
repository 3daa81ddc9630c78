"""GitHub rate limits: what a response says about the quota, and which token may send next per bucket.

Signals (reference/api-shapes.md §3.7): primary limit = 403 or 429 with ``x-ratelimit-remaining: 0`` (wait until
``x-ratelimit-reset``, epoch seconds), per token and bucket (``x-ratelimit-resource``); secondary limit = 403/429
with ``Retry-After`` and usually no x-ratelimit headers, or only a message (wait a minute, then back off
exponentially). GraphQL may also answer 200 with an ``errors`` entry of type ``RATE_LIMITED``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from scrapy.http import Response

ANONYMOUS = -1  # token index of requests sent without a token

_SECONDARY_MARKERS = (
    "secondary rate limit",
    "abuse detection",
    "please retry your request again later",
    "please wait a few minutes before you try again",
)


@dataclass(frozen=True)
class Quota:
    """The x-ratelimit-* headers of one response."""

    resource: str | None
    limit: int | None
    remaining: int | None
    reset: float | None  # epoch seconds


@dataclass(frozen=True)
class Limited:
    """A rate-limit answer: ``kind`` is primary or secondary; ``wait`` in seconds, None = choose a backoff."""

    kind: str
    wait: float | None
    resource: str | None


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def quota(response: Response) -> Quota | None:
    """The quota a response reports, or None when it carries no x-ratelimit headers (e.g. a secondary limit)."""
    remaining = _int(_header(response, "x-ratelimit-remaining"))
    reset = _int(_header(response, "x-ratelimit-reset"))
    if remaining is None and reset is None:
        return None
    return Quota(
        resource=_header(response, "x-ratelimit-resource"),
        limit=_int(_header(response, "x-ratelimit-limit")),
        remaining=remaining,
        reset=float(reset) if reset is not None else None,
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


def retry_after(response: Response) -> float | None:
    value = _header(response, "Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # the HTTP-date form: let the caller back off


def limited(response: Response, now: float | None = None) -> Limited | None:
    """Whether ``response`` is a rate-limit answer, and how long to wait (None: not a rate limit)."""
    now = time.time() if now is None else now
    q = quota(response)
    resource = q.resource if q else None
    after = retry_after(response)
    if response.status in (403, 429):
        if after is not None:
            kind = "primary" if q is not None and q.remaining == 0 else "secondary"
            return Limited(kind, after, resource)
        if q is not None and q.remaining == 0:
            return Limited("primary", _until(q, now), resource)
        message = _message(response)
        if any(marker in message for marker in _SECONDARY_MARKERS):
            return Limited("secondary", None, resource)
        if "rate limit" in message:
            return Limited("primary", _until(q, now) if q else None, resource)
        if response.status == 429:
            return Limited("secondary", None, resource)
        return None
    if response.status == 200 and q is not None and q.remaining == 0 and b"RATE_LIMITED" in (response.body or b""):
        return Limited("primary", _until(q, now), resource)
    return None


def _until(q: Quota | None, now: float) -> float | None:
    if q is None or q.reset is None:
        return None
    return max(0.0, q.reset - now) + 1.0


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
