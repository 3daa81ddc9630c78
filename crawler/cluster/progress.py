"""Cluster-wide progress: what every node published, summed, plus the shared queue and the rate budgets.

Scrapy's ``item_scraped_count`` counts a list page's bundle of items once (crawler/itembundle.py), so it is shown
as "scraped (a list page once)"; "stored" (``store/items``) counts every stored item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import redis

from crawler.cluster.keys import SpiderKeys

# Counters summed over the nodes, with the label they get in the progress line.
COUNTERS = {
    "item_scraped_count": "scraped (a list page once)",
    "response_received_count": "responses",
    "downloader/request_count": "requests",
    "log_count/ERROR": "errors",
    "spider_exceptions/count": "spider exceptions",
    "retry/count": "retries",
    "ratelimit/429": "429s",
    "store/items": "stored",
    "cluster/acked": "acked",
}


@dataclass
class RunProgress:
    spider: str
    run: str
    status: str
    created_at: str = ""
    finished_at: str = ""
    seeded: bool = False
    nodes_alive: int = 0
    nodes_total: int = 0
    queued: int = 0
    in_flight: int = 0
    seen: int = 0
    counters: dict[str, float] = field(default_factory=dict)
    budgets: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        counts = ", ".join(f"{int(self.counters.get(k, 0))} {label}" for k, label in COUNTERS.items())
        budgets = "; ".join(f"budget {b['name']} {b['used']}/{b['quota']} per {b['window']:g} s" for b in self.budgets)
        text = (
            f"Cluster {self.spider} run {self.run} ({self.status}): {self.nodes_alive} nodes alive "
            f"({self.nodes_total} seen), {self.queued} queued, {self.in_flight} in flight, {self.seen} seen; {counts}"
        )
        return f"{text}; {budgets}" if budgets else text

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def run_progress(client: redis.Redis, keys: SpiderKeys, run: str | None = None) -> RunProgress | None:
    """The progress of ``run`` (default: the spider's current run), or None when there is none."""
    run = run or client.get(keys.current)
    if run is None:
        return None
    rk = keys.run(run)
    meta = client.hgetall(rk.meta)
    stats = client.hgetall(rk.stats)
    nodes = sorted(client.smembers(rk.nodes))
    pipe = client.pipeline(transaction=False)
    for node in nodes:
        pipe.exists(rk.alive(node))
        pipe.hlen(rk.leases(node))
    flags = pipe.execute()
    alive = sum(1 for i in range(0, len(flags), 2) if flags[i])
    in_flight = sum(int(flags[i + 1]) for i in range(0, len(flags), 2))
    counters: dict[str, float] = {}
    for text in stats.values():
        node_stats = json.loads(text)
        for name in COUNTERS:
            value = node_stats.get(name)
            if isinstance(value, int | float):
                counters[name] = counters.get(name, 0) + value
    return RunProgress(
        spider=keys.spider,
        run=str(run),
        status=meta.get("status", "lost"),
        created_at=meta.get("created_at", ""),
        finished_at=meta.get("finished_at", ""),
        seeded=meta.get("seeded") == "1",
        nodes_alive=alive,
        nodes_total=len(set(nodes) | set(stats)),
        queued=int(client.zcard(rk.queue)),
        in_flight=in_flight,
        seen=int(client.scard(rk.dupefilter)),
        counters=counters,
        budgets=budgets(client, keys.prefix),
    )


def budgets(client: redis.Redis, prefix: str) -> list[dict[str, Any]]:
    """Every rate budget: grants in the current window, quota, window, grants ever, blocks from headers."""
    out = []
    for key in sorted(client.scan_iter(f"{prefix}:budget:*:cfg", count=100)):
        base = key[: -len(":cfg")]
        cfg = client.hgetall(key)
        name = base[len(f"{prefix}:budget:") :]
        registry, bucket, who = (name.split(":") + ["", "", ""])[:3]
        out.append(
            {
                "name": f"{registry}/{bucket}" + ("" if who == "anonymous" else f" (token {who[:6]})"),
                "used": int(client.zcard(f"{base}:log")),
                "quota": int(cfg.get("quota", 0) or 0),
                "window": int(cfg.get("window_ms", 0) or 0) / 1000,
                "granted": int(cfg.get("granted", 0) or 0),
                "blocks": int(cfg.get("blocks", 0) or 0),
            }
        )
    return out


def spiders_with_runs(client: redis.Redis, prefix: str) -> list[str]:
    names = {key[len(prefix) + 1 : -len(":current")] for key in client.scan_iter(f"{prefix}:*:current", count=100)}
    return sorted(names)
