"""Stopped crawls resume (JOBDIR + Ctrl-C); killed crawls converge to the same database when started again."""

from __future__ import annotations

import signal

from fakehub import FakeHub
from tests.crawl import interrupt, list_all_models, rows, run_crawl, start_crawl, wait_for_rows

SNAPSHOT = (
    "SELECT m.context_id, m.sha, m.downloads, m.likes, m.has_snapshot, s.detail_sha, "
    "(SELECT count(*) FROM hf_commit c WHERE c.model_id = m.id), "
    "(SELECT count(*) FROM discussion d WHERE d.model_id = m.id), "
    "(SELECT count(*) FROM crawl_snapshot_file f WHERE f.model_id = m.id), "
    "(SELECT group_concat(name) FROM (SELECT t.name FROM model_to_tag j JOIN tag t ON t.id = j.tag_id "
    "WHERE j.model_id = m.id ORDER BY t.name)) "
    "FROM model m JOIN crawl_model_state s ON s.model_id = m.id ORDER BY m.context_id"
)


def test_ctrl_c_then_resume_with_jobdir(tmp_path) -> None:
    settings = {"JOBDIR": str(tmp_path / "job"), "HF_PAGE_SIZE": "100", "CONCURRENT_REQUESTS": "4"}
    with FakeHub(models=1500, seed=13, latency=15) as hub:
        truth = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        proc = start_crawl(tmp_path, hub.hf_endpoint, settings=settings)
        wait_for_rows(tmp_path / "peatmoss.db", "SELECT count(*) FROM model", 300)
        first = interrupt(proc, signal.SIGINT)
        assert "Received SIGINT, shutting down gracefully" in first
        assert "Spider closed (shutdown)" in first, first[-3000:]
        assert proc.returncode == 4 and rows(tmp_path / "peatmoss.db", "SELECT status FROM crawl_run") == [
            ("interrupted",)
        ]
        first_requests = hub.requests(clear=True)
        second = run_crawl(tmp_path, hub.hf_endpoint, settings=settings)
        second_requests = hub.requests()
    assert second.returncode == 0 and "Spider closed (finished)" in second.stdout, second.stdout[-3000:]
    db = tmp_path / "peatmoss.db"
    assert {cid for (cid,) in rows(db, "SELECT context_id FROM model")} == set(truth)
    # The resumed crawl went on from its queue: no list page was fetched twice.
    pages = [(r["path"], repr(sorted(r["query"].items()))) for r in first_requests + second_requests
             if r["path"] == "/api/models" and r["status"] == 200]  # fmt: skip
    assert len(pages) == len(set(pages)) == -(-len(truth) // 100)
    assert rows(db, "SELECT count(*), min(status) FROM crawl_run") == [(1, "finished")]


def test_sigkill_then_restart_converges(tmp_path) -> None:
    clean_dir, killed_dir = tmp_path / "clean", tmp_path / "killed"
    clean_dir.mkdir()
    killed_dir.mkdir()
    with FakeHub(models=600, seed=17, latency=5) as hub:
        clean = run_crawl(clean_dir, hub.hf_endpoint)
        assert clean.returncode == 0, clean.stdout[-3000:]
        proc = start_crawl(killed_dir, hub.hf_endpoint, settings={"CONCURRENT_REQUESTS": "4"})
        wait_for_rows(
            killed_dir / "peatmoss.db", "SELECT count(*) FROM crawl_model_state WHERE detail_sha IS NOT NULL", 5
        )
        proc.kill()
        proc.wait(30)
        again = run_crawl(killed_dir, hub.hf_endpoint)
        assert again.returncode == 0, again.stdout[-3000:]
    assert rows(killed_dir / "peatmoss.db", SNAPSHOT) == rows(clean_dir / "peatmoss.db", SNAPSHOT)
