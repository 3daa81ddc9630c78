"""The most a client gets from the fake registry: plain aiohttp GETs of a list of URLs, N at a time, bodies read and
dropped, redirects followed. bench/bench_details.py runs it on a crawl's URLs as the attainable rate (the fake's own
work per request, on the same two cores, keeps it below the nominal N / latency)::

    python -m bench.plain_fetch urls.json 16

Prints one JSON line: requests, seconds from the first request to the last reply, CPU seconds (user+sys) of that
span.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp


async def fetch_all(urls: list[str], per_host: int) -> int:
    pending = iter(urls)
    fetched = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal fetched
        for url in pending:  # one shared iterator: each URL once, per_host at a time
            async with session.get(url) as response:
                await response.read()
                fetched += 1 + len(response.history)

    connector = aiohttp.TCPConnector(limit=per_host, limit_per_host=per_host)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(per_host)))
    return fetched


def main() -> None:
    urls, per_host = json.loads(Path(sys.argv[1]).read_text()), int(sys.argv[2])
    started, cpu = time.perf_counter(), time.process_time()
    requests = asyncio.run(fetch_all(urls, per_host))
    result = {"requests": requests, "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
