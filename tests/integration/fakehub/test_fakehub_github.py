"""The fake GitHub: repositories, renames, issues with Link pagination, contents, clones, code search."""

from __future__ import annotations

import ast
import base64
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.github.graphql import PULL_REQUESTS_QUERY
from fakehub import FakeHub
from fakehub.client import Reply, fetch

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


def test_code_search_finds_every_indexed_file_that_loads_a_model(hub: FakeHub, world: dict[str, Any]) -> None:
    load = next(ld for r in world["repositories"] if r["kind"] == "downstream" and not r["fork"] for ld in r["loads"]
                if "/" in ld["id"] and ld["library"] == "transformers")  # fmt: skip
    expected = {
        (r["full_name"], ld["path"])
        for r in world["repositories"]
        if not r["fork"]
        for ld in r["loads"]
        if ld["id"] == load["id"]
    }
    reply = get(hub, f'/search/code?q="{load["id"]}"+in:file&per_page=100')
    assert reply.status == 200
    found = {(i["repository"]["full_name"], i["path"]) for i in reply.json()["items"]}
    assert expected <= found  # READMEs and requirements never hold ids, other files may mention them in comments
    with_forks = get(hub, f'/search/code?q="{load["id"]}"+fork:true&per_page=100').json()
    forks = {r["full_name"] for r in world["repositories"] if r["fork"]}
    assert {i["repository"]["full_name"] for i in with_forks["items"]} - {f for f, _ in found} <= forks
    only_nb = get(hub, "/search/code?q=from_pretrained+extension:ipynb&per_page=100").json()
    assert only_nb["items"] and all(i["path"].endswith(".ipynb") for i in only_nb["items"])
    full_name = sorted(expected)[0][0]
    one_repo = get(hub, f"/search/code?q=import+repo:{full_name}").json()
    assert {i["repository"]["full_name"] for i in one_repo["items"]} == {full_name}
    assert get(hub, "/search/code?q=from_pretrained", headers={"Authorization": ""}).status == 401
    assert get(hub, "/search/code?q=language:python").status == 422  # no search term


# The crawler's own query: the fake must answer exactly what the crawler asks.
PR_QUERY = PULL_REQUESTS_QUERY
NODE_FIELDS = set(
    "id number url title body state isDraft closed closedAt createdAt updatedAt mergedAt additions deletions "
    "changedFiles baseRefName headRefName isCrossRepository maintainerCanModify mergeStateStatus mergeable "
    "reviewDecision author mergedBy headRepository headRepositoryOwner mergeCommit potentialMergeCommit milestone "
    "assignees labels reactionGroups reviewRequests comments reviews commits files statusCheckRollup".split()
)


