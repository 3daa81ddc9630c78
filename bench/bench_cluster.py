"""Cluster throughput: 1, 2 and 4 nodes against the fake registry with per-request latency.

A latency-bound crawl: every request waits ``--latency`` ms at the fake, every node has the same fixed
concurrency (``CONCURRENT_REQUESTS``), so one node's throughput is bounded by concurrency / latency and N nodes
should do N times as much. Each run gets a fresh PostgreSQL schema and Redis prefix; the crawl is
``hf_models`` with details for every model (``min_downloads=0``, no file snapshots):

    python -m bench.bench_cluster --models 400 --latency 100 --concurrency 4 --nodes 1 2 4

Throughput = responses the fake served with 200 / (last node's finish_time - first node's start_time), both
from the nodes' own Scrapy stats, so interpreter start-up is not counted. Needs Redis and PostgreSQL on
127.0.0.1 (TEST_REDIS_URL, TEST_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from fakehub import FakeHub
from tests.cluster import clear_prefix, kill_all, postgres_schema, query, start_node

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
_TIME = re.compile(r"'(start|finish)_time': datetime\.datetime\(([\d, ]+)")


def stat_times(log: str) -> dict[str, datetime]:
    out = {}
    for name, parts in _TIME.findall(log):
        numbers = [int(p) for p in parts.split(",") if p.strip()]
        out[name] = datetime(*numbers[:7])
    return out


def run(nodes: int, models: int, latency: float, concurrency: int, seed: int) -> dict[str, float]:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    settings = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "HF_PAGE_SIZE": 100,
        "LOG_LEVEL": "INFO",
        "CLUSTER_NODE_TTL": 15,
        "CLUSTER_HEARTBEAT_INTERVAL": 2,
        "CLUSTER_ACK_INTERVAL": 0.5,
        "CLUSTER_PROGRESS_INTERVAL": 30,
    }
    args = {"min_downloads": 0, "snapshot": "none"}
    with tempfile.TemporaryDirectory() as tmp, postgres_schema(POSTGRES_URL) as pg:
        with FakeHub(models=models, seed=seed, latency=latency) as hub:
            hub.clear_requests()
            procs = [
                start_node(Path(tmp), hub.hf_endpoint, REDIS_URL, pg, prefix, f"node{i}", args, settings)
                for i in range(nodes)
            ]
            try:
                for node in procs:
                    node.wait(1800)
            finally:
                kill_all(procs)
            served = sum(1 for r in hub.requests() if r["status"] == 200)
        logs = [node.output() for node in procs]
        stored = query(pg, "SELECT count(*) FROM model")[0][0]
    clear_prefix(REDIS_URL, prefix)
    for node, log in zip(procs, logs, strict=True):
        if node.proc.returncode != 0 or "Spider closed (finished)" not in log:
            raise SystemExit(f"{node.name} failed:\n{log[-3000:]}")
    times = [stat_times(log) for log in logs]
    elapsed = (max(t["finish"] for t in times) - min(t["start"] for t in times)).total_seconds()
    return {"nodes": nodes, "responses": served, "models": stored, "seconds": elapsed, "per_s": served / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=400)
    parser.add_argument("--latency", type=float, default=100.0, help="ms per request at the fake")
    parser.add_argument("--concurrency", type=int, default=4, help="CONCURRENT_REQUESTS of every node")
    parser.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seed", type=int, default=7)
    opts = parser.parse_args()
    base = None
    print("| nodes | responses | models | seconds | responses/s | speed-up |")
    print("|---|---|---|---|---|---|")
    for n in opts.nodes:
        r = run(n, opts.models, opts.latency, opts.concurrency, opts.seed)
        base = base or r["per_s"] / n
        speedup = r["per_s"] / base
        print(
            f"| {n} | {r['responses']} | {r['models']} | {r['seconds']:.1f} | {r['per_s']:.1f} | {speedup:.2f}x |",
            flush=True,
        )


if __name__ == "__main__":
    main()
