"""Files of an info reply (``?blobs=true``) read as huggingface_hub's ModelInfo reads them, without importing it."""

from __future__ import annotations

import pytest
from huggingface_hub.hf_api import ModelInfo

from crawler.hf.parse import Lfs, Sibling, siblings
from tests.real_fixtures import hf_model_info

# The real `?blobs=true` reply asserted verbatim by huggingface/hf-hub (../shared/reference/api-shapes.md 1.2).
BLOBS_REPLY = {
    "_id": "621ffdc136468d709f17ddb4",
    "id": "mcpotato/42-eicar-street",
    "sha": "8b3861f6931c4026b0cd22b38dbc09e7668983ac",
    "siblings": [
        {"blobId": "6d34772f5ca361021038b404fb913ec8dc0b1a5a", "rfilename": ".gitattributes", "size": 1175},
        {
            "blobId": "cd1c6d8bde5006076655711a49feae66f07d707e",
            "lfs": {
                "pointerSize": 127,
                "sha256": "f9343d7d7ec5c3d8bcced056c438fc9f1d3819e9ca3d42418a40857050e10e20",
                "size": 22,
            },
            "rfilename": "pytorch_model.bin",
            "size": 22,
        },
    ],
    "tags": ["pytorch", "region:us"],
}


def _as_huggingface_hub_reads_them(body: dict) -> list[tuple]:
    info = ModelInfo(**body)
    return [
        (s.rfilename, s.size, s.blob_id, (s.lfs.size, s.lfs.sha256, s.lfs.pointer_size) if s.lfs else None)
        for s in info.siblings or []
    ]


def _ours(body: dict) -> list[tuple]:
    return [
        (s.rfilename, s.size, s.blob_id, (s.lfs.size, s.lfs.sha256, s.lfs.pointer_size) if s.lfs else None)
        for s in siblings(body)
    ]


def test_blobs_reply_as_huggingface_hub_reads_it() -> None:
    assert _ours(BLOBS_REPLY) == _as_huggingface_hub_reads_them(BLOBS_REPLY)
    assert siblings(BLOBS_REPLY)[1] == Sibling(
        "pytorch_model.bin",
        22,
        "cd1c6d8bde5006076655711a49feae66f07d707e",
        Lfs(22, "f9343d7d7ec5c3d8bcced056c438fc9f1d3819e9ca3d42418a40857050e10e20", 127),
    )


def test_recorded_default_info_reply() -> None:
    """The recorded GET /api/models/{id} (no blobs): names only, as huggingface_hub reads them."""
    body = hf_model_info("google-bert/bert-base-uncased")
    assert _ours(body) == _as_huggingface_hub_reads_them(body)
    assert len(siblings(body)) == len(body["siblings"]) and siblings(body)[0] == Sibling(".gitattributes")


def test_entries_without_a_file_are_skipped() -> None:
    body = {"siblings": [None, "x", {}, {"rfilename": 3}, {"rfilename": "ok.json", "size": None, "lfs": None}]}
    assert siblings(body) == [Sibling("ok.json")]
    assert siblings({}) == siblings({"siblings": None}) == siblings({"siblings": "README.md"}) == []


@pytest.mark.parametrize(
    "entry",
    [
        {"rfilename": "a", "size": "12"},
        {"rfilename": "a", "size": True},
        {"rfilename": "a", "blobId": 7},
        {"rfilename": "a", "lfs": {"size": 1}},
        {"rfilename": "a", "lfs": {"size": 1, "sha256": "ab", "pointerSize": "x"}},
        {"rfilename": "a", "lfs": "sha"},
    ],
)
def test_a_file_entry_it_cannot_read_makes_the_reply_unusable(entry: dict) -> None:
    with pytest.raises(ValueError, match="'a'"):
        siblings({"siblings": [entry]})
