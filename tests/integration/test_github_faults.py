"""Rate limits (primary, secondary, two tokens) and a changed world: the crawl waits, goes on and converges."""

from __future__ import annotations

from fakehub import FakeHub
from fakehub.client import fetch
from tests.crawl import rows, stat
from tests.integration.test_github_fake_crawl import PER_REPO, TOKENS, crawl, requested_name


def _truth(hub: FakeHub) -> list[dict]:
    world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
    return [r for r in world["repositories"] if r["kind"] == "downstream"]


def _assert_matches(db, repos: list[dict]) -> None:
    issues = dict(rows(db, PER_REPO.format(junction="reuse_repo_to_issue")))
    prs = dict(rows(db, PER_REPO.format(junction="reuse_repo_to_pull_request")))
    for repo in repos:
        if repo["status"] in ("ok", "renamed"):
            assert issues.get(repo["full_name"], 0) == repo["issues"], repo["full_name"]
            assert prs.get(repo["full_name"], 0) == repo["pull_requests"], repo["full_name"]


def test_rate_limits_are_waited_out_and_tokens_rotated(tmp_path) -> None:
    knobs = dict(github_secondary_rate=0.08, github_retry_after=1, github_rate_limit=40, github_rate_window=2)
    knobs.update(github_no_git=True)  # the crawls here do not clone
    with FakeHub(models=20, seed=4, github_repos=6, pytorch_pages=1, github_tokens=TOKENS, **knobs) as hub:
        repos = _truth(hub)
        log = crawl(tmp_path, hub, [requested_name(r) for r in repos], GITHUB_SECONDARY_WAIT="0.5", GITHUB_CLONE="0")
    _assert_matches(tmp_path / "peatmoss.db", repos)
    assert stat(log, "github/ratelimit/secondary") > 0
    # A spent quota (remaining 0) pauses the token's bucket before the next request fails, or a 403 is waited out.
    assert stat(log, "github/ratelimit/paused_requests") + stat(log, "github/ratelimit/primary") > 0
    assert "GitHub secondary rate limit" in log


def test_changed_repositories_are_fetched_again_with_since(tmp_path) -> None:
    with FakeHub(models=20, seed=6, github_repos=10, pytorch_pages=1, github_tokens=TOKENS, github_no_git=True) as hub:
        before = {r["full_name"]: (r["issues"], r["pull_requests"], r["comments"]) for r in _truth(hub)}
        names = [requested_name(r) for r in _truth(hub)]
        crawl(tmp_path, hub, names, GITHUB_CLONE="0")
        hub.set_generation(6)  # about 10% of the repositories change per generation
        hub.clear_requests()
        log = crawl(tmp_path, hub, names, GITHUB_CLONE="0")
        requests = hub.requests()
        repos = _truth(hub)
    now = {r["full_name"]: (r["issues"], r["pull_requests"], r["comments"]) for r in repos}
    changed = {name for name, counts in now.items() if before[name] != counts}
    assert changed
    _assert_matches(tmp_path / "peatmoss.db", repos)
    comments = rows(tmp_path / "peatmoss.db", "SELECT count(*) FROM github_comment")[0][0]
    assert comments == sum(r["comments"] for r in repos if r["status"] in ("ok", "renamed"))
    issue_lists = [r for r in requests if r["path"].endswith("/issues") and r["status"] == 200]
    assert issue_lists and all("since" in r["query"] for r in issue_lists)
    assert {r["path"].split("/repos/")[1].rsplit("/issues", 1)[0] for r in issue_lists} <= changed
    assert stat(log, "github/repo_unchanged") >= len([r for r in repos if r["status"] == "ok"]) - len(changed)
