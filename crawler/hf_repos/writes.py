"""Writes Spaces and datasets items: idempotent upserts on Hub ids, declared links, cards, missing repositories.

Declared links keep every name a Space declares; ``model_id`` / ``hf_dataset_id`` point at our row once it exists.
Rows that arrive later (a model fetched because a Space declared it, a dataset crawled after the Spaces) are linked
by :func:`resolve_links` at the end of every crawl, whichever crawl brings them.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Table, delete, exists, func, insert, select, update

from crawler.batch import Batch, flag
from crawler.constants import HF_HUB_ID
from crawler.db.hub_repos import (
    dataset_to_hf_dataset,
    hf_dataset,
    hf_declared_model,
    hf_space,
    hf_space_to_dataset,
    hf_space_to_model,
)
from crawler.db.schema import dataset, model
from crawler.db.upsert import ids_by, insert_ignore, upsert
from crawler.hf.writes import model_ids
from crawler.hf_repos.items import (
    DatasetSnapshotItem,
    HfDatasetItem,
    HfDeclaredModelItem,
    HfSpaceItem,
    SpaceSnapshotItem,
)
from crawler.timestamps import now_iso

SEEN_UPDATE = ["last_seen_at", "last_seen_run_id"]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _upsert_listed(batch: Batch, table: Table, key: str, rows: list[dict[str, Any]], what: str) -> dict[str, int]:
    """Upsert listed repositories on their Hub id (first seen kept, everything else refreshed); {Hub id: row id}."""
    conn, now = batch.conn, now_iso()
    names = [row[key] for row in rows]
    known = ids_by(conn, table, key, names)
    seen = {
        "first_seen_at": now,
        "first_seen_run_id": batch.run_id,
        "last_seen_at": now,
        "last_seen_run_id": batch.run_id,
    }
    rows = [{**row, **seen} for row in rows]
    listed = [k for k in rows[0] if k not in (key, "first_seen_at", "first_seen_run_id")] if rows else []
    upsert(conn, table, rows, keys=[key], update=listed)
    batch.stats.inc_value(f"store/{what}", len(rows))
    batch.stats.inc_value(f"store/{what}_new", len(rows) - len(known))
    return ids_by(conn, table, key, names)


def _last(items: list[Any], key: str) -> list[Any]:
    """One item per natural key, the last one winning (a batch may hold a repository twice)."""
    return list({getattr(i, key): i for i in items}.values())


def write_spaces(batch: Batch, items: list[HfSpaceItem]) -> None:
    conn = batch.conn
    items = _last(items, "space_id")
    rows = [
        {
            "space_id": i.space_id,
            "native_id": i.native_id,
            "author": i.author,
            "sha": i.sha,
            "sdk": i.sdk,
            "runtime_stage": i.runtime_stage,
            "hardware": i.hardware,
            "requested_hardware": i.requested_hardware,
            "likes": i.likes,
            "private": flag(i.private),
            "disabled": flag(i.disabled),
            "gated": i.gated,
            "subdomain": i.subdomain,
            "created_at": i.created_at,
            "last_modified": i.last_modified,
            "title": i.title,
            "license": i.license,
            "tags": _json(i.tags),
            "card_data": _json(i.card_data),
        }
        for i in items
    ]
    ids = _upsert_listed(batch, hf_space, "space_id", rows, "hf_spaces")
    sids = [ids[i.space_id] for i in items]
    models = _declared_model_ids(conn, {n for i in items for n in i.models})
    datasets = ids_by(conn, hf_dataset, "dataset_id", {n for i in items for n in i.datasets})
    conn.execute(delete(hf_space_to_model).where(hf_space_to_model.c.space_id.in_(sids)))
    conn.execute(delete(hf_space_to_dataset).where(hf_space_to_dataset.c.space_id.in_(sids)))
    insert_ignore(
        conn,
        hf_space_to_model,
        [{"space_id": ids[i.space_id], "model_name": n, "model_id": models.get(n)} for i in items for n in i.models],
        keys=["space_id", "model_name"],
    )
    insert_ignore(
        conn,
        hf_space_to_dataset,
        [
            {"space_id": ids[i.space_id], "dataset_name": n, "hf_dataset_id": datasets.get(n)}
            for i in items
            for n in i.datasets
        ],
        keys=["space_id", "dataset_name"],
    )


def write_datasets(batch: Batch, items: list[HfDatasetItem]) -> None:
    items = _last(items, "dataset_id")
    rows = [
        {
            "dataset_id": i.dataset_id,
            "native_id": i.native_id,
            "author": i.author,
            "sha": i.sha,
            "downloads": i.downloads,
            "likes": i.likes,
            "private": flag(i.private),
            "disabled": flag(i.disabled),
            "gated": i.gated,
            "created_at": i.created_at,
            "last_modified": i.last_modified,
            "pretty_name": i.pretty_name,
            "tags": _json(i.tags),
            "task_categories": _json(i.task_categories),
            "size_categories": _json(i.size_categories),
            "languages": _json(i.languages),
            "licenses": _json(i.licenses),
            "card_data": _json(i.card_data),
        }
        for i in items
    ]
    _upsert_listed(batch, hf_dataset, "dataset_id", rows, "hf_datasets")


def _write_snapshots(batch: Batch, items: list[Any], table: Table, key: str) -> None:
    """Card text of every snapshot; the revision marked done only for complete ones (others: fetched again)."""
    now = now_iso()
    for item in items:
        values: dict[str, Any] = {"card_text": item.card_text, "card_sha256": item.card_sha256}
        if item.complete:
            values.update(detail_sha=item.revision, detail_fetched_at=now)
            batch.stats.inc_value("store/details_complete")
        else:
            batch.stats.inc_value("store/details_incomplete")
        batch.conn.execute(update(table).where(table.c[key] == item.context_id).values(**values))


def write_space_snapshots(batch: Batch, items: list[SpaceSnapshotItem]) -> None:
    _write_snapshots(batch, items, hf_space, "space_id")


def write_dataset_snapshots(batch: Batch, items: list[DatasetSnapshotItem]) -> None:
    _write_snapshots(batch, items, hf_dataset, "dataset_id")


def write_declared(batch: Batch, items: list[HfDeclaredModelItem]) -> None:
    now = now_iso()
    rows = {
        i.name: {
            "name": i.name,
            "status": i.status,
            "error_code": i.error_code,
            "canonical_id": i.canonical_id,
            "checked_at": now,
            "checked_run_id": batch.run_id,
        }
        for i in items
    }
    upsert(batch.conn, hf_declared_model, list(rows.values()), keys=["name"])
    batch.stats.inc_value("store/hf_declared_models", len(rows))
    batch.stats.inc_value("store/hf_declared_models_missing", sum(1 for r in rows.values() if r["status"] != 200))


def _declared_model_ids(conn: Connection, names: set[str]) -> dict[str, int]:
    """Declared name -> model.id: the model of that id, else of the canonical id the Hub answered for the name."""
    ids = model_ids(conn, list(names))
    rest = names - set(ids)
    canonical = (
        dict(
            conn.execute(
                select(hf_declared_model.c.name, hf_declared_model.c.canonical_id).where(
                    hf_declared_model.c.name.in_(rest), hf_declared_model.c.canonical_id.is_not(None)
                )
            ).all()
        )
        if rest
        else {}
    )
    found = model_ids(conn, list(set(canonical.values()))) if canonical else {}
    ids.update({name: found[cid] for name, cid in canonical.items() if cid in found})
    return ids


def resolve_links(batch: Batch) -> None:
    """Point declared links and PeaTMOSS dataset rows at rows stored since they were written."""
    conn: Connection = batch.conn
    canonical = (
        select(hf_declared_model.c.canonical_id)
        .where(hf_declared_model.c.name == hf_space_to_model.c.model_name)
        .correlate(hf_space_to_model)  # the link being updated, also inside the model subquery below
        .scalar_subquery()
    )
    model_row = (
        select(model.c.id)
        .where(
            model.c.context_id == func.coalesce(canonical, hf_space_to_model.c.model_name),
            model.c.model_hub_id == HF_HUB_ID,
        )
        .correlate(hf_space_to_model)
        .scalar_subquery()
    )
    conn.execute(update(hf_space_to_model).where(hf_space_to_model.c.model_id.is_(None)).values(model_id=model_row))
    dataset_row = select(hf_dataset.c.id).where(hf_dataset.c.dataset_id == hf_space_to_dataset.c.dataset_name)
    conn.execute(
        update(hf_space_to_dataset)
        .where(hf_space_to_dataset.c.hf_dataset_id.is_(None))
        .values(hf_dataset_id=dataset_row.scalar_subquery())
    )
    linked = exists().where(dataset_to_hf_dataset.c.dataset_id == dataset.c.id)
    conn.execute(
        insert(dataset_to_hf_dataset).from_select(
            ["dataset_id", "hf_dataset_id"],
            select(dataset.c.id, hf_dataset.c.id)
            .join(hf_dataset, hf_dataset.c.dataset_id == dataset.c.name)
            .where(~linked),
        )
    )


# (item type, writer) in dependency order: Spaces after models (StorePipeline puts HF model writers first) and
# after the Hub's answers about the models they declare.
WRITERS = (
    (HfDatasetItem, write_datasets),
    (HfDeclaredModelItem, write_declared),
    (HfSpaceItem, write_spaces),
    (SpaceSnapshotItem, write_space_snapshots),
    (DatasetSnapshotItem, write_dataset_snapshots),
)
FINISHERS = (resolve_links,)
