"""`scrapy enrich` as a user runs it: over a crawl of the fake registry, and over a folder of cards."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fakehub import FakeHub
from tests.crawl import REPO, crawl_env, run_crawl

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CARDS = SHARED / "eval" / "cards"

ENHANCED_JOIN = """
SELECT model.context_id, domain.name, model_task.name, hyper_parameters.value, demo.demo,
       hardware.name, grant.name, github_repo.url
FROM model
JOIN model_to_domain ON model_to_domain.model_id = model.id
JOIN domain ON domain.id = model_to_domain.domain_id
LEFT JOIN model_to_model_task ON model_to_model_task.model_id = model.id
LEFT JOIN model_task ON model_task.id = model_to_model_task.model_task_id
LEFT JOIN hyper_parameters ON hyper_parameters.model_id = model.id
LEFT JOIN demo ON demo.model_id = model.id
LEFT JOIN model_to_hardware ON model_to_hardware.model_id = model.id
LEFT JOIN hardware ON hardware.id = model_to_hardware.hardware_id
LEFT JOIN model_to_grant ON model_to_grant.model_id = model.id
LEFT JOIN grant ON grant.id = model_to_grant.grant_id
LEFT JOIN github_repo ON github_repo.model_id = model.id
"""


def enrich(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", "enrich", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("enrich")
    with FakeHub(models=30, seed=11) as hub:
        result = run_crawl(workdir, hub.hf_endpoint, timeout=300)
        assert result.returncode == 0, result.stdout[-3000:]
        yield workdir, hub


def test_enrich_fills_the_enhanced_tables(crawled) -> None:
    workdir, hub = crawled
    db = sqlite3.connect(workdir / "peatmoss.db")
    cards = db.execute("SELECT count(*) FROM crawl_model_card WHERE text IS NOT NULL").fetchone()[0]
    assert cards > 0

    env = crawl_env(workdir, hub.hf_endpoint)
    env.pop("OPENAI_API_KEY", None)
    first = enrich(env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "LLM pass skipped" in first.stdout
    assert f"enriched {cards} models" in first.stdout
    rows = db.execute(ENHANCED_JOIN).fetchall()
    assert {r[0] for r in rows} == {r[0] for r in db.execute(
        "SELECT context_id FROM model JOIN crawl_model_card ON crawl_model_card.model_id = model.id")}  # fmt: skip
    assert all(r[1] in ("natural-language-processing", "computer-vision", "audio", "multimodal", "tabular",
                        "reinforcement-learning", "other") for r in rows)  # fmt: skip
    assert any(r[3] and json.loads(r[3]).get("learning_rate") for r in rows)  # Trainer hyper-parameter lists
    assert any(r[4] for r in rows)  # usage snippets
    prov = db.execute("SELECT DISTINCT source FROM enrich_field_provenance").fetchall()
    assert prov == [("rule",)]

    # with a key: only what the rules missed is asked; a re-run with unchanged cards does nothing
    env.update(OPENAI_API_KEY="test-key", OPENAI_BASE_URL=hub.info["openai_base_url"])
    second = enrich(env, "--force")
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"LLM: {cards} calls" in second.stdout
    third = enrich(env)
    assert "enriched 0 models" in third.stdout and "LLM: 0 calls" in third.stdout
    calls = db.execute("SELECT count(*), sum(cached) FROM enrich_llm_call").fetchone()
    assert calls == (cards, 0)
    # same cards forced again: answers come from the cache, nothing is paid twice
    fourth = enrich(env, "--force")
    assert f"LLM: 0 calls, {cards} cached" in fourth.stdout
    assert len(db.execute(ENHANCED_JOIN).fetchall()) >= cards


def test_cards_folder_rules_only_with_evaluation(tmp_path) -> None:
    if not (CARDS / "labels.json").exists():
        pytest.skip("../shared not found")
    out = tmp_path / "out.jsonl"
    env = {k: v for k, v in __import__("os").environ.items() if k != "OPENAI_API_KEY"}
    res = enrich(env, "--cards", str(CARDS), "--output", str(out), "--rules-only", "--evaluate",
                 str(CARDS / "labels.json"))  # fmt: skip
    assert res.returncode == 0, res.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 12 and all(len(r["fields"]) == 20 for r in records)
    assert "overall accuracy:" in res.stdout and "hallucination rate" in res.stdout
    assert "LLM pass: off" in res.stdout