def selections(query: str) -> dict[str, Any]:
    """Selection tree of a GraphQL document: {response key: subtree or None}; arguments, aliases' targets and
    ``... on Type`` fragments folded (enough for the contract's query)."""
    text = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", query.split("{", 1)[1])
    tokens = re.findall(r"\.\.\.|[{}:]|\w+", text)
    pos = 0

    def block() -> dict[str, Any]:
        nonlocal pos
        out: dict[str, Any] = {}
        last: str | None = None
        while pos < len(tokens):
            tok = tokens[pos]
            pos += 1
            if tok == "}":
                return out
            if tok == "{":
                sub = block()
                if last is None:
                    out.update(sub)
                else:
                    out[last] = sub
            elif tok == "...":
                pos += 2  # "on Type"
                last = None
            elif tok == ":":
                pos += 1  # alias target: the response key is the alias
            else:
                out[tok] = None
                last = tok
        return out

    return block()


def assert_selected(value: Any, tree: dict[str, Any] | None, where: str = "data") -> None:
    if tree is None or value is None:
        return
    if isinstance(value, list):
        for item in value:
            assert_selected(item, tree, where + "[]")
        return
    assert set(value) == set(tree), f"{where}: {set(value) ^ set(tree)}"
    for key, sub in tree.items():
        assert_selected(value[key], sub, f"{where}.{key}")


def graphql(hub: FakeHub, variables: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps({"query": PR_QUERY, "variables": variables}).encode()
    return fetch(
        hub.info["github_api_url"] + "/graphql",
        method="POST",
        headers={**AUTH, "Content-Type": "application/json", **(headers or {})},
        body=body,
    )


def test_graphql_pull_requests_pages_cover_every_pull_request(hub: FakeHub, world: dict[str, Any]) -> None:
    repo = max((r for r in world["repositories"] if r["status"] == "ok"), key=lambda r: r["pull_requests"])
    owner, name = repo["full_name"].split("/")
    nodes: list[dict] = []
    after = None
    while True:
        reply = graphql(hub, {"owner": owner, "name": name, "first": 4, "after": after})
        assert reply.status == 200 and reply.headers["X-RateLimit-Resource"] == "graphql"
        data = reply.json()["data"]
        assert set(data["rateLimit"]) == {"cost", "remaining", "resetAt"}
        page = data["repository"]["pullRequests"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(nodes) == len({n["number"] for n in nodes}) == repo["pull_requests"]
    assert [n["updatedAt"] for n in nodes] == sorted((n["updatedAt"] for n in nodes), reverse=True)
    rest, _ = walk(hub, f"/repos/{repo['full_name']}/issues?state=all&per_page=100")
    assert {i["number"] for i in rest if "pull_request" in i} == {n["number"] for n in nodes}
    tree = selections(PR_QUERY)
    node_tree = tree["repository"]["pullRequests"]["nodes"]
    assert set(node_tree) == NODE_FIELDS
    assert_selected(nodes, node_tree)
    for node in nodes:
        assert node["state"] in ("OPEN", "CLOSED", "MERGED") and (node["state"] == "MERGED") == bool(node["mergedAt"])
        assert {g["content"] for g in node["reactionGroups"]} == {
            "THUMBS_UP", "THUMBS_DOWN", "LAUGH", "HOORAY", "CONFUSED", "HEART", "ROCKET", "EYES"
        }  # fmt: skip
        assert node["changedFiles"] == len(node["files"]["nodes"])
        assert all(set(c["commit"]) >= {"oid", "authors"} for c in node["commits"]["nodes"])
        assert len(node["statusCheckRollup"]["nodes"]) == 1


def test_graphql_errors(hub: FakeHub, world: dict[str, Any]) -> None:
    missing = graphql(hub, {"owner": "nobody", "name": "nothing", "first": 10, "after": None}).json()
    assert missing["data"]["repository"] is None and missing["errors"][0]["type"] == "NOT_FOUND"
    too_many = graphql(hub, {"owner": "nobody", "name": "nothing", "first": 500, "after": None}).json()
    assert too_many["errors"] and "data" not in too_many
    assert graphql(hub, {"owner": "a", "name": "b", "first": 1}, {"Authorization": ""}).status == 401
    renamed = pick(world, status="renamed")
    owner, name = renamed["old_full_name"].split("/")
    moved = graphql(hub, {"owner": owner, "name": name, "first": 50, "after": None}).json()
    assert len(moved["data"]["repository"]["pullRequests"]["nodes"]) == min(50, renamed["pull_requests"])


def test_pytorch_hub_pages_and_hubconf_carry_the_traps(hub: FakeHub, world: dict[str, Any]) -> None:
    listing = get(hub, "/repos/pytorch/hub/contents/").json()
    md = {e["name"] for e in listing if e["type"] == "file" and e["name"].endswith(".md")}
    pages = {p["file"]: p for p in world["pytorch_pages"]}
    assert md - set(pages) == {"README.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md"} and len(pages) == 12
    assert any("dir" == e["type"] and e["name"] == "docs" for e in listing)
    texts = {
        f: base64.b64decode(get(hub, f"/repos/pytorch/hub/contents/{f}").json()["content"]).decode() for f in pages
    }
    front = {f: t.split("---")[1] for f, t in texts.items()}
    assert any("\u201ccuda-optional\u201d" in fm for fm in front.values())  # typographic quotes
    assert any(line.endswith(" ") for fm in front.values() for line in fm.splitlines())  # trailing spaces
    for key in ("featured_image_1", "order", "demo-model-link"):
        assert any(f"\n{key}:" not in fm for fm in front.values()), key
    assert any(not re.match(r"[^_]+_[^_]+_.+\.md$", f) for f in pages)  # a file name off the pattern
    loads = [ld for p in pages.values() for ld in p["loads"]]
    assert {ld["form"] for ld in loads} == {"positional", "keyword", "variable"}
    assert any(ld["ref"] for ld in loads) and not any(":" in p["github_id"] for p in pages.values())
    differs = [p for p in pages.values() if any(ld["repo"] != p["github_id"] for ld in p["loads"])]
    assert any(ld["repo"].lower() == p["github_id"].lower() for p in differs for ld in p["loads"])  # casing only
    moved = [ld["repo"] for p in differs for ld in p["loads"] if ld["repo"].lower() != p["github_id"].lower()]
    assert moved and get(hub, f"/repos/{moved[0]}").status == 301  # the page loads the repository's old name
    for page in pages.values():
        for ld in page["loads"]:
            assert f"'{ld['entrypoint']}'" in texts[page["file"]]
    for source in world["sources"]:
        text = base64.b64decode(get(hub, f"/repos/{source['full_name']}/contents/hubconf.py").json()["content"])
        tree = ast.parse(text)
        public = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
        imported = {a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
        assert public | imported == set(source["entrypoints"])
        assert any(isinstance(n, ast.FunctionDef) and n.name.startswith("_") for n in tree.body)
        if source["ref"]:
            ref = get(hub, f"/repos/{source['full_name']}/contents/hubconf.py?ref={source['ref']}")
            assert ref.status == 200
    deps = [
        b"dependencies" in base64.b64decode(get(hub, f"/repos/{s['full_name']}/contents/hubconf.py").json()["content"])
        for s in world["sources"]
    ]
    assert any(deps) and not all(deps)


def test_generation_adds_items_and_keeps_unchanged_repositories_304(hub: FakeHub, world: dict[str, Any]) -> None:
    repos = [r for r in world["repositories"] if r["status"] == "ok" and r["kind"] == "downstream"]
    etags = {r["full_name"]: get(hub, f"/repos/{r['full_name']}").headers["ETag"] for r in repos}
    hub.set_generation(3)
    try:
        after = {
            r["full_name"]: r for r in fetch(hub.info["github_api_url"] + "/_fake/github/world").json()["repositories"]
        }
        changed = [r for r in repos if after[r["full_name"]]["issues"] + after[r["full_name"]]["pull_requests"]
                   > r["issues"] + r["pull_requests"]]  # fmt: skip
        assert changed and len(changed) < len(repos)
        for repo in repos:
            reply = get(hub, f"/repos/{repo['full_name']}", {"If-None-Match": etags[repo["full_name"]]})
            assert (reply.status == 304) == (repo not in changed), repo["full_name"]
        name = changed[0]["full_name"]
        fresh, _ = walk(hub, f"/repos/{name}/issues?state=all&per_page=100&since=2025-06-01T00:00:00Z")
        assert fresh and all(i["updated_at"] >= "2025-06-01T00:00:00Z" for i in fresh)
    finally:
        hub.set_generation(0)
