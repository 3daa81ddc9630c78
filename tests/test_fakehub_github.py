"""The fake GitHub: repositories, renames, issues with Link pagination, contents, clones, code search."""

from __future__ import annotations

import base64
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakehub import FakeHub
from tests.fakehub.client import Reply, fetch

TOKEN = "ghp_fake_test_token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/vnd.github+json"}
NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    with FakeHub(models=100, seed=3, github_repos=30, github_tokens=f"{TOKEN},second") as fake:
        yield fake


@pytest.fixture(scope="module")
def world(hub: FakeHub) -> dict[str, Any]:
    return fetch(hub.info["github_api_url"] + "/_fake/github/world").json()


def get(hub: FakeHub, path: str, headers: dict[str, str] | None = None) -> Reply:
    url = path if path.startswith("http") else hub.info["github_api_url"] + path
    return fetch(url, headers={**AUTH, **(headers or {})})


def walk(hub: FakeHub, path: str) -> tuple[list[dict], list[str]]:
    url: str | None = hub.info["github_api_url"] + path
    items: list[dict] = []
    urls: list[str] = []
    while url:
        reply = get(hub, url)
        assert reply.status == 200, reply.body[:300]
        items += reply.json()
        match = NEXT.search(reply.headers.get("Link") or "")
        url = match.group(1) if match else None
        if url:
            urls.append(url)
    return items, urls


def pick(world: dict[str, Any], **want: Any) -> dict[str, Any]:
    return next(r for r in world["repositories"] if all(r[k] == v for k, v in want.items()))


def test_issues_and_pull_requests_paginate_through_repositories_id(hub: FakeHub, world: dict[str, Any]) -> None:
    repo = max(
        (r for r in world["repositories"] if r["status"] == "ok"), key=lambda r: r["issues"] + r["pull_requests"]
    )
    items, urls = walk(hub, f"/repos/{repo['full_name']}/issues?state=all&per_page=7")
    assert sum("pull_request" not in i for i in items) == repo["issues"]
    assert sum("pull_request" in i for i in items) == repo["pull_requests"]
    assert len({i["number"] for i in items}) == len(items)
    assert urls and all(f"/repositories/{repo['id']}/issues?" in u and "state=all" in u for u in urls)
    open_only, _ = walk(hub, f"/repos/{repo['full_name']}/issues?per_page=100")
    assert {i["state"] for i in open_only} <= {"open"} and len(open_only) < len(items)


def test_renamed_repository_answers_301_to_repositories_id(hub: FakeHub, world: dict[str, Any]) -> None:
    repo = pick(world, status="renamed")
    reply = get(hub, f"/repos/{repo['old_full_name']}")
    assert reply.status == 301
    location = reply.headers["Location"]
    assert location.endswith(f"/repositories/{repo['id']}")
    moved = get(hub, location).json()
    assert moved["full_name"] == repo["full_name"] and moved["id"] == repo["id"]


def test_deleted_repository_is_404(hub: FakeHub, world: dict[str, Any]) -> None:
    gone = [r for r in world["repositories"] if r["status"] in ("deleted", "private")]
    for repo in gone:
        reply = get(hub, f"/repos/{repo['full_name']}")
        assert reply.status == 404 and reply.json()["message"] == "Not Found"
    assert get(hub, "/repos/nobody/nothing").status == 404


def test_contents_file_and_directory(hub: FakeHub, world: dict[str, Any]) -> None:
    repo = pick(world, status="ok", fork=False)
    listing = get(hub, f"/repos/{repo['full_name']}/contents/").json()
    names = {e["name"] for e in listing}
    assert "README.md" in names and all(e["type"] in ("file", "dir") for e in listing)
    load = repo["loads"][0]
    reply = get(hub, f"/repos/{repo['full_name']}/contents/{load['path']}")
    body = reply.json()
    text = base64.b64decode(body["content"]).decode()
    assert body["type"] == "file" and body["encoding"] == "base64" and body["size"] == len(text.encode())
    assert load["id"].split(":")[-1] in text
    assert fetch(body["download_url"]).body.decode() == text


def test_clone_of_a_generated_repository_contains_its_loads(
    hub: FakeHub, world: dict[str, Any], tmp_path: Path
) -> None:
    repo = pick(world, status="ok", fork=False)
    clone_url = get(hub, f"/repos/{repo['full_name']}").json()["clone_url"]
    assert clone_url.startswith("file://") and clone_url == repo["clone_url"]
    subprocess.run(["git", "clone", "-q", clone_url, str(tmp_path / "c")], check=True, capture_output=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path / "c", capture_output=True, text=True).stdout
    assert head.strip() == repo["head_sha"]
    for load in repo["loads"]:
        text = (tmp_path / "c" / load["path"]).read_text()
        if "cell" not in load:
            line = text.splitlines()[load["literal_line"] - 1]
            assert load["id"].split(":")[-1].removeprefix("hf_hub:") in line or load["library"] == "torchvision"


def test_code_search_finds_generated_loads(hub: FakeHub, world: dict[str, Any]) -> None:
    reply = get(hub, "/search/code?q=" + "from_pretrained+language:python&per_page=100")
    assert reply.status == 200
    body = reply.json()
    expected = {
        (r["full_name"], ld["path"])
        for r in world["repositories"]
        if not r["fork"] and r["kind"] == "downstream"
        for ld in r["loads"]
        if ld["path"].endswith(".py") and "from_pretrained" in ld.get("pattern", "") + "from_pretrained"
    }
    found = {(i["repository"]["full_name"], i["path"]) for i in body["items"]}
    assert found and found <= {(r["full_name"], p) for r in world["repositories"] for p in r["files"]}
    assert body["total_count"] == len(body["items"]) <= len(expected) + 50
    assert get(hub, "/search/code?q=from_pretrained", headers={"Authorization": ""}).status == 401
