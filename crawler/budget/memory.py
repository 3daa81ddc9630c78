"""The in-process budget store of a single node: the sliding window of ``crawler.cluster.scripts.BUDGET_TAKE``
(the cluster's Redis store), held in a dict. The reactor runs one callback at a time, so no lock is needed."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Window:
    quota: int | None = None  # None until a request or a response sets it
    window_ms: int = 0
    grants: deque[float] = field(default_factory=deque)  # grant times (ms), oldest first
    blocked_until: float = 0.0  # ms; set when a response says the quota is spent


class MemoryStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._windows: dict[str, _Window] = {}

    def _now(self) -> float:
        return self.clock() * 1000

    def take(self, name: str, quota: int, window_ms: int, margin_ms: int) -> int:
        now = self._now()
        budget = self._windows.setdefault(name, _Window())
        if budget.quota is None:
            budget.quota, budget.window_ms = quota, window_ms
        if budget.blocked_until > now:
            return math.ceil(budget.blocked_until - now)
        span = budget.window_ms + margin_ms
        grants = budget.grants
        while grants and grants[0] <= now - span:
            grants.popleft()
        if len(grants) < budget.quota:
            grants.append(now)
            return 0
        # the grant whose expiry brings the window under the quota (the quota may have shrunk since)
        return max(1, math.ceil(grants[len(grants) - budget.quota] + span - now))

    def observe(self, name: str, limits: tuple[int, int] | None, block_ms: int | None) -> None:
        budget = self._windows.setdefault(name, _Window())
        if limits is not None:
            budget.quota, budget.window_ms = limits
        if block_ms is not None:
            budget.blocked_until = max(budget.blocked_until, self._now() + block_ms)
