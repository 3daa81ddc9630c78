"""Writes PyTorch Hub items: pages, source repositories with their entrypoints, and PeaTMOSS ``model`` rows.

A PyTorch Hub model row is written as PeaTMOSS wrote it: ``model_hub_id`` 2, ``context_id`` ``owner/repo/entrypoint``,
``repo_url`` ``github.com/owner/repo``, ``sha``/``downloads``/``likes`` NULL, ``has_snapshot`` 1, and
``ptm_issues_id`` / ``ptm_pull_requests_id`` pointing at the aggregators of the source repository (created here
when the issues have not arrived yet; crawler/github/writes.py attaches issues and pull requests with
``attach="ptm"`` to the same rows, keyed by ``repo_url``). Lookups: author (front matter), tags (tags + category
+ accelerator), license (the source repository's), library (``pytorch``). Domain: ``model_to_domain`` gets the
PeaTMOSS domain the paper gave the model from its tags (crawler/pytorch_hub/domains.py), replaced on every crawl.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, update

from crawler.batch import Batch
from crawler.constants import PYTORCH_HUB_ID
from crawler.db import pytorch_hub as hub_tables
from crawler.db import schema
from crawler.db.lookups import replace_lookups
from crawler.db.upsert import ensure_names, ids_by, insert_ignore, upsert
from crawler.github.writes import ptm_ids
from crawler.pytorch_hub.domains import domain_of
from crawler.pytorch_hub.items import PyTorchHubModelItem, PyTorchHubPageItem, PyTorchHubSourceItem
from crawler.timestamps import now_iso


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def write_pages(batch: Batch, items: list[PyTorchHubPageItem]) -> None:
    now = now_iso()
    by_path = {i.path: i for i in items}
    upsert(
        batch.conn,
        hub_tables.pytorch_hub_page,
        [
            {
                "path": i.path,
                "sha": i.sha,
                "title": i.title,
                "summary": i.summary,
                "category": i.category,
                "author": i.author,
                "github_id": i.github_id,
                "tags": _json(i.tags),
                "front_matter": _json(i.front_matter),
                "strict_yaml": int(i.strict_yaml),
                "loads": _json(i.loads),
                "broken_blocks": i.broken_blocks,
                "last_seen_at": now,
                "last_seen_run_id": batch.run_id,
            }
            for i in by_path.values()
        ],
        keys=["path"],
    )
    batch.stats.inc_value("store/pytorch_hub_pages", len(by_path))


def write_sources(batch: Batch, items: list[PyTorchHubSourceItem]) -> None:
    conn, now = batch.conn, now_iso()
    by_key = {(i.repo, i.ref): i for i in items}
    upsert(
        conn,
        hub_tables.pytorch_hub_source,
        [
            {
                "repo": i.repo,
                "ref": i.ref,
                "requested": i.requested,
                "hubconf_sha": i.hubconf_sha,
                "dependencies": _json(i.dependencies),
                "star_imports": _json(i.star_imports),
                "error": i.error,
                "last_seen_at": now,
                "last_seen_run_id": batch.run_id,
            }
            for i in by_key.values()
        ],
        keys=["repo", "ref"],
    )
    entry = hub_tables.pytorch_hub_entrypoint
    listed = [i for i in by_key.values() if i.listed]
    upsert(
        conn,
        entry,
        [
            {
                "repo": i.repo,
                "ref": i.ref,
                "name": e["name"],
                "kind": e.get("kind"),
                "line": e.get("line"),
                "source": e.get("source"),
                "doc": e.get("doc"),
                "in_hubconf": 1,
                "hubconf_sha": i.hubconf_sha,
                "last_seen_at": now,
                "last_seen_run_id": batch.run_id,
            }
            for i in listed
            for e in i.entrypoints
        ],
        keys=["repo", "ref", "name"],
    )
    # Entrypoints removed from hubconf.py since the last crawl (rows no page loads: loaded ones stay, flagged).
    for i in listed:
        current = [e["name"] for e in i.entrypoints]
        stale = (entry.c.repo == i.repo) & (entry.c.ref == i.ref) & entry.c.name.not_in(current)
        conn.execute(delete(entry).where(stale & entry.c.model_id.is_(None)))
        conn.execute(update(entry).where(stale).values(in_hubconf=0))
    batch.stats.inc_value("store/pytorch_hub_sources", len(by_key))


def write_models(batch: Batch, items: list[PyTorchHubModelItem]) -> None:
    conn, now = batch.conn, now_iso()
    by_id = {i.context_id: i for i in items}
    items = list(by_id.values())
    # The aggregators GitHub's writer attaches the source repository's issues and pull requests to.
    issue_ids = ptm_ids(conn, schema.ptm_issues, {i.repo for i in items})
    pr_ids = ptm_ids(conn, schema.ptm_pull_requests, {i.repo for i in items})
    model = schema.model
    known = set(ids_by(conn, model, "context_id", list(by_id)))
    upsert(
        conn,
        model,
        [
            {
                "context_id": i.context_id,
                "model_hub_id": PYTORCH_HUB_ID,
                "sha": None,
                "repo_url": i.repo_url,
                "downloads": None,
                "likes": None,
                "has_snapshot": 1,
                "ptm_issues_id": issue_ids[i.repo],
                "ptm_pull_requests_id": pr_ids[i.repo],
            }
            for i in items
        ],
        keys=["context_id"],
    )
    ids = {str(k): v for k, v in ids_by(conn, model, "context_id", list(by_id)).items()}
    replace_lookups(
        conn,
        {
            "author": {ids[i.context_id]: [i.author] if i.author else [] for i in items},
            "tag": {ids[i.context_id]: _unique(i.tags) for i in items},
            "license": {ids[i.context_id]: _unique(i.licenses) for i in items},
            "library": {ids[i.context_id]: _unique(i.libraries) for i in items},
        },
    )
    _replace_domains(conn, {ids[i.context_id]: domain_of(i.tags) for i in items})
    entry = hub_tables.pytorch_hub_entrypoint
    # A loaded entrypoint the static listing did not find (or whose hubconf could not be read) still gets a row.
    insert_ignore(
        conn,
        entry,
        [
            {"repo": i.repo, "ref": i.ref, "name": i.entrypoint, "kind": "page", "in_hubconf": 0, "last_seen_at": now}
            for i in items
        ],
        keys=["repo", "ref", "name"],
    )
    for i in items:
        conn.execute(
            update(entry)
            .where(entry.c.repo == i.repo, entry.c.ref == i.ref, entry.c.name == i.entrypoint)
            .values(model_id=ids[i.context_id], last_seen_at=now, last_seen_run_id=batch.run_id)
        )
    batch.stats.inc_value("store/pytorch_hub_models", len(items))
    batch.stats.inc_value("store/pytorch_hub_models_new", sum(1 for i in items if i.context_id not in known))


def _replace_domains(conn: Connection, domains: dict[int, str]) -> None:
    """Each model's one ``model_to_domain`` row (the table has no key to upsert on: delete, then insert)."""
    if not domains:
        return
    junction = schema.model_to_domain
    name_ids = ensure_names(conn, schema.domain, set(domains.values()))
    conn.execute(delete(junction).where(junction.c.model_id.in_(list(domains))))
    conn.execute(junction.insert(), [{"model_id": mid, "domain_id": name_ids[d]} for mid, d in domains.items()])


# (item type, writer) in dependency order.
WRITERS = (
    (PyTorchHubPageItem, write_pages),
    (PyTorchHubSourceItem, write_sources),
    (PyTorchHubModelItem, write_models),
)
FINISHERS = ()
