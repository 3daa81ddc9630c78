"""Remembers which request produced each new request, so children wait for their parent's outcome to be stored.

Why: a node stores items in batches. If a child request became visible to other nodes at once, another node
could fetch it and store the child's rows before the parent's rows (a model's commits before the model itself)
and the child's writer would find no parent row. So a child is pushed to the shared queue only once its parent
request is finished and the store flushed (``LeaseBook.settle``). Outermost spider middleware (closest to the
engine), so it sees every request a callback yields after all other middlewares.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.cluster.run import ClusterRun


class LineageMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.run = ClusterRun.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LineageMiddleware:
        return cls(crawler)

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        parent = response.request
        parents = self.run.book.parents if self.run.book is not None else None
        async for output in result:
            if parents is not None and parent is not None and isinstance(output, Request):
                parents[output] = parent
            yield output
