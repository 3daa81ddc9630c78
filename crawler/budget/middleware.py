"""``RateBudgetMiddleware``: every request to a registry's API waits for a grant from its rate budget.

After the auth middlewares (the budget is per token), before redirects; it sees responses before the backoff
middleware (560), so a 429 or a spent quota blocks the budget for every later request (on every node in cluster
mode), not only for the request that met it. The store is ``RATE_BUDGET_STORE``: in-process by default, Redis
in cluster mode (the cluster add-on sets it; unset, it is the in-process store).
"""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.budget.budget import RateBudget

IN_PROCESS_STORE = "crawler.budget.memory.MemoryStore"


class RateBudgetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("RATE_BUDGET_ENABLED"):
            raise NotConfigured("RATE_BUDGET_ENABLED is off")
        self.crawler = crawler
        store = build_from_crawler(load_object(settings.get("RATE_BUDGET_STORE") or IN_PROCESS_STORE), crawler)
        self.budget = RateBudget(store, settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RateBudgetMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        waited = 0.0
        while (wait := self.budget.take(request)) > 0:
            waited += wait
            await asyncio.sleep(wait)
        stats = self.crawler.stats
        if waited:
            stats.inc_value("budget/waited_requests")
            stats.inc_value("budget/wait_seconds", round(waited, 3))  # type: ignore[arg-type] # sums floats fine
        stats.inc_value("budget/granted")

    def process_response(self, request: Request, response: Response) -> Response:
        self.budget.observe(request, response)
        return response
