"""Write mapping results into the database: PeaTMOSS's mapping tables plus our call-site table.

Per repository, in one transaction: make sure its ``reuse_repository`` row exists, replace its call
sites, and make ``model_to_reuse_repository`` / ``reuse_file`` hold exactly the (model, repository)
and (file, model) pairs the current analysis found. Re-running on unchanged code changes nothing
but ``map_call_site`` ids and timestamps; surrogate ids of PeaTMOSS rows stay stable.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, select

from crawler.db.hub_repos import hf_space, hf_space_call_site, hf_space_to_model
from crawler.db.mapping import map_call_site
from crawler.db.schema import model_to_reuse_repository, reuse_file, reuse_repository
from crawler.db.upsert import insert_ignore
from crawler.timestamps import now_iso
from mapping.records import CallSite
from mapping.resolve import Resolver


def resolve_records(records: list[CallSite], resolver: Resolver) -> None:
    """Fill ``model_id``/``resolution`` and make ``resolvable`` mean "matched a model row"."""
    for r in records:
        if r.ptm is None:
            continue
        res = resolver.resolve(r.ptm, r.library)
        r.model_id = res.model_id
        r.resolution = res.how
        r.resolvable = res.model_id is not None
        if res.model_id is None and not r.reason:
            r.reason = "identifier not found among the database's models"


def _call_site(r: CallSite, now: str) -> dict[str, object]:
    """The evidence columns of one call site (map_call_site and hf_space_call_site share them)."""
    return {
        "path": r.path,
        "line": r.line,
        "col": r.column,
        "library": r.library,
        "callee": r.call,
        "argument": r.argument,
        "ptm": r.ptm,
        "model_id": r.model_id,
        "resolution": r.resolution,
        "confidence": r.confidence,
        "reason": r.reason,
        "hub": r.hub,
        "mapped_at": now,
    }


def _repository_id(conn: Connection, owner: str, name: str) -> int:
    t = reuse_repository
    insert_ignore(conn, t, [{"owner": owner, "name": name, "url": f"github.com/{owner}/{name}"}], ["owner", "name"])
    return conn.execute(select(t.c.id).where(and_(t.c.owner == owner, t.c.name == name))).scalar_one()


def store_repository(conn: Connection, repo: str, records: list[CallSite]) -> int | None:
    """Write one repository's (already resolved) records; returns its reuse_repository id."""
    owner, _, name = repo.partition("/")
    if not name:
        owner, name = "", repo
    calls, m2r, files = map_call_site, model_to_reuse_repository, reuse_file
    if not records:
        existing = reuse_repository
        rid = conn.execute(
            select(existing.c.id).where(and_(existing.c.owner == owner, existing.c.name == name))
        ).scalar_one_or_none()
        if rid is None:
            return None  # never reported as a downstream repository
    else:
        rid = _repository_id(conn, owner, name)
    now = now_iso()
    conn.execute(delete(calls).where(calls.c.reuse_repository_id == rid))
    rows = [{"reuse_repository_id": rid, **_call_site(r, now)} for r in records]
    if rows:
        conn.execute(calls.insert(), rows)
    model_ids = sorted({r.model_id for r in records if r.model_id is not None})
    pairs = sorted({(f"{repo}/{r.path}", r.model_id) for r in records if r.model_id is not None})
    conn.execute(delete(m2r).where(and_(m2r.c.reuse_repository_id == rid, m2r.c.model_id.not_in(model_ids or [-1]))))
    insert_ignore(conn, m2r, [{"model_id": m, "reuse_repository_id": rid} for m in model_ids])
    keep = {p for p, _ in pairs}
    for fid, path, mid in conn.execute(
        select(files.c.id, files.c.path, files.c.model_id).where(files.c.reuse_repository_id == rid)
    ).all():
        if (path, mid) not in pairs or path not in keep:
            conn.execute(delete(files).where(files.c.id == fid))
    insert_ignore(
        conn, files, [{"path": p, "model_id": m, "reuse_repository_id": rid} for p, m in pairs], ["path", "model_id"]
    )
    return rid


def space_revisions(conn: Connection) -> dict[str, str]:
    """Space id -> the revision whose files are in the snapshot store (what ``scrapy map`` maps)."""
    query = select(hf_space.c.space_id, hf_space.c.detail_sha).where(hf_space.c.detail_sha.is_not(None))
    return {str(space): str(revision) for space, revision in conn.execute(query)}


def store_space(conn: Connection, space_id: str, revision: str, records: list[CallSite]) -> int:
    """Replace one Space's mapped call sites; kept apart from the links it declares, each marked declared or not.

    Returns the number of loads of a model the Space does not declare.
    """
    sid = conn.execute(select(hf_space.c.id).where(hf_space.c.space_id == space_id)).scalar_one()
    links = conn.execute(
        select(hf_space_to_model.c.model_name, hf_space_to_model.c.model_id).where(hf_space_to_model.c.space_id == sid)
    ).all()
    names, ids = {n for n, _ in links}, {m for _, m in links if m is not None}
    now = now_iso()
    conn.execute(delete(hf_space_call_site).where(hf_space_call_site.c.space_id == sid))
    rows = [
        {
            "space_id": sid,
            "revision": revision,
            "declared": int(r.ptm in names or (r.model_id is not None and r.model_id in ids)),
            **_call_site(r, now),
        }
        for r in records
    ]
    if rows:
        conn.execute(hf_space_call_site.insert(), rows)
    return sum(1 for row in rows if row["ptm"] and not row["declared"])
