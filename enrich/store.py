"""Database side of the enrichment pass: cards in, PeaTMOSS enhanced-metadata rows and provenance out.

Writes are idempotent: a model's enhanced rows are replaced as a whole when it is enriched again (the card
changed), lookups (`domain`, `model_task`, `hardware`, `grant`, `dataset`, ...) are shared by name.
`carbon_emitted.value` (INTEGER, unit unspecified in PeaTMOSS) holds grams.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import SQLAlchemyError

from crawler.db import table
from crawler.db.upsert import ensure_names, ids_by, insert_ignore, upsert
from enrich.llm import Ledger
from enrich.pipeline import CardJob, CardOutcome
from enrich.rules import HubInfo
from enrich.vocab import DB_DOMAIN_NAMES

logger = logging.getLogger(__name__)

# Enhanced tables whose rows belong to one model and are replaced on re-enrichment.
_PER_MODEL = ("model_to_domain", "model_to_model_task", "github_repo", "model_to_base_model", "evaluation_metric",
              "demo", "model_to_grant", "input_format", "output_format", "parameter_count", "model_to_hardware",
              "carbon_emitted", "hyper_parameters", "limitation_and_bias")  # fmt: skip


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DbCache:
    """LLM answer cache in `enrich_llm_cache`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self.t = table("enrich_llm_cache")

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
            row.update(answers=json.dumps(merged), created_at=now(), **usage)
            with self.engine.begin() as conn:
                upsert(conn, self.t, [row], keys=["card_sha256", "llm_model", "mode", "prompt_version"])


def load_jobs(engine: Engine, limit: int | None = None, force: bool = False) -> Iterator[CardJob]:
    """Crawled cards (with Hub facts) not yet enriched for their current sha, or all of them with `force`."""
    card, state, model = table("crawl_model_card"), table("crawl_model_state"), table("model")
    prov = table("enrich_field_provenance")
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


def _lookup(conn: Any, name: str, values: list[str]) -> dict[str, int]:
    return ensure_names(conn, table(name), [v for v in values if v]) if values else {}


def write_outcomes(engine: Engine, outcomes: list[CardOutcome], demos: dict[str, str], run_id: str) -> int:
    """Replace each model's enhanced rows with the outcome's values; returns the number of models written.

    One transaction per card: a card that cannot be stored (or whose extraction failed) gets an `error` row in
    `enrich_review` with the reason, and the others are written. A failed card keeps its earlier rows and no
    provenance for its new sha, so the next run tries it again."""
    written = 0
    stamp = now()
    review = table("enrich_review")
    for o in outcomes:
        if o.model_id is None:
            continue
        error = o.error
        if error is None:
            try:
                with engine.begin() as conn:
                    _write_one(conn, o, demos, run_id, stamp)
                written += 1
                continue
            except SQLAlchemyError as exc:
                error = f"store: {type(exc).__name__}: {str(exc).splitlines()[0]}"[:300]
                logger.warning("card %s not stored: %s", o.key, error)
        with engine.begin() as conn:
            conn.execute(
                review.insert(),
                [{"run_id": run_id, "card": o.key, "field": "_card", "kind": "error", "value": error, "at": stamp}],
            )
    return written


