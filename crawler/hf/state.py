"""The one question a spider may ask the store: which listed models already have complete details."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, select

from crawler.db import ours, schema


def completed_details(engine: Engine, context_ids: Iterable[str]) -> dict[str, str]:
    """context_id -> the sha whose details and snapshot are complete, for the given models (one query)."""
    ids = list(context_ids)
    if not ids:
        return {}
    model, state = schema.model, ours.crawl_model_state
    query = (
        select(model.c.context_id, state.c.detail_sha)
        .join(state, state.c.model_id == model.c.id)
        .where(model.c.context_id.in_(ids), state.c.detail_sha.is_not(None))
    )
    with engine.connect() as conn:
        return {str(cid): sha for cid, sha in conn.execute(query)}
