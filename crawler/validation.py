"""Value rules every registry's checks share: integer bounds, short reprs for log lines, NUL-free text.

NUL characters are removed from every item (PostgreSQL refuses them in text, SQLite keeps them: removing them
everywhere keeps both databases equal), and no integer may exceed what its column holds. Almost every item has
neither: :func:`plain` tells so in one C pass, and only the others are walked value by value.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from crawler.jsonvalues import orjson  # None when absent: every item is walked

INT32_MAX = 2**31 - 1  # INTEGER columns on PostgreSQL
INT64_MAX = 2**63 - 1  # BIGINT, and SQLite's INTEGER


def short(value: Any) -> str:
    """``repr(value)``, cut for a log line (a 5,000-character id must not flood the log)."""
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:100]}... ({len(text)} characters)"


def plain(item: Any) -> bool:
    """True when no attribute of ``item`` can hold a NUL character or an integer beyond 53 bits, so that
    :func:`clean` and :func:`out_of_range` have nothing to find (a list page: 3 ms instead of their 35 ms).

    orjson writes every NUL as ``\\u0000`` and refuses (TypeError) integers beyond 53 bits, non-string keys, lone
    surrogates and types it does not know; a refusal, or a ``\\u0000`` that was text, only means the walks decide.
    """
    if orjson is None or not hasattr(item, "__dict__"):
        return False
    try:
        text = orjson.dumps(vars(item), option=orjson.OPT_STRICT_INTEGER)
    except TypeError:
        return False
    return b"\\u0000" not in text


def out_of_range(value: Any, path: str = "") -> list[str]:
    """Integers anywhere in an item that no integer column can hold."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [] if -INT64_MAX - 1 <= value <= INT64_MAX else [f"integer out of range at {path or 'item'}"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in out_of_range(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in out_of_range(v, f"{path}[{i}]")]
    return []


def without_nul(value: Any) -> Any:
    """``value`` with every NUL character removed from its strings (dict keys included)."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


def clean(item: Any) -> bool:
    """Removes NUL characters from the item's text, in place; True if there were any (callers skip it for an item
    :func:`plain` vouches for)."""
    changed = False
    for f in dataclasses.fields(item) if dataclasses.is_dataclass(item) else ():
        old = getattr(item, f.name)
        new = without_nul(old)
        if new != old:
            setattr(item, f.name, new)
            changed = True
    return changed
