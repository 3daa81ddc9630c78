"""Scrapy's own cost per request: a spider that fetches a list of URLs and keeps nothing.

Run by bench/bench_details.py outside the project (no project settings, middlewares or pipelines) with the
production HTTP client, downloader and per-host limit, on the URLs a real crawl fetched. Each response yields one
small item, as a detail response of the real crawl yields one or two, so Scrapy's per-item machinery is counted too::

    scrapy runspider bench/bare_spider.py -a urls=urls.json
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = Path(urls)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in json.loads(self.urls_file.read_text()):
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response: Response) -> Iterator[dict[str, int]]:
        yield {"bytes": len(response.body)}
