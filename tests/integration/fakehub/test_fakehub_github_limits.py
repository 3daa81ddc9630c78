"""The fake GitHub's quotas: 304s are free, primary limits per token and bucket, secondary limits, search caps."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from fakehub import FakeHub
from fakehub.client import Reply, fetch

TOKENS = ("ghp_one", "ghp_two")


def auth(token: str = TOKENS[0]) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    knobs = {"github_rate_limit": 6, "github_code_search_rate": 4, "github_search_rate": 5, "github_search_cap": 20}
    with FakeHub(models=100, seed=7, github_repos=40, github_tokens=",".join(TOKENS), github_no_git=True, **knobs) as f:
        yield f


@pytest.fixture(scope="module")
def world(hub: FakeHub) -> dict[str, Any]:
    return fetch(hub.info["github_api_url"] + "/_fake/github/world").json()


def get(hub: FakeHub, path: str, headers: dict[str, str]) -> Reply:
    return fetch(hub.info["github_api_url"] + path, headers=headers)


def test_conditional_requests_answer_304_without_quota_then_primary_limit(hub: FakeHub, world: dict[str, Any]) -> None:
    repo = next(r for r in world["repositories"] if r["status"] == "ok")["full_name"]
    hub.clear_requests()
    first = get(hub, f"/repos/{repo}", auth())
    assert first.status == 200
    remaining = int(first.headers["X-RateLimit-Remaining"])
    for _ in range(10):  # far more than the quota of 6: none of them counts
        again = get(hub, f"/repos/{repo}", {**auth(), "If-None-Match": first.headers["ETag"]})
        assert again.status == 304 and again.body == b""
        assert again.headers["ETag"] == first.headers["ETag"]
        assert int(again.headers["X-RateLimit-Remaining"]) == remaining
    since = get(hub, f"/repos/{repo}", {**auth(), "If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status == 304
    stale = get(hub, f"/repos/{repo}", {**auth(), "If-None-Match": 'W/"something-else"'})
    assert stale.status == 200 and int(stale.headers["X-RateLimit-Remaining"]) == remaining - 1
    statuses = [get(hub, f"/repos/{repo}", auth()).status for _ in range(remaining)]
    assert statuses[:-1] == [200] * (remaining - 1) and statuses[-1] == 403
    spent = get(hub, f"/repos/{repo}", auth())
    assert spent.status == 403 and spent.headers["X-RateLimit-Remaining"] == "0"
    assert spent.json()["message"].startswith("API rate limit exceeded")
    assert int(spent.headers["X-RateLimit-Reset"]) > time.time()
    # the other token has its own quota; the log tells tokens apart without showing them
    assert get(hub, f"/repos/{repo}", auth(TOKENS[1])).status == 200
    log = [e for e in hub.requests() if e["path"].startswith("/gh/repos/")]
    assert sum(e["status"] == 304 for e in log) == 11 and all(e["cost"] == 0 for e in log if e["status"] == 304)
    assert {e["token"] for e in log} == {"token-1", "token-2"}
    assert not any(t in str(hub.requests()) for t in TOKENS)


def test_bad_token_is_401(hub: FakeHub) -> None:
    reply = get(hub, "/rate_limit", auth("ghp_wrong"))
    assert reply.status == 401 and reply.json()["message"] == "Bad credentials"


def test_search_buckets_and_the_result_cap(hub: FakeHub) -> None:
    token = auth(TOKENS[1])
    code = get(hub, "/search/code?q=import+language:python&per_page=10", token)
    assert code.status == 200 and code.headers["X-RateLimit-Resource"] == "code_search"
    body = code.json()
    assert body["total_count"] > 20 and body["incomplete_results"] is True
    assert 'page=2>; rel="last"' in code.headers["Link"]  # only 20 results are reachable
    assert get(hub, "/search/code?q=import+language:python&per_page=10&page=3", token).status == 422
    repos = get(hub, "/search/repositories?q=fork:true", token)
    assert repos.status == 200 and repos.headers["X-RateLimit-Resource"] == "search"
    # code_search has 4 per window: 2 used above (the 422 counts too)
    assert [get(hub, "/search/code?q=import", token).status for _ in range(2)] == [200, 200]
    assert get(hub, "/search/code?q=import", token).status == 403
    assert get(hub, "/search/repositories?q=fork:true", token).status == 200  # its own bucket
    assert get(hub, "/search/code?q=import", {}).status == 401  # code search needs a token


def test_size_shards_stay_under_the_cap_and_cover_everything() -> None:
    with FakeHub(models=100, seed=7, github_repos=40, github_no_git=True, github_search_cap=20,
                 github_code_search_rate=1000) as hub:  # fmt: skip

        def search(q: str, page: int = 1) -> Any:
            reply = get(hub, f"/search/code?q={q}&per_page=10&page={page}", auth())
            assert reply.status == 200, reply.body
            return reply.json()

        total = search("import+language:python")["total_count"]
        assert total > 20
        found: list[tuple[str, str]] = []
        bounds = [0, 500, 1000, 2000, 4000, 8000, 16000, 1 << 30]
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            page, items = 1, []
            while True:
                body = search(f"import+language:python+size:{lo}..{hi - 1}", page)
                items += body["items"]
                if len(items) >= body["total_count"] or not body["items"]:
                    break
                page += 1
            assert body["total_count"] <= 20, f"shard {lo}..{hi} too big"
            found += [(i["repository"]["full_name"], i["path"]) for i in items]
        assert len(found) == len(set(found)) == total


def test_secondary_limit_has_retry_after_and_no_ratelimit_headers() -> None:
    with FakeHub(models=10, seed=1, github_repos=5, github_no_git=True, github_secondary_rate=1.0,
                 github_retry_after=7) as hub:  # fmt: skip
        reply = get(hub, "/repos/a/b", auth())
        assert reply.status == 403 and reply.headers["Retry-After"] == "7"
        assert reply.json()["message"].lower().startswith("you have exceeded a secondary rate limit")
        assert not [h for h in reply.headers if h.lower().startswith("x-ratelimit")]


def test_primary_limit_can_answer_429() -> None:
    with FakeHub(models=10, seed=1, github_repos=5, github_no_git=True, github_rate_limit=1,
                 github_limit_status=429) as hub:  # fmt: skip
        assert get(hub, "/repos/a/b", auth()).status == 404
        limited = get(hub, "/repos/a/b", auth())
        assert limited.status == 429 and limited.headers["X-RateLimit-Remaining"] == "0"


def test_server_faults_reach_github_routes_and_the_log_keeps_their_bucket() -> None:
    with FakeHub(models=10, seed=2, github_repos=5, github_no_git=True, malformed_rate=1.0) as hub:
        reply = get(hub, "/rate_limit", auth())
        assert reply.status == 200
        with pytest.raises(ValueError):
            reply.json()
        assert hub.requests()[-1]["bucket"] is None and hub.requests()[-1]["token"] == "token-1"
    with FakeHub(models=10, seed=2, github_repos=5, github_no_git=True, error_rate=1.0) as hub:
        assert get(hub, "/repos/a/b", auth()).status in (500, 502, 503)
        assert fetch(hub.github_api_url + "/_fake/github/world").status == 200  # control: never faulted


def test_etags_survive_a_restart_with_the_same_seed() -> None:
    etags = []
    for _ in range(2):
        with FakeHub(models=10, seed=4, github_repos=6, github_no_git=True) as hub:
            world = fetch(hub.github_api_url + "/_fake/github/world").json()
            repo = max((r for r in world["repositories"] if r["status"] == "ok"), key=lambda r: r["comments"])
            etags.append(get(hub, f"/repos/{repo['full_name']}/issues?state=all", auth()).headers["ETag"])
            etags.append(get(hub, f"/repos/{repo['full_name']}", auth()).headers["ETag"])
    assert repo["comments"] and etags[:2] == etags[2:]
