"""Writes Hugging Face items: models with their lookups and observations, commits, refs, discussions, snapshots.

Each writer gets one batch (a transaction) and the items of its type, in arrival order; StorePipeline calls them in
dependency order (models first), so every row a writer needs from an earlier item already exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from crawler.batch import Batch, flag
from crawler.constants import HF_HUB_ID, HF_PUBLIC_URL
from crawler.db import ours, schema
from crawler.db.lookups import lookup_ids, replace_lookups
from crawler.db.upsert import ids_by, insert_ignore, upsert
from crawler.hf.items import HfCommitsItem, HfDiscussionItem, HfModelItem, HfRefsItem, HfSnapshotItem
from crawler.timestamps import now_iso

# lookup -> the HfModelItem attribute holding its names (NormalisePipeline fills them)
LOOKUP_ATTRS = {
    "author": "authors",
    "library": "libraries",
    "license": "licenses",
    "dataset": "datasets",
    "language": "languages",
    "architecture": "architectures",
    "framework": "frameworks",
    "tag": "free_tags",
}


def model_ids(conn: Connection, context_ids: list[str]) -> dict[str, int]:
    """context_id -> model.id for the given HF models."""
    return {str(k): v for k, v in ids_by(conn, schema.model, "context_id", context_ids).items()}


def _of_stored_models(conn: Connection, items: list[Any]) -> tuple[dict[str, int], list[Any]]:
    """The model ids of the items' models, and the items whose model is stored (the others cannot be written)."""
    ids = model_ids(conn, list({i.context_id for i in items}))
    return ids, [i for i in items if i.context_id in ids]


def write_models(batch: Batch, items: list[HfModelItem]) -> None:
    conn, run_id = batch.conn, batch.run_id
    by_id = {item.context_id: item for item in items}  # last one wins within a batch
    items = list(by_id.values())
    model = schema.model
    known: dict[str, str | None] = {}
    ids: dict[str, int] = {}
    for mid, cid, sha in conn.execute(
        select(model.c.id, model.c.context_id, model.c.sha).where(model.c.context_id.in_(by_id))
    ):
        known[str(cid)], ids[str(cid)] = sha, mid
    upsert(
        conn,
        model,
        [
            {
                "context_id": i.context_id,
                "model_hub_id": HF_HUB_ID,
                "sha": i.sha,
                "repo_url": f"{HF_PUBLIC_URL}/{i.context_id}",
                "downloads": i.downloads,
                "likes": i.likes,
                "has_snapshot": 0,
            }
            for i in items
        ],
        keys=["context_id"],
        update=["model_hub_id", "sha", "repo_url", "downloads", "likes"],
    )
    ids.update(model_ids(conn, [cid for cid in by_id if cid not in known]))  # ids never change: ask for new ones only
    now = now_iso()
    upsert(
        conn,
        ours.crawl_model_state,
        [
            {
                "model_id": ids[i.context_id],
                "native_id": i.native_id,
                "author": i.author,
                "pipeline_tag": i.pipeline_tag,
                "library_name": i.library_name,
                "created_at": i.created_at,
                "last_modified": i.last_modified,
                "gated": i.gated,
                "private": flag(i.private),
                "disabled": flag(i.disabled),
                "first_seen_at": now,
                "first_seen_run_id": run_id,
                "last_seen_at": now,
                "last_seen_run_id": run_id,
            }
            for i in items
        ],
        keys=["model_id"],
        update=[
            "native_id", "author", "pipeline_tag", "library_name", "created_at", "last_modified",
            "gated", "private", "disabled", "last_seen_at", "last_seen_run_id",
        ],
    )  # fmt: skip
    upsert(
        conn,
        ours.crawl_model_observation,
        [
            {
                "model_id": ids[i.context_id],
                "run_id": run_id,
                "observed_at": now,
                "downloads": i.downloads,
                "likes": i.likes,
                "sha": i.sha,
            }
            for i in items
        ],
        keys=["model_id", "run_id"],
    )
    # Lookups change only with the model's content: skip models whose sha we already stored.
    changed = [i for i in items if i.context_id not in known or known[i.context_id] != i.sha or i.sha is None]
    if changed:
        _write_lookups(conn, changed, ids, {ids[i.context_id] for i in changed if i.context_id not in known})
    batch.stats.inc_value("store/models", len(items))
    batch.stats.inc_value("store/models_new", sum(1 for i in items if i.context_id not in known))


