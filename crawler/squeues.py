"""JOBDIR disk queues that never write credentials.

A request queued again after a failure (a retry, a redirect) still carries the ``Authorization`` header the auth
middlewares added when it was first downloaded; Scrapy's disk queues would pickle it into ``JOBDIR/requests.queue``.
These queues drop credential headers on the way to disk; the auth middlewares add them again at download time.
The cluster's Redis queue drops the same headers (crawler/cluster/serialize.py).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.squeues import PickleFifoDiskQueue, PickleLifoDiskQueue

SECRET_HEADERS = {b"authorization", b"proxy-authorization", b"cookie"}


def without_credentials(request: Request) -> Request:
    """``request`` itself when it carries no credential header, else a copy without them."""
    secret = [k for k in request.headers if k.lower() in SECRET_HEADERS]
    if not secret:
        return request
    headers = request.headers.copy()
    for key in secret:
        del headers[key]
    return request.replace(headers=headers)


class CredentialFreeLifoDiskQueue(PickleLifoDiskQueue):  # type: ignore[valid-type,misc]  # a class made by a factory
    def push(self, request: Request) -> None:
        super().push(without_credentials(request))


class CredentialFreeFifoDiskQueue(PickleFifoDiskQueue):  # type: ignore[valid-type,misc]
    def push(self, request: Request) -> None:
        super().push(without_credentials(request))
