"""The Redis client of a node, and the guard that turns "Redis is down" into waiting instead of crashing."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a restarting or unreachable Redis raises; anything else is a bug and propagates.
REDIS_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    ConnectionError,
    TimeoutError,
    OSError,
)


class RedisUnavailable(Exception):
    """Redis cannot be reached right now; the caller keeps its work and tries again later."""


def safe_url(url: str) -> str:
    """``url`` without its password, for log lines."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def redis_client(url: str, timeout: float = 5.0) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
        decode_responses=True,
    )


class RedisGuard:
    """Runs Redis calls; while Redis is unreachable, says so once (then every ``remind`` seconds) and retries at
    most every ``retry`` seconds, raising :class:`RedisUnavailable` in between so callers never spin."""

    def __init__(self, client: redis.Redis, url: str, retry: float = 1.0, remind: float = 30.0) -> None:
        self.client = client
        self.url = safe_url(url)
        self.retry = retry
        self.remind = remind
        self.down_since: float | None = None
        self._next_try = 0.0
        self._next_reminder = 0.0
        self.outages = 0
        self.on_recover: list[Callable[[], None]] = []

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        now = time.monotonic()
        if self.down_since is not None and now < self._next_try:
            raise RedisUnavailable(self.url)
        try:
            result = fn(*args, **kwargs)
        except REDIS_DOWN_ERRORS as exc:
            self._failed(exc)
            raise RedisUnavailable(self.url) from exc
        if self.down_since is not None:
            logger.warning("Redis at %s is back after %.1f s; going on", self.url, now - self.down_since)
            self.down_since = None
            for hook in list(self.on_recover):
                hook()
        return result

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._next_try = now + self.retry
        if self.down_since is None:
            self.down_since = now
            self.outages += 1
            self._next_reminder = now + self.remind
            logger.warning(
                "Redis at %s is unreachable (%s: %s); waiting for it, in-flight work is kept",
                self.url,
                type(exc).__name__,
                exc,
            )
        elif now >= self._next_reminder:
            self._next_reminder = now + self.remind
            logger.warning("Still waiting for Redis at %s (%.0f s so far)", self.url, now - self.down_since)
