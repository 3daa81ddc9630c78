"""The fake Hub's bodies have the keys and JSON types of the real Hub's recorded bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakehub import FakeHub
from fakehub.client import fetch

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
REAL = SHARED / "fixtures" / "real"
CASSETTES = {
    "google-bert/bert-base-uncased": "hf_InferenceApiTest.test_simple_inference.yaml",
    "deepset/roberta-base-squad2": "hf_InferenceApiTest.test_inference_missing_input.yaml",
}
# Keys every model info carries (the others depend on the model: pipeline_tag, mask_token, config, ...).
ALWAYS = {"_id", "id", "private", "tags", "downloads", "likes", "modelId", "author", "sha", "lastModified", "gated",
          "disabled", "model-index", "siblings", "spaces", "createdAt", "usedStorage"}  # fmt: skip
# The documented default list entry, in the order the real Hub sends it (api-shapes.md §1.1).
LIST_KEYS = ["_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name",
             "createdAt", "modelId"]  # fmt: skip


def _recorded(name: str) -> list[tuple[str, int, dict[str, Any], str]]:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared not found")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (
            i["request"]["uri"],
            i["response"]["status"]["code"],
            i["response"]["headers"],
            i["response"]["body"]["string"],
        )
        for i in data["interactions"]
    ]


def _recorded_info(repo_id: str) -> dict[str, Any]:
    for uri, status, _, body in _recorded(CASSETTES[repo_id]):
        if uri.endswith(f"/api/models/{repo_id}") and status == 200:
            return json.loads(body)
    raise AssertionError(f"no recorded info for {repo_id}")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return {str: "str", type(None): "null", list: "list", dict: "object"}[type(value)]


# Documented unions: gated is false | "auto" | "manual"; model-index is null | list.
UNIONS = {"gated": {"bool", "str"}, "model-index": {"null", "list"}}


def _assert_compatible(fake: Any, real: Any, where: str) -> None:
    """Same JSON types, recursively: shared dict keys, and every list item against the real first item."""
    if where in UNIONS:
        assert _kind(fake) in UNIONS[where], (where, fake)
        return
    assert _kind(fake) == _kind(real), (where, fake, real)
    if isinstance(real, dict):
        for key in set(fake) & set(real):
            _assert_compatible(fake[key], real[key], f"{where}.{key}")
    elif isinstance(real, list) and real:
        for item in fake:
            _assert_compatible(item, real[0], f"{where}[]")


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    if not REAL.exists():
        pytest.skip(f"{REAL}: ../shared not found")
    with FakeHub(models=300, seed=9, real_fixtures=str(REAL)) as running:
        yield running


@pytest.fixture(scope="module")
def fake_infos(hub: FakeHub) -> list[dict[str, Any]]:
    listing = fetch(hub.hf_endpoint + "/api/models?limit=300").json()
    ids = [e["id"] for e in listing if "/" in e["id"] and not e["id"].startswith(("google-bert/", "deepset/"))]
    return [fetch(f"{hub.hf_endpoint}/api/models/{i}").json() for i in ids[:120]]


@pytest.mark.parametrize("repo_id", sorted(CASSETTES))
def test_model_info_keys_and_types_match_the_recordings(repo_id: str, fake_infos: list[dict[str, Any]]) -> None:
    real = _recorded_info(repo_id)
    union: set[str] = set()
    for fake in fake_infos:
        assert ALWAYS <= set(fake), ALWAYS - set(fake)
        union |= set(fake)
        for key in set(fake) & set(real):
            if key == "model-index" and (fake[key] is None or real[key] is None):
                continue  # null or a list, both seen for real
            if key == "cardData":
                continue  # free-form README YAML; checked below
            _assert_compatible(fake[key], real[key], key)
            if isinstance(real[key], dict) and key not in ("cardData", "config"):
                assert set(fake[key]) & set(real[key]), key  # documented sub-keys are used
        if fake.get("library_name") == "transformers" and "config" in fake:
            assert {"architectures", "model_type"} <= set(fake["config"])
    assert set(real) - {"spaces"} <= union  # every recorded key is produced by some fake model
    assert any(isinstance(f["model-index"], list) for f in fake_infos)
    assert all(isinstance(f.get("cardData", {}), dict) for f in fake_infos)
    order = [k for k in real if k in fake_infos[0]]
    assert [k for k in fake_infos[0] if k in real] == order  # same key order as the real body


def test_real_models_are_served_verbatim(hub: FakeHub) -> None:
    for repo_id in CASSETTES:
        real = _recorded_info(repo_id)
        assert fetch(f"{hub.hf_endpoint}/api/models/{repo_id}").json() == real
        commits = fetch(f"{hub.hf_endpoint}/api/models/{repo_id}/commits/main").json()
        assert commits[0]["id"] == real["sha"] and commits[0]["date"] == real["lastModified"]
        blobs = fetch(f"{hub.hf_endpoint}/api/models/{repo_id}?blobs=true").json()
        assert [s["rfilename"] for s in blobs["siblings"]] == [s["rfilename"] for s in real["siblings"]]
    listed = {e["id"] for e in fetch(hub.hf_endpoint + "/api/models?search=bert-base-uncased").json()}
    assert "google-bert/bert-base-uncased" in listed


def test_legacy_redirect_matches_the_recording(hub: FakeHub) -> None:
    uri, status, headers, body = _recorded(CASSETTES["google-bert/bert-base-uncased"])[0]
    assert uri.endswith("/api/models/bert-base-uncased") and status == 307
    reply = fetch(hub.hf_endpoint + "/api/models/bert-base-uncased")
    assert reply.status == status
    assert reply.headers["Location"] == headers["Location"][0]
    assert reply.headers["Content-Type"].split(";")[0] == headers["Content-Type"][0].split(";")[0]
    assert reply.body.decode() == body


def test_blobs_siblings_have_the_recorded_shape(hub: FakeHub, fake_infos: list[dict[str, Any]]) -> None:
    # hf-hub's tokio.rs test asserts this real ?blobs=true sibling verbatim (api-shapes.md §1.2).
    real_lfs = {"blobId": "cd1c6d8bde5006076655711a49feae66f07d707e", "rfilename": "pytorch_model.bin", "size": 22,
                "lfs": {"pointerSize": 127, "size": 22,
                        "sha256": "f9343d7d7ec5c3d8bcced056c438fc9f1d3819e9ca3d42418a40857050e10e20"}}  # fmt: skip
    real_plain = {"blobId": "6d34772f5ca361021038b404fb913ec8dc0b1a5a", "rfilename": ".gitattributes", "size": 1175}
    model_id = next(f["id"] for f in fake_infos if any(s["rfilename"].endswith(".bin") for s in f["siblings"]))
    siblings = fetch(f"{hub.hf_endpoint}/api/models/{model_id}?blobs=true").json()["siblings"]
    assert any("lfs" in s for s in siblings)
    for sibling in siblings:
        expected = real_lfs if "lfs" in sibling else real_plain
        assert set(sibling) == set(expected)
        _assert_compatible(sibling, expected, sibling["rfilename"])


def test_list_entries_have_the_documented_keys(hub: FakeHub) -> None:
    real = _recorded_info("google-bert/bert-base-uncased")
    default = fetch(hub.hf_endpoint + "/api/models?limit=100").json()
    for entry in default:
        assert [k for k in LIST_KEYS if k in entry] == list(entry)
        assert {"_id", "id", "likes", "private", "downloads", "tags", "createdAt", "modelId"} <= set(entry)
    full = fetch(hub.hf_endpoint + "/api/models?limit=100&full=true&cardData=true&config=true").json()
    for entry in full:
        assert {"author", "sha", "lastModified", "private", "gated", "disabled", "siblings"} <= set(entry)
        for key in set(entry) & set(real) - {"cardData", "model-index"}:
            _assert_compatible(entry[key], real[key], key)
    assert any("cardData" in e for e in full) and any("config" in e for e in full)
