"""Bulk upserts keep ids stable and are idempotent, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from crawler.db import table
from crawler.db.engine import forget_engine, open_engine
from crawler.db.upsert import ensure_names, ids_by, insert_ignore, upsert


@contextmanager
def rolled_back(url: str) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back afterwards (keeps the shared PG schema clean)."""
    engine = open_engine(url)
    with engine.connect() as connection:
        connection.begin()
        yield connection
        connection.rollback()


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    """SQLite here; tests/cluster/test_db_upsert_postgres.py runs the same tests on PostgreSQL."""
    url = f"sqlite:///{tmp_path / 'upsert.db'}"
    with rolled_back(url) as connection:
        yield connection
    forget_engine(url)


def _models(conn: Connection) -> dict[str, tuple[int, int | None, int | None]]:
    model = table("model")
    rows = conn.execute(select(model.c.context_id, model.c.id, model.c.downloads, model.c.likes))
    return {cid: (id_, downloads, likes) for cid, id_, downloads, likes in rows}


def test_upsert_updates_values_and_keeps_ids(conn: Connection) -> None:
    model = table("model")
    upsert(
        conn,
        model,
        [{"context_id": "a/x", "downloads": 1, "likes": 5}, {"context_id": "b/y", "downloads": 2}],
        ["context_id"],
    )
    before = _models(conn)
    upsert(
        conn, model, [{"context_id": "b/y", "downloads": 20}, {"context_id": "a/x", "downloads": 10}], ["context_id"]
    )
    after = _models(conn)
    assert after == {"a/x": (before["a/x"][0], 10, 5), "b/y": (before["b/y"][0], 20, None)}


def test_upsert_update_list_limits_overwritten_columns(conn: Connection) -> None:
    model = table("model")
    upsert(conn, model, [{"context_id": "a/x", "downloads": 1, "likes": 1}], ["context_id"])
    upsert(conn, model, [{"context_id": "a/x", "downloads": 2, "likes": 2}], ["context_id"], update=["likes"])
    assert _models(conn)["a/x"][1:] == (1, 2)


def test_upsert_rows_with_different_columns_in_one_call(conn: Connection) -> None:
    model = table("model")
    upsert(conn, model, [{"context_id": "a/x", "downloads": 1, "likes": 7}], ["context_id"])
    upsert(conn, model, [{"context_id": "a/x", "downloads": 3}, {"context_id": "c/z", "likes": 4}], ["context_id"])
    models = _models(conn)
    assert models["a/x"][1:] == (3, 7)  # likes not in the row: left alone
    assert models["c/z"][1:] == (None, 4)


def test_upsert_of_base_model_link_with_null_base_model_id(conn: Connection) -> None:
    """The unique index (model_id, base_model_name) is the conflict target, also where the PK is absent."""
    model, link = table("model"), table("model_to_base_model")
    upsert(conn, model, [{"context_id": "org/ft"}], ["context_id"])
    model_id = ids_by(conn, model, "context_id", ["org/ft"])["org/ft"]
    row = {"model_id": model_id, "base_model_name": "bert-base-uncased", "base_model_id": None}
    upsert(conn, link, [{**row, "relation": None}], ["model_id", "base_model_name"])
    upsert(conn, link, [{**row, "relation": "finetune"}], ["model_id", "base_model_name"])
    assert conn.execute(select(link.c.base_model_name, link.c.relation)).all() == [("bert-base-uncased", "finetune")]


def test_insert_ignore_is_idempotent_and_keeps_existing_values(conn: Connection) -> None:
    hub = table("model_hub")
    insert_ignore(conn, hub, [{"id": 1, "name": "Other", "url": "https://example.org"}], ["id"])
    assert conn.execute(select(hub.c.name).where(hub.c.id == 1)).scalar() == "HuggingFace"
    model, tag, junction = table("model"), table("tag"), table("model_to_tag")
    upsert(conn, model, [{"context_id": "a/x"}], ["context_id"])
    model_id = ids_by(conn, model, "context_id", ["a/x"])["a/x"]
    tag_ids = ensure_names(conn, tag, ["nlp", "vision"])
    rows = [{"model_id": model_id, "tag_id": tag_id} for tag_id in tag_ids.values()]
    insert_ignore(conn, junction, rows, ["model_id", "tag_id"])
    insert_ignore(conn, junction, rows, ["model_id", "tag_id"])
    assert conn.execute(select(func.count()).select_from(junction)).scalar() == 2


def test_ensure_names_returns_stable_ids(conn: Connection) -> None:
    grant = table("grant")  # a reserved word on PostgreSQL
    first = ensure_names(conn, grant, ["NSF", "DARPA", "NSF", None])
    assert sorted(first) == ["DARPA", "NSF"]
    second = ensure_names(conn, grant, ["DARPA", "ERC", "NSF"])
    assert {k: second[k] for k in first} == first
    assert len(set(second.values())) == 3
    paper = table("paper")
    papers = ensure_names(conn, paper, ["Attention Is All You Need"], column="title")
    name = conn.execute(select(paper.c.name).where(paper.c.id == papers["Attention Is All You Need"])).scalar()
    assert name == "Attention Is All You Need"


def test_large_batch_stays_under_parameter_limits(conn: Connection) -> None:
    model = table("model")
    rows = [{"context_id": f"org/m{i}", "model_hub_id": 1, "downloads": i, "likes": i} for i in range(5000)]
    upsert(conn, model, rows, ["context_id"])
    ids = ids_by(conn, model, "context_id", [r["context_id"] for r in rows])
    assert len(set(ids.values())) == 5000
    upsert(conn, model, [{**r, "downloads": r["downloads"] + 1} for r in rows], ["context_id"])
    assert ids_by(conn, model, "context_id", ids) == ids
    assert conn.execute(select(func.sum(model.c.downloads))).scalar() == sum(range(5000)) + 5000
    names = ensure_names(conn, table("tag"), [f"t{i}" for i in range(5000)])
    assert len(set(names.values())) == 5000


def test_empty_input_is_a_no_op(conn: Connection) -> None:
    model = table("model")
    upsert(conn, model, [], ["context_id"])
    insert_ignore(conn, model, [], ["context_id"])
    assert ensure_names(conn, table("tag"), []) == {}
    assert ids_by(conn, model, "context_id", []) == {}
    assert conn.execute(select(func.count()).select_from(model)).scalar() == 0


def test_enrichment_keeps_the_crawls_base_model_relations(conn: Connection) -> None:
    """The crawl's lineage (relation from `base_model:<relation>:<id>` tags) survives `scrapy enrich` of the model:
    the enrichment adds base models it finds in the card, it never rewrites the crawl's rows."""
    from enrich.writers import WriteContext, base_models

    model, base = table("model"), table("model_to_base_model")
    conn.execute(model.insert().values(context_id="org/child", model_hub_id=1))
    child = conn.execute(select(model.c.id)).scalar_one()
    crawled = {"model_id": child, "base_model_name": "org/base", "base_model_id": None, "relation": "finetune"}
    insert_ignore(conn, base, [crawled], keys=["model_id", "base_model_name"])
    base_models.clear(conn, child)  # what enrich/store.py does before writing a model's fields again
    base_models.write(conn, ["org/base", "org/other"], WriteContext(child))
    rows = dict(conn.execute(select(base.c.base_model_name, base.c.relation).where(base.c.model_id == child)).all())
    assert rows == {"org/base": "finetune", "org/other": None}
