"""GitHub rate limits of the fake: primary quota per (token, bucket) in fixed windows, seeded secondary limits.

Buckets and defaults (authenticated): ``core`` Q per ``--github-rate-window`` seconds (5,000/3,600 s),
``search`` 30/60 s, ``code_search`` 10/60 s, ``graphql`` 5,000 points/3,600 s; anonymous callers share one
identity with ``core`` 60 and ``search`` 10.  Windows start at the first request of an identity; ``reset`` is epoch
seconds.  A 304 answer gives back the unit it took (conditional requests cost no primary quota).
"""

from __future__ import annotations

import math
import random
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Quota:
    limit: int
    window: int


@dataclass
class Take:
    allowed: bool
    limit: int
    remaining: int
    used: int
    reset: int  # epoch seconds
    resource: str

    def headers(self) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(self.reset)),
            ("X-RateLimit-Used", str(self.used)),
            ("X-RateLimit-Resource", self.resource),
        ]


class Limits:
    def __init__(
        self,
        core: int = 5000,
        window: int = 3600,
        search: int = 30,
        code_search: int = 10,
        search_window: int = 60,
        graphql: int = 5000,
        secondary_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.quotas = {
            "core": Quota(core, window),
            "search": Quota(search, search_window),
            "code_search": Quota(code_search, search_window),
            "graphql": Quota(graphql, window),
        }
        self.anonymous = {"core": Quota(min(core, 60), window), "search": Quota(min(search, 10), search_window)}
        self.secondary_rate = secondary_rate
        self._rng = random.Random(f"github-secondary:{seed}")
        self._state: dict[tuple[str, str], tuple[float, int]] = {}  # (identity, bucket) -> (window start, used)
        self._lock = threading.Lock()

    def quota(self, identity: str, bucket: str) -> Quota:
        if identity == "anonymous" and bucket in self.anonymous:
            return self.anonymous[bucket]
        return self.quotas[bucket]

    def _window(self, identity: str, bucket: str, now: float) -> tuple[float, int]:
        quota = self.quota(identity, bucket)
        start, used = self._state.get((identity, bucket), (now, 0))
        if now >= start + quota.window:
            start, used = now, 0
        return start, used

    def take(self, identity: str, bucket: str, cost: int = 1) -> Take:
        """Count ``cost`` units; refused (nothing counted) when the window's quota is spent."""
        now = time.time()
        quota = self.quota(identity, bucket)
        with self._lock:
            start, used = self._window(identity, bucket, now)
            allowed = used + cost <= quota.limit
            if allowed:
                used += cost
            self._state[(identity, bucket)] = (start, used)
        reset = math.ceil(start + quota.window)
        return Take(allowed, quota.limit, max(0, quota.limit - used), used, reset, bucket)

    def give_back(self, identity: str, bucket: str, cost: int = 1) -> Take:
        """Undo a take (the answer was a 304)."""
        now = time.time()
        quota = self.quota(identity, bucket)
        with self._lock:
            start, used = self._window(identity, bucket, now)
            used = max(0, used - cost)
            self._state[(identity, bucket)] = (start, used)
        return Take(True, quota.limit, quota.limit - used, used, math.ceil(start + quota.window), bucket)

    def peek(self, identity: str, bucket: str) -> Take:
        now = time.time()
        quota = self.quota(identity, bucket)
        with self._lock:
            start, used = self._window(identity, bucket, now)
        return Take(True, quota.limit, max(0, quota.limit - used), used, math.ceil(start + quota.window), bucket)

    def secondary(self) -> bool:
        """Seeded draw: is this request answered with a secondary rate limit?"""
        if self.secondary_rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < self.secondary_rate
