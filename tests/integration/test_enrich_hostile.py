"""Enrichment under hostile input (issue 13.6) and the --cards inputs (issue 9.5).

Hostile cards end in their own time (or in their own recorded error) and never stop a run; a broken LLM server
costs the LLM's values only: the rules' values of every card are kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select

import enrich.pipeline as pipeline
from crawler.db.schema import metadata
from crawler.timelimit import time_limit
from enrich.extract import extract
from enrich.fields import FIELD_NAMES
from enrich.llm import LLMExtractor, LLMSettings, card_sha256, retrieve
from enrich.markdown import parse_card
from enrich.pipeline import CardJob, enrich_cards
from fakehub import FakeHub

REPO = Path(__file__).resolve().parents[2]

# The cards of the issue: each took minutes or raised before.
HOSTILE_CARDS = {
    "empty-headings": "#\n\n" * 4000 + "# \n" * 4000,
    "brackets": "[[[" + "](](" * 3750,
    "open-brackets": "[" * 5000 + "](" * 5000,
    "deep-yaml": "---\na: " + "[" * 500 + "]" * 500 + "\n---\nbody\n",
    "deep-yaml-blocks": "---\n" + "".join(" " * i + "a:\n" for i in range(500)) + "---\nx\n",
    "blank-lines": "params\n" + " \n" * 20000 + "x",
    "digits": "1" * 50000 + " parameters",
    "unclosed-comments": "<!--" * 20000,
    "less-than": "<" * 50000,
    "fine-tuned": "fine-tuned version of x on " * 3000,
    "key-spaces": "a" + " " * 50000 + "b",
    "sep-tabs": "| a | b |\n" + "\t" * 50000 + "|\n",
}
GOOD_CARD = "---\nlicense: mit\npipeline_tag: fill-mask\n---\n# Model\nSee https://arxiv.org/abs/1810.04805.\n"

# Pieces of Markdown, YAML and of the rules' patterns; repeated, they make the inputs slow regexes choke on.
FUZZ_PIECES = [*"# \n[]()|-:*`<>!1.a\t={}'\"_", "params", "fine-tuned version of ", " on ", "dataset", "---\n", "<!--",
               "```\n", "http://x", "github.com/"]  # fmt: skip

# Most real cards parse in milliseconds; a card that needs more than this is treated as broken.
DEADLINE_S = 5.0


@pytest.mark.parametrize("name", sorted(HOSTILE_CARDS))
def test_hostile_card_ends_within_its_limit(name: str) -> None:
    outcome = pipeline.run_rules(CardJob(name, HOSTILE_CARDS[name]), timeout=DEADLINE_S)
    assert outcome.error is None, outcome.error


@pytest.mark.parametrize("name", sorted(HOSTILE_CARDS))
def test_cheap_mode_retrieval_of_a_hostile_card_ends_within_the_limit(name: str) -> None:
    # retrieval runs in the LLM worker threads, where no timer can stop it
    with time_limit(DEADLINE_S):
        retrieve(HOSTILE_CARDS[name], list(FIELD_NAMES), 3000)


@settings(max_examples=60, deadline=DEADLINE_S * 1000, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(FUZZ_PIECES),
        max_size=400,
    ).map(lambda parts: "".join(parts) * 20)
)
def test_fuzz_rules_and_markdown_parser_stay_fast(text: str) -> None:
    parse_card(text)
    extract(text)


def test_one_failing_card_does_not_stop_the_others(monkeypatch) -> None:
    real = pipeline.extract

    def flaky(text, hub=None):  # type: ignore[no-untyped-def]
        if "explode" in text:
            raise RuntimeError("boom")
        if "sleep" in text:
            time.sleep(30)
        return real(text, hub)

    monkeypatch.setattr(pipeline, "extract", flaky)
    jobs = [CardJob("a", GOOD_CARD), CardJob("b", "explode"), CardJob("c", "sleep"), CardJob("d", GOOD_CARD)]
    outcomes = {o.key: o for o in enrich_cards(jobs, card_timeout=1)}
    assert outcomes["a"].fields.license == "mit" and outcomes["d"].fields.license == "mit"
    assert outcomes["b"].error == "error: RuntimeError: boom"
    assert outcomes["c"].error == "timeout: rules took longer than 1 s"


def test_failed_cards_are_recorded_in_enrich_review(tmp_path) -> None:
    from enrich.store import write_outcomes

    engine = create_engine(f"sqlite:///{tmp_path / 'e.db'}")
    metadata.create_all(engine)
    model, review = metadata.tables["model"], metadata.tables["enrich_review"]
    with engine.begin() as conn:
        conn.execute(model.insert(), [{"id": 1, "context_id": "o/good"}, {"id": 2, "context_id": "o/bad"}])
    outcomes = [pipeline.run_rules(CardJob("o/good", GOOD_CARD, model_id=1)),
                pipeline.run_rules(CardJob("o/bad", HOSTILE_CARDS["deep-yaml"], model_id=2))]  # fmt: skip
    outcomes[1].error = "timeout: rules took longer than 10 s"
    assert write_outcomes(engine, outcomes, "run1") == 1
    with engine.connect() as conn:
        rows = conn.execute(select(review.c.card, review.c.kind, review.c.value)).all()
        licences = conn.execute(select(metadata.tables["model_to_license"].c.model_id)).all()
    assert ("o/bad", "error", "timeout: rules took longer than 10 s") in rows
    assert licences == [(1,)]


# ------------------------------------------------------------------------------------------- broken LLM servers


def _calls(hub: FakeHub) -> list[dict]:
    with urllib.request.urlopen(hub.info["openai_base_url"] + "/_fake/calls") as resp:
        return json.loads(resp.read())


@pytest.mark.parametrize("mode", ["html", "no-choices", "string-answers", "not-json", "error500", "hang"])
def test_broken_llm_server_costs_only_the_llm_values(mode: str) -> None:
    knobs = {"openai_hostile": mode, "openai_hang_seconds": 30}
    with FakeHub(models=2, seed=3, **knobs) as hub:
        s = LLMSettings(api_key="k", base_url=hub.info["openai_base_url"], max_retries=2, max_backoff=0.01,
                        card_timeout=1.0, breaker_failures=2, concurrency=1)  # fmt: skip
        llm = LLMExtractor(s)
        jobs = [CardJob(f"card{i}", GOOD_CARD + f"\nCard number {i}.\n") for i in range(5)]
        outcomes = enrich_cards(jobs, llm)
        calls = _calls(hub)
    assert [o.fields.license for o in outcomes] == ["mit"] * 5  # the rules' values of every card
    assert all(o.fields.model_tasks == ["fill-mask"] for o in outcomes)
    if mode == "string-answers":  # a well-formed reply whose answers have the wrong shape: every one dropped
        assert llm.counters["llm/answer_wrong_shape"] > 0
        assert all(p["source"] == "rule" for o in outcomes for p in o.provenance.values())
        return
    # the breaker opened after 2 failed cards: the other 3 were never sent
    assert llm.counters["llm/skipped_circuit_open"] == 3
    assert len(calls) <= 2 * (s.max_retries + 1)
    assert all(p["source"] == "rule" for o in outcomes for p in o.provenance.values())


# ------------------------------------------------------------------------------------------- --cards inputs


def _enrich(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    return subprocess.run([sys.executable, "-m", "scrapy", "enrich", *args, "--rules-only"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_cards_in_the_hub_layout_and_flat(tmp_path) -> None:
    cards = tmp_path / "cards"
    (cards / "org" / "model-a").mkdir(parents=True)
    (cards / "org" / "model-a" / "README.md").write_text(GOOD_CARD)
    (cards / "other" / "deep").mkdir(parents=True)
    (cards / "other" / "deep" / "README.md").write_text(HOSTILE_CARDS["deep-yaml"])
    (cards / "flat.md").write_text(GOOD_CARD)
    (cards / "README.md").write_text("# About this folder\n")
    os.mkfifo(cards / "fifo.md")  # never opened: reading it would hang
    out = tmp_path / "out.jsonl"
    res = _enrich("--cards", str(cards), "--output", str(out))
    assert res.returncode == 0, res.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert sorted(records) == ["flat", "org/model-a", "other/deep"]
    assert records["org/model-a"]["fields"]["license"] == "mit"
    assert "error" not in records["other/deep"]


def test_no_cards_is_an_error_and_keeps_the_earlier_output(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "earlier"}\n')
    res = _enrich("--cards", str(tmp_path / "empty"), "--output", str(out))
    assert res.returncode == 1
    assert "no model cards found" in res.stderr
    assert out.read_text() == '{"id": "earlier"}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_scrapy_enrich_with_a_server_answering_html_writes_every_card(tmp_path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    for i in range(4):
        (cards / f"card{i}.md").write_text(GOOD_CARD + f"\nCard number {i}.\n")
    out = tmp_path / "out.jsonl"
    with FakeHub(models=2, seed=3, openai_hostile="html") as hub:
        env = dict(os.environ, OPENAI_API_KEY="k", OPENAI_BASE_URL=hub.info["openai_base_url"],
                   DATABASE_URL=f"sqlite:///{tmp_path / 'cache.db'}")  # fmt: skip
        res = subprocess.run([sys.executable, "-m", "scrapy", "enrich", "--cards", str(cards), "--output", str(out),
                              "--concurrency", "1"], cwd=REPO, env=env, capture_output=True, text=True,
                             timeout=300)  # fmt: skip
        calls = _calls(hub)
    assert res.returncode == 0, res.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["fields"]["license"] for r in records] == ["mit"] * 4
    assert "llm/response_not_json_content_type: 3" in res.stdout  # then the breaker (3 cards in a row) held
    assert "llm/skipped_circuit_open: 1" in res.stdout
    assert len(calls) == 3


def test_database_mode_records_a_card_over_its_time_limit_and_enriches_the_others(tmp_path) -> None:
    from crawler.db.engine import open_engine
    from crawler.db.ours import crawl_model_card
    from crawler.db.schema import model, model_to_license

    url = f"sqlite:///{tmp_path / 'peatmoss.db'}"
    engine = open_engine(url)
    # About 1 s of rules on an idle machine (0.5 s for x4 since the rules got faster: under the 1 s limit this test
    # used to set, so it failed whenever the machine was quick): four times over a 0.25 s limit, while the good
    # cards take milliseconds and the slow one stays far under the default 10 s of the second run.
    slow = HOSTILE_CARDS["open-brackets"] * 8
    cards = {1: GOOD_CARD, 2: slow, 3: GOOD_CARD + "\nAnother card.\n"}
    with engine.begin() as conn:
        conn.execute(model.insert(), [{"id": i, "context_id": f"org/m{i}"} for i in cards])
        conn.execute(
            crawl_model_card.insert(), [{"model_id": i, "text": t, "sha256": card_sha256(t)} for i, t in cards.items()]
        )
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["DATABASE_URL"] = url
    res = subprocess.run([sys.executable, "-m", "scrapy", "enrich", "--card-timeout", "0.25"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    assert "enriched 2 models" in res.stdout
    assert "org/m2: timeout: rules took longer than 0.25 s" in res.stderr
    with engine.connect() as conn:
        review = conn.execute(
            select(metadata.tables["enrich_review"].c.card, metadata.tables["enrich_review"].c.kind)
        ).all()
        licensed = {r.model_id for r in conn.execute(select(model_to_license.c.model_id))}
    assert review == [("org/m2", "error")]
    assert licensed == {1, 3}
    # the failed card has no provenance for its sha: the next run (default limit, 10 s) takes it again
    again = subprocess.run([sys.executable, "-m", "scrapy", "enrich"], cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=300)  # fmt: skip
    assert "enriched 1 models" in again.stdout, again.stderr[-3000:]
