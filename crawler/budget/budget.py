"""One rate budget per registry, bucket and token: a sliding window of at most ``quota`` grants in any
``window + RATE_BUDGET_MARGIN`` seconds, held by a :class:`BudgetStore` (in-process on a single node, in Redis
shared by every node of a cluster).

Because the registries count fixed windows, a sliding window of the same size never exceeds them, and in steady
state it grants the whole quota: a node under a tight quota spreads its requests instead of firing every queued
one at the window's reset. Limits start from the published ones (or ``RATE_BUDGET_LIMITS``) and follow what the
registries report, read by each registry's ``crawler/<registry>/limits.py`` (the budget names no registry):

* a reported quota and window (HF ``RateLimit-Policy``) set the budget's limits; a reported quota without a window
  (GitHub ``x-ratelimit-limit``) gets the longest reset seen so far as its window (at most the published one);
* a spent quota (HF ``RateLimit: "api";r=0;t=42``, GitHub ``x-ratelimit-remaining: 0``) blocks the budget until
  the reset;
* any 429 or ``Retry-After`` blocks it for the time given.

A block lasts at most ``RATELIMIT_MAX_WAIT``, the longest the backoff middleware waits on one rate-limit answer.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from typing import Protocol

from scrapy import Request
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.limits import RegistryLimits, retry_after
from crawler.registries import Classifier

logger = logging.getLogger(__name__)

# A bucket a registry publishes no limits for starts from these (then follows its headers).
UNPUBLISHED = {"anonymous": (100, 60.0), "token": (100, 60.0)}


class BudgetStore(Protocol):
    """Where budgets live. ``name`` is ``<registry>:<bucket>:<token hash | anonymous>``."""

    def take(self, name: str, quota: int, window_ms: int, margin_ms: int) -> int:
        """One grant from budget ``name`` (created with ``quota`` per ``window_ms`` when new): 0 when granted,
        else the milliseconds to wait before asking again."""
        ...

    def observe(self, name: str, limits: tuple[int, int] | None, block_ms: int | None) -> None:
        """Set the budget's (quota, window ms) and/or block it for ``block_ms`` from now."""
        ...


@dataclass(frozen=True)
class Reading:
    """What one response says about its budget."""

    bucket: str  # the bucket the response names, else the one its URL spends
    limits: tuple[int, int] | None  # (quota, window ms) reported
    block_ms: int | None  # the quota is spent for this long


def budget_name(registry: str, bucket: str, credential: str | None) -> str:
    """Per registry, bucket and token; the token itself is never part of the name (it reaches Redis)."""
    who = hashlib.sha256(credential.encode()).hexdigest()[:16] if credential else "anonymous"
    return f"{registry}:{bucket}:{who}"


class RateBudget:
    def __init__(self, store: BudgetStore, settings: BaseSettings) -> None:
        self.store = store
        self.margin_ms = int(settings.getfloat("RATE_BUDGET_MARGIN") * 1000)
        # as the backoff middleware: never held longer than this by one rate-limit answer
        self.max_block_ms = int(settings.getfloat("RATELIMIT_MAX_WAIT") * 1000)
        self.classifier = Classifier(settings)
        self.overrides = {
            tuple(name.split("/", 1)): (int(v[0]), float(v[1]))
            for name, v in settings.getdict("RATE_BUDGET_LIMITS").items()
        }
        self._known: dict[str, tuple[int, int]] = {}  # budget name -> last (quota, window ms) written
        self._longest_reset: dict[str, int] = {}  # budget name -> longest reset (ms) a response reported
        self._applied: set[str] = set()

    def name(self, registry: str, bucket: str, request: Request) -> str:
        credential = request.headers.get(b"Authorization")
        return budget_name(registry, bucket, credential.decode("latin-1") if credential else None)

    def limits(self, registry: RegistryLimits, bucket: str, request: Request) -> tuple[int, float]:
        """(quota, window seconds) a budget starts from: ``RATE_BUDGET_LIMITS``, else the published limits."""
        override = self.overrides.get((registry.registry, bucket))
        if override:
            return override
        published = registry.published.get(bucket) or UNPUBLISHED
        return published["token" if request.headers.get(b"Authorization") else "anonymous"]

    def take(self, request: Request) -> float:
        """0 when the request may go now, else seconds to wait before asking again."""
        found = self.classifier.limits_of(request.url)
        if found is None:
            return 0.0
        registry, bucket = found
        quota, window = self.limits(registry, bucket, request)
        if quota <= 0:
            return 0.0  # nothing allowed (GitHub's anonymous GraphQL): the registry's own refusal says why
        name = self.name(registry.registry, bucket, request)
        if name not in self._applied and (registry.registry, bucket) in self.overrides:
            self.store.observe(name, (quota, int(window * 1000)), None)  # configured limits win over learned ones
        self._applied.add(name)
        return self.store.take(name, quota, int(window * 1000), self.margin_ms) / 1000

    def observe(self, request: Request, response: Response) -> None:
        """Feed what the response says about the quota into the budget."""
        found = self.classifier.limits_of(request.url)
        if found is None:
            return
        registry, bucket = found
        reading = self.read(registry, bucket, request, response)
        name = self.name(registry.registry, reading.bucket, request)
        learned = reading.limits
        if (registry.registry, reading.bucket) in self.overrides or self._known.get(name) == learned:
            learned = None  # an explicit setting is not overridden by headers; nothing new to write
        if learned is None and reading.block_ms is None:
            return
        if learned is not None:
            if name in self._known:
                logger.info(
                    "Rate budget %s/%s: the registry reports %s per %s ms", registry.registry, reading.bucket, *learned
                )
            self._known[name] = learned
        self.store.observe(name, learned, reading.block_ms)
        if reading.block_ms is not None:
            logger.info(
                "Rate budget %s/%s spent (HTTP %d): its requests wait %.0f s",
                registry.registry,
                reading.bucket,
                response.status,
                reading.block_ms / 1000,
            )

    def read(self, registry: RegistryLimits, bucket: str, request: Request, response: Response) -> Reading:
        """The response's quota headers as a :class:`Reading` (a 429 or ``Retry-After`` blocks the bucket)."""
        q = registry.quota(response)
        resource = q.resource if q is not None and q.resource in registry.published else None
        bucket = resource or bucket
        limits = block_ms = None
        if q is not None and q.reset is not None:
            name = self.name(registry.registry, bucket, request)
            reset_ms = math.ceil(q.reset) * 1000
            self._longest_reset[name] = max(self._longest_reset.get(name, 0), reset_ms)
        if q is not None and q.limit is not None and q.limit > 0:
            window_ms = int(q.window * 1000) if q.window else self._window_without_policy(registry, bucket, request)
            limits = (q.limit, window_ms)
        # a second more than the reset, for its granularity
        until_reset = max(1000, int(q.reset * 1000) + 1000) if q is not None and q.reset is not None else None
        if q is not None and q.remaining == 0:
            block_ms = until_reset
        after = retry_after(response)
        if response.status == 429 or (after is not None and response.status in (403, 429)):
            block_ms = int(after * 1000) if after is not None else until_reset or 1000
        return Reading(bucket, limits, None if block_ms is None else min(block_ms, self.max_block_ms))

    def _window_without_policy(self, registry: RegistryLimits, bucket: str, request: Request) -> int:
        """A quota reported without its window (GitHub) counts over the longest reset seen, capped by the
        published window: a fixed window never resets later than its length."""
        published_ms = int(registry.window(bucket) * 1000)
        longest = self._longest_reset.get(self.name(registry.registry, bucket, request))
        return min(published_ms, longest) if longest else published_ms
