"""`scrapy crawl pytorch_hub` against the fake GitHub: every generated PyTorch Hub model, its entrypoints, license,
tags, issues and pull requests; a second run spends no primary quota on unchanged source repositories."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fakehub import FakeHub
from fakehub.client import fetch
from tests.crawl import rows, run_crawl, run_github_crawl, stat

TOKENS = "ghp_fakeHUBtokenA_do_not_leak,ghp_fakeHUBtokenB_do_not_leak"


def crawl(workdir: Path, hub: FakeHub) -> str:
    return run_github_crawl(workdir, hub, TOKENS, "pytorch_hub")


@pytest.fixture(scope="module")
def hub_crawl(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("pytorch_hub")
    with FakeHub(models=10, seed=11, github_repos=2, pytorch_pages=12, github_tokens=TOKENS) as hub:
        world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
        hub.clear_requests()
        first = crawl(workdir, hub)
        first_requests = hub.requests(clear=True)
        second = crawl(workdir, hub)
        second_requests = hub.requests(clear=True)
        yield SimpleNamespace(
            db=workdir / "peatmoss.db",
            world=world,
            first=first,
            second=second,
            first_requests=first_requests,
            second_requests=second_requests,
        )


def _canonical(world: dict[str, Any]) -> dict[str, str]:
    """Load string (any casing, old names) -> canonical owner/name."""
    return {s["load_repo"].lower(): s["full_name"] for s in world["sources"]}


def expected_models(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """context_id -> the page that loads it (commented-out "or any of these variants" calls count, as in PeaTMOSS)."""
    canonical = _canonical(world)
    out: dict[str, dict[str, Any]] = {}
    for page in world["pytorch_pages"]:
        for load in page["loads"] + page["commented"]:
            out.setdefault(f"{canonical[load['repo'].lower()]}/{load['entrypoint']}", page)
    return out


def test_every_generated_model_is_stored_as_peatmoss_stores_it(hub_crawl) -> None:
    expected = expected_models(hub_crawl.world)
    assert len(expected) >= 12
    stored = {
        cid: (repo_url, sha, downloads, snapshot, issues_url, prs_url)
        for cid, repo_url, sha, downloads, snapshot, issues_url, prs_url in rows(
            hub_crawl.db,
            "SELECT m.context_id, m.repo_url, m.sha, m.downloads, m.has_snapshot, i.repo_url, p.repo_url "
            "FROM model m LEFT JOIN ptm_issues i ON i.id = m.ptm_issues_id "
            "LEFT JOIN ptm_pull_requests p ON p.id = m.ptm_pull_requests_id WHERE m.model_hub_id = 2",
        )
    }
    assert set(stored) == set(expected)
    for cid, (repo_url, sha, downloads, snapshot, issues_url, prs_url) in stored.items():
        repo = cid.rsplit("/", 1)[0]
        assert (repo_url, sha, downloads, snapshot) == (f"github.com/{repo}", None, None, 1)
        assert issues_url == prs_url == f"github.com/{repo}"
    # The traps really were there: a load string with other casing and one with the repository's old name.
    sources = hub_crawl.world["sources"]
    assert any(s["load_repo"] != s["full_name"] and s["load_repo"].lower() == s["full_name"].lower() for s in sources)
    assert any(s["load_repo"].lower() != s["full_name"].lower() for s in sources)


def test_tags_author_and_license_of_the_source_repository(hub_crawl) -> None:
    db = hub_crawl.db
    tags = {t for (t,) in rows(db, "SELECT name FROM tag")}
    assert {"researchers", "cuda-optional"} <= tags
    assert not any(ch in t for t in tags for ch in "“”\"' ")  # typographic quotes and trailing spaces cleaned
    licenses = {r["full_name"]: r["license"] for r in hub_crawl.world["repositories"] if r["kind"] == "source"}
    stored = rows(
        db,
        "SELECT m.context_id, l.name FROM model m JOIN model_to_license j ON j.model_id = m.id "
        "JOIN license l ON l.id = j.license_id",
    )
    by_repo = {cid.rsplit("/", 1)[0]: name for cid, name in stored}
    assert by_repo == {repo: lic for repo, lic in licenses.items() if lic and repo in by_repo}
    unlicensed = [repo for repo, lic in licenses.items() if not lic]
    assert all(repo not in by_repo for repo in unlicensed)
    assert rows(db, "SELECT count(DISTINCT model_id) FROM model_to_author")[0][0] == len(
        expected_models(hub_crawl.world)
    )
    assert {n for (n,) in rows(db, "SELECT l.name FROM library l JOIN model_to_library j ON j.library_id = l.id")} == {
        "pytorch"
    }


# The paper's Fig. 8 grouping of PyTorch Hub tags (PeaTMOSS-Artifact Plots/fig8.ipynb), written out independently.
PAPER_TAG_DOMAINS = {
    "natural-language-processing": {"nlp"},
    "computer-vision": {"vision", "generative", "video", "object_detection", "segmentation", "optical_flow"},
    "audio": {"audio"},
}


def test_every_model_has_the_domain_of_its_page_tags(hub_crawl) -> None:
    db = hub_crawl.db
    tags: dict[str, set[str]] = {}
    for cid, tag in rows(
        db,
        "SELECT m.context_id, t.name FROM model m JOIN model_to_tag j ON j.model_id = m.id "
        "JOIN tag t ON t.id = j.tag_id WHERE m.model_hub_id = 2",
    ):
        tags.setdefault(cid, set()).add(tag)
    stored = rows(
        db,
        "SELECT m.context_id, d.name FROM model m JOIN model_to_domain j ON j.model_id = m.id "
        "JOIN domain d ON d.id = j.domain_id WHERE m.model_hub_id = 2",
    )
    assert len(stored) == len({cid for cid, _ in stored}) == len(expected_models(hub_crawl.world))  # one per model
    for cid, domain in stored:
        named = {d for d, members in PAPER_TAG_DOMAINS.items() if members & tags[cid]}
        assert domain == ("multimodal" if len(named) > 1 else named.pop() if named else "other"), (cid, tags[cid])
    assert len({d for _, d in stored}) >= 2


def test_hubconf_entrypoints_are_listed_statically(hub_crawl) -> None:
    stored: dict[str, set[str]] = {}
    for repo, name in rows(hub_crawl.db, "SELECT repo, name FROM pytorch_hub_entrypoint WHERE in_hubconf = 1"):
        stored.setdefault(repo, set()).add(name)
    assert stored == {s["full_name"]: set(s["entrypoints"]) for s in hub_crawl.world["sources"]}
    linked = rows(
        hub_crawl.db,
        "SELECT e.repo || '/' || e.name FROM pytorch_hub_entrypoint e JOIN model m ON m.id = e.model_id",
    )
    assert {cid for (cid,) in linked} == set(expected_models(hub_crawl.world))
    pages = {p for (p,) in rows(hub_crawl.db, "SELECT path FROM pytorch_hub_page")}
    assert pages == {p["file"] for p in hub_crawl.world["pytorch_pages"]}  # README.md & co. are not model pages


def test_issues_and_pull_requests_of_the_sources_are_linked(hub_crawl) -> None:
    db = hub_crawl.db
    issue_join = "JOIN ptm_issue_to_issue j ON j.ptm_issue_id = a.id"
    pr_join = "JOIN ptm_pull_request_to_pull_request j ON j.ptm_pull_request_id = a.id"
    issues = dict(rows(db, f"SELECT a.repo_url, count(*) FROM ptm_issues a {issue_join} GROUP BY 1"))
    prs = dict(rows(db, f"SELECT a.repo_url, count(*) FROM ptm_pull_requests a {pr_join} GROUP BY 1"))
    sources = [r for r in hub_crawl.world["repositories"] if r["kind"] == "source"]
    assert sum(r["issues"] + r["pull_requests"] for r in sources) > 0
    for repo in sources:
        assert issues.get(f"github.com/{repo['full_name']}", 0) == repo["issues"], repo["full_name"]
        assert prs.get(f"github.com/{repo['full_name']}", 0) == repo["pull_requests"], repo["full_name"]
    # Source repositories are not downstream users.
    assert rows(db, "SELECT count(*) FROM reuse_repository")[0][0] == 0


def test_second_run_spends_no_primary_quota_on_unchanged_sources(hub_crawl) -> None:
    assert stat(hub_crawl.second, "pytorch_hub/source_unchanged") == len(hub_crawl.world["sources"])
    assert stat(hub_crawl.second, "store/pytorch_hub_models_new") == 0
    assert stat(hub_crawl.second, "store/pytorch_hub_models") == len(expected_models(hub_crawl.world))
    second = [r for r in hub_crawl.second_requests if r["path"].startswith("/gh/")]
    repo_requests = [r for r in second if re.fullmatch(r"/gh/(repos/[^/]+/[^/]+|repositories/\d+)", r["path"])]
    assert repo_requests and all(r["status"] in (301, 304) for r in repo_requests)
    assert not any("/issues" in r["path"] or r["path"].endswith("/graphql") for r in second)
    # Unchanged pages (same blob sha in the listing) are read back from the store, not fetched.
    assert stat(hub_crawl.second, "pytorch_hub/pages_unchanged") == len(hub_crawl.world["pytorch_pages"])
    fetched = {r["path"].rsplit("/", 1)[-1] for r in second if r["path"].startswith("/gh/repos/pytorch/hub/contents/")}
    assert fetched and not fetched & {p["file"] for p in hub_crawl.world["pytorch_pages"]}
    first_cost = sum(r.get("cost") or 0 for r in hub_crawl.first_requests)
    second_cost = sum(r.get("cost") or 0 for r in hub_crawl.second_requests)
    assert second_cost < first_cost / 2


def test_faults_do_not_lose_models(tmp_path: Path) -> None:
    """Secondary rate limits, 5xx answers and malformed JSON bodies: retried, logged, counted; nothing lost."""
    knobs = {"github_secondary_rate": 0.1, "github_retry_after": 1, "error_rate": 0.05, "malformed_rate": 0.05}
    with FakeHub(models=10, seed=11, github_repos=2, pytorch_pages=12, **knobs) as hub:
        world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
        result = run_crawl(
            tmp_path,
            hub.hf_endpoint,
            spider="pytorch_hub",
            args={"threads": 0},
            settings={"GITHUB_SECONDARY_WAIT": "1"},
            GITHUB_API_URL=hub.info["github_api_url"],
            GITHUB_TOKEN="ghp_fault_token_do_not_leak",
        )
    log = result.stdout
    assert result.returncode == 0 and "Traceback" not in log, log[-5000:]
    assert "do_not_leak" not in log
    faults = stat(log, "github/ratelimit/secondary") + stat(log, "retry/count")
    assert faults > 0
    stored = {cid for (cid,) in rows(tmp_path / "peatmoss.db", "SELECT context_id FROM model WHERE model_hub_id = 2")}
    assert stored == set(expected_models(world))
