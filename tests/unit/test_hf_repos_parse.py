"""Spaces and datasets parsing agrees with huggingface_hub's own parsing, and survives hostile entries."""

from __future__ import annotations

from typing import Any

import pytest
from huggingface_hub.hf_api import DatasetInfo, SpaceInfo

from crawler.hf_repos import parse
from crawler.hf_repos.items import HfDeclaredModelItem, SpaceSnapshotItem
from pipelines.snapshot import manifest_path
from pipelines.validate import problems

SHA = "0123456789abcdef0123456789abcdef01234567"

SPACE: dict[str, Any] = {
    "_id": "65a1b2c3d4e5f60718293a4b",
    "id": "acme/chat-demo",
    "author": "acme",
    "sha": SHA,
    "lastModified": "2024-05-01T10:00:00.000Z",
    "createdAt": "2023-01-02T03:04:05.000Z",
    "private": False,
    "gated": False,
    "disabled": False,
    "likes": 42,
    "sdk": "gradio",
    "subdomain": "acme-chat-demo",
    "tags": ["gradio", "region:us", "license:mit"],
    "cardData": {"title": "Chat demo", "sdk": "gradio", "license": "apache-2.0", "models": ["org/card-only"]},
    "runtime": {"stage": "RUNNING", "hardware": {"current": "t4-small", "requested": "t4-small"}, "gcTimeout": 3600},
    "models": ["org/model-a", "org/model-b"],
    "datasets": ["squad"],
    "siblings": [{"rfilename": "app.py"}, {"rfilename": "README.md"}, {"rfilename": 7}],
}

DATASET: dict[str, Any] = {
    "_id": "65a1b2c3d4e5f60718293a4c",
    "id": "acme/reviews",
    "author": "acme",
    "sha": SHA,
    "lastModified": "2024-05-01T10:00:00.000Z",
    "createdAt": "2023-01-02T03:04:05.000Z",
    "private": False,
    "gated": "auto",
    "disabled": False,
    "downloads": 1234,
    "likes": 5,
    "tags": ["task_categories:text-classification", "size_categories:1K<n<10K", "language:en", "license:mit"],
    "cardData": {"license": "cc-by-4.0", "language": ["en", "fr"], "pretty_name": "Reviews"},
    "siblings": [{"rfilename": "README.md"}],
}


def test_space_item_matches_huggingface_hub_space_info() -> None:
    item = parse.space_item(SPACE)
    info = SpaceInfo(**SPACE | {"siblings": SPACE["siblings"][:2]})
    assert item is not None
    assert (item.space_id, item.author, item.sha, item.sdk, item.likes) == (
        info.id,
        info.author,
        info.sha,
        info.sdk,
        info.likes,
    )
    assert (item.runtime_stage, item.hardware, item.requested_hardware) == (
        info.runtime.stage,
        info.runtime.hardware,
        info.runtime.requested_hardware,
    )
    assert item.models == info.models and item.datasets == info.datasets and item.tags == info.tags
    assert item.created_at == SPACE["createdAt"] and item.title == "Chat demo" and item.license == "apache-2.0"


def test_space_without_api_links_falls_back_to_its_card() -> None:
    entry = {k: v for k, v in SPACE.items() if k not in ("models", "datasets", "cardData")}
    entry["cardData"] = {"models": "org/only-one", "datasets": ["a", "", 3]}
    item = parse.space_item(entry)
    assert item is not None and item.models == ["org/only-one"] and item.datasets == ["a"]
    assert item.license == "mit"  # from the license:* tag when the card has none


def test_dataset_item_matches_huggingface_hub_dataset_info() -> None:
    item = parse.dataset_item(DATASET)
    info = DatasetInfo(**DATASET)
    assert item is not None
    assert (item.dataset_id, item.downloads, item.likes, item.gated, item.tags) == (
        info.id,
        info.downloads,
        info.likes,
        info.gated,
        info.tags,
    )
    # The card wins where it speaks; the tags fill in the rest.
    assert item.licenses == ["cc-by-4.0"] and item.languages == ["en", "fr"]
    assert item.task_categories == ["text-classification"] and item.size_categories == ["1K<n<10K"]
    assert item.pretty_name == "Reviews" and item.siblings == ["README.md"]


@pytest.mark.parametrize(
    "entry", [None, [], "acme/x", {}, {"id": ""}, {"id": 5}, {"_id": "x"}], ids=lambda e: repr(e)[:20]
)
def test_entries_without_a_usable_id_are_skipped(entry: Any) -> None:
    assert parse.space_item(entry) is None and parse.dataset_item(entry) is None


def test_wrong_types_become_unknown_not_crashes() -> None:
    hostile = {
        "id": "acme/x",
        "likes": "many",
        "sdk": ["gradio"],
        "runtime": "RUNNING",
        "tags": "gradio",
        "cardData": ["not", "a", "dict"],
        "models": {"org/m": 1},
        "siblings": "app.py",
        "private": "no",
    }
    item = parse.space_item(hostile)
    assert item is not None
    assert (item.likes, item.sdk, item.runtime_stage, item.private) == (None, None, None, None)
    assert item.tags == ["gradio"] and item.models == [] and item.card_data == {}
    assert parse.dataset_item(hostile | {"siblings": [{"rfilename": 7}, "x"]}).siblings == []


def test_space_files_kept_for_mapping() -> None:
    kept = [
        p
        for p in ("app.py", "requirements.txt", "README.md", "src/model.py", "logo.png", "x.pyc")
        if parse.wanted_space_file(p)
    ]
    assert kept == ["app.py", "requirements.txt", "README.md", "src/model.py"]


def test_validation_drops_bad_repos_and_hostile_declared_names() -> None:
    item = parse.space_item(SPACE | {"models": ["org/ok", "../../etc/passwd", "a b"], "datasets": ["ok", "x/../y"]})
    assert item is not None and problems(item) == []
    assert item.models == ["org/ok"] and item.datasets == ["ok"]
    assert problems(parse.space_item(SPACE | {"id": "../evil"}))
    assert problems(parse.space_item(SPACE | {"sha": "not-a-sha"}))
    assert problems(parse.dataset_item(DATASET | {"downloads": -1}))
    assert problems(HfDeclaredModelItem(name="a/b", status=200, canonical_id="../x"))
    assert problems(SpaceSnapshotItem(context_id="a/b", revision="main"))


def test_space_manifests_do_not_clash_with_model_manifests() -> None:
    assert manifest_path(SpaceSnapshotItem(context_id="a/b", revision=SHA)) == f"manifests/spaces/a/b/{SHA}.json"


def test_spaces_and_datasets_count_against_the_hubs_buckets() -> None:
    from crawler.hf_repos import limits
    from crawler.registries import Bucket, Classifier

    assert limits.LIMITS is None  # no limits of its own: the model crawl's registry classifies its requests
    classify = Classifier({"HF_ENDPOINT": "https://huggingface.co"}).classify
    api = ("/api/spaces", "/api/datasets", "/api/models/a/b")
    assert {classify("https://huggingface.co" + p) for p in api} == {Bucket("hf", "api")}
    paths = ("/spaces/a/b/resolve/" + SHA + "/app.py", "/datasets/squad/resolve/" + SHA + "/README.md")
    assert {classify("https://huggingface.co" + p) for p in paths} == {Bucket("hf", "resolvers")}
