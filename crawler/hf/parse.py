"""Turns Hugging Face Hub API JSON into items, defensively: any field may be missing, null or of another type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crawler.hf.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem
from crawler.jsonvalues import as_bool as _bool
from crawler.jsonvalues import as_dict as _dict
from crawler.jsonvalues import as_int as _int
from crawler.jsonvalues import as_list as _list
from crawler.jsonvalues import as_str

_LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def next_link(link_header: bytes | str | None) -> str | None:
    """The ``rel="next"`` URL of a Link header, verbatim (it carries the opaque cursor and every parameter)."""
    if not link_header:
        return None
    text = link_header.decode("latin-1") if isinstance(link_header, bytes) else link_header
    match = _LINK_NEXT.search(text)
    return match.group(1) if match else None


def _str(value: Any) -> str | None:
    """A non-empty string, else None (the Hub's empty strings mean "unknown")."""
    return as_str(value) or None


def model_item(entry: Any) -> HfModelItem | None:
    """A list entry or model info -> HfModelItem; None when the entry has no usable id.

    Parsed from the dict directly rather than through ``huggingface_hub.ModelInfo``: ModelInfo's card-data parsing
    costs about 200 us per model, 40% of the listing ingestion budget (bench/bench_listing.py).
    """
    if not isinstance(entry, dict):
        return None
    context_id = _str(entry.get("id")) or _str(entry.get("modelId"))
    if context_id is None:
        return None
    gated = entry.get("gated")
    return HfModelItem(
        context_id=context_id,
        sha=_str(entry.get("sha")),
        downloads=_int(entry.get("downloads")),
        likes=_int(entry.get("likes")),
        native_id=_str(entry.get("_id")),
        author=_str(entry.get("author")),
        pipeline_tag=_str(entry.get("pipeline_tag")),
        library_name=_str(entry.get("library_name")),
        created_at=_str(entry.get("createdAt")),
        last_modified=_str(entry.get("lastModified")),
        gated=gated if isinstance(gated, str) else ("false" if gated is False else None),
        private=_bool(entry.get("private")),
        disabled=_bool(entry.get("disabled")),
        tags=[t for t in _list(entry.get("tags")) if isinstance(t, str)],
        card_data=_dict(entry.get("cardData")),
        config=_dict(entry.get("config")),
        siblings=[s["rfilename"] for s in _list(entry.get("siblings")) if isinstance(_dict(s).get("rfilename"), str)],
    )


@dataclass(frozen=True, slots=True)
class Lfs:
    size: int
    sha256: str
    pointer_size: int | None


@dataclass(frozen=True, slots=True)
class Sibling:
    """One file of a revision as an info reply with ``?blobs=true`` lists it: the fields of huggingface_hub's
    ``RepoSibling`` (same names) that the snapshot policy reads. Parsed here rather than through
    ``huggingface_hub.hf_api.ModelInfo``, whose import stalled the crawl for 0.2-0.7 s at its first info reply."""

    rfilename: str
    size: int | None = None
    blob_id: str | None = None
    lfs: Lfs | None = None


def siblings(info: dict[str, Any]) -> list[Sibling]:
    """The files of an info reply. Entries that name no file are skipped; ValueError for a file entry whose size,
    blob id or LFS pointer is not what the Hub sends (the reply is then unusable, like a malformed one)."""
    files = []
    for raw in _list(info.get("siblings")):
        if not isinstance(raw, dict) or not isinstance(name := raw.get("rfilename"), str):
            continue
        size, blob_id, lfs = raw.get("size"), raw.get("blobId"), raw.get("lfs")
        if size is not None and _int(size) is None:
            raise ValueError(f"size of {name!r} is {size!r}")
        if blob_id is not None and not isinstance(blob_id, str):
            raise ValueError(f"blobId of {name!r} is {blob_id!r}")
        files.append(Sibling(name, size, blob_id, _lfs(name, lfs) if lfs else None))
    return files


def _lfs(name: str, raw: Any) -> Lfs:
    raw = _dict(raw)
    size, sha256, pointer_size = raw.get("size"), raw.get("sha256"), raw.get("pointerSize")
    if _int(size) is None or not isinstance(sha256, str) or (pointer_size is not None and _int(pointer_size) is None):
        raise ValueError(f"lfs of {name!r} is {raw!r}")
    return Lfs(size, sha256, pointer_size)


def commits_item(context_id: str, body: Any) -> HfCommitsItem:
    """A page of /api/models/{id}/commits/{rev}; ``created_at`` as ``str(datetime)``, the PeaTMOSS format."""
    from huggingface_hub.utils import parse_datetime

    commits = []
    for raw in _list(body):
        raw = _dict(raw)
        commit_id = _str(raw.get("id"))
        if commit_id is None:
            continue
        date = _str(raw.get("date"))
        try:
            created_at = str(parse_datetime(date)) if date else None
        except ValueError:
            created_at = date
        authors = [_str(_dict(a).get("user")) for a in _list(raw.get("authors"))]
        commits.append(
            {
                "commit_id": commit_id,
                "created_at": created_at,
                "title": _str(raw.get("title")),
                "message": raw.get("message") if isinstance(raw.get("message"), str) else None,
                "authors": [a for a in authors if a],
            }
        )
    return HfCommitsItem(context_id=context_id, commits=commits)


def refs_item(context_id: str, body: Any) -> HfRefsItem:
    body = _dict(body)

    def refs(key: str) -> list[dict[str, str]]:
        out = []
        for raw in _list(body.get(key)):
            raw = _dict(raw)
            if _str(raw.get("ref")):
                out.append(
                    {"name": _str(raw.get("name")), "ref": raw["ref"], "target_commit": _str(raw.get("targetCommit"))}
                )
        return out

    return HfRefsItem(context_id=context_id, branches=refs("branches"), tags=refs("tags"))


def discussion_page(body: Any) -> tuple[list[int], bool]:
    """Discussion numbers of one /discussions?p=N page, and whether another page follows."""
    body = _dict(body)
    discussions = _list(body.get("discussions"))
    nums = [d["num"] for d in discussions if isinstance(_dict(d).get("num"), int)]
    total, start = _int(body.get("count")) or 0, _int(body.get("start")) or 0
    return nums, bool(discussions) and start + len(discussions) < total


def _event(raw: Any) -> dict[str, Any] | None:
    raw = _dict(raw)
    if not _str(raw.get("id")):
        return None
    data = _dict(raw.get("data"))
    kind = _str(raw.get("type"))
    event: dict[str, Any] = {
        "event_id": raw["id"],
        "type": kind,
        "created_at": _str(raw.get("createdAt")),
        "author": _str(_dict(raw.get("author")).get("name")) or "deleted",
    }
    if kind == "comment":
        event.update(
            content=_str(_dict(data.get("latest")).get("raw")),
            edited=_bool(data.get("edited")),
            hidden=_bool(data.get("hidden")),
        )
    elif kind == "status-change":
        event["new_status"] = _str(data.get("status"))
    elif kind == "commit":
        event.update(summary=_str(data.get("subject")), oid=_str(data.get("oid")))
    elif kind == "title-change":
        event.update(old_title=_str(data.get("from")), new_title=_str(data.get("to")))
    return event


def discussion_item(context_id: str, body: Any, endpoint: str) -> HfDiscussionItem | None:
    body = _dict(body)
    num = _int(body.get("num"))
    if num is None:
        return None
    is_pr = bool(body.get("isPullRequest"))
    changes = _dict(body.get("changes"))
    return HfDiscussionItem(
        context_id=context_id,
        num=num,
        title=_str(body.get("title")),
        status=_str(body.get("status")),
        is_pull_request=is_pr,
        created_at=_str(body.get("createdAt")),
        author=_str(_dict(body.get("author")).get("name")) or "deleted",
        target_branch=_str(changes.get("base")) if is_pr else None,
        merge_commit_oid=_str(changes.get("mergeCommitId")) if is_pr else None,
        diff=body.get("diff") if isinstance(body.get("diff"), str) else None,
        conflicting_files=[f for f in _list(body.get("filesWithConflicts")) if isinstance(f, str)] if is_pr else [],
        events=[e for e in map(_event, _list(body.get("events"))) if e],
        endpoint=endpoint,
    )
