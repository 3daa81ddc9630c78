"""JSON bodies of the fake Hub API, built from hf_model records (key names and order as in api-shapes.md)."""

from __future__ import annotations

from typing import Any

from .hf_data import HubData, safetensors_total
from .hf_model import Commit, Discussion, Model, hexid, iso

EXPANDABLE = frozenset(
    "author baseModels cardData childrenModelCount config createdAt disabled downloads downloadsAllTime "
    "evalResults gated gguf inference inferenceProviderMapping lastModified library_name likes mask_token "
    "model-index pipeline_tag private resourceGroup safetensors sha siblings spaces tags transformersInfo "
    "trendingScore usedStorage widgetData".split()
)


def used_storage(hub: HubData, model: Model) -> int:
    """Approximate repo size: LFS sizes are exact, small git files are counted as 2 KiB each."""
    return sum(f.size_hint if f.lfs else 2048 for f in model.files)


def siblings(hub: HubData, model: Model, commit: Commit, blobs: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for spec in model.files:
        if not blobs:
            out.append({"rfilename": spec.path})
            continue
        meta = hub.files.meta(model, spec, commit.version)
        entry: dict[str, Any] = {"rfilename": spec.path, "size": meta.size, "blobId": meta.oid}
        if meta.sha256:
            entry["lfs"] = {"size": meta.size, "sha256": meta.sha256, "pointerSize": meta.pointer_size}
        out.append(entry)
    return out


def model_info(
    hub: HubData, model: Model, commit: Commit, blobs: bool = False, security: bool = False
) -> dict[str, Any]:
    """Body of ``GET /api/models/{id}[/revision/{rev}]``."""
    if model.real_info is not None:
        body = dict(model.real_info)
        body["sha"] = commit.id
        body["lastModified"] = model.last_modified
        body["siblings"] = siblings(hub, model, commit, blobs)
    else:
        body = {"_id": model.object_id, "id": model.id, "private": model.private}
        if model.pipeline_tag:
            body["pipeline_tag"] = model.pipeline_tag
        if model.library:
            body["library_name"] = model.library
        body.update(
            {
                "tags": model.tags,
                "downloads": model.downloads,
                "likes": model.likes,
                "modelId": model.id,
                "author": model.author,
                "sha": model.sha,
                "lastModified": model.last_modified,
                "gated": model.gated,
            }
        )
        if model.inference:
            body["inference"] = model.inference
        body["disabled"] = model.disabled
        if model.mask_token:
            body["mask_token"] = model.mask_token
        if model.widget_data is not None:
            body["widgetData"] = model.widget_data
        body["model-index"] = model.model_index
        if model.config is not None:
            body["config"] = model.config
        if model.card_data is not None:
            body["cardData"] = model.card_data
        if model.transformers_info is not None:
            body["transformersInfo"] = model.transformers_info
        body["siblings"] = siblings(hub, model, commit, blobs)
        body["spaces"] = model.spaces
        body["createdAt"] = model.created_at
        total = safetensors_total(model)
        if total is not None:
            body["safetensors"] = {"parameters": {"F32": total}, "total": total}
        body["usedStorage"] = used_storage(hub, model)
    if security:
        body["securityRepoStatus"] = {"scansDone": True, "filesWithIssues": []}
    body.update(model.extra_info)
    return body


def expand_value(hub: HubData, model: Model, key: str, listing: bool) -> tuple[bool, Any]:
    """(present, value) of one ``expand`` property; absent properties are left out like on the Hub."""
    if model.real_info is not None and key in model.real_info and key not in ("sha", "lastModified", "siblings"):
        return True, model.real_info[key]
    simple: dict[str, Any] = {
        "author": model.author,
        "createdAt": model.created_at,
        "disabled": model.disabled,
        "downloads": model.downloads,
        "downloadsAllTime": model.downloads_all_time,
        "gated": model.gated,
        "lastModified": model.last_modified,
        "likes": model.likes,
        "private": model.private,
        "sha": model.sha,
        "spaces": model.spaces,
        "tags": model.tags,
        "trendingScore": model.trending,
        "childrenModelCount": model.children,
        "model-index": model.model_index,
        "inferenceProviderMapping": [] if listing else {},
    }
    if key in simple:
        return True, simple[key]
    optional: dict[str, Any] = {
        "cardData": model.card_data,
        "config": model.config,
        "library_name": model.library,
        "pipeline_tag": model.pipeline_tag,
        "mask_token": model.mask_token,
        "widgetData": model.widget_data,
        "transformersInfo": model.transformers_info,
        "inference": model.inference,
    }
    if key in optional:
        return optional[key] is not None, optional[key]
    if key == "siblings":
        return True, [{"rfilename": f.path} for f in model.files]
    if key == "usedStorage":
        return True, used_storage(hub, model)
    if key == "safetensors":
        total = safetensors_total(model)
        return total is not None, {"parameters": {"F32": total}, "total": total}
    if key == "baseModels" and model.base_model:
        return True, {"relation": model.base_model[0], "models": [{"id": model.base_model[1]}]}
    return False, None


def expanded(hub: HubData, model: Model, keys: list[str], listing: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"_id": model.object_id, "id": model.id}
    for key in keys:
        present, value = expand_value(hub, model, key, listing)
        if present:
            body[key] = value
    return body


def list_entry(hub: HubData, model: Model, full: bool, card: bool, config: bool) -> dict[str, Any]:
    """One element of ``GET /api/models`` (default, ``full``, ``cardData``, ``config``)."""
    body: dict[str, Any] = {"_id": model.object_id, "id": model.id}
    if full:
        body.update({"author": model.author, "gated": model.gated})
        if model.inference:
            body["inference"] = model.inference
        body["lastModified"] = model.last_modified
    body.update({"likes": model.likes, "trendingScore": model.trending, "private": model.private})
    if full:
        body["sha"] = model.sha
    if config and model.config is not None:
        body["config"] = model.config
    body["downloads"] = model.downloads
    body["tags"] = model.tags
    if model.pipeline_tag:
        body["pipeline_tag"] = model.pipeline_tag
    if model.library:
        body["library_name"] = model.library
    body["createdAt"] = model.created_at
    if card and model.card_data is not None:
        body["cardData"] = model.card_data
    body["modelId"] = model.id
    if full:
        body["disabled"] = model.disabled
        body["siblings"] = [{"rfilename": f.path} for f in model.files]
    for key in model.list_omit:
        body.pop(key, None)
    body.update(model.extra_info)
    return body


def commit_item(commit: Commit, formatted: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": commit.id,
        "title": commit.title,
        "message": commit.message,
        "authors": [
            {
                "user": commit.author,
                "avatar": f"https://cdn-avatars.huggingface.co/v1/production/uploads/{hexid(commit.author)}.png",
            }
        ],
        "date": iso(commit.ts),
    }
    if formatted:
        body["formatted"] = {"title": f"<p>{commit.title}</p>", "message": f"<p>{commit.message}</p>"}
    return body


def discussion_item(model: Model, disc: Discussion) -> dict[str, Any]:
    return {
        "num": disc.num,
        "title": disc.title,
        "status": disc.status,
        "author": {"name": disc.author, "type": "user"},
        "createdAt": iso(disc.ts),
        "isPullRequest": disc.is_pr,
        "repo": {"name": model.id, "type": "model"},
        "pinned": disc.pinned,
        "numComments": sum(1 for e in disc.events if e.type == "comment"),
    }


def discussion_details(model: Model, disc: Discussion, diff: bool) -> dict[str, Any]:
    body = discussion_item(model, disc)
    body["events"] = [
        {
            "id": e.id,
            "type": e.type,
            "createdAt": iso(e.ts),
            "author": {"name": e.author, "type": "user"},
            "data": e.data,
        }
        for e in disc.events
    ]
    if disc.is_pr:
        changes: dict[str, Any] = {"base": "refs/heads/main"}
        if disc.merge_commit:
            changes["mergeCommitId"] = disc.merge_commit
        body["changes"] = changes
        body["filesWithConflicts"] = disc.conflicts
        if diff:
            body["diff"] = disc.diff
    return body
