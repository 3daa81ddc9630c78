"""Lookup ids remembered per engine (issue 14): names met before cost no query, a rollback forgets nothing wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, event, func, select

from crawler.constants import HF_HUB_ID
from crawler.db import schema
from crawler.db.engine import forget_engine, open_engine
from crawler.db.lookups import lookup_ids, replace_lookups
from crawler.db.upsert import insert_ignore_tuples, upsert


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lookups.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = open_engine(url)
    yield engine
    if request.param == "postgresql":  # the session's schema is shared: leave none of this test's rows behind
        model, tag, to_tag = schema.model, schema.tag, schema.model_to_tag
        with engine.begin() as conn:
            mids = select(model.c.id).where(model.c.context_id.like("lookups/%"))
            conn.execute(to_tag.delete().where(to_tag.c.model_id.in_(mids)))
            conn.execute(model.delete().where(model.c.context_id.like("lookups/%")))
            conn.execute(tag.delete().where(tag.c.name.like("lookups-%")))
    forget_engine(url)


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_: seen.append(sql))
    return seen


def _stored(conn: Connection, names: list[str]) -> dict[str, int]:
    tag = schema.tag
    return {name: id_ for name, id_ in conn.execute(select(tag.c.name, tag.c.id).where(tag.c.name.in_(names)))}


def _unique(prefix: str) -> list[str]:
    return [f"lookups-{prefix}-{i}" for i in range(3)]


def test_names_met_in_a_committed_batch_cost_no_query_later(engine: Engine) -> None:
    names = _unique("remembered")
    with engine.begin() as conn:
        first = lookup_ids(conn, schema.tag, names)
    seen = _statements(engine)
    with engine.begin() as conn:
        again = lookup_ids(conn, schema.tag, names)
    assert again == first
    assert not [sql for sql in seen if "tag" in sql]
    with engine.connect() as conn:  # and they are the rows' ids
        stored = _stored(conn, names)
    assert stored == first


def test_names_of_a_rolled_back_batch_are_inserted_again(engine: Engine) -> None:
    names = _unique("rolled-back")
    with engine.connect() as conn:
        conn.begin()
        lookup_ids(conn, schema.tag, names)
        conn.rollback()
    with engine.begin() as conn:
        ids = lookup_ids(conn, schema.tag, names)
    with engine.connect() as conn:
        stored = _stored(conn, names)
    assert stored == ids and set(stored) == set(names)


def test_a_name_another_node_inserted_is_found(engine: Engine) -> None:
    names = _unique("other-node")
    with engine.begin() as conn:  # "another node": rows written behind this engine's back
        insert_ignore_tuples(conn, schema.tag, ("name",), [(n,) for n in names[:2]], keys=("name",))
    with engine.begin() as conn:
        ids = lookup_ids(conn, schema.tag, names)
        count = conn.execute(select(func.count()).select_from(schema.tag).where(schema.tag.c.name.in_(names)))
        assert count.scalar_one() == 3
    assert len(set(ids.values())) == 3


def test_replace_lookups_for_new_and_stored_models(engine: Engine) -> None:
    with engine.begin() as conn:
        rows = [{"context_id": f"lookups/m{i}", "model_hub_id": HF_HUB_ID} for i in range(2)]
        upsert(conn, schema.model, rows, ["context_id"])
        model = schema.model
        mids = sorted(mid for (mid,) in conn.execute(select(model.c.id).where(model.c.context_id.like("lookups/%"))))
        replace_lookups(conn, {"tag": {mids[0]: ["lookups-a", "lookups-b"], mids[1]: ["lookups-b"]}}, new=set(mids))
    with engine.begin() as conn:  # the stored model's tags are replaced, the other's kept
        replace_lookups(conn, {"tag": {mids[0]: ["lookups-c"]}})
        rows = conn.execute(
            select(schema.model_to_tag.c.model_id, schema.tag.c.name)
            .join(schema.tag, schema.tag.c.id == schema.model_to_tag.c.tag_id)
            .where(schema.model_to_tag.c.model_id.in_(mids))
        )
        assert sorted(rows) == sorted([(mids[0], "lookups-c"), (mids[1], "lookups-b")])
