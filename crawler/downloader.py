"""Scrapy's downloader with a per-host concurrency that holds (``DOWNLOADER`` setting).

Scrapy 2.19 starts each queued download as an asyncio task and counts it as transferring only when that task
runs, so one pass over a slot's queue sees every transfer slot free and starts the whole queue: when the files
pipeline queued a model's files, or a page's requests arrived together, 50-80 requests were in flight to the Hub
against ``CONCURRENT_REQUESTS_PER_DOMAIN = 16`` (bench/bench_details.py's crawl). Each queued download is
counted as transferring when it leaves the queue instead, so the limit is the one configured: the Hub sees the
concurrency the user chose.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot


class _ReservingQueue(deque[tuple[Request, Any]]):
    """A slot's queue whose ``popleft`` (the one place Scrapy starts a download) takes a transfer slot at once."""

    def __init__(self, slot: Slot) -> None:
        super().__init__(slot.queue)
        self.slot = slot

    def popleft(self) -> tuple[Request, Any]:
        request, deferred = super().popleft()
        self.slot.transferring.add(request)  # Scrapy adds it again when the task runs and removes it when done
        return request, deferred


class HostLimitedDownloader(Downloader):
    def _get_slot(self, request: Request, spider: Any = None) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request)
        if not isinstance(slot.queue, _ReservingQueue):
            slot.queue = _ReservingQueue(slot)
        return key, slot
