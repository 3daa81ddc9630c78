"""Helpers every spider uses: short reasons for failures (spider arguments: crawler/spiderargs.py)."""

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
