"""The field registry (issue 12.4): one declaration per field, and every derived view follows it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select

from crawler.db.schema import metadata
from enrich import writers
from enrich.extract import extract
from enrich.fields import FIELD_NAMES, FIELDS, REGISTRY, CardFields, FieldSpec, Registry, llm_schema
from enrich.pipeline import CardOutcome
from enrich.store import write_outcomes

CARD = "---\nlicense: mit\n---\n# A model\nSee https://arxiv.org/abs/1810.04805.\n"

hint = Table("enrich_test_hint", MetaData(), Column("model_id", Integer), Column("value", String))


def _hint_rule(card, hub):  # type: ignore[no-untyped-def]
    return (card.meta.get("license") or "").upper(), "test-rule"


HINT = FieldSpec("licence_shout", str, "the licence, shouted", "license", _hint_rule,
                 writers.rows(hint, lambda v, ctx: [{"value": v}]))  # fmt: skip


def test_the_module_views_are_the_registry_of_fields() -> None:
    assert FIELD_NAMES == tuple(f.name for f in FIELDS) and len(FIELD_NAMES) == 20
    assert list(CardFields.model_fields) == list(FIELD_NAMES)
    assert list(llm_schema(list(FIELD_NAMES))["properties"]) == list(FIELD_NAMES)
    assert REGISTRY.asked(set()) == [n for n in FIELD_NAMES if n != "demonstration"]
    assert set(extract(CARD).fields.model_dump()) == set(FIELD_NAMES)


def test_adding_a_declaration_adds_it_to_every_view(tmp_path) -> None:
    reg = Registry((*FIELDS, HINT))
    assert reg.names[-1] == "licence_shout"
    assert "licence_shout" in reg.record.model_fields
    schema = reg.llm_schema(["licence_shout"])
    assert list(schema["properties"]) == ["licence_shout"] and "the licence, shouted" in json.dumps(schema)
    assert "licence_shout" in reg.asked(set())
    assert "enrich_test_hint" in reg.owned_tables
    result = extract(CARD, registry=reg)
    assert result.fields.licence_shout == "MIT" and result.sources["licence_shout"] == "test-rule"
    assert result.fields.license == "mit"  # the declared fields are unchanged

    engine = create_engine(f"sqlite:///{tmp_path / 'e.db'}")
    metadata.create_all(engine)
    hint.create(engine)
    with engine.begin() as conn:
        conn.execute(metadata.tables["model"].insert(), [{"id": 1, "context_id": "o/m"}])
    outcome = CardOutcome("o/m", result.fields, {}, model_id=1)
    assert write_outcomes(engine, [outcome], "run", registry=reg) == 1
    assert write_outcomes(engine, [outcome], "run", registry=reg) == 1  # replaced, not added
    with engine.connect() as conn:
        assert conn.execute(select(hint.c.model_id, hint.c.value)).all() == [(1, "MIT")]


def test_removing_a_declaration_removes_it_from_every_view() -> None:
    reg = Registry(tuple(f for f in FIELDS if f.name != "papers"))
    assert "papers" not in reg.names and "papers" not in reg.record.model_fields
    assert "papers" not in reg.asked(set())
    with pytest.raises(ValueError, match="unknown fields"):
        reg.llm_schema(["papers"])
    assert "papers" not in extract(CARD, registry=reg).fields.model_dump()
    assert extract(CARD).fields.papers == ["1810.04805"]


def test_a_field_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        Registry((*FIELDS, dataclasses.replace(FIELDS[0])))
