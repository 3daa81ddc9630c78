"""`scrapy crawl github_repos` against the fake GitHub: repositories, issues, PRs, clones, cheap re-crawls."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fakehub import FakeHub
from fakehub.client import fetch
from tests.crawl import rows, run_github_crawl, stat

SHARED_QUERIES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "peatmoss-queries.sql"
TOKENS = "ghp_fakeTOKENone_do_not_leak,ghp_fakeTOKENtwo_do_not_leak"


def crawl(workdir: Path, hub: FakeHub, names: list[str], **settings: str) -> str:
    listing = workdir / "repos.txt"
    listing.write_text("# downstream repositories\n" + "\n".join(names) + "\n\n")
    return run_github_crawl(workdir, hub, TOKENS, "github_repos", args={"repos_file": listing}, settings=settings)


def requested_name(repo: dict[str, Any]) -> str:
    return repo["old_full_name"] or repo["full_name"]


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("github_fake")
    with FakeHub(models=20, seed=3, github_repos=10, pytorch_pages=2, github_tokens=TOKENS) as hub:
        base = hub.info["github_api_url"]
        world = fetch(base + "/_fake/github/world").json()
        repos = [r for r in world["repositories"] if r["kind"] == "downstream"]
        first = crawl(workdir, hub, [requested_name(r) for r in repos])
        first_requests = hub.requests(clear=True)
        second = crawl(workdir, hub, [requested_name(r) for r in repos])
        second_requests = hub.requests(clear=True)
        yield SimpleNamespace(
            db=workdir / "peatmoss.db",
            git=workdir / "snapshots" / "git",
            repos=repos,
            first=first,
            second=second,
            first_requests=first_requests,
            second_requests=second_requests,
        )


def _stored(fake) -> list[dict[str, Any]]:
    return [r for r in fake.repos if r["status"] in ("ok", "renamed")]


def test_repositories_are_stored_under_their_canonical_names(fake) -> None:
    stored = {f"{o}/{n}": url for o, n, url in rows(fake.db, "SELECT owner, name, url FROM reuse_repository")}
    assert stored == {r["full_name"]: f"github.com/{r['full_name']}" for r in _stored(fake)}
    assert any(r["status"] == "renamed" for r in fake.repos)
    gone = [r for r in fake.repos if r["status"] in ("deleted", "private")]
    assert stat(fake.first, "github/repo_not_found") == len(gone) > 0
    licenses = dict(rows(fake.db, "SELECT r.owner || '/' || r.name, l.name FROM reuse_repository r "
                                  "JOIN reuse_repository_to_license j ON j.reuse_repository_id = r.id "
                                  "JOIN license l ON l.id = j.license_id"))  # fmt: skip
    assert licenses == {r["full_name"]: r["license"] for r in _stored(fake) if r["license"]}


PER_REPO = (
    "SELECT r.owner || '/' || r.name, count(*) FROM reuse_repository r "
    "JOIN {junction} j ON j.reuse_repository_id = r.id GROUP BY 1"
)


def test_issues_and_pull_requests_match_the_fake(fake) -> None:
    per_repo_issues = dict(rows(fake.db, PER_REPO.format(junction="reuse_repo_to_issue")))
    per_repo_prs = dict(rows(fake.db, PER_REPO.format(junction="reuse_repo_to_pull_request")))
    for repo in _stored(fake):
        assert per_repo_issues.get(repo["full_name"], 0) == repo["issues"], repo["full_name"]
        assert per_repo_prs.get(repo["full_name"], 0) == repo["pull_requests"], repo["full_name"]
    assert rows(fake.db, "SELECT count(*) FROM github_comment")[0][0] == sum(r["comments"] for r in _stored(fake))
    assert {s for (s,) in rows(fake.db, "SELECT DISTINCT state FROM github_issue")} <= {"OPEN", "CLOSED"}
    assert {s for (s,) in rows(fake.db, "SELECT DISTINCT state FROM github_pull_request")} <= {
        "OPEN",
        "CLOSED",
        "MERGED",
    }
    logins = [login for (login,) in rows(fake.db, "SELECT login FROM github_user")]
    assert len(logins) == len(set(logins)) > 0
    for table in (
        "github_review",
        "github_commit",
        "github_pull_request_file",
        "github_label",
        "github_reaction_group",
    ):
        assert rows(fake.db, f"SELECT count(*) FROM {table}")[0][0] > 0, table


def test_clones_hold_the_default_branch_history(fake) -> None:
    for repo in _stored(fake):
        path = fake.git / repo["full_name"]
        assert (path / ".git").is_dir(), repo["full_name"]
        head = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
        assert head.strip() == repo["head_sha"]
        hooks = path / ".git" / "hooks"
        assert not hooks.exists() or not any(hooks.iterdir())
    statuses = rows(fake.db, "SELECT clone_status, count(*) FROM crawl_github_repo GROUP BY 1")
    assert statuses == [("present", len(_stored(fake)))]  # second run: the clone was there already


def test_recrawl_spends_no_primary_quota_on_unchanged_repositories(fake) -> None:
    assert stat(fake.second, "github/repo_unchanged") == len(_stored(fake))
    github = [r for r in fake.second_requests if r["path"].startswith("/gh/")]
    assert github and all(r["status"] in (304, 404) for r in github), {(r["path"], r["status"]) for r in github}
    assert sum(r.get("cost") or 0 for r in github if r["status"] == 304) == 0
    assert not any("/issues" in r["path"] or r["path"].endswith("/graphql") for r in github)
    # The first crawl rotated over both tokens.
    assert {r["token"] for r in fake.first_requests if r["path"].startswith("/gh/")} >= {"token-1", "token-2"}


def test_researcher_queries_return_issues_and_pull_requests(fake) -> None:
    if not SHARED_QUERIES.exists():
        pytest.skip(f"{SHARED_QUERIES} not found: ../shared not found")
    text = SHARED_QUERIES.read_text()
    queries = {m.group(1): m.group(2) for m in re.finditer(r"-- name: (\w+)\n((?:--.*\n)*[^-][\s\S]*?;)", text)}
    assert rows(fake.db, queries["readme_open_issues"])
    assert rows(fake.db, queries["readme_open_or_merged_prs"])