def _write_one(conn: Any, o: CardOutcome, demos: dict[str, str], run_id: str, stamp: str) -> None:
    """One card's enhanced rows, provenance and review rows (replacing its earlier ones)."""
    mid, f = o.model_id, o.fields
    for name in _PER_MODEL:
        t = table(name)
        conn.execute(delete(t).where(t.c.model_id == mid))
    if f.domain:
        d = DB_DOMAIN_NAMES.get(f.domain, f.domain)
        conn.execute(
            table("model_to_domain").insert(), [{"model_id": mid, "domain_id": _lookup(conn, "domain", [d])[d]}]
        )
    if f.model_tasks:
        ids = _lookup(conn, "model_task", f.model_tasks)
        conn.execute(
            table("model_to_model_task").insert(),
            [{"model_id": mid, "model_task_id": ids[t]} for t in dict.fromkeys(f.model_tasks)],
        )
    for repo in f.github_repo or []:
        owner, _, name = repo.partition("/")
        insert_ignore(
            conn,
            table("github_repo"),
            [{"owner": owner, "name": name, "url": f"https://github.com/{repo}", "model_id": mid}],
        )
    if f.base_models:
        known = ids_by(conn, table("model"), "context_id", f.base_models)
        rows = [{"model_id": mid, "base_model_name": b, "base_model_id": known.get(b),
                 "base_model_url": f"https://huggingface.co/{b}" if "/" in b else None}
                for b in dict.fromkeys(f.base_models)]  # fmt: skip
        insert_ignore(conn, table("model_to_base_model"), rows, keys=["model_id", "base_model_name"])
    if f.evaluation:
        names = [e.dataset or "unspecified" for e in f.evaluation]
        ds = _lookup(conn, "dataset", names)
        rows = [{"test": e.metric, "dataset_id": ds[n], "result": str(e.value), "model_id": mid}
                for e, n in zip(f.evaluation, names, strict=True)]  # fmt: skip
        insert_ignore(conn, table("evaluation_metric"), rows)
    if f.demonstration and demos.get(o.key):
        insert_ignore(conn, table("demo"), [{"demo": demos[o.key], "model_id": mid}])
    if f.grant_sponsorship:
        gid = _lookup(conn, "grant", [f.grant_sponsorship])[f.grant_sponsorship]
        insert_ignore(conn, table("model_to_grant"), [{"model_id": mid, "grant_id": gid}])
    for tname, value in (("input_format", f.input_format), ("output_format", f.output_format)):
        if value:
            insert_ignore(conn, table(tname), [{"format": value, "model_id": mid}])
    if f.parameter_count:
        insert_ignore(conn, table("parameter_count"), [{"count": f.parameter_count, "model_id": mid}])
    if f.hardware:
        ids = _lookup(conn, "hardware", f.hardware)
        insert_ignore(conn, table("model_to_hardware"), [{"model_id": mid, "hardware_id": ids[h]} for h in f.hardware])
    if f.carbon_emitted_kg is not None:
        grams = int(round(f.carbon_emitted_kg * 1000))
        insert_ignore(conn, table("carbon_emitted"), [{"value": grams, "model_id": mid}])
    if f.hyperparameters:
        value = json.dumps(f.hyperparameters, sort_keys=True, default=str)
        insert_ignore(conn, table("hyper_parameters"), [{"value": value, "model_id": mid}])
    if f.limitations_and_biases:
        insert_ignore(conn, table("limitation_and_bias"), [{"value": f.limitations_and_biases, "model_id": mid}])
    _write_lookups(conn, mid, o)
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
    prov = table("enrich_field_provenance")
    conn.execute(delete(prov).where(prov.c.model_id == mid))
    upsert(conn, prov, prov_rows, keys=["model_id", "field"])
    review = [{"run_id": run_id, "card": o.key, "field": r["field"], "kind": "low_confidence",
               "value": json.dumps(r["value"], default=str), "confidence": r["confidence"], "at": stamp}
              for r in o.review]  # fmt: skip
    review += [{"run_id": run_id, "card": o.key, "field": k, "kind": "rejected", "value": str(n), "at": stamp}
               for k, n in o.rejected.items()]  # fmt: skip
    if review:
        conn.execute(table("enrich_review").insert(), review)


def _write_lookups(conn: Any, mid: int, o: CardOutcome) -> None:
    """Published PeaTMOSS lookups the card also settles (shared with the crawler's rows, insert-only)."""
    f = o.fields
    pairs = (("license", "model_to_license", "license_id", [f.license] if f.license else []),
             ("dataset", "model_to_dataset", "dataset_id", f.datasets or []),
             ("language", "model_to_language", "language_id", f.languages or []),
             ("library", "model_to_library", "library_id", f.libraries or []),
             ("framework", "model_to_framework", "framework_id", f.frameworks or []))  # fmt: skip
    for lookup, junction, column, values in pairs:
        if values:
            ids = _lookup(conn, lookup, values)
            insert_ignore(conn, table(junction), [{"model_id": mid, column: ids[v]} for v in dict.fromkeys(values)])
    if f.papers:
        urls = {p: f"https://arxiv.org/abs/{p}" for p in f.papers}
        insert_ignore(conn, table("paper"), [{"title": u, "url": u} for u in urls.values()], keys=["title"])
        ids = ids_by(conn, table("paper"), "title", list(urls.values()))
        insert_ignore(conn, table("model_to_paper"), [{"model_id": mid, "paper_id": ids[u]} for u in urls.values()])


def write_ledger(engine: Engine, ledger: Ledger, run_id: str) -> None:
    rows = [{"run_id": run_id, "card": e.card, "llm_model": e.llm_model, "mode": e.mode,
             "prompt_tokens": e.prompt_tokens, "completion_tokens": e.completion_tokens, "cost_usd": e.cost_usd,
             "cached": int(e.cached), "status": e.status, "attempts": e.attempts, "at": now()}
            for e in ledger.entries]  # fmt: skip
    if rows:
        with engine.begin() as conn:
            conn.execute(table("enrich_llm_call").insert(), rows)