def _write_lookups(conn: Connection, items: list[HfModelItem], ids: dict[str, int], new: set[int]) -> None:
    """The lookup and junction rows of ``items``; ``new``: models created in this batch (no rows to delete)."""
    mids = [ids[i.context_id] for i in items]
    stored = [m for m in mids if m not in new]
    replace_lookups(
        conn, {kind: {ids[i.context_id]: getattr(i, attr) for i in items} for kind, attr in LOOKUP_ATTRS.items()}, new
    )
    paper, to_paper = schema.paper, schema.model_to_paper
    urls = {url for i in items for url in i.papers}
    if urls:
        insert_ignore(conn, paper, [{"title": u, "url": u} for u in urls], keys=["title"])
    paper_ids = ids_by(conn, paper, "title", urls) if urls else {}
    if stored:
        conn.execute(delete(to_paper).where(to_paper.c.model_id.in_(stored)))
    insert_ignore(
        conn,
        to_paper,
        [{"model_id": ids[i.context_id], "paper_id": paper_ids[u]} for i in items for u in i.papers],
        keys=["model_id", "paper_id"],
    )
    base = ours.model_to_base_model
    if stored:
        conn.execute(delete(base).where(base.c.model_id.in_(stored)))
    insert_ignore(
        conn,
        base,
        [
            {
                "model_id": ids[i.context_id],
                "base_model_name": b["name"],
                "base_model_url": f"{HF_PUBLIC_URL}/{b['name']}",
                "base_model_id": None,
                "relation": b["relation"],
            }
            for i in items
            for b in i.base_models
        ],
        keys=["model_id", "base_model_name"],
    )
    resolve_base_models(conn, mids)


def resolve_base_models(conn: Connection, mids: list[int] | None) -> None:
    """Point ``base_model_id`` at the base model's row once both models are stored."""
    base, model = ours.model_to_base_model, schema.model
    target = (
        select(model.c.id)
        .where(model.c.context_id == base.c.base_model_name, model.c.model_hub_id == HF_HUB_ID)
        .scalar_subquery()
    )
    query = update(base).where(base.c.base_model_id.is_(None)).values(base_model_id=target)
    if mids is not None:
        query = query.where(base.c.model_id.in_(mids))
    conn.execute(query)


def write_commits(batch: Batch, items: list[HfCommitsItem]) -> None:
    conn = batch.conn
    ids, items = _of_stored_models(conn, items)
    commit = ours.hf_commit
    rows = {
        (ids[i.context_id], c["commit_id"]): {
            "commit_id": c["commit_id"],
            "created_at": c["created_at"],
            "title": c["title"],
            "message": c["message"],
            "model_id": ids[i.context_id],
        }
        for i in items
        for c in i.commits
    }
    upsert(conn, commit, list(rows.values()), keys=["model_id", "commit_id"])
    stored = {
        (m, c): cid
        for cid, m, c in conn.execute(
            select(commit.c.id, commit.c.model_id, commit.c.commit_id).where(
                commit.c.model_id.in_({m for m, _ in rows})
            )
        )
    }
    authors = {a for i in items for c in i.commits for a in c["authors"]}
    author_ids = lookup_ids(conn, schema.author, authors) if authors else {}
    insert_ignore(
        conn,
        schema.hf_commit_to_author,
        [
            {"hf_commit_id": stored[(ids[i.context_id], c["commit_id"])], "author_id": author_ids[a]}
            for i in items
            for c in i.commits
            for a in c["authors"]
        ],
        keys=["hf_commit_id", "author_id"],
    )
    batch.stats.inc_value("store/hf_commits", len(rows))


def write_refs(batch: Batch, items: list[HfRefsItem]) -> None:
    conn = batch.conn
    ids, items = _of_stored_models(conn, items)
    ref, info = ours.hf_git_ref, ours.hf_git_ref_info
    mids = [ids[i.context_id] for i in items]
    insert_ignore(conn, ref, [{"model_id": m} for m in mids], keys=["model_id"])
    ref_ids = ids_by(conn, ref, "model_id", mids)
    rows = [
        {"name": r["name"], "ref": r["ref"], "target_commit": r["target_commit"], "model_id": ids[i.context_id]}
        for i in items
        for r in i.branches + i.tags
    ]
    upsert(conn, info, rows, keys=["model_id", "ref"])
    info_ids = {
        (m, r): iid
        for iid, m, r in conn.execute(select(info.c.id, info.c.model_id, info.c.ref).where(info.c.model_id.in_(mids)))
    }
    for kind, jt in (("branches", schema.hf_git_ref_to_branch), ("tags", schema.hf_git_ref_to_tag)):
        conn.execute(delete(jt).where(jt.c.hf_git_ref_id.in_([ref_ids[m] for m in mids])))
        insert_ignore(
            conn,
            jt,
            [
                {
                    "hf_git_ref_id": ref_ids[ids[i.context_id]],
                    "hf_git_ref_info_id": info_ids[(ids[i.context_id], r["ref"])],
                }
                for i in items
                for r in getattr(i, kind)
            ],
            keys=["hf_git_ref_id", "hf_git_ref_info_id"],
        )
    # Refs deleted on the Hub since the last crawl.
    current = {(ids[i.context_id], r["ref"]) for i in items for r in i.branches + i.tags}
    stale = [iid for key, iid in info_ids.items() if key not in current]
    if stale:
        conn.execute(delete(info).where(info.c.id.in_(stale)))


