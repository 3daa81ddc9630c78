"""Trap models added by ``--traps``: fixed extra models with hostile or unusual data, all under ``fake-traps/``.

- ``fake-traps/path-traversal``: siblings ``../../etc/passwd``, ``/abs/path`` and ``a/../../x`` (served by resolve).
- ``fake-traps/gated-manual``: ``gated: "manual"``; files 401/403 GatedRepo (README.md and .gitattributes open).
- ``fake-traps/gated-auto``: ``gated: "auto"``, same file rules.
- ``fake-traps/disabled``: ``disabled: true``; listed, but every repo route answers 403.
- ``fake-traps/private``: ``private: true``; never listed, 401 anonymous / 404 with a token.
- ``fake-traps/binary-readme``: README.md full of NUL and invalid UTF-8 bytes.
- ``fake-traps/huge-readme``: a 12 MB README.md.
- ``fake-traps/odd-carddata``: cardData with ``license`` as a list, ``datasets`` as a string, ``language`` null,
  ``base_model`` as a number and ``tags`` null (README front matter says the same).
- ``fake-traps/no-counts``: list entries lack ``downloads`` and ``likes`` (model info has them).
- ``fake-traps/extra-fields``: unknown keys in list entries and model info (scalars, objects, null).
- ``fake-traps/discussions-disabled``: ``/discussions`` answers 403 "Discussions are disabled for this repo".
- ``fake-traps/unicode-card``: non-ASCII id-free card text (emoji, RTL, CJK) and a non-ASCII file name.
"""

from __future__ import annotations

import random
from typing import Any

from .hf_model import Commit, FileSpec, Model, hexid, iso

TRAP_ORG = "fake-traps"
BASE_TS = 1700000000  # 2023-11-14


def _model(seed: int, name: str, number: int, **fields: Any) -> Model:
    repo_id = f"{TRAP_ORG}/{name}"
    rng = random.Random(f"{seed}:{repo_id}")
    created = BASE_TS + number * 86400
    commits = [
        Commit(
            hexid(seed, repo_id, "commit", 1), "Upload folder using huggingface_hub", "", TRAP_ORG, created + 3600, 0
        ),
        Commit(hexid(seed, repo_id, "commit", 0), "initial commit", "", TRAP_ORG, created, 0),
    ]
    files = fields.pop("files", None) or [
        FileSpec(".gitattributes", "gitattributes"),
        FileSpec("README.md", "readme"),
        FileSpec("config.json", "config"),
        FileSpec("model.safetensors", "safetensors", True, 4096),
    ]
    model = Model(
        key=-1,
        id=repo_id,
        object_id=f"{created:08x}" + hexid(seed, repo_id, "oid", length=16),
        author=TRAP_ORG,
        created_at=iso(created),
        created_ts=created,
        downloads=rng.randrange(50, 5000),
        likes=rng.randrange(0, 50),
        library="transformers",
        pipeline_tag="text-classification",
        tags=["transformers", "pytorch", "safetensors", "bert", "text-classification", "license:mit", "region:us"],
        config={"architectures": ["BertForSequenceClassification"], "model_type": "bert"},
        card_data={"license": "mit", "pipeline_tag": "text-classification"},
        transformers_info={
            "auto_model": "AutoModelForSequenceClassification",
            "pipeline_tag": "text-classification",
            "processor": "AutoTokenizer",
        },
        files=files,
        commits_fn=lambda: list(commits),
    )
    for key, value in fields.items():
        setattr(model, key, value)
    return model


def _binary_readme() -> bytes:
    return b"---\nlicense: mit\n---\n# Binary\x00\x00\xff\xfe\x00 card\n" + bytes(range(256)) * 4


def _huge_readme() -> bytes:
    line = b"This line pads a very large model card so that crawlers must cap what they read. " * 2 + b"\n"
    head = b"---\nlicense: mit\n---\n# Huge card\n\n"
    body = line * (12 * 1024 * 1024 // len(line) + 1)
    return (head + body)[: 12 * 1024 * 1024]


def trap_models(seed: int) -> list[Model]:
    traversal_files = [
        FileSpec(".gitattributes", "gitattributes"),
        FileSpec("README.md", "readme"),
        FileSpec("../../etc/passwd", "text", size_hint=64),
        FileSpec("/abs/path", "text", size_hint=64),
        FileSpec("a/../../x", "text", size_hint=64),
        FileSpec("config.json", "config"),
    ]
    odd_card: dict[str, Any] = {
        "license": ["mit", "apache-2.0"],
        "datasets": "imdb",
        "language": None,
        "base_model": 42,
        "tags": None,
    }
    extra = {
        "unknownScalar": 7,
        "unknownObject": {"nested": [1, "two", None]},
        "unknownNull": None,
        "cardExists": True,
        "discussionsDisabled": False,
    }
    unicode_files = [
        FileSpec(".gitattributes", "gitattributes"),
        FileSpec("README.md", "readme"),
        FileSpec("config.json", "config"),
        FileSpec("données/модель ✓.json", "json"),
    ]
    models = [
        _model(seed, "path-traversal", 1, files=traversal_files),
        _model(seed, "gated-manual", 2, gated="manual"),
        _model(seed, "gated-auto", 3, gated="auto"),
        _model(seed, "disabled", 4, disabled=True),
        _model(seed, "private", 5, private=True),
        _model(seed, "binary-readme", 6, overrides={"README.md": _binary_readme()}),
        _model(seed, "huge-readme", 7),
        _model(seed, "odd-carddata", 8, card_data=odd_card),
        _model(seed, "no-counts", 9, list_omit=frozenset({"downloads", "likes"})),
        _model(seed, "extra-fields", 10, extra_info=extra),
        _model(
            seed,
            "unicode-card",
            11,
            files=unicode_files,
            card_data={"license": "mit", "language": ["zh", "ar"], "tags": ["日本語", "😀"]},
        ),
        _model(seed, "discussions-disabled", 12, discussions_disabled=True),
    ]
    models[6].overrides = {"README.md": _huge_readme()}
    return models
