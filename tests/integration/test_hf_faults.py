"""Bad input never crashes a crawl or corrupts the store; tokens never leak; rate limits are waited out."""

from __future__ import annotations

import re

from fakehub import FakeHub
from tests.crawl import list_all_models, rows, run_crawl, stat

TOKEN = "hf_testTOKENdo_not_leak_0123456789"


def test_faults_never_lose_or_corrupt_a_model(tmp_path) -> None:
    with FakeHub(models=250, seed=5) as clean:
        truth = list_all_models(clean.hf_endpoint)
    with FakeHub(models=250, seed=5, error_rate=0.05, malformed_rate=0.04, truncate_rate=0.02) as hub:
        result = run_crawl(tmp_path, hub.hf_endpoint)
    log = result.stdout
    assert result.returncode == 0 and "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    db = tmp_path / "peatmoss.db"
    # Every model of the hub is stored once, with the hub's values, despite 5xx, broken JSON and cut bodies.
    stored = {cid: (sha, dl) for cid, sha, dl in rows(db, "SELECT context_id, sha, downloads FROM model")}
    assert stored == {cid: (e["sha"], e["downloads"]) for cid, e in truth.items()}
    assert stat(log, "retry/count") > 0 and stat(log, "backoff/wait_seconds") > 0
    assert re.search(r"'hf/bad_json/\w+': \d+", log)
    # A model is marked complete only with all its steps: complete ones have their commits.
    assert rows(db, "SELECT count(*) FROM model m WHERE has_snapshot = 1 AND NOT EXISTS "
                    "(SELECT 1 FROM hf_commit c WHERE c.model_id = m.id)")[0][0] == 0  # fmt: skip


def test_traps_and_token(tmp_path) -> None:
    with FakeHub(models=100, seed=5, traps=True, token=TOKEN) as hub:
        result = run_crawl(tmp_path, hub.hf_endpoint, HF_TOKEN=TOKEN)
        requests = hub.requests()
    log = result.stdout
    assert result.returncode == 0 and "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    db = tmp_path / "peatmoss.db"

    # Hostile paths: logged, counted, never stored, nothing written outside the store.
    assert stat(log, "hf/unsafe_path") == 3 and "Ignoring unsafe file paths in fake-traps/path-traversal" in log
    paths = [p for (p,) in rows(db, "SELECT path FROM crawl_snapshot_file")]
    assert not [p for p in paths if ".." in p.split("/") or p.startswith("/")]
    snapshot_files = [p for p in (tmp_path / "snapshots").rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to((tmp_path / "snapshots").resolve()) for p in snapshot_files)

    state = {
        cid: (gated, disabled, detail)
        for cid, gated, disabled, detail in rows(
            db,
            "SELECT m.context_id, s.gated, s.disabled, s.detail_sha FROM model m "
            "JOIN crawl_model_state s ON s.model_id = m.id WHERE m.context_id LIKE 'fake-traps/%'",
        )
    }
    # Gated files are refused for good (GatedRepo): the model is complete, it will not be fetched again and again.
    assert state["fake-traps/gated-manual"][0] == "manual" and state["fake-traps/gated-manual"][2]
    assert state["fake-traps/disabled"][1] == 1 and state["fake-traps/disabled"][2] is None
    assert "fake-traps/private" not in state  # a token that owns nothing does not list other people's private repos
    # Every trap model a crawl wants details of completes, or says why it could not (crawl_model_state.detail_error).
    outcome = dict(
        rows(
            db,
            "SELECT m.context_id, coalesce(s.detail_sha, s.detail_error) FROM model m "
            "JOIN crawl_model_state s ON s.model_id = m.id "
            "WHERE m.context_id LIKE 'fake-traps/%' AND coalesce(s.disabled, 0) = 0",
        )
    )
    assert outcome and all(outcome.values()), outcome
    assert state["fake-traps/no-counts"][2]  # no downloads in its list entry: its info says how popular it is
    cards = dict(
        rows(
            db,
            "SELECT m.context_id, c.text FROM crawl_model_card c JOIN model m ON m.id = c.model_id "
            "WHERE m.context_id LIKE 'fake-traps/%'",
        )
    )
    assert cards.get("fake-traps/binary-readme", "missing") is None and "Binary model card" in log
    assert "fake-traps/huge-readme" not in cards  # over the 10 MB policy: skipped
    assert cards.get("fake-traps/unicode-card")

    # The token went to the hub on every API request, and nowhere else.
    assert all(r["auth"] for r in requests if r["path"].startswith("/api/"))
    assert TOKEN not in log
    assert TOKEN.encode() not in db.read_bytes()
    assert not [p for p in snapshot_files if TOKEN.encode() in p.read_bytes()]


def test_rate_limit_is_waited_out_not_failed(tmp_path) -> None:
    # Without the rate budget (tests/integration/test_budget_crawl.py), which would avoid the 429s: those that come
    # anyway (another client spending the same token) are waited out by the backoff middleware.
    with FakeHub(models=60, seed=9, rate_limit=40, rate_window=2) as hub:  # a few windows' worth of requests
        truth = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        args, settings = {"min_downloads": 0, "snapshot": "none"}, {"RATE_BUDGET_ENABLED": "False"}
        result = run_crawl(tmp_path, hub.hf_endpoint, args=args, settings=settings)
        statuses = [r["status"] for r in hub.requests()]
    log = result.stdout
    assert result.returncode == 0 and "Traceback" not in log, log[-3000:]
    assert statuses.count(429) > 0 and stat(log, "ratelimit/429") > 0
    assert "Rate limited (HTTP 429)" in log
    assert stat(log, "retry/count") == 0  # a 429 is not a failure
    assert stat(log, "ratelimit/gave_up") == 0
    db = tmp_path / "peatmoss.db"
    assert {cid for (cid,) in rows(db, "SELECT context_id FROM model")} == set(truth)
    complete = rows(db, "SELECT count(*) FROM crawl_model_state WHERE detail_sha IS NOT NULL")[0][0]
    assert complete >= len(truth) - 2  # every model's details, despite the quota (disabled ones excepted)


def test_unreachable_hub_records_an_incomplete_run(tmp_path) -> None:
    result = run_crawl(tmp_path, "http://127.0.0.1:9", settings={"RETRY_TIMES": 1})  # nothing listens on port 9
    assert result.returncode == 3 and "Traceback" not in result.stdout, result.stdout[-3000:]
    assert "List page failed for good" in result.stdout and "Crawl incomplete" in result.stdout
    assert rows(tmp_path / "peatmoss.db", "SELECT spider, status FROM crawl_run") == [("hf_models", "incomplete")]
