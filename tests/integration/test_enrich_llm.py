"""The LLM pass against the fake OpenAI-compatible server: schema, retrieval, cache, validation, cost, 429s."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from enrich.llm import LLMExtractor, LLMSettings
from enrich.pipeline import CardJob, enrich_cards, missing_fields, run_rules
from fakehub import FakeHub

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CARDS = SHARED / "eval" / "cards"

LONG_CARD = "\n\n".join(
    [
        "---\nlicense: mit\ntags:\n- text-classification\n---\n# sentiment-model",
        "## Model description\n\n" + "This model classifies the sentiment of product reviews. " * 40,
        "## Training data\n\nThe model was trained on the amazon_polarity dataset.",
        "## Limitations and bias\n\nThe model performs poorly on sarcasm and on reviews in other languages.",
        "## Evaluation\n\n" + "We compared many settings in detail. " * 40,
        "## Citation\n\nSee https://arxiv.org/abs/2001.00001 for details.",
    ]
)


def calls(hub: FakeHub) -> list[dict]:
    with urllib.request.urlopen(hub.info["openai_base_url"] + "/_fake/calls") as resp:
        return json.load(resp)


def extractor(hub: FakeHub, cache=None, **kw) -> LLMExtractor:
    settings = LLMSettings(api_key="test-key", base_url=hub.info["openai_base_url"], model="gpt-4o-mini", **kw)
    llm = LLMExtractor(settings, cache=cache)
    llm.sleep = lambda s: None  # the fake's Retry-After is 0 anyway
    return llm


@pytest.fixture(scope="module")
def hub():
    with FakeHub(models=5, seed=3) as h:
        yield h


def test_request_carries_schema_of_only_the_missing_fields(hub) -> None:
    job = CardJob("long", LONG_CARD)
    missing = missing_fields(run_rules(job))
    assert "license" not in missing and "demonstration" not in missing
    before = len(calls(hub))
    enrich_cards([job], extractor(hub, mode="accurate"))
    new = calls(hub)[before:]
    assert len(new) == 1 and new[0]["fields"] == missing


def test_cheap_mode_sends_far_fewer_tokens_than_accurate(hub) -> None:
    job = CardJob("long", LONG_CARD)
    fields = ["limitations_and_biases", "datasets"]
    cheap, accurate = extractor(hub, mode="cheap", cheap_budget_chars=600), extractor(hub, mode="accurate")
    cheap.extract(job.key, job.text, fields)
    accurate.extract(job.key, job.text, fields)
    assert cheap.ledger.prompt_tokens * 3 < accurate.ledger.prompt_tokens
    # the retrieved sections still hold the answer
    assert cheap.ledger.entries[0].status == "ok"


def test_second_run_is_served_from_the_cache(hub, tmp_path) -> None:
    from crawler.db.engine import open_engine
    from enrich.store import DbCache

    engine = open_engine(f"sqlite:///{tmp_path / 'cache.db'}")
    job = CardJob("long", LONG_CARD)
    first = extractor(hub, cache=DbCache(engine))
    enrich_cards([job], first)
    n = len(calls(hub))
    second = extractor(hub, cache=DbCache(engine))  # a new process would see the same table
    out = enrich_cards([job], second)
    assert len(calls(hub)) == n
    assert second.ledger.calls == 0 and second.ledger.cache_hits == 1 and second.ledger.cost_usd == 0
    assert out[0].fields.limitations_and_biases  # answered from the cache


def test_values_accepted_when_the_card_supports_them(hub) -> None:
    out = enrich_cards([CardJob("long", LONG_CARD)], extractor(hub, mode="accurate"))[0]
    assert out.provenance["license"]["source"] == "rule"
    # the fake's heuristic quotes the limitations paragraph; the rules found it already, so rules win
    assert out.provenance["limitations_and_biases"]["source"] == "rule"
    assert out.fields.papers == ["2001.00001"]


def test_invented_values_are_rejected() -> None:
    if not (CARDS / "038.md").exists():
        pytest.skip("../shared not found")
    jobs = [CardJob(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CARDS.glob("0*.md"))]
    with FakeHub(models=2, seed=5, openai_invent_rate=1.0) as hub:
        rules = {o.key: o.fields.as_json() for o in enrich_cards(jobs)}
        outcomes = enrich_cards(jobs, extractor(hub, mode="accurate"))
        invented = sum(len(c.get("invented", [])) for c in calls(hub))
    assert invented > 0
    assert {o.key: o.fields.as_json() for o in outcomes} == rules  # nothing invented got in
    assert sum(sum(o.rejected.values()) for o in outcomes) == invented


def test_costs_add_up(hub) -> None:
    llm = extractor(hub, mode="accurate")
    before = len(calls(hub))
    jobs = [CardJob(f"c{i}", LONG_CARD + f"\n\nrevision {i}") for i in range(3)]
    enrich_cards(jobs, llm)
    served = [c for c in calls(hub)[before:] if c["status"] == 200]
    prompt = sum(c["usage"]["prompt_tokens"] for c in served)
    completion = sum(c["usage"]["completion_tokens"] for c in served)
    assert llm.ledger.calls == 3
    assert (llm.ledger.prompt_tokens, llm.ledger.completion_tokens) == (prompt, completion)
    assert llm.ledger.cost_usd == pytest.approx((prompt * 0.15 + completion * 0.60) / 1e6)
    assert sum(e.cost_usd for e in llm.ledger.entries) == pytest.approx(llm.ledger.cost_usd)


def test_rate_limits_are_waited_out() -> None:
    with FakeHub(models=2, seed=4, openai_rate_limit_first=2) as hub:
        llm = extractor(hub)
        waits: list[float] = []
        llm.sleep = waits.append
        answer = llm.extract("long", LONG_CARD, ["datasets"])
        statuses = [c["status"] for c in calls(hub)]
    assert statuses == [429, 429, 200]
    assert answer.entry.status == "ok" and answer.entry.attempts == 3
    assert waits == [0.0, 0.0]  # Retry-After honoured


def test_generated_hub_card_answers_from_its_true_values() -> None:
    from fakehub.hf_data import HubData
    from fakehub.hf_files import render_readme

    data = HubData(7, 40)
    model = next(m for m in (data.model(k) for k in data.keys()) if m and m.card_data and m.tags)
    text = render_readme(model, 0)
    with FakeHub(models=40, seed=7) as hub:
        llm = extractor(hub, mode="accurate")
        answer = llm.extract(model.id, text, ["papers", "github_repo"], model_id=model.id)
    for name in ("papers", "github_repo"):
        assert name in answer.answers
