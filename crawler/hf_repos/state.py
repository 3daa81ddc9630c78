"""What a Spaces or datasets spider may ask the store, once per list page: what changed since the last crawl."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, Table, select, union

from crawler.db.hub_repos import hf_dataset, hf_declared_model, hf_space
from crawler.db.schema import model

# repo type -> (table, natural key column)
REPO_TABLES: dict[str, tuple[Table, str]] = {"space": (hf_space, "space_id"), "dataset": (hf_dataset, "dataset_id")}


def completed_details(engine: Engine, repo_type: str, repo_ids: Iterable[str]) -> dict[str, str]:
    """repo id -> the revision whose files are in the snapshot store, for the given Spaces or datasets."""
    ids = list(repo_ids)
    if not ids:
        return {}
    table, key = REPO_TABLES[repo_type]
    query = select(table.c[key], table.c.detail_sha).where(table.c[key].in_(ids), table.c.detail_sha.is_not(None))
    with engine.connect() as conn:
        return {str(k): sha for k, sha in conn.execute(query)}


def unknown_models(engine: Engine, model_ids: Iterable[str]) -> set[str]:
    """The declared model names we neither store nor already asked the Hub about: worth one request each."""
    names = set(model_ids)
    if not names:
        return set()
    known = union(
        select(model.c.context_id.label("name")).where(model.c.context_id.in_(names)),
        select(hf_declared_model.c.name.label("name")).where(hf_declared_model.c.name.in_(names)),
    )
    with engine.connect() as conn:
        return names - {str(name) for (name,) in conn.execute(known)}
