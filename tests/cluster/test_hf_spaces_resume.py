"""The Spaces crawl resumes (JOBDIR + Ctrl-C) and runs on a cluster (two nodes, one Redis, one PostgreSQL)."""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from fakehub import FakeHub
from tests.cluster import kill_all, postgres_schema, query, start_node
from tests.crawl import REPO, crawl_command, crawl_env, interrupt, rows, run_crawl, wait_for_rows
from tests.integration.test_hf_spaces_crawl import listing

HUB = {"models": 200, "seed": 0, "spaces": 40, "datasets": 4, "big_file_size": 20_000}
SETTINGS = {"HF_PAGE_SIZE": "4", "SNAPSHOT_MAX_FILE_SIZE": "10000", "CONCURRENT_REQUESTS": "4"}


def list_pages(requests: list[dict]) -> list[tuple[str, str]]:
    ok = [r for r in requests if r["path"] == "/api/spaces" and r["status"] == 200]
    return [(r["path"], repr(sorted(r["query"].items()))) for r in ok]


def test_ctrl_c_then_resume_with_jobdir(tmp_path: Path) -> None:
    settings = {**SETTINGS, "JOBDIR": str(tmp_path / "job")}
    with FakeHub(**HUB, latency=60) as hub:
        spaces = listing(hub.hf_endpoint, "spaces")
        hub.clear_requests()
        proc = subprocess.Popen(
            crawl_command("hf_spaces", None, settings),
            cwd=REPO,
            env=crawl_env(tmp_path, hub.hf_endpoint),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_for_rows(tmp_path / "peatmoss.db", "SELECT count(*) FROM hf_space", 4)
        first = interrupt(proc, signal.SIGINT)
        assert "Spider closed (shutdown)" in first, first[-3000:]
        first_requests = hub.requests(clear=True)
        second = run_crawl(tmp_path, hub.hf_endpoint, spider="hf_spaces", settings=settings)
        second_requests = hub.requests()
    assert second.returncode == 0 and "Spider closed (finished)" in second.stdout, second.stdout[-3000:]
    db = tmp_path / "peatmoss.db"
    assert dict(rows(db, "SELECT space_id, detail_sha FROM hf_space")) == {s: e["sha"] for s, e in spaces.items()}
    assert rows(db, "SELECT count(*) FROM hf_space_to_model")[0][0] == sum(len(e["models"]) for e in spaces.values())
    pages = list_pages(first_requests + second_requests)
    assert len(pages) == len(set(pages)) == -(-len(spaces) // 4)  # the resumed crawl went on from its queue
    assert rows(db, "SELECT count(*), min(status) FROM crawl_run") == [(1, "finished")]


@pytest.fixture
def pg(postgres_url: str):
    with postgres_schema(postgres_url) as url:
        yield url


def test_two_nodes_store_every_space_once(tmp_path: Path, redis_url: str, cluster_prefix: str, pg: str) -> None:
    with FakeHub(**HUB, latency=20) as hub:
        spaces = listing(hub.hf_endpoint, "spaces")
        hub.clear_requests()
        nodes = [
            start_node(
                tmp_path / "shared",
                hub.hf_endpoint,
                redis_url,
                pg,
                cluster_prefix,
                f"node{i}",
                None,
                SETTINGS,
                "hf_spaces",
            )
            for i in range(2)
        ]
        try:
            for node in nodes:
                node.wait(180)
        finally:
            kill_all(nodes)
        requests = hub.requests()
    for node in nodes:
        assert node.proc.returncode == 0 and "Spider closed (finished)" in node.output(), node.output()[-3000:]
    assert dict(query(pg, "SELECT space_id, detail_sha FROM hf_space")) == {s: e["sha"] for s, e in spaces.items()}
    links = query(pg, "SELECT count(*), count(model_id) FROM hf_space_to_model")[0]
    assert links[0] == sum(len(e["models"]) for e in spaces.values()) and 0 < links[1] < links[0]
    assert query(pg, "SELECT count(*) FROM hf_declared_model WHERE status != 200")[0][0] == 3
    fetched = Counter((r["path"], repr(sorted(r["query"].items()))) for r in requests if r["status"] == 200)
    assert max(fetched.values()) == 1  # no request answered twice across the nodes
    assert len(list_pages(requests)) == -(-len(spaces) // 4)
