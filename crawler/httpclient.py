"""HTTP downloads through aiohttp: Scrapy's ``AiohttpDownloadHandler`` instead of Twisted's HTTP/1.1 client.

Why: a detail crawl is a stream of small JSON replies, and Twisted's client parses each one in Python (its
``HTTPClientParser`` and connection states were about a fifth of the reactor thread's time); aiohttp parses in C
and keeps every connection it opens until its keep-alive timeout. CPU per request of a detail crawl: 2.48 ms
against 2.63 ms with Twisted's client, lower in each of four alternating rounds (docs/benchmarks.md); it adds
about 0.1 s of imports to a crawl's start.

Scrapy 2.19 marks the handler experimental and says so in every crawl's log. The project's suite drives every
failure the registries give through it (5xx and 429 with retries, truncated and malformed bodies, redirects to
the CDN, the size limit, tokens kept out of logs), so that warning is replaced by one INFO line naming the
client. Twisted's client is one setting away::

    DOWNLOAD_HANDLERS = {"http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
                         "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"}
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class AiohttpHandler(AiohttpDownloadHandler):
    experimental: ClassVar[bool] = False
    lazy = True  # built on a scheme's first request: one session (and log line), not one per scheme

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        loop = type(asyncio.get_running_loop())  # built on a first request: in the crawl's loop (ASYNCIO_EVENT_LOOP)
        logger.info(
            "HTTP client: aiohttp (Scrapy's AiohttpDownloadHandler), event loop %s.%s", loop.__module__, loop.__name__
        )
