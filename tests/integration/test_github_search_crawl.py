"""`scrapy crawl github_search` against the fake GitHub: sharded code search finds every generated downstream
repository, forks / archived / deleted ones are left out, each repository is collected once, and the hand-over to
``github_repos`` (a repos file, or in-process) stores them with their issues and pull requests."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fakehub import FakeHub
from fakehub.client import fetch
from tests.crawl import rows, run_github_crawl, stat

TOKENS = "ghp_fakeSEARCHtokenA_do_not_leak,ghp_fakeSEARCHtokenB_do_not_leak"
CAP = 10  # the fake's search cap, small so that the shards must split


def crawl(workdir: Path, hub: FakeHub, spider: str, **args: Any) -> str:
    # No clones: collecting repositories is what is tested here (clones: test_github_fake_crawl.py).
    # The fake's code-search limit is raised (the test measures what is found, not pacing): the rate budget is told
    # the same.
    settings = {
        "GITHUB_SEARCH_CAP": CAP,
        "RATE_BUDGET_LIMITS": '{"github/code_search": [1200, 60]}',
        "GITHUB_CLONE": "0",
    }
    return run_github_crawl(workdir, hub, TOKENS, spider, args=args, settings=settings)


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory):
    two_step, in_process = tmp_path_factory.mktemp("two_step"), tmp_path_factory.mktemp("in_process")
    knobs = {"github_tokens": TOKENS, "github_search_cap": CAP, "github_code_search_rate": 1200, "github_no_git": True}
    with FakeHub(models=20, seed=5, github_repos=24, pytorch_pages=2, **knobs) as hub:
        world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
        hub.clear_requests()
        listing = two_step / "found.txt"
        search_log = crawl(two_step, hub, "github_search", collect=0, out=listing)
        search_requests = hub.requests(clear=True)
        repos_log = crawl(two_step, hub, "github_repos", repos_file=listing)
        hub.clear_requests()
        in_process_log = crawl(in_process, hub, "github_search")
        in_process_requests = hub.requests(clear=True)
        yield SimpleNamespace(
            world=world,
            listing=listing,
            search_log=search_log,
            search_requests=search_requests,
            repos_log=repos_log,
            two_step_db=two_step / "peatmoss.db",
            in_process_log=in_process_log,
            in_process_requests=in_process_requests,
            in_process_db=in_process / "peatmoss.db",
        )


def _downstream(world: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in world["repositories"] if r["kind"] == "downstream"]


def _wanted(world: dict[str, Any]) -> set[str]:
    """Downstream repositories that load PTMs and should be collected: not forks, not archived, still there."""
    return {
        r["full_name"]
        for r in _downstream(world)
        if r["loads"] and r["status"] in ("ok", "renamed") and not r["fork"] and not r["archived"]
    }


def test_every_downstream_repository_is_found_once(search) -> None:
    found = search.listing.read_text().split()
    assert len(found) == len(set(found))  # each repository once, however many queries find it
    wanted = _wanted(search.world)
    assert len(wanted) >= 15
    assert wanted <= set(found)
    left_out = {
        r["full_name"]
        for r in _downstream(search.world)
        if r["fork"] or r["archived"] or r["status"] in ("deleted", "private")
    }
    assert left_out and not left_out & set(found)
    # The other finds are repositories whose files match a signature too (e.g. hubconf.py of model sources).
    kinds = {r["full_name"]: r["kind"] for r in search.world["repositories"]}
    assert all(kinds.get(name) != "downstream" for name in set(found) - wanted)


def test_no_query_reaches_the_cap(search) -> None:
    code = [r for r in search.search_requests if r["path"] == "/gh/search/code"]
    assert code and all(r["status"] == 200 for r in code)  # no 422 past the cap
    assert stat(search.search_log, "github_search/shards_split") > 0
    assert stat(search.search_log, "github_search/shards_capped") == 0
    queries = {r["query"]["q"][0] for r in code}
    for q in queries:
        assert re.search(r" size:\d+\.\.\d+$", q), q
    # One query per signature and scope before splitting: every signature was asked.
    unsharded = Counter(re.sub(r" size:\S+$", "", q) for q in queries)
    assert len(unsharded) == 2 * 32
    # Candidates were fetched once each, and forks never (the hit says fork).
    repo_gets = Counter(r["path"] for r in search.search_requests if re.fullmatch(r"/gh/repos/[^/]+/[^/]+", r["path"]))
    assert repo_gets and max(repo_gets.values()) == 1


def test_github_repos_collects_the_repos_file(search) -> None:
    stored = {f"{o}/{n}" for o, n in rows(search.two_step_db, "SELECT owner, name FROM reuse_repository")}
    assert stored == set(search.listing.read_text().split())
    _assert_threads(search.two_step_db, search.world)


def test_in_process_collection_stores_the_same_without_fetching_twice(search) -> None:
    stored = {f"{o}/{n}" for o, n in rows(search.in_process_db, "SELECT owner, name FROM reuse_repository")}
    assert stored == set(search.listing.read_text().split())
    _assert_threads(search.in_process_db, search.world)
    repo_gets = Counter(
        r["path"] for r in search.in_process_requests if re.fullmatch(r"/gh/repos/[^/]+/[^/]+", r["path"])
    )
    assert max(repo_gets.values()) == 1  # the candidate's answer starts the collection chain
    assert stat(search.in_process_log, "github_search/accepted") == len(stored)


def _assert_threads(db: Path, world: dict[str, Any]) -> None:
    issues = dict(rows(db, "SELECT r.owner || '/' || r.name, count(*) FROM reuse_repository r "
                           "JOIN reuse_repo_to_issue j ON j.reuse_repository_id = r.id GROUP BY 1"))  # fmt: skip
    prs = dict(rows(db, "SELECT r.owner || '/' || r.name, count(*) FROM reuse_repository r "
                        "JOIN reuse_repo_to_pull_request j ON j.reuse_repository_id = r.id GROUP BY 1"))  # fmt: skip
    for repo in world["repositories"]:
        if repo["full_name"] in _wanted(world):
            assert issues.get(repo["full_name"], 0) == repo["issues"], repo["full_name"]
            assert prs.get(repo["full_name"], 0) == repo["pull_requests"], repo["full_name"]
