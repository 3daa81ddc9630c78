"""Requests as JSON for the shared queue (never pickle: whatever sits in Redis is data, not code).

``Request.to_dict`` gives callbacks and errbacks as spider method names; headers and body are bytes, stored as
latin-1 text (lossless), credential headers dropped. ``meta`` and ``cb_kwargs`` must be JSON-safe already: a
request that is not is refused with an error naming the offending key, so the spider gets fixed.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy import Request, Spider
from scrapy.utils.request import request_from_dict

# Credentials never go to Redis: the auth middlewares add them again when the request is downloaded.
from crawler.squeues import SECRET_HEADERS


class NotJsonSafe(TypeError):
    pass


def _where(value: Any, path: str) -> str | None:
    """The path of the first value in ``value`` that JSON cannot hold, or None."""
    if value is None or isinstance(value, str | bool | int):
        return None
    if isinstance(value, float):
        return None if value == value and value not in (float("inf"), float("-inf")) else path
    if isinstance(value, list):
        for i, v in enumerate(value):
            if (bad := _where(v, f"{path}[{i}]")) is not None:
                return bad
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"{path}[{k!r}] (key)"
            if (bad := _where(v, f"{path}[{k!r}]")) is not None:
                return bad
        return None
    return f"{path} ({type(value).__name__})"


def request_to_json(request: Request, spider: Spider) -> str:
    data = request.to_dict(spider=spider)
    for part in ("meta", "cb_kwargs"):
        bad = _where(data.get(part) or {}, part)
        if bad is not None:
            raise NotJsonSafe(f"{request.url}: {bad} is not JSON-safe; cluster mode stores requests as JSON")
    data["headers"] = {
        k.decode("latin-1"): [v.decode("latin-1") for v in values]
        for k, values in data["headers"].items()
        if k.lower() not in SECRET_HEADERS
    }
    data["body"] = data["body"].decode("latin-1")
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def request_from_json(text: str, spider: Spider) -> Request:
    data = json.loads(text)
    cls = data.get("_class")
    if cls is not None and not str(cls).startswith("scrapy."):
        raise ValueError(f"refusing request class {cls!r} from the queue (only scrapy.* classes are loaded)")
    data["headers"] = {k.encode("latin-1"): [v.encode("latin-1") for v in vs] for k, vs in data["headers"].items()}
    data["body"] = data["body"].encode("latin-1")
    return request_from_dict(data, spider=spider)
