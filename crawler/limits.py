"""The model of a registry's rate limits, shared by the backoff middleware and the rate budgets.

Every registry declares one :class:`RegistryLimits` in ``crawler/<registry>/limits.py``: which URLs are its API,
which bucket a request spends, what a response says about the quota (its headers, read in that one place), and
the published limits a crawl starts from. ``crawler.registries`` lists them; nothing else names a registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from scrapy.http import Response

DEFAULT_WINDOW = 3600.0  # seconds, for a bucket without a published window


@dataclass(frozen=True)
class Quota:
    """What one response says about the quota of its bucket (None where it does not say)."""

    resource: str | None  # the bucket the response names (HF ``RateLimit`` name, GitHub ``x-ratelimit-resource``)
    limit: int | None
    remaining: int | None
    reset: float | None  # seconds from the response until the quota is back
    window: float | None = None  # seconds the limit counts over

    @property
    def spent(self) -> bool:
        return self.remaining == 0 and self.reset is not None


@dataclass(frozen=True)
class Limited:
    """A rate-limit answer: ``kind`` names it (stats), ``wait`` in seconds (None: back off), ``resource`` its bucket."""

    kind: str
    wait: float | None
    resource: str | None


@dataclass(frozen=True)
class RegistryLimits:
    """One registry's limits: URL -> bucket, header parsing, published limits."""

    registry: str
    api_base: Callable[[Any], str]  # settings -> base URL of the registry's API (may carry a path)
    bucket_of_path: Callable[[str], str]  # path below the base -> bucket
    quota: Callable[[Response], Quota | None]  # the response's quota headers, None when it has none
    # bucket -> {"anonymous" | "token": (quota, window seconds)}
    published: Mapping[str, Mapping[str, tuple[int, float]]]

    def window(self, bucket: str) -> float:
        return self.published.get(bucket, {}).get("token", (0, DEFAULT_WINDOW))[1]


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def retry_after(response: Response) -> float | None:
    """``Retry-After`` in seconds; None when absent or in the HTTP-date form (the caller backs off, as
    huggingface_hub does)."""
    value = header(response, "Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def until_back(quota: Quota) -> float:
    """Seconds to wait for a spent quota: until its reset, plus a second for clock granularity."""
    return max(0.0, quota.reset or 0.0) + 1.0
