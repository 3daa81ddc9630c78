"""The crawler's HTTP behaviour as the registry sees it: per-host concurrency, kept-alive connections, the client.

The fake registry logs, for every request, how many requests to the same host it was answering when the request
arrived (``in_flight``) and the request's rank on its TCP connection (``on_connection``, 1 = a new connection).
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from fakehub import FakeHub
from tests.crawl import run_crawl

TWISTED = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"


@pytest.mark.parametrize("client", ["aiohttp", "twisted", "aiohttp-asyncio-loop"])
def test_per_host_concurrency_holds_while_a_models_files_are_fetched(tmp_path: Path, client: str) -> None:
    # Scrapy 2.19 alone starts a slot's whole queue at once (a download counts as transferring only once its task
    # runs), and the files pipeline queues a model's files together: 25 in flight at a limit of 4 with Twisted's
    # client. aiohttp caps connections per host itself, but not a slot's own lower limit (GitHub code search: 1).
    settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": "4", "CONCURRENT_REQUESTS": "8"}
    if client == "twisted":  # the client a user gets back with one setting (README)
        settings["DOWNLOAD_HANDLERS"] = json.dumps({"http": TWISTED, "https": TWISTED})
    if client == "aiohttp-asyncio-loop":  # asyncio's own loop instead of uvloop, one setting away (README)
        settings["ASYNCIO_EVENT_LOOP"] = "asyncio.SelectorEventLoop"
    with FakeHub(models=40, seed=3, latency=30) as hub:
        result = run_crawl(tmp_path, hub.hf_endpoint, args={"min_downloads": 0}, settings=settings)
        requests = hub.requests()
    assert result.returncode == 0, result.stdout[-3000:]
    files = [r for r in requests if "/resolve/" in r["path"]]
    assert len(files) > 100, "the crawl fetched too few files to show the limit"
    peak = max(r["in_flight"] for r in requests)
    assert peak == 4, Counter(r["in_flight"] for r in requests)
    # Connections are kept alive and used again: one per request slot, a few more for the CDN host and for
    # downloads cut at the size limit (the client closes those); 231 with the overrun above.
    new_connections = sum(1 for r in requests if r["on_connection"] == 1)
    assert new_connections <= 4 + 4 + 10, new_connections
    assert ("HTTP client: aiohttp" in result.stdout) == client.startswith("aiohttp")
    if client == "aiohttp-asyncio-loop":
        assert "event loop asyncio.unix_events._UnixSelectorEventLoop" in result.stdout
    elif client == "aiohttp":  # the default: uvloop wherever it installs
        loop = "uvloop.Loop" if importlib.util.find_spec("uvloop") else "asyncio.unix_events._UnixSelectorEventLoop"
        assert f"event loop {loop}" in result.stdout
    assert "experimental" not in result.stdout
