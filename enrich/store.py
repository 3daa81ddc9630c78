"""Database side of the enrichment pass: cards in, PeaTMOSS enhanced-metadata rows and provenance out.

Writes are idempotent: a model's enhanced rows are replaced as a whole when it is enriched again (the card
changed), lookups (`domain`, `model_task`, `hardware`, `grant`, `dataset`, ...) are shared by name. Where each
field lands is its declaration's `Store` (`enrich.fields.FIELDS`, `enrich.writers`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import SQLAlchemyError

from crawler.db.enrich import enrich_field_provenance, enrich_llm_cache, enrich_llm_call, enrich_review
from crawler.db.ours import crawl_model_card, crawl_model_state
from crawler.db.schema import model
from crawler.db.upsert import upsert
from crawler.timestamps import now_iso
from enrich.fields import REGISTRY, Registry
from enrich.llm import Ledger
from enrich.pipeline import CardJob, CardOutcome
from enrich.rules import HubInfo
from enrich.values import is_empty
from enrich.writers import WriteContext

logger = logging.getLogger(__name__)


class DbCache:
    """LLM answer cache in `enrich_llm_cache`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self.t = enrich_llm_cache

    def get(self, key: tuple[str, str, str, str]) -> dict[str, Any] | None:
        t = self.t
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.c.answers).where(
                    t.c.card_sha256 == key[0], t.c.llm_model == key[1], t.c.mode == key[2], t.c.prompt_version == key[3]
                )
            ).first()
        return {"answers": json.loads(row.answers)} if row else None

    def put(self, key: tuple[str, str, str, str], answers: dict[str, Any], usage: dict[str, Any]) -> None:
        with self._lock:
            merged = dict((self.get(key) or {}).get("answers", {}))
            merged.update(answers)
            row = dict(zip(("card_sha256", "llm_model", "mode", "prompt_version"), key, strict=True))
            row.update(answers=json.dumps(merged), created_at=now_iso(), **usage)
            with self.engine.begin() as conn:
                upsert(conn, self.t, [row], keys=["card_sha256", "llm_model", "mode", "prompt_version"])


def load_jobs(engine: Engine, limit: int | None = None, force: bool = False) -> Iterator[CardJob]:
    """Crawled cards (with Hub facts) not yet enriched for their current sha, or all of them with `force`."""
    card, state, prov = crawl_model_card, crawl_model_state, enrich_field_provenance
    query = (
        select(model.c.id, model.c.context_id, card.c.text, card.c.sha256, state.c.pipeline_tag, state.c.library_name)
        .join(card, card.c.model_id == model.c.id)
        .join(state, state.c.model_id == model.c.id, isouter=True)
        .where(card.c.text.is_not(None))
        .order_by(model.c.id)
    )
    with engine.connect() as conn:
        done = {}
        if not force:
            done = {r.model_id: r.card_sha256 for r in conn.execute(select(prov.c.model_id, prov.c.card_sha256))}
        rows = conn.execute(query.limit(limit) if limit else query).all()
    for r in rows:
        if not force and r.id in done and done[r.id] == r.sha256:
            continue
        hub = HubInfo(model_id=str(r.context_id), pipeline_tag=r.pipeline_tag, library_name=r.library_name)
        yield CardJob(key=str(r.context_id), text=r.text, hub=hub, model_id=r.id)


def write_outcomes(engine: Engine, outcomes: list[CardOutcome], run_id: str, registry: Registry = REGISTRY) -> int:
    """Replace each model's enhanced rows with the outcome's values; returns the number of models written.

    One transaction per card: a card that cannot be stored (or whose extraction failed) gets an `error` row in
    `enrich_review` with the reason, and the others are written. A failed card keeps its earlier rows and no
    provenance for its new sha, so the next run tries it again."""
    written = 0
    stamp = now_iso()
    for o in outcomes:
        if o.model_id is None:
            continue
        error = o.error
        if error is None:
            try:
                with engine.begin() as conn:
                    _write_one(conn, registry, o.model_id, o, run_id, stamp)
                written += 1
                continue
            except SQLAlchemyError as exc:
                error = f"store: {type(exc).__name__}: {str(exc).splitlines()[0]}"[:300]
                logger.warning("card %s not stored: %s", o.key, error)
        with engine.begin() as conn:
            conn.execute(
                enrich_review.insert(),
                [{"run_id": run_id, "card": o.key, "field": "_card", "kind": "error", "value": error, "at": stamp}],
            )
    return written


def _write_one(conn: Any, registry: Registry, mid: int, o: CardOutcome, run_id: str, stamp: str) -> None:
    """One card's enhanced rows, provenance and review rows (replacing its earlier ones)."""
    f = o.fields
    ctx = WriteContext(mid, o.demo)
    for spec in registry.fields:
        spec.store.clear(conn, mid)
    for spec in registry.fields:
        value = getattr(f, spec.name)
        if not is_empty(value):
            spec.store.write(conn, value, ctx)
    prov_rows = [
        {"model_id": mid, "field": name, "source": p.get("source"), "rule": p.get("rule"),
         "llm_model": p.get("llm_model"), "mode": p.get("mode"), "version": p.get("version"),
         "confidence": p.get("confidence"), "card_sha256": o.card_sha256,
         "value": json.dumps(getattr(f, name) if name != "evaluation" else f.as_json()["evaluation"],
                             default=str),
         "extracted_at": stamp}
        for name, p in o.provenance.items()
    ]  # fmt: skip
    if not prov_rows:  # remember that this card was processed, even when nothing was found
        prov_rows = [{"model_id": mid, "field": "_none", "source": "rule", "card_sha256": o.card_sha256,
                      "extracted_at": stamp}]  # fmt: skip
    prov = enrich_field_provenance
    conn.execute(delete(prov).where(prov.c.model_id == mid))
    upsert(conn, prov, prov_rows, keys=["model_id", "field"])
    review = [{"run_id": run_id, "card": o.key, "field": r["field"], "kind": "low_confidence",
               "value": json.dumps(r["value"], default=str), "confidence": r["confidence"], "at": stamp}
              for r in o.review]  # fmt: skip
    review += [{"run_id": run_id, "card": o.key, "field": k, "kind": "rejected", "value": str(n), "at": stamp}
               for k, n in o.rejected.items()]  # fmt: skip
    if review:
        conn.execute(enrich_review.insert(), review)


def write_ledger(engine: Engine, ledger: Ledger, run_id: str) -> None:
    rows = [{"run_id": run_id, "card": e.card, "llm_model": e.llm_model, "mode": e.mode,
             "prompt_tokens": e.prompt_tokens, "completion_tokens": e.completion_tokens, "cost_usd": e.cost_usd,
             "cached": int(e.cached), "status": e.status, "attempts": e.attempts, "at": now_iso()}
            for e in ledger.entries]  # fmt: skip
    if rows:
        with engine.begin() as conn:
            conn.execute(enrich_llm_call.insert(), rows)
