"""Models recorded from the real Hub (``--real-fixtures DIR``): the 200 model-info bodies of ``hf_*.yaml`` vcrpy
cassettes, served verbatim as extra models, with generated commits (the newest one is the recorded ``sha``), refs
and file contents for the recorded siblings.  Legacy ids come from the recorded 307 redirects.
"""

from __future__ import annotations

import calendar
import json
import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from .hf_files import is_lfs_path
from .hf_model import Commit, FileSpec, Model, hexid


def _ts(value: str) -> int:
    return calendar.timegm(time.strptime(value[:19], "%Y-%m-%dT%H:%M:%S"))


def _kind(path: str) -> tuple[str, bool]:
    if path == ".gitattributes":
        return "gitattributes", False
    if path == "README.md":
        return "readme", False
    if path == "config.json":
        return "config", False
    if is_lfs_path(path):
        return ("safetensors" if path.endswith(".safetensors") else "binary"), True
    if path.endswith(".json"):
        return "json", False
    return "text", False


def _exchanges(directory: Path) -> list[tuple[str, int, dict[str, Any], str]]:
    """(path, status, headers, body) of every ``GET /api/models/...`` exchange in the cassettes."""
    out = []
    for cassette in sorted(directory.glob("hf_*.yaml")):
        data = yaml.safe_load(cassette.read_text(encoding="utf-8")) or {}
        for interaction in data.get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            path = unquote(urlsplit(request["uri"]).path)
            if request["method"] != "GET" or not path.startswith("/api/models/"):
                continue
            body = response.get("body", {}).get("string", "")
            out.append((path, int(response["status"]["code"]), response.get("headers", {}), body))
    return out


def load_real_models(directory: str, seed: int) -> list[Model]:
    exchanges = _exchanges(Path(directory))
    legacy: dict[str, str] = {}
    for path, status, headers, _ in exchanges:
        location = (headers.get("Location") or headers.get("location") or [""])[0]
        if status in (301, 302, 307) and location.startswith("/api/models/"):
            legacy[location[len("/api/models/") :]] = path[len("/api/models/") :]
    models: list[Model] = []
    for _, status, _, body in exchanges:
        if status != 200:
            continue
        info = json.loads(body)
        if not isinstance(info, dict) or "sha" not in info or "siblings" not in info:
            continue  # expand-only bodies carry no revision
        models.append(_model(info, legacy.get(info["id"]), seed))
    return models


def _model(info: dict[str, Any], legacy_id: str | None, seed: int) -> Model:
    repo_id = info["id"]
    rng = random.Random(f"{seed}:{repo_id}:real")
    head_ts = _ts(info["lastModified"])
    created_ts = _ts(info["createdAt"])
    start = min(created_ts, head_ts - 86400 * 30)
    times = sorted(rng.randrange(start, head_ts) for _ in range(rng.randint(2, 7)))
    commits = [Commit(info["sha"], "Update README.md", "", info.get("author", "unknown"), head_ts, 0)]
    for n, ts in enumerate(reversed(times)):
        title = "initial commit" if n == len(times) - 1 else "Upload files"
        commits.append(Commit(hexid(seed, repo_id, "commit", n), title, "", info.get("author", "unknown"), ts, 0))
    files = []
    for sibling in info["siblings"]:
        kind, lfs = _kind(sibling["rfilename"])
        size = rng.randrange(1024, 65536) if lfs else rng.randrange(256, 4096)
        files.append(FileSpec(sibling["rfilename"], kind, lfs, size))
    return Model(
        key=-1,
        id=repo_id,
        object_id=info["_id"],
        author=info.get("author", repo_id.split("/")[0]),
        created_at=info["createdAt"],
        created_ts=created_ts,
        private=bool(info.get("private")),
        gated=info.get("gated", False),
        disabled=bool(info.get("disabled")),
        downloads=info.get("downloads", 0),
        downloads_all_time=info.get("downloads", 0) * 10,
        likes=info.get("likes", 0),
        trending=info.get("likes", 0) // 100,
        library=info.get("library_name"),
        pipeline_tag=info.get("pipeline_tag"),
        tags=list(info.get("tags", [])),
        config=info.get("config"),
        card_data=info.get("cardData"),
        model_index=info.get("model-index"),
        transformers_info=info.get("transformersInfo"),
        mask_token=info.get("mask_token"),
        widget_data=info.get("widgetData"),
        inference=info.get("inference"),
        spaces=list(info.get("spaces", [])),
        files=files,
        head=(info["sha"], head_ts),
        commits_fn=lambda: list(commits),
        legacy_id=legacy_id,
        real_info=info,
    )
