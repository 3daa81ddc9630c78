"""Hugging Face Hub rate limits: buckets by URL, the IETF ``RateLimit`` / ``RateLimit-Policy`` headers, published
limits (huggingface/hub-docs docs/hub/rate-limits.md, free plan).

``RateLimit: "api";r=<remaining>;t=<seconds until reset>`` (only ``r=0`` means spent) and
``RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window seconds>``.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import Response

from crawler.constants import HF_PUBLIC_URL
from crawler.limits import Quota, RegistryLimits, header

_RATELIMIT = re.compile(r'"?([\w-]+)"?\s*;\s*r\s*=\s*(\d+)\s*;\s*t\s*=\s*(\d+)')
_POLICY_Q = re.compile(r"\bq\s*=\s*(\d+)")
_POLICY_W = re.compile(r"\bw\s*=\s*(\d+)")

PUBLISHED = {
    "api": {"anonymous": (500, 300.0), "token": (1000, 300.0)},
    "resolvers": {"anonymous": (3000, 300.0), "token": (5000, 300.0)},
    "pages": {"anonymous": (100, 300.0), "token": (200, 300.0)},
}


def api_base(settings: Any) -> str:
    return (settings.get("HF_ENDPOINT") or HF_PUBLIC_URL).rstrip("/")


def bucket_of_path(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if "/resolve/" in path:
        return "resolvers"
    return "pages"


def quota(response: Response) -> Quota | None:
    limit = window = remaining = reset = None
    resource = None
    policy = header(response, "RateLimit-Policy")
    if policy:
        q, w = _POLICY_Q.search(policy), _POLICY_W.search(policy)
        if q and w:
            limit, window = int(q.group(1)), float(w.group(1))
    value = header(response, "RateLimit")
    match = _RATELIMIT.search(value) if value else None
    if match:
        resource, remaining, reset = match.group(1), int(match.group(2)), float(match.group(3))
    if limit is None and match is None:
        return None
    return Quota(resource=resource, limit=limit, remaining=remaining, reset=reset, window=window)


LIMITS = RegistryLimits("hf", api_base, bucket_of_path, quota, PUBLISHED)