def write_discussions(batch: Batch, items: list[HfDiscussionItem]) -> None:
    conn = batch.conn
    ids, items = _of_stored_models(conn, items)
    disc = ours.discussion
    upsert(
        conn,
        disc,
        [
            {
                "title": i.title,
                "status": i.status,
                "num": i.num,
                "repo_id": i.context_id,
                "repo_type": "model",
                "is_pull_request": int(i.is_pull_request),
                "created_at": i.created_at,
                "endpoint": i.endpoint,
                "target_branch": i.target_branch,
                "merge_commit_oid": i.merge_commit_oid,
                "diff": i.diff,
                "model_id": ids[i.context_id],
            }
            for i in items
        ],
        keys=["model_id", "num"],
    )
    disc_ids = {
        (m, n): d
        for d, m, n in conn.execute(
            select(disc.c.id, disc.c.model_id, disc.c.num).where(
                disc.c.model_id.in_({ids[i.context_id] for i in items})
            )
        )
    }
    key = {id(i): disc_ids[(ids[i.context_id], i.num)] for i in items}
    authors = {i.author for i in items if i.author}
    author_ids = lookup_ids(conn, schema.author, authors) if authors else {}
    insert_ignore(
        conn,
        schema.discussion_to_author,
        [{"discussion_id": key[id(i)], "author_id": author_ids[i.author]} for i in items if i.author],
        keys=["discussion_id", "author_id"],
    )
    events = ours.discussion_event
    upsert(
        conn,
        events,
        [
            {
                "event_id": e["event_id"],
                "type": e.get("type"),
                "created_at": e.get("created_at"),
                "author": e.get("author"),
                "content": e.get("content"),
                "edited": flag(e.get("edited")),
                "hidden": flag(e.get("hidden")),
                "new_status": e.get("new_status"),
                "summary": e.get("summary"),
                "oid": e.get("oid"),
                "old_title": e.get("old_title"),
                "new_title": e.get("new_title"),
                "discussion_id": key[id(i)],
            }
            for i in items
            for e in i.events
        ],
        keys=["discussion_id", "event_id"],
    )
    insert_ignore(
        conn,
        ours.file_path,
        [{"path": p, "discussion_id": key[id(i)]} for i in items for p in i.conflicting_files],
        keys=["discussion_id", "path"],
    )
    batch.stats.inc_value("store/discussions", len(items))


def write_snapshots(batch: Batch, items: list[HfSnapshotItem]) -> None:
    conn = batch.conn
    ids, items = _of_stored_models(conn, items)
    now = now_iso()
    upsert(
        conn,
        ours.crawl_snapshot_file,
        [
            {
                "model_id": ids[i.context_id],
                "revision": i.revision,
                "path": f["path"],
                "sha256": f.get("sha256") or f.get("lfs_sha256"),
                "size": f.get("size"),
                "git_oid": f.get("git_oid"),
                "lfs": int(bool(f.get("lfs_sha256"))),
                "status": f.get("status"),
                "stored_path": f.get("stored_path"),
            }
            for i in items
            for f in i.files
            if f.get("action") != "reject"  # hostile paths are logged and counted, never stored
        ],
        keys=["model_id", "revision", "path"],
    )
    upsert(
        conn,
        ours.crawl_model_card,
        [
            {
                "model_id": ids[i.context_id],
                "revision": i.revision,
                "sha256": i.card_sha256,
                "size": i.card_size,
                "text": i.card_text,
                "fetched_at": now,
            }
            for i in items
            if i.card_sha256
        ],
        keys=["model_id"],
    )
    state, model = ours.crawl_model_state, schema.model
    for i in items:
        model_id = ids[i.context_id]
        if not i.complete:
            batch.stats.inc_value("store/details_incomplete")
            error = "; ".join(i.problems) or "a step of the detail chain failed"
            conn.execute(update(state).where(state.c.model_id == model_id).values(detail_error=error))
            continue
        conn.execute(
            update(state)
            .where(state.c.model_id == model_id)
            .values(detail_sha=i.revision, detail_fetched_at=now, card_sha256=i.card_sha256, detail_error=None)
        )
        conn.execute(update(model).where(model.c.id == model_id).values(has_snapshot=1))
        batch.stats.inc_value("store/details_complete")


def finish_run(batch: Batch) -> None:
    """End of a crawl: link base models that arrived after the models derived from them."""
    resolve_base_models(batch.conn, None)


# (item type, writer) in dependency order.
WRITERS = (
    (HfModelItem, write_models),
    (HfCommitsItem, write_commits),
    (HfRefsItem, write_refs),
    (HfDiscussionItem, write_discussions),
    (HfSnapshotItem, write_snapshots),
)
FINISHERS = (finish_run,)
