"""The fake Hub's HTTP API: pagination, filters, expand, errors, redirects, files, repo sub-resources."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from fakehub import FakeHub
from fakehub.client import Reply, fetch
from fakehub.hf_data import HubData
from fakehub.hf_files import git_blob_sha1

TOKEN = "hf_fake_test_token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


@pytest.fixture(scope="module")
def plain() -> Iterator[FakeHub]:
    with FakeHub(models=30, seed=1) as hub:
        yield hub


@pytest.fixture(scope="module")
def rich() -> Iterator[FakeHub]:
    with FakeHub(models=60, seed=2, traps=True, token=TOKEN) as hub:
        yield hub


def _get(hub: FakeHub, path: str, **kw: object) -> Reply:
    return fetch(hub.hf_endpoint + path, **kw)  # type: ignore[arg-type]


def _walk(hub: FakeHub, path: str) -> tuple[list[dict], list[str]]:
    """All entries of a listing by following Link headers; also the next-URLs seen."""
    url: str | None = hub.hf_endpoint + path
    entries: list[dict] = []
    links: list[str] = []
    while url:
        reply = fetch(url)
        assert reply.status == 200, reply.body[:300]
        entries += reply.json()
        match = LINK.search(reply.headers.get("Link") or "")
        url = match.group(1) if match else None
        if url:
            links.append(url)
    return entries, links


def test_listing_pages_follow_link_to_the_end(plain: FakeHub) -> None:
    entries, links = _walk(plain, "/api/models?limit=7&full=true")
    ids = [e["id"] for e in entries]
    data = HubData(1, 30)
    public = [m.id for m in map(data.model, range(30)) if m is not None and not m.private]
    assert ids == public  # each model once, in listing order
    assert len(links) == (len(ids) - 1) // 7
    for link in links:
        parts = urlsplit(link)
        assert link.startswith(plain.hf_endpoint + "/api/models?")
        query = parse_qs(parts.query)
        assert query["limit"] == ["7"] and query["full"] == ["true"]  # original params carried along
        cursor = query["cursor"][0]
        assert not cursor.isdigit()
        base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert all("sha" in e and "siblings" in e for e in entries)


def test_limit_is_a_page_size_and_the_last_page_has_no_link(plain: FakeHub) -> None:
    everything = _get(plain, "/api/models").json()
    assert _get(plain, "/api/models").headers.get("Link") is None
    first = _get(plain, "/api/models?limit=2")
    assert len(first.json()) == 2 and first.headers.get("Link")
    last = _get(plain, f"/api/models?limit={len(everything)}")
    assert last.headers.get("Link") is None
    assert _get(plain, "/api/models?limit=5000").json() == everything


def test_filters_search_author_sort(rich: FakeHub) -> None:
    everything = _get(rich, "/api/models?full=true").json()
    some = everything[3]
    by_author = _get(rich, f"/api/models?author={some['author']}").json()
    assert by_author and all(e["id"].startswith(some["author"] + "/") for e in by_author)
    needle = some["id"].split("/")[1][-5:].upper()
    assert [e["id"] for e in _get(rich, f"/api/models?search={needle}").json()] == [some["id"]]
    tags = ["region:us", some["tags"][0]]
    filtered = _get(rich, "/api/models?" + "&".join(f"filter={quote(t)}" for t in tags)).json()
    assert some["id"] in {e["id"] for e in filtered}
    assert all(set(tags) <= set(e["tags"]) for e in filtered)
    for key in ("downloads", "likes", "createdAt", "lastModified"):
        values = [e.get(key) for e in _get(rich, f"/api/models?sort={key}&direction=-1&full=true").json()]
        values = [v for v in values if v is not None]
        assert values == sorted(values, reverse=True)
    assert "fake-traps/private" not in {e["id"] for e in everything}
    assert _get(rich, "/api/models?sort=bogus").status == 400


def test_full_card_config_and_expand(rich: FakeHub) -> None:
    default = _get(rich, "/api/models?limit=5").json()
    assert all("siblings" not in e and "sha" not in e and "cardData" not in e for e in default)
    with_card = _get(rich, "/api/models?cardData=True&config=1&limit=50").json()
    assert any("cardData" in e for e in with_card) and any("config" in e for e in with_card)
    expanded = _get(rich, "/api/models?expand=downloadsAllTime&expand[]=author&limit=5").json()
    assert all(set(e) == {"_id", "id", "downloadsAllTime", "author"} for e in expanded)
    bad = _get(rich, "/api/models?expand=notAProperty")
    assert bad.status == 400 and "error" in bad.json()
    model_id = default[0]["id"]
    one = _get(rich, f"/api/models/{model_id}?expand=sha&expand=likes").json()
    assert set(one) == {"_id", "id", "sha", "likes"}


def test_repo_errors(rich: FakeHub) -> None:
    missing = _get(rich, "/api/models/nobody/nothing-00001")
    assert missing.status == 401 and missing.headers.get("X-Error-Code") is None
    missing = _get(rich, "/api/models/nobody/nothing-00001", headers=AUTH)
    assert missing.status == 404 and missing.headers["X-Error-Code"] == "RepoNotFound"
    assert "error" in missing.json()
    bad = _get(rich, "/api/models", headers={"Authorization": "Bearer hf_wrong"})
    assert bad.status == 401
    assert bad.headers["X-Error-Message"] == "Invalid credentials in Authorization header"
    assert _get(rich, "/api/models/fake-traps/private").status == 401
    assert _get(rich, "/api/models/fake-traps/private", headers=AUTH).status == 404
    disabled = _get(rich, "/api/models/fake-traps/disabled", headers=AUTH)
    assert disabled.status == 403 and disabled.json() == {"error": "Access to this resource is disabled."}
    model_id = _get(rich, "/api/models?limit=1").json()[0]["id"]
    rev = _get(rich, f"/api/models/{model_id}/revision/{'0' * 40}")
    assert rev.status == 404 and rev.headers["X-Error-Code"] == "RevisionNotFound"
    sha = _get(rich, f"/api/models/{model_id}").json()["sha"]
    entry = _get(rich, f"/{model_id}/resolve/main/no/such/file.txt")
    assert entry.status == 404 and entry.headers["X-Error-Code"] == "EntryNotFound"
    assert entry.headers["X-Repo-Commit"] == sha


def test_gated_files(rich: FakeHub) -> None:
    info = _get(rich, "/api/models/fake-traps/gated-manual").json()
    assert info["gated"] == "manual"
    anonymous = _get(rich, "/fake-traps/gated-manual/resolve/main/config.json")
    assert anonymous.status == 401 and anonymous.headers["X-Error-Code"] == "GatedRepo"
    logged_in = _get(rich, "/fake-traps/gated-manual/resolve/main/config.json", headers=AUTH)
    assert logged_in.status == 403 and logged_in.headers["X-Error-Code"] == "GatedRepo"
    assert _get(rich, "/fake-traps/gated-auto/resolve/main/README.md").status == 200


def test_legacy_ids_redirect_relatively(rich: FakeHub) -> None:
    data = HubData(2, 3000)
    legacy = next(data.model(k) for k in range(3000) if data.skeleton(k).legacy and not data.skeleton(k).private)
    assert legacy is not None and legacy.legacy_id
    with FakeHub(models=3000, seed=2) as hub:
        reply = _get(hub, f"/api/models/{legacy.legacy_id}?blobs=true")
        assert reply.status == 307
        assert reply.headers["Location"] == f"/api/models/{legacy.id}?blobs=true"
        assert reply.headers["Content-Type"].startswith("text/plain")
        assert _get(hub, reply.headers["Location"]).json()["id"] == legacy.id
        files = _get(hub, f"/{legacy.legacy_id}/resolve/main/.gitattributes")
        assert files.status == 307 and files.headers["Location"] == f"/{legacy.id}/resolve/main/.gitattributes"


def test_resolve_serves_what_info_and_tree_advertise(rich: FakeHub) -> None:
    model_id = next(e["id"] for e in _get(rich, "/api/models?full=true").json()
                    if any(s["rfilename"].endswith(".safetensors") for s in e["siblings"])
                    and not e["id"].startswith("fake-traps/"))  # fmt: skip
    info = _get(rich, f"/api/models/{model_id}?blobs=true").json()
    tree = {e["path"]: e for e in _get(rich, f"/api/models/{model_id}/tree/main?recursive=true").json()}
    for sibling in info["siblings"]:
        path = sibling["rfilename"]
        assert tree[path]["oid"] == sibling["blobId"] and tree[path]["size"] == sibling["size"]
        head = _get(rich, f"/{model_id}/resolve/main/{path}", method="HEAD")
        assert head.headers["X-Repo-Commit"] == info["sha"] and head.body == b""
        if "lfs" in sibling:
            assert tree[path]["lfs"]["oid"] == sibling["lfs"]["sha256"]
            cdn = rich.hf_endpoint.replace("127.0.0.1", "localhost")  # another host, as the real CDN
            assert head.status == 302 and head.headers["Location"].startswith(cdn + "/_cdn/")
            assert head.headers["X-Linked-Etag"] == f'"{sibling["lfs"]["sha256"]}"'
            assert int(head.headers["X-Linked-Size"]) == sibling["size"]
            data = fetch(head.headers["Location"]).body
            assert hashlib.sha256(data).hexdigest() == sibling["lfs"]["sha256"] and len(data) == sibling["size"]
            part = fetch(head.headers["Location"], headers={"Range": "bytes=0-9"})
            assert part.status == 206 and part.body == data[:10]
            assert part.headers["Content-Range"] == f"bytes 0-9/{len(data)}"
        else:
            assert head.status == 200 and int(head.headers["Content-Length"]) == sibling["size"]
            body = _get(rich, f"/{model_id}/resolve/{info['sha']}/{path}")
            assert body.headers["ETag"] == f'"{sibling["blobId"]}"' == f'"{git_blob_sha1(body.body)}"'


def test_tree_folders_commits_refs(rich: FakeHub) -> None:
    entries = _get(rich, "/api/models?full=true").json()
    model = next(e for e in entries if any("/" in s["rfilename"] for s in e["siblings"]))
    folder = next(s["rfilename"] for s in model["siblings"] if "/" in s["rfilename"]).rsplit("/", 1)[0]
    top = _get(rich, f"/api/models/{model['id']}/tree/main").json()
    assert {"type": "directory", "oid": top[0]["oid"], "size": 0, "path": folder.split("/")[0]} in top or any(
        e["type"] == "directory" and e["path"] == folder.split("/")[0] and e["size"] == 0 for e in top
    )
    assert all("/" not in e["path"] for e in top)
    inside = _get(rich, f"/api/models/{model['id']}/tree/main/{quote(folder, safe='')}").json()
    assert inside and all(e["path"].startswith(folder + "/") for e in inside)
    expanded = _get(rich, f"/api/models/{model['id']}/tree/main?expand=true").json()
    assert all("lastCommit" in e for e in expanded if e["type"] == "file")

    commits = _get(rich, f"/api/models/{model['id']}/commits/main").json()
    assert commits[0]["id"] == model["sha"] and commits[-1]["title"] == "initial commit"
    assert set(commits[0]) == {"id", "title", "message", "authors", "date"}
    refs = _get(rich, f"/api/models/{model['id']}/refs?include_prs=1").json()
    assert refs["branches"] == [{"name": "main", "ref": "refs/heads/main", "targetCommit": model["sha"]}]
    assert refs["converts"] == [] and "pullRequests" in refs
    many = next(e for e in entries if len(_get(rich, f"/api/models/{e['id']}/commits/main").json()) >= 4)
    walked, _ = _walk(rich, f"/api/models/{many['id']}/commits/main?limit=2")
    assert [c["id"] for c in walked] == [c["id"] for c in _get(rich, f"/api/models/{many['id']}/commits/main").json()]


def test_discussions_parse_with_the_official_client(rich: FakeHub) -> None:
    from huggingface_hub import HfApi

    api = HfApi(endpoint=rich.hf_endpoint, token=False)
    ids = [e["id"] for e in _get(rich, "/api/models").json() if not e["id"].startswith("fake-traps/")]
    with_discussions = [i for i in ids if _get(rich, f"/api/models/{i}/discussions").json()["count"]]
    assert with_discussions
    seen_pr = False
    for repo_id in with_discussions[:4]:
        discussions = list(api.get_repo_discussions(repo_id))
        assert discussions and all(d.repo_id == repo_id for d in discussions)
        for disc in discussions:
            details = api.get_discussion_details(repo_id, disc.num)
            assert details.events and details.events[0].type == "comment"
            if details.is_pull_request:
                seen_pr = True
                assert details.target_branch == "refs/heads/main" and details.diff is not None
    assert seen_pr


def test_official_client_reads_listing_info_and_files(rich: FakeHub, tmp_path) -> None:
    from huggingface_hub import HfApi, hf_hub_download

    api = HfApi(endpoint=rich.hf_endpoint, token=False)
    listed = list(api.list_models(limit=25, full=True))
    assert len(listed) == 25 and all(m.sha for m in listed)
    target = next(m for m in listed if m.siblings and any(s.rfilename == "config.json" for s in m.siblings)
                  and not m.gated and not m.id.startswith("fake-traps/"))  # fmt: skip
    info = api.model_info(target.id, files_metadata=True)
    assert info.sha == target.sha and info.siblings
    commits = api.list_repo_commits(target.id)
    assert commits[0].commit_id == info.sha
    path = hf_hub_download(target.id, "config.json", endpoint=rich.hf_endpoint, cache_dir=tmp_path, token=False)
    blob = next(s for s in info.siblings if s.rfilename == "config.json")
    assert git_blob_sha1(open(path, "rb").read()) == blob.blob_id
    assert [p.blob_id for p in api.get_paths_info(target.id, ["config.json"])] == [blob.blob_id]
    assert {f.path for f in api.list_repo_tree(target.id, recursive=True)} >= {s.rfilename for s in info.siblings}
    weights = next((s for s in info.siblings if s.lfs), None)
    if weights is not None:  # LFS: 302 to the CDN host, metadata read from the redirect itself
        path = hf_hub_download(target.id, weights.rfilename, endpoint=rich.hf_endpoint, cache_dir=tmp_path,
                               token=False)  # fmt: skip
        assert hashlib.sha256(open(path, "rb").read()).hexdigest() == weights.lfs.sha256


def test_official_client_raises_the_right_errors(rich: FakeHub, tmp_path) -> None:
    from huggingface_hub import HfApi, hf_hub_download
    from huggingface_hub.errors import (
        DisabledRepoError,
        EntryNotFoundError,
        GatedRepoError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    api = HfApi(endpoint=rich.hf_endpoint, token=TOKEN)
    model_id = _get(rich, "/api/models?limit=1").json()[0]["id"]
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("nobody/nothing-00001")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(model_id, revision="no-such-branch")
    with pytest.raises(DisabledRepoError):
        api.model_info("fake-traps/disabled")
    for token in (False, TOKEN):
        with pytest.raises(GatedRepoError):
            hf_hub_download("fake-traps/gated-manual", "config.json", endpoint=rich.hf_endpoint, cache_dir=tmp_path,
                            token=token)  # fmt: skip
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(model_id, "nope.txt", endpoint=rich.hf_endpoint, cache_dir=tmp_path, token=TOKEN)


def test_generation_switch_and_request_log(plain: FakeHub) -> None:
    plain.clear_requests()
    before = {e["id"]: e["sha"] for e in _get(plain, "/api/models?full=true").json()}
    plain.set_generation(3)
    after = {e["id"]: e["sha"] for e in _get(plain, "/api/models?full=true").json()}
    plain.set_generation(0)
    assert set(before) < set(after)
    _get(plain, "/api/models?limit=1", headers={"Authorization": "Bearer secret-value"})
    log = plain.requests()
    assert [r["path"] for r in log] == ["/api/models"] * 3
    assert log[0]["query"] == {"full": ["true"]} and log[0]["status"] == 200 and log[0]["auth"] is False
    assert log[-1]["auth"] is True and "secret-value" not in str(log)
    assert plain.requests(clear=True) and plain.requests() == []


def test_two_processes_serve_identical_bodies(plain: FakeHub) -> None:
    """Generation 0 of a seed does not depend on the process (hash randomisation, caches, timing)."""
    paths = ["/api/models?full=true&cardData=true&config=true"]
    first = _get(plain, paths[0]).json()
    paths += [f"/api/models/{e['id']}?blobs=true" for e in first[:5]]
    paths += [f"/api/models/{e['id']}/discussions" for e in first[:5]]
    with FakeHub(models=30, seed=1) as other:
        for path in paths:
            assert _get(plain, path).body == _get(other, path).body, path


def test_trap_models_are_there_with_their_hostile_data(rich: FakeHub) -> None:
    listed = {e["id"]: e for e in _get(rich, "/api/models?search=fake-traps&full=true&cardData=true").json()}
    names = {i.split("/")[1] for i in listed}
    assert {"path-traversal", "gated-manual", "disabled", "binary-readme", "huge-readme", "odd-carddata",
            "no-counts", "extra-fields"} <= names and "private" not in names  # fmt: skip
    paths = {s["rfilename"] for s in listed["fake-traps/path-traversal"]["siblings"]}
    assert {"../../etc/passwd", "/abs/path", "a/../../x"} <= paths
    escaped = _get(rich, "/fake-traps/path-traversal/resolve/main/../../etc/passwd")
    assert escaped.status == 200 and escaped.headers["X-Repo-Commit"]
    assert b"\x00" in _get(rich, "/fake-traps/binary-readme/resolve/main/README.md").body
    huge = _get(rich, "/fake-traps/huge-readme/resolve/main/README.md", method="HEAD")
    assert int(huge.headers["Content-Length"]) >= 12 * 1024 * 1024
    card = listed["fake-traps/odd-carddata"]["cardData"]
    assert isinstance(card["license"], list) and isinstance(card["datasets"], str) and card["language"] is None
    assert "downloads" not in listed["fake-traps/no-counts"] and "likes" not in listed["fake-traps/no-counts"]
    assert "unknownObject" in listed["fake-traps/extra-fields"]
    assert "unknownObject" in _get(rich, "/api/models/fake-traps/extra-fields").json()
    assert _get(rich, "/api/models/fake-traps/discussions-disabled/discussions").status == 403
