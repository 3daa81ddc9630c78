"""Helpers every spider uses: the request and a short reason of a failure (spider arguments: crawler/spiderargs.py)."""

from __future__ import annotations

from scrapy.http import Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


def failed_request(failure: Failure) -> Request:
    """The request an errback's ``failure`` is about."""
    # Scrapy sets ``request`` on the failure it hands an errback; Twisted's Failure does not declare it.
    return failure.request  # type: ignore[attr-defined]


def http_error(failure: Failure) -> tuple[int | None, str | None]:
    """(HTTP status, the Hub's ``X-Error-Code`` or None) of a failed request; (None, the exception's name) when no
    response came."""
    if failure.check(HttpError):
        response = failure.value.response
        code = response.headers.get(b"X-Error-Code")
        return response.status, code.decode("latin-1") if code else None
    return None, type(failure.value).__name__


def failure_reason(failure: Failure) -> str:
    """A short, token-free reason for stats and logs: the HTTP status (with the Hub's ``X-Error-Code`` when it
    sends one), or the exception name."""
    status, code = http_error(failure)
    if status is None:
        return str(code)
    return f"{status}" + (f"/{code}" if code else "")
