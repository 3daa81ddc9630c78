"""Cluster building blocks against a real Redis: the shared budget (the rest: tests/unit/test_cluster_components.py)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import redis
import scrapy
from scrapy.http import Response
from scrapy.settings import Settings

from crawler.budget.budget import RateBudget
from crawler.budget.memory import MemoryStore
from crawler.cluster.budget import RedisStore
from crawler.cluster.connection import RedisGuard
from crawler.cluster.scripts import Scripts

HF = "http://hub.test"
GH = "http://hub.test/gh"


def shared_settings(**settings) -> Settings:
    values = {"HF_ENDPOINT": HF, "GITHUB_API_URL": GH, "RATE_BUDGET_MARGIN": 0, "RATELIMIT_MAX_WAIT": 900}
    return Settings({**values, **settings})


def budget(redis_url: str, prefix: str, node: str = "n", **settings) -> RateBudget:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    run = SimpleNamespace(guard=RedisGuard(client, redis_url), scripts=Scripts(client), node=node)
    return RateBudget(RedisStore(run, prefix), shared_settings(**settings))  # type: ignore[arg-type]


def req(url: str, token: str | None = None) -> scrapy.Request:
    return scrapy.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})


def test_nodes_racing_for_a_budget_get_exactly_the_quota(redis_url, cluster_prefix) -> None:
    """8 nodes ask 40 times each at once: 25 grants in a 60 s window, never one more."""
    limits = {"hf/api": [25, 60]}
    nodes = [budget(redis_url, cluster_prefix, f"node{i}", RATE_BUDGET_LIMITS=limits) for i in range(8)]
    grants: list[int] = []
    start = threading.Barrier(len(nodes))

    def worker(b: RateBudget) -> None:
        start.wait()
        grants.append(sum(1 for _ in range(40) if b.take(req(f"{HF}/api/models")) == 0))

    threads = [threading.Thread(target=worker, args=(b,)) for b in nodes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(grants) == 25
    wait = nodes[0].take(req(f"{HF}/api/models"))
    assert 0 < wait <= 60


def test_budgets_are_per_registry_bucket_and_token(redis_url, cluster_prefix) -> None:
    b = budget(redis_url, cluster_prefix, RATE_BUDGET_LIMITS={"hf/api": [1, 60], "github/core": [1, 60]})
    assert b.take(req(f"{HF}/api/models")) == 0
    assert b.take(req(f"{HF}/api/models/x")) > 0  # same bucket, spent
    assert b.take(req(f"{HF}/api/models", token="hf_secret")) == 0  # another token, another budget
    assert b.take(req(f"{GH}/repos/a/b")) == 0  # another registry
    assert b.take(req("http://elsewhere.test/x")) == 0  # not rate limited by us
    keys = list(redis.Redis.from_url(redis_url, decode_responses=True).scan_iter(f"{cluster_prefix}:budget:*"))
    assert keys and not any("hf_secret" in k for k in keys)


def test_headers_set_the_quota_and_stop_every_node(redis_url, cluster_prefix) -> None:
    a, b = budget(redis_url, cluster_prefix, "a"), budget(redis_url, cluster_prefix, "b")
    request = req(f"{HF}/api/models")
    policy = {"RateLimit-Policy": '"fixed window";"api";q=3;w=60', "RateLimit": '"api";r=2;t=60'}
    a.observe(request, Response(request.url, status=200, headers=policy, request=request))
    assert [b.take(request) == 0 for _ in range(4)] == [True, True, True, False]  # learned q=3 on node a
    # GitHub: remaining 0 until reset stops every node, whatever the sliding window says
    gh = req(f"{GH}/repos/a/b", token="t")
    assert b.take(gh) == 0
    reset = str(int(time.time()) + 30)
    headers = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
    a.observe(gh, Response(gh.url, status=200, headers=headers, request=gh))
    assert 20 < b.take(gh) <= 32
    # a 429 with Retry-After does the same for its bucket
    search = req(f"{GH}/search/repositories?q=x", token="t")
    a.observe(search, Response(search.url, status=429, headers={"Retry-After": "7"}, request=search))
    assert 5 < b.take(search) <= 7


def test_the_cluster_and_a_single_node_budget_the_same_way(redis_url, cluster_prefix) -> None:
    """The same requests and responses through the Redis store and the in-process one: the same grants and waits."""
    shared = budget(redis_url, cluster_prefix, RATE_BUDGET_LIMITS={"github/core": [3, 60]})
    local = RateBudget(MemoryStore(), shared_settings(RATE_BUDGET_LIMITS={"github/core": [3, 60]}))
    hf, gh = req(f"{HF}/api/models"), req(f"{GH}/repos/a/b", token="t")
    policy = {"RateLimit-Policy": '"fixed window";"api";q=2;w=60', "RateLimit": '"api";r=1;t=60'}
    outcomes = []
    for b in (shared, local):
        steps = [b.take(hf) == 0]
        b.observe(hf, Response(hf.url, status=200, headers=policy, request=hf))
        steps += [b.take(hf) == 0 for _ in range(2)] + [round(b.take(hf))]
        steps += [b.take(gh) == 0 for _ in range(4)]
        b.observe(gh, Response(gh.url, status=429, headers={"Retry-After": "30"}, request=gh))
        steps.append(round(b.take(gh)))
        outcomes.append(steps)
    assert outcomes[0] == outcomes[1] == [True, True, False, 60, True, True, True, False, 30]
