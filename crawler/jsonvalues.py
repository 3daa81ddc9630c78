"""Reading registry JSON defensively: any field may be missing, null or of another type, any body may be broken."""

from __future__ import annotations

import json
import logging
from typing import Any

from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def as_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def json_body(response: Response, stats: StatsCollector, stat: str) -> Any:
    """The body as JSON, or None when it is not JSON (logged, and counted under ``stat``)."""
    try:
        if not isinstance(response, TextResponse):
            raise ValueError("not a text response")
        return json.loads(response.text)
    except ValueError as exc:
        stats.inc_value(stat)
        logger.warning("Malformed JSON from %s (%s): %s", response.url, stat, exc)
        return None
