"""Reading registry JSON defensively: any field may be missing, null or of another type, any body may be broken."""

from __future__ import annotations

import json
import logging
from typing import Any

try:  # a base dependency; without it the standard library decodes the same JSON 3-5 times slower
    import orjson
except ImportError:  # pragma: no cover
    orjson = None  # type: ignore[assignment]

from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# orjson reads integers beyond 64 bits as floats; json keeps them exact. A run of 19+ digits that may be (part of) a
# number sends the body to json: one after a byte a number can follow or continue from. Runs inside strings after
# other bytes are common (a 40-hex-digit sha holds one in about 0.3% of models: most list pages), so the runs are
# found with bytes.translate + find (about 1 ms for a 1 MB list page; a regex scan took 10).
_BEFORE_NUMBER_PART = {b"", *(bytes([c]) for c in b"-+:,[.eE \t\n\r")}
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_RUN = b"0" * 19


def _long_number(body: bytes) -> bool:
    digits = body.translate(_DIGITS_AS_ZERO)
    start = digits.find(_RUN)
    while start != -1:
        if body[start - 1 : start] in _BEFORE_NUMBER_PART:
            return True
        end = start + len(_RUN)
        while digits[end : end + 1] == b"0":  # the rest of this run
            end += 1
        start = digits.find(_RUN, end)
    return False


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
        return loads(response)
    except ValueError as exc:
        stats.inc_value(stat)
        logger.warning("Malformed JSON from %s (%s): %s", response.url, stat, exc)
        return None


def loads(response: TextResponse) -> Any:
    """The body as JSON: orjson on the raw UTF-8 bytes (list pages: 4x faster, and no decoded copy of the body);
    whatever orjson refuses or reads differently (a non-UTF-8 charset, NaN, integers beyond 64 bits, lone
    surrogates ...) goes to ``json.loads`` as before, so the result and the errors are the standard library's."""
    body = response.body
    if orjson is not None and (body.isascii() or response.encoding == "utf-8") and not _long_number(body):
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    return json.loads(response.text)
