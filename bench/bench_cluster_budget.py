"""Shared rate budget under a tight quota: N nodes never exceed it, and use nearly all of it.

The fake registry enforces ``--rate-limit Q`` requests per fixed ``--rate-window W`` seconds on its ``api``
bucket (windows aligned on its start) and answers 429 to any request over it. Four nodes, each able to send far
more than the quota, crawl ``hf_models`` with details for every model; their shared budget is told the quota
(``RATE_BUDGET_LIMITS``), as a token's published limit would be:

    python -m bench.bench_cluster_budget --nodes 4 --quota 60 --window 5 --models 100

Reports the registry's 429s (0 = never exceeded in any window), the requests it counted per window (sampled
from its request log every 50 ms, so a request near a window edge may be attributed to the neighbouring
window), and the use of the quota over the crawl: requests / (quota x elapsed / window), elapsed running from
the first to the last request the registry saw.

``--single-node``: one ``scrapy crawl`` process, no Redis, SQLite; its budget is in-process and is told nothing
(it learns the quota from the registry's ``RateLimit-Policy`` headers). ``--no-budget`` switches the budget off
(``RATE_BUDGET_ENABLED=False``) to show what a node does without it:

    python -m bench.bench_cluster_budget --single-node --quota 10 --window 5 --models 100
    python -m bench.bench_cluster_budget --single-node --no-budget --quota 10 --window 5 --models 100
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from fakehub import FakeHub
from tests.cluster import Node, clear_prefix, kill_all, postgres_schema, start_node
from tests.crawl import REPO, crawl_command, crawl_env

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--quota", type=int, default=60)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--single-node", action="store_true", help="one process, no Redis: the in-process budget")
    parser.add_argument("--no-budget", action="store_true", help="RATE_BUDGET_ENABLED=False")
    opts = parser.parse_args()
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    settings: dict[str, Any] = {"CONCURRENT_REQUESTS": opts.concurrency, "HF_PAGE_SIZE": 50, "LOG_LEVEL": "INFO"}
    if opts.no_budget:
        settings["RATE_BUDGET_ENABLED"] = "False"
    if not opts.single_node:
        settings["RATE_BUDGET_LIMITS"] = json.dumps({"hf/api": [opts.quota, opts.window]})
        settings["CLUSTER_PROGRESS_INTERVAL"] = 10
    args = {"min_downloads": 0, "snapshot": "none"}
    seen: list[tuple[float, int, int]] = []  # (time, api requests counted, 429s)
    database = contextlib.nullcontext("") if opts.single_node else postgres_schema(POSTGRES_URL)
    with tempfile.TemporaryDirectory() as tmp, database as pg:
        with FakeHub(models=opts.models, seed=5, latency=20, rate_limit=opts.quota, rate_window=opts.window) as hub:
            started = time.monotonic()  # the fake's windows start (within a few ms) before this
            hub.clear_requests()
            if opts.single_node:
                nodes = [start_single_node(Path(tmp), hub.hf_endpoint, args, settings)]
            else:
                nodes = [
                    start_node(Path(tmp), hub.hf_endpoint, REDIS_URL, pg, prefix, f"node{i}", args, settings)
                    for i in range(opts.nodes)
                ]
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    log = hub.requests()
                    api = [r for r in log if r["path"].startswith("/api/")]
                    seen.append(
                        (time.monotonic(), sum(r["status"] != 429 for r in api), sum(r["status"] == 429 for r in api))
                    )
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            try:
                for node in nodes:
                    node.wait(3600)
            finally:
                done.set()
                sampler.join()
                kill_all(nodes)
        for node in nodes:
            if node.proc.returncode != 0:
                raise SystemExit(f"{node.name} failed:\n{node.output()[-3000:]}")
    if not opts.single_node:
        clear_prefix(REDIS_URL, prefix)
    counted, rejected = seen[-1][1], seen[-1][2]
    first = next(t for t, n, _ in seen if n > 0)
    last = next(t for t, n, _ in seen if n == counted)
    per_window: Counter[int] = Counter()
    previous = 0
    for t, n, _ in seen:
        per_window[int((t - started) // opts.window)] += n - previous
        previous = n
    elapsed = last - first
    use = counted / (opts.quota * elapsed / opts.window)
    mode = "single node" + (", no budget" if opts.no_budget else "") if opts.single_node else f"nodes {opts.nodes}"
    print(f"{mode}, quota {opts.quota} per {opts.window} s; requests counted {counted}, 429s {rejected}")
    print(f"max per window {max(per_window.values())} (quota {opts.quota}); windows: {sorted(per_window.items())}")
    print(f"elapsed {elapsed:.1f} s from first to last request; quota used {100 * use:.1f}%")


def start_single_node(workdir: Path, hf_endpoint: str, args: dict[str, Any], settings: dict[str, Any]) -> Node:
    """One ``scrapy crawl hf_models`` without Redis (SQLite in ``workdir``), as a user runs it on one machine."""
    log = workdir / "single.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            crawl_command("hf_models", args, settings),
            cwd=REPO,
            env=crawl_env(workdir, hf_endpoint),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Node("single", workdir, proc, log)


if __name__ == "__main__":
    main()
