"""The fake GitHub's bodies have the keys and JSON types of the real recorded ones (../shared/fixtures/real)."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakehub import FakeHub
from fakehub.client import fetch

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "real"
TOKEN = "ghp_shapes"
AUTH = {"Authorization": f"token {TOKEN}"}


def exchanges(name: str) -> list[dict[str, Any]]:
    """PyGithub ReplayData: 10 lines per exchange (see SOURCES.md)."""
    path = REAL / f"pygithub_{name}.txt"
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared not found")
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    i = 0
    while i + 9 < len(lines):
        if not lines[i]:
            i += 1
            continue
        ex = lines[i : i + 10]
        i += 10
        body = json.loads(ex[9]) if ex[9].strip() else None
        headers = {k.lower(): v for k, v in ast.literal_eval(ex[8])}
        out.append({"method": ex[1], "path": ex[4], "status": int(ex[7]), "headers": headers, "body": body})
    return out


def kind(value: Any) -> str:
    return {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict"}.get(type(value), "null")


def assert_same_shape(fake: Any, real: Any, where: str = "$") -> None:
    """Same keys (recursively) and the same JSON types wherever both values are not null."""
    if isinstance(real, dict) and isinstance(fake, dict):
        assert list(fake) == list(real), f"{where}: keys differ: {set(fake) ^ set(real)}"
        for key in real:
            assert_same_shape(fake[key], real[key], f"{where}.{key}")
    elif isinstance(real, list) and isinstance(fake, list) and real and fake:
        assert_same_shape(fake[0], real[0], f"{where}[0]")
    elif real is not None and fake is not None:
        assert kind(fake) == kind(real) or {kind(fake), kind(real)} == {"int", "float"}, where


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    with FakeHub(models=100, seed=5, github_repos=40, github_tokens=TOKEN, github_no_git=True) as fake:
        yield fake


@pytest.fixture(scope="module")
def world(hub: FakeHub) -> dict[str, Any]:
    return fetch(hub.info["github_api_url"] + "/_fake/github/world").json()


def get(hub: FakeHub, path: str, **headers: str) -> Any:
    reply = fetch(hub.info["github_api_url"] + path, headers={**AUTH, **headers})
    assert reply.status == 200, (path, reply.status, reply.body[:200])
    return reply.json()


def test_repository_matches_the_recorded_one(hub: FakeHub, world: dict[str, Any]) -> None:
    real = exchanges("PaginatedList.testCustomPerPageIteration")[0]["body"]  # org-owned, read access
    recent = exchanges("Repository.setUp")[0]["body"]  # 2025: owners carry user_view_type
    real = {**real, "owner": recent["owner"], "organization": recent["organization"]}
    seen = set()
    for repo in world["repositories"]:
        if repo["status"] != "ok" or repo["fork"]:
            continue
        fake = get(hub, f"/repos/{repo['full_name']}")
        if "organization" not in fake:
            continue
        assert_same_shape(fake, real)
        seen.add(json.dumps(fake["license"]) if fake["license"] is None else fake["license"]["spdx_id"])
    assert {"null", "NOASSERTION"} <= seen and len(seen) >= 3  # the three real license shapes


def test_license_endpoint_matches_the_recorded_one(hub: FakeHub, world: dict[str, Any]) -> None:
    real = exchanges("Repository.testGetLicense")[0]["body"]
    real["license"]["node_id"] = "MDc6TGljZW5zZTEy"  # newer answers add it (api-shapes.md §3.2)
    licensed = [r for r in world["repositories"] if r["status"] == "ok" and r["license"]]
    for repo in licensed[:5]:
        assert_same_shape(get(hub, f"/repos/{repo['full_name']}/license"), real)
    unlicensed = next(r for r in world["repositories"] if r["status"] == "ok" and r["license"] is None)
    reply = fetch(hub.info["github_api_url"] + f"/repos/{unlicensed['full_name']}/license", headers=AUTH)
    assert reply.status == 404


def test_issues_pull_requests_and_comments_match_the_recorded_ones(hub: FakeHub, world: dict[str, Any]) -> None:
    real_items = exchanges("GraphQl.testPaginationAndRestIntegration.issues-excerpt")[0]["body"]
    real_pr = next(i for i in real_items if "pull_request" in i)
    real_issue = next(i for i in real_items if "pull_request" not in i)
    real_comment = exchanges("PaginatedList.testCustomPerPageIteration")[2]["body"][0]
    repo = max((r for r in world["repositories"] if r["status"] == "ok"), key=lambda r: r["comments"])
    items = get(hub, f"/repos/{repo['full_name']}/issues?state=all&per_page=100")
    assert any("pull_request" in i for i in items) and any("pull_request" not in i for i in items)
    for item in items:
        assert_same_shape(item, real_pr if "pull_request" in item else real_issue)
    commented = next(i for i in items if i["comments"])
    comments = get(hub, f"/repos/{repo['full_name']}/issues/{commented['number']}/comments")
    assert len(comments) == commented["comments"]
    for comment in comments:
        assert_same_shape(comment, real_comment)


def test_code_search_matches_the_recorded_one(hub: FakeHub) -> None:
    real = exchanges("PaginatedList.testSearchWithIncompleteResults")[0]
    fake = get(hub, "/search/code?q=import+language:python&per_page=5")
    assert_same_shape(fake, real["body"])
    assert fake["items"] and all("stargazers_count" not in i["repository"] for i in fake["items"])


def test_headers_match_the_recorded_ones(hub: FakeHub, world: dict[str, Any]) -> None:
    real = exchanges("Repository.setUp")[0]["headers"]
    repo = next(r for r in world["repositories"] if r["status"] == "ok")
    reply = fetch(hub.info["github_api_url"] + f"/repos/{repo['full_name']}", headers=AUTH)
    for name in ("etag", "last-modified", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                 "x-ratelimit-used", "x-ratelimit-resource", "x-github-api-version-selected"):  # fmt: skip
        assert name in real and reply.headers.get(name), name
    assert reply.headers["ETag"].startswith('W/"') and real["etag"].startswith('W/"')
    search = fetch(hub.info["github_api_url"] + "/search/code?q=import", headers=AUTH)
    assert search.headers["X-RateLimit-Resource"] == "code_search" and search.headers["Cache-Control"] == "no-cache"
    assert search.headers.get("ETag") is None
