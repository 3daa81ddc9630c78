"""Helpers every spider uses: spider arguments (``-a name=value``) and short reasons for failures."""

from __future__ import annotations

from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


def failure_reason(failure: Failure) -> str:
    """A short, token-free reason for stats and logs: the HTTP status (with the Hub's ``X-Error-Code`` when it
    sends one), or the exception name."""
    if failure.check(HttpError):
        response = failure.value.response
        code = response.headers.get(b"X-Error-Code")
        return f"{response.status}" + (f"/{code.decode('latin-1')}" if code else "")
    return type(failure.value).__name__


def flag(value: str | None, default: bool) -> bool:
    """A yes/no spider argument: ``0``, ``false``, ``no``, ``off`` and empty are no; absent is ``default``."""
    if value is None:
        return default
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def csv(value: str | None, sep: str = ",") -> list[str]:
    """A list spider argument: stripped, non-empty entries."""
    return [v.strip() for v in (value or "").split(sep) if v.strip()]
