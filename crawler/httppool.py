"""HTTP download handler whose connection pool keeps every connection a crawl opens to a host.

Scrapy's HTTP/1.1 handler keeps at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` idle connections per host. A detail
chain schedules its next request from the callback of the previous response, before Twisted has returned that
response's connection to the pool: the new request opens a connection, the returned one finds the pool full and is
closed. Against the fake Hub at 50 ms latency that was one new TCP connection per model (a connect, a close and
their CPU on the reactor thread); a pool twice the concurrency keeps them all (bench/bench_details.py).
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler


class PooledHTTP11DownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = crawler.settings.getint("HTTP_POOL_PER_HOST") or 2 * (
            crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        )
