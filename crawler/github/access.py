"""Requests to the GitHub API, built the same way by every spider.

A spider builds its requests with :func:`api_request` / :func:`graphql_request`; the downloader middleware
(:mod:`crawler.middlewares.github`) then adds the token, the required headers and the conditional headers.
Requests stay JSON-serialisable (JOBDIR, scrapy-redis): meta carries the bucket and validators, never a token.

Meta keys understood by the middlewares:

* ``github_bucket``: ``core`` | ``search`` | ``code_search`` | ``graphql`` (rate-limit bucket; derived from the URL
  when absent);
* ``github_validator``: ``{"etag": ..., "last_modified": ...}`` to send ``If-None-Match`` / ``If-Modified-Since``;
  the spider must then accept 304 (``handle_httpstatus_list`` is set by :func:`api_request`);
* ``github_token``: index of the token used (set by the middleware; never the token itself).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

import scrapy

from crawler.github.limits import bucket_of

API_VERSION = "2022-11-28"
ACCEPT = "application/vnd.github+json"


def tokens_from_env(env: Mapping[str, str] | None = None) -> list[str]:
    """``GITHUB_TOKENS`` (comma separated, rotated) or ``GITHUB_TOKEN``; empty when anonymous."""
    env = os.environ if env is None else env
    many = [t.strip() for t in (env.get("GITHUB_TOKENS") or "").split(",") if t.strip()]
    if many:
        return many
    one = (env.get("GITHUB_TOKEN") or "").strip()
    return [one] if one else []


def is_api_url(url: str, base: str) -> bool:
    """True for URLs under the API base (the base may carry a path prefix, e.g. ``http://127.0.0.1:8000/gh``)."""
    return url == base or url.startswith(base + "/") or url.startswith(base + "?")


def repo_url(base: str, full_name: str, tail: str = "") -> str:
    return f"{base}/repos/{full_name}{tail}"


def api_request(
    url: str,
    callback: Callable[..., Any],
    errback: Callable[..., Any] | None = None,
    *,
    base: str,
    validator: dict[str, str | None] | None = None,
    meta: dict[str, Any] | None = None,
    priority: int = 0,
) -> scrapy.Request:
    """A REST GET; with ``validator`` it becomes a conditional request whose 304 reaches ``callback``."""
    full_meta: dict[str, Any] = {"github_bucket": bucket_of(url, base), **(meta or {})}
    if validator and (validator.get("etag") or validator.get("last_modified")):
        full_meta["github_validator"] = {k: v for k, v in validator.items() if v}
        full_meta["handle_httpstatus_list"] = sorted({*full_meta.get("handle_httpstatus_list", []), 304})
    return scrapy.Request(url, callback=callback, errback=errback, meta=full_meta, priority=priority, dont_filter=True)


def graphql_request(
    query: str,
    variables: dict[str, Any],
    callback: Callable[..., Any],
    errback: Callable[..., Any] | None = None,
    *,
    base: str,
    meta: dict[str, Any] | None = None,
    priority: int = 0,
) -> scrapy.Request:
    """A GraphQL POST to ``<base>/graphql`` (the API base of GitHub Enterprise and of the fake alike)."""
    return scrapy.Request(
        f"{base}/graphql",
        method="POST",
        body=json.dumps({"query": query, "variables": variables}),
        headers={"Content-Type": "application/json"},
        callback=callback,
        errback=errback,
        meta={"github_bucket": "graphql", **(meta or {})},
        priority=priority,
        dont_filter=True,
    )
