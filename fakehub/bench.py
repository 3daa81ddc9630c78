"""Throughput of the fake Hub itself: ``python -m fakehub.bench [--models N] [--pages P]``.

Walks the listing (``full=true`` and default entries) with one keep-alive connection and times a few detail
routes, so that a crawler benchmark can tell whether the fake or the crawler is the bottleneck.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import time
from urllib.parse import urlsplit

from . import FakeHub

DETAIL_ROUTES = [
    ("info ?blobs=true", "/api/models/{}?blobs=true"),
    ("commits", "/api/models/{}/commits/main"),
    ("tree", "/api/models/{}/tree/main?recursive=true"),
    ("README", "/{}/resolve/main/README.md"),
]
LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


def _walk(conn: http.client.HTTPConnection, base: str, query: str, pages: int) -> tuple[int, float, float]:
    target: str | None = "/api/models?" + query
    count, worst, start = 0, 0.0, time.perf_counter()
    for _ in range(pages):
        if target is None:
            break
        began = time.perf_counter()
        conn.request("GET", target)
        resp = conn.getresponse()
        body = resp.read()
        worst = max(worst, time.perf_counter() - began)
        count += len(json.loads(body))
        match = LINK.search(resp.headers.get("Link") or "")
        target = match.group(1)[len(base) :] if match else None
    return count, time.perf_counter() - start, worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with FakeHub(models=args.models, seed=args.seed) as hub:
        base = hub.hf_endpoint
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        for query in ("limit=1000&full=true&cardData=true&config=true", "limit=1000"):
            count, seconds, worst = _walk(conn, base, query, args.pages)
            print(f"list {query}: {count} models in {seconds:.1f} s = {count / seconds:.0f} models/s, "
                  f"slowest page {worst:.3f} s")  # fmt: skip
        conn.request("GET", "/api/models?limit=200")
        ids = [e["id"] for e in json.loads(conn.getresponse().read())]
        for name, path in DETAIL_ROUTES:
            began = time.perf_counter()
            for repo_id in ids:
                conn.request("GET", path.format(repo_id))
                conn.getresponse().read()
            print(f"{name}: {len(ids) / (time.perf_counter() - began):.0f} requests/s")
        status = open(f"/proc/{hub.info['pid']}/status").read() if hub.info.get("pid") else ""
        rss = next((line.split(":")[1].strip() for line in status.splitlines() if line.startswith("VmRSS")), "?")
        print(f"server RSS: {rss}")


if __name__ == "__main__":
    main()
