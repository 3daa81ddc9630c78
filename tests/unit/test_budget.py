"""The rate budget of a single node (in-process store), driven by a simulated clock: a tight quota is spread over
time and never exceeded in any of the registry's windows, limits follow the headers, spent quotas block."""

from __future__ import annotations

import time

import pytest
import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.budget.budget import RateBudget
from crawler.budget.memory import MemoryStore
from crawler.budget.middleware import RateBudgetMiddleware
from crawler.cluster.addon import ClusterAddon
from spiders.hf_models import HfModelsSpider

HF = "http://hub.test"
GH = "http://hub.test/gh"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def budget(clock: Clock, margin: float = 0.5, **settings) -> RateBudget:
    values = {"HF_ENDPOINT": HF, "GITHUB_API_URL": GH, "RATE_BUDGET_MARGIN": margin, "RATELIMIT_MAX_WAIT": 900}
    values.update(settings)
    return RateBudget(MemoryStore(clock), Settings(values))


def req(url: str, token: str | None = None) -> scrapy.Request:
    return scrapy.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})


def reply(request: scrapy.Request, status: int = 200, **headers: str) -> Response:
    return Response(request.url, status=status, headers={k.replace("_", "-"): v for k, v in headers.items()})


HF_POLICY = {"RateLimit_Policy": '"fixed window";"api";q=10;w=5', "RateLimit": '"api";r=9;t=5'}


def test_a_tight_quota_is_spread_over_time_and_never_exceeded() -> None:
    """40 requests always waiting for a grant, for 60 s: at most 10 in any 5 s window whatever its phase, and
    nearly the whole quota used (the margin of 0.5 s per window costs 9%)."""
    clock = Clock()
    b = budget(clock)
    first = req(f"{HF}/api/models")
    assert b.take(first) == 0
    b.observe(first, reply(first, **HF_POLICY))  # the registry says 10 per 5 s
    start, grants = clock.now, [clock.now]
    waiting = {i: clock.now for i in range(40)}  # request -> when it asks next
    while clock.now < start + 60:
        i, clock.now = min(waiting.items(), key=lambda kv: kv[1])
        wait = b.take(req(f"{HF}/api/models/m{i}"))
        if wait == 0:
            grants.append(clock.now)
        waiting[i] = clock.now + wait  # a granted request is replaced by the next queued one at once
    for phase in (0.0, 0.7, 2.5, 4.99):
        windows: dict[int, int] = {}
        for t in grants:
            windows[int((t - start + phase) // 5)] = windows.get(int((t - start + phase) // 5), 0) + 1
        assert max(windows.values()) <= 10, (phase, windows)
    assert len(grants) >= 0.9 * 10 * 60 / 5.5


def test_code_search_is_paced_per_token_by_the_budget_alone(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """GitHub's code search: 10 a minute per token (published), one request at a time, no second pacer."""
    from spiders.github_search import CODE_SEARCH_SLOT, GithubSearchSpider

    clock = Clock()
    b = budget(clock)
    search = [req(f"{GH}/search/code?q=x", token=t) for t in ("ghp_a", "ghp_b")]
    for r in search:
        assert [b.take(r) == 0 for _ in range(11)] == [True] * 10 + [False]  # each token its own 10
    assert b.take(req(f"{GH}/repos/a/b", token="ghp_a")) == 0  # the core bucket is another budget
    clock.now += 60.5  # the window and its margin
    assert b.take(search[0]) == 0

    monkeypatch.setenv("GITHUB_TOKENS", "a,b,c")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    crawler = Crawler(GithubSearchSpider, get_project_settings())
    GithubSearchSpider.from_crawler(crawler)  # what `scrapy crawl github_search` does before the engine starts
    assert crawler.settings.getdict("DOWNLOAD_SLOTS")[CODE_SEARCH_SLOT] == {"concurrency": 1}


def test_limits_start_published_then_follow_the_headers() -> None:
    clock = Clock()
    b = budget(clock, margin=0)
    r = req(f"{HF}/api/models")
    assert [b.take(r) for _ in range(500)] == [0] * 500  # HF's published anonymous api quota: 500 per 300 s
    assert 299 < b.take(r) <= 300
    b.observe(r, reply(r, RateLimit_Policy='"fixed window";"api";q=1000;w=300'))
    assert b.take(r) == 0  # the registry reports more (a token's quota)
    token = req(f"{HF}/api/models", token="hf_secret")
    b.observe(token, reply(token, RateLimit_Policy='"fixed window";"api";q=2;w=60'))
    assert [b.take(token) == 0 for _ in range(3)] == [True, True, False]  # per token: its own, smaller quota


def test_a_spent_quota_or_a_429_blocks_the_budget() -> None:
    clock = Clock()
    b = budget(clock)
    r = req(f"{HF}/api/models")
    b.observe(r, reply(r, RateLimit='"api";r=0;t=4'))
    assert b.take(r) == 5  # until the reset, plus a second for its granularity
    assert b.take(req(f"{HF}/org/m/resolve/main/config.json")) == 0  # another bucket
    clock.now += 5
    assert b.take(r) == 0
    b.observe(r, reply(r, status=429, Retry_After="7"))
    assert b.take(r) == 7
    capped = budget(clock, RATELIMIT_MAX_WAIT=2)
    capped.observe(r, reply(r, status=403, Retry_After="60"))
    assert capped.take(r) == 2  # never longer than the backoff middleware would wait


def test_a_quota_without_a_window_counts_over_the_longest_reset() -> None:
    """GitHub reports x-ratelimit-limit but no window: a short window (as the fake's) must not become an hour."""
    clock = Clock()
    b = budget(clock, margin=0)
    r = req(f"{GH}/repos/a/b", token="ghp_x")
    reset = str(int(time.time()) + 2)
    b.observe(r, reply(r, x_ratelimit_limit="40", x_ratelimit_remaining="39", x_ratelimit_reset=reset))
    assert [b.take(r) for _ in range(40)] == [0] * 40
    assert 0 < b.take(r) <= 3  # 40 per <= 3 s, not 40 per the published 3,600 s


def test_configured_limits_win_over_headers_and_names_hold_no_token() -> None:
    clock = Clock()
    b = budget(clock, margin=0, RATE_BUDGET_LIMITS={"hf/api": [2, 60]})
    r = req(f"{HF}/api/models", token="hf_secret")
    b.observe(r, reply(r, **HF_POLICY))
    assert [b.take(r) == 0 for _ in range(3)] == [True, True, False]
    assert "hf_secret" not in b.name("hf", "api", r)
    assert b.take(req("http://elsewhere.test/x")) == 0  # not a registry's API: not budgeted


def test_single_node_crawls_use_the_in_process_budget_and_clusters_the_redis_one() -> None:
    settings = get_project_settings()
    assert settings.getdict("DOWNLOADER_MIDDLEWARES")["crawler.budget.middleware.RateBudgetMiddleware"] == 585
    middleware = RateBudgetMiddleware(Crawler(HfModelsSpider, settings))  # as `scrapy crawl` builds it
    assert isinstance(middleware.budget.store, MemoryStore)
    cluster = settings.copy()
    cluster.set("REDIS_URL", "redis://127.0.0.1:6379/0", priority="cmdline")
    ClusterAddon().update_settings(cluster)  # as Scrapy applies ADDONS
    assert cluster["RATE_BUDGET_STORE"] == "crawler.cluster.budget.RedisStore"  # not outranked by the project's
    settings.set("RATE_BUDGET_ENABLED", False)
    with pytest.raises(NotConfigured):
        RateBudgetMiddleware(Crawler(HfModelsSpider, settings))
