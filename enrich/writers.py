"""Where each enhanced-metadata field is stored: one `Store` per field, used by `enrich.fields.FIELDS`.

A store either owns per-model rows (deleted and rewritten when the model is enriched again) or adds to the
published PeaTMOSS lookups that the crawl also fills (insert-only: the crawler's rows are never removed).
`carbon_emitted.value` (INTEGER, unit unspecified in PeaTMOSS) holds grams.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete

from crawler.db import schema
from crawler.db.upsert import ensure_names, ids_by, insert_ignore
from crawler.vocab import DB_DOMAIN_NAMES


@dataclass(frozen=True)
class WriteContext:
    """What a writer may need beyond the value: the model's row id and the card's first usage snippet."""

    model_id: int
    demo: str | None = None


Writer = Callable[[Connection, Any, WriteContext], None]


@dataclass(frozen=True)
class Store:
    """How one field's value is written; `owned` tables hold only this field's rows of a model."""

    describe: str  # the tables, for documentation
    write: Writer
    owned: tuple[Table, ...] = field(default=())

    def clear(self, conn: Connection, model_id: int) -> None:
        for t in self.owned:
            conn.execute(delete(t).where(t.c.model_id == model_id))


def _values(value: Any) -> list[Any]:
    """A value as a list of distinct non-empty items (a scalar becomes a list of one)."""
    items = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(v for v in items if v not in (None, "")))


def linked(lookup: Table, junction: Table, column: str, owned: bool = True, name: Callable[[Any], str] = str) -> Store:
    """Names in a lookup table (`lookup.name`), linked to the model through `junction.<column>`."""

    def write(conn: Connection, value: Any, ctx: WriteContext) -> None:
        names = list(dict.fromkeys(name(v) for v in _values(value)))
        ids = ensure_names(conn, lookup, names)
        insert_ignore(conn, junction, [{"model_id": ctx.model_id, column: ids[n]} for n in names])

    return Store(f"{lookup.name} / {junction.name}", write, (junction,) if owned else ())


def rows(target: Table, make: Callable[[Any, WriteContext], Iterable[dict[str, Any]]]) -> Store:
    """Rows of one per-model table, built by `make` from the value (model_id added)."""

    def write(conn: Connection, value: Any, ctx: WriteContext) -> None:
        built = [{**r, "model_id": ctx.model_id} for r in make(value, ctx)]
        if built:
            insert_ignore(conn, target, built)

    return Store(target.name, write, (target,))


def _github_repos(conn: Connection, value: Any, ctx: WriteContext) -> None:
    for repo in _values(value):
        owner, _, name = repo.partition("/")
        row = {"owner": owner, "name": name, "url": f"https://github.com/{repo}", "model_id": ctx.model_id}
        insert_ignore(conn, schema.github_repo, [row])


def _base_models(conn: Connection, value: Any, ctx: WriteContext) -> None:
    names = _values(value)
    known = ids_by(conn, schema.model, "context_id", names)
    built = [{"model_id": ctx.model_id, "base_model_name": b, "base_model_id": known.get(b),
              "base_model_url": f"https://huggingface.co/{b}" if "/" in b else None} for b in names]  # fmt: skip
    insert_ignore(conn, schema.model_to_base_model, built, keys=["model_id", "base_model_name"])


def _evaluation(conn: Connection, value: Any, ctx: WriteContext) -> None:
    names = [e.dataset or "unspecified" for e in value]
    ids = ensure_names(conn, schema.dataset, names)
    built = [{"test": e.metric, "dataset_id": ids[n], "result": str(e.value), "model_id": ctx.model_id}
             for e, n in zip(value, names, strict=True)]  # fmt: skip
    insert_ignore(conn, schema.evaluation_metric, built)


def _papers(conn: Connection, value: Any, ctx: WriteContext) -> None:
    urls = [f"https://arxiv.org/abs/{p}" for p in _values(value)]
    insert_ignore(conn, schema.paper, [{"title": u, "url": u} for u in urls], keys=["title"])
    ids = ids_by(conn, schema.paper, "title", urls)
    insert_ignore(conn, schema.model_to_paper, [{"model_id": ctx.model_id, "paper_id": ids[u]} for u in urls])


domain = linked(schema.domain, schema.model_to_domain, "domain_id", name=lambda d: DB_DOMAIN_NAMES.get(d, d))
model_tasks = linked(schema.model_task, schema.model_to_model_task, "model_task_id")
hardware = linked(schema.hardware, schema.model_to_hardware, "hardware_id")
grant = linked(schema.grant, schema.model_to_grant, "grant_id")
license = linked(schema.license, schema.model_to_license, "license_id", owned=False)  # noqa: A001 - the field's name
datasets = linked(schema.dataset, schema.model_to_dataset, "dataset_id", owned=False)
languages = linked(schema.language, schema.model_to_language, "language_id", owned=False)
libraries = linked(schema.library, schema.model_to_library, "library_id", owned=False)
frameworks = linked(schema.framework, schema.model_to_framework, "framework_id", owned=False)
papers = Store("paper / model_to_paper", _papers)
github_repo = Store("github_repo", _github_repos, (schema.github_repo,))
base_models = Store("model_to_base_model", _base_models)  # insert-only: the crawl's rows keep their `relation`
evaluation = Store("evaluation_metric (+ dataset)", _evaluation, (schema.evaluation_metric,))
demo = rows(schema.demo, lambda v, ctx: [{"demo": ctx.demo}] if v and ctx.demo else [])
input_format = rows(schema.input_format, lambda v, ctx: [{"format": v}])
output_format = rows(schema.output_format, lambda v, ctx: [{"format": v}])
parameter_count = rows(schema.parameter_count, lambda v, ctx: [{"count": v}])
carbon_emitted = rows(schema.carbon_emitted, lambda v, ctx: [{"value": int(round(v * 1000))}])  # kg -> grams
hyper_parameters = rows(schema.hyper_parameters, lambda v, ctx: [{"value": json.dumps(v, sort_keys=True, default=str)}])
limitation_and_bias = rows(schema.limitation_and_bias, lambda v, ctx: [{"value": v}])
