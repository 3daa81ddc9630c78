"""Run states that tell the truth, and resume after any stop (issue 9.2, 13.2), as real crawls against the fake.

``crawl_run.status`` and the exit code of ``scrapy crawl``: finished 0, incomplete 3, interrupted 4, failed 5.
Running the same command again continues the same row until it is ``finished``.
"""

from __future__ import annotations

import json
import signal
import socket
import time
from pathlib import Path

import pytest

from fakehub import FakeHub
from tests.crawl import list_all_models, rows, run_crawl, start_crawl, stat, wait_for_rows
from tests.integration.test_hf_resume import SNAPSHOT

FAST = {"RETRY_TIMES": "1", "HF_PAGE_SIZE": "50"}


def dead_endpoint() -> str:
    """A loopback URL nobody listens on: every request fails with 'connection refused' (no network)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def run_rows(db: Path) -> list[tuple]:
    return rows(db, "SELECT id, status, stats FROM crawl_run ORDER BY id")


@pytest.mark.parametrize("jobdir", [False, True], ids=["no-jobdir", "jobdir"])
def test_first_list_page_fails_then_rerun_finishes_the_same_run(tmp_path: Path, jobdir: bool) -> None:
    settings = {**FAST, **({"JOBDIR": str(tmp_path / "job")} if jobdir else {})}
    db = tmp_path / "peatmoss.db"
    first = run_crawl(tmp_path, dead_endpoint(), settings=settings)
    assert first.returncode == 3, first.stdout[-3000:]
    assert "List page failed for good" in first.stdout
    assert stat(first.stdout, "retry/count") == 1  # the refused connection was a network error: retried once
    assert [(i, s) for i, s, _ in run_rows(db)] == [(1, "incomplete")]
    with FakeHub(models=120, seed=31) as hub:
        truth = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        second = run_crawl(tmp_path, hub.hf_endpoint, settings=settings)
        requests = hub.requests()
    assert second.returncode == 0, second.stdout[-3000:]
    assert "dupefilter/filtered" not in second.stdout  # the failed list page was not left marked as seen
    assert any(r["path"] == "/api/models" for r in requests)
    assert {cid for (cid,) in rows(db, "SELECT context_id FROM model")} == set(truth)
    [(run_id, status, stats)] = run_rows(db)
    assert (run_id, status) == (1, "finished")
    stats = json.loads(stats)
    assert stats["crawl/sessions"] == 2 and stats["hf/list_page_failed"] == 1  # accumulated, not overwritten
    assert stats["hf/models_listed"] == len(truth)


def test_ctrl_c_is_interrupted_and_the_same_command_finishes_it(tmp_path: Path) -> None:
    db = tmp_path / "peatmoss.db"
    with FakeHub(models=900, seed=37, latency=15) as hub:
        truth = list_all_models(hub.hf_endpoint)
        proc = start_crawl(tmp_path, hub.hf_endpoint, settings={**FAST, "CONCURRENT_REQUESTS": "4"})
        wait_for_rows(db, "SELECT count(*) FROM model", 100)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 4, out[-3000:]
        assert [s for _, s, _ in run_rows(db)] == ["interrupted"]
        again = run_crawl(tmp_path, hub.hf_endpoint, settings=FAST)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "Continuing interrupted run 1" in again.stdout
    assert {cid for (cid,) in rows(db, "SELECT context_id FROM model")} == set(truth)
    [(_, status, stats)] = run_rows(db)
    assert status == "finished" and json.loads(stats)["crawl/sessions"] == 2


def _kill(proc, how: str) -> None:
    if how == "sigkill":
        proc.kill()
    else:  # Ctrl-C twice: Scrapy's forced, unclean shutdown
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)


@pytest.mark.parametrize("how", ["sigkill", "double-ctrl-c"])
def test_hard_stop_with_jobdir_then_same_command_completes_every_model(tmp_path: Path, how: str) -> None:
    clean_dir, killed_dir = tmp_path / "clean", tmp_path / "killed"
    clean_dir.mkdir()
    killed_dir.mkdir()
    settings = {"JOBDIR": str(killed_dir / "job"), "HF_PAGE_SIZE": "100", "CONCURRENT_REQUESTS": "4"}
    db = killed_dir / "peatmoss.db"
    with FakeHub(models=300, seed=41, latency=30) as hub:  # slow enough to be stopped half way
        clean = run_crawl(clean_dir, hub.hf_endpoint, settings={"HF_PAGE_SIZE": "100"})
        assert clean.returncode == 0, clean.stdout[-3000:]
        proc = start_crawl(killed_dir, hub.hf_endpoint, settings=settings)
        wait_for_rows(db, "SELECT count(*) FROM crawl_model_state WHERE detail_sha IS NOT NULL", 5)
        _kill(proc, how)
        assert proc.returncode != 0
        # SIGKILL leaves the row running (the next crawl finds its process gone); a forced Ctrl-C may end it first.
        assert [s for _, s, _ in run_rows(db)] == ["running" if how == "sigkill" else "interrupted"]
        again = run_crawl(killed_dir, hub.hf_endpoint, settings=settings)
        third = run_crawl(killed_dir, hub.hf_endpoint, settings=settings)
    assert again.returncode == 0, again.stdout[-3000:]
    if how == "sigkill":
        assert "left running by a process that is gone: marked interrupted" in again.stdout
    assert "Continuing interrupted run 1" in again.stdout
    assert rows(db, SNAPSHOT) == rows(clean_dir / "peatmoss.db", SNAPSHOT)
    assert [s for _, s, _ in run_rows(db)] == ["finished", "finished"]  # a finished run is not continued
    # A new run in the JOBDIR of a finished one lists the hub again (its dupefilter does not stop it).
    models = rows(db, "SELECT count(*) FROM model")[0][0]
    assert third.returncode == 0 and stat(third.stdout, "hf/models_listed") == models, third.stdout[-3000:]


def test_cluster_run_incomplete_then_the_same_command_finishes_it(
    tmp_path: Path, redis_url: str, cluster_prefix: str, postgres_url: str
) -> None:
    from tests.cluster import kill_all, postgres_schema, query, start_node

    def crawl(endpoint: str, name: str) -> list[int]:
        nodes = [
            start_node(tmp_path, endpoint, redis_url, pg, cluster_prefix, f"{name}{i}", settings=FAST) for i in range(2)
        ]
        try:
            return [node.wait(180) for node in nodes]
        finally:
            kill_all(nodes)

    with postgres_schema(postgres_url) as pg:
        assert 3 in crawl(dead_endpoint(), "a")
        assert query(pg, "SELECT id, status FROM crawl_run") == [(1, "incomplete")]
        with FakeHub(models=80, seed=43) as hub:
            truth = list_all_models(hub.hf_endpoint)
            assert crawl(hub.hf_endpoint, "b") == [0, 0]
        assert query(pg, "SELECT id, status FROM crawl_run") == [(1, "finished")]
        assert {cid for (cid,) in query(pg, "SELECT context_id FROM model")} == set(truth)
        [(stats,)] = query(pg, "SELECT stats FROM crawl_run")
        assert json.loads(stats)["hf/list_page_failed"] >= 1  # the first session's counters are kept
