"""Cluster mode end to end: several real crawl processes share one Redis and one PostgreSQL database.

Each test runs nodes against the fake registry (with latency, so that work is in flight when something breaks)
and checks the database against the fake's own listing: every model stored exactly once, every model that gets
details complete, and (where it matters) which requests the registry received.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from fakehub import FakeHub
from tests.cluster import Node, OwnRedis, kill_all, postgres_schema, query, start_node, wait_for
from tests.crawl import REPO, list_all_models

MIN_DOWNLOADS = 20
ARGS = {"min_downloads": MIN_DOWNLOADS, "snapshot": "none"}
SETTINGS = {"HF_PAGE_SIZE": "40", "CONCURRENT_REQUESTS": "8"}
DETAILS_DONE = "SELECT count(*) FROM crawl_model_state WHERE detail_sha IS NOT NULL"


@pytest.fixture
def pg(postgres_url: str):
    with postgres_schema(postgres_url) as url:
        yield url


def wanted(truth: dict) -> dict[str, str]:
    """The models whose details a crawl fetches: context_id -> sha."""
    return {
        cid: e["sha"]
        for cid, e in truth.items()
        if e.get("sha") and (e.get("downloads") or 0) >= MIN_DOWNLOADS and not e.get("disabled")
    }


def finish(nodes: list[Node], timeout: float = 120) -> None:
    try:
        for node in nodes:
            node.wait(timeout)
    finally:
        kill_all(nodes)
    for node in nodes:
        out = node.output()
        assert node.proc.returncode == 0, f"{node.name}:\n{out[-4000:]}"
        assert "Spider closed (finished)" in out, f"{node.name}:\n{out[-4000:]}"
        assert "Traceback" not in out, f"{node.name}:\n{out[-4000:]}"


def assert_complete(db: str, truth: dict) -> None:
    stored = dict(query(db, "SELECT context_id, sha FROM model"))
    assert stored == {cid: e["sha"] for cid, e in truth.items()}
    assert query(db, "SELECT count(*) FROM model")[0][0] == len(truth)
    # one observation per model: each model was listed (and stored) by exactly one node, in one run
    assert query(db, "SELECT count(*), count(DISTINCT model_id), count(DISTINCT run_id) FROM crawl_model_observation")[
        0
    ] == (len(truth), len(truth), 1)
    details = dict(
        query(db, "SELECT m.context_id, s.detail_sha FROM model m JOIN crawl_model_state s ON s.model_id = m.id")
    )
    assert {cid: details.get(cid) for cid in wanted(truth)} == wanted(truth)


def fetched(requests: list[dict]) -> Counter:
    """(path, query) -> how many times the registry answered it with 200."""
    return Counter((r["path"], repr(sorted(r["query"].items()))) for r in requests if r["status"] == 200)


def test_three_nodes_store_every_model_once(tmp_path, redis_url, cluster_prefix, pg) -> None:
    with FakeHub(models=300, seed=31, latency=20) as hub:
        truth = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        nodes = [
            start_node(tmp_path / "shared", hub.hf_endpoint, redis_url, pg, cluster_prefix, f"node{i}", ARGS, SETTINGS)
            for i in range(3)
        ]
        finish(nodes)
        requests = hub.requests()
    assert_complete(pg, truth)
    counts = fetched(requests)
    assert counts and max(counts.values()) == 1, [k for k, v in counts.items() if v > 1][:5]
    pages = [k for k in counts if k[0] == "/api/models"]
    assert len(pages) == -(-len(truth) // 40)
    # the work was shared: every node downloaded responses and stored items
    for node in nodes:
        out = node.output()
        assert "'response_received_count'" in out and "'store/items'" in out, node.name
    assert query(pg, "SELECT count(*), min(status), max(status) FROM crawl_run") == [(1, "finished", "finished")]
    # progress: a periodic line while the crawl ran, and `scrapy progress` afterwards, from Redis alone
    assert "Cluster hf_models run 1 (running): " in "".join(node.output() for node in nodes)
    shown = progress(redis_url, cluster_prefix)
    stored_items = sum(int(re.search(r"'store/items': (\d+)", n.output()).group(1)) for n in nodes)
    assert shown[0]["status"] == "finished" and shown[0]["nodes_total"] == 3
    assert shown[0]["counters"]["store/items"] == stored_items
    assert shown[0]["counters"]["downloader/request_count"] == sum(counts.values())


def progress(redis_url: str, prefix: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "progress", "hf_models", "--json", "-s", f"CLUSTER_KEY_PREFIX={prefix}"],
        cwd=REPO,
        env={**os.environ, "REDIS_URL": redis_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_sigkilled_node_restarted_leaves_nothing_missing(tmp_path, redis_url, cluster_prefix, pg) -> None:
    with FakeHub(models=300, seed=32, latency=30) as hub:
        truth = list_all_models(hub.hf_endpoint)
        start = lambda name: start_node(  # noqa: E731
            tmp_path / "shared", hub.hf_endpoint, redis_url, pg, cluster_prefix, name, ARGS, SETTINGS
        )
        victim, other = start("victim"), start("other")
        wait_for(pg, DETAILS_DONE, 10)
        victim.proc.kill()  # SIGKILL: no shutdown, its leases and buffered items are simply gone
        victim.proc.wait(10)
        restarted = start("restarted")
        finish([other, restarted])
    assert_complete(pg, truth)
    logs = other.output() + restarted.output()
    assert "leased by stopped nodes went back to the queue" in logs


def test_redis_restart_mid_crawl(tmp_path, pg) -> None:
    own = OwnRedis()
    if own.binary is None:
        pytest.skip("redis-server not installed")
    own.start()
    try:
        with FakeHub(models=250, seed=33, latency=30) as hub:
            truth = list_all_models(hub.hf_endpoint)
            nodes = [
                start_node(tmp_path / "shared", hub.hf_endpoint, own.url, pg, "restart", f"node{i}", ARGS, SETTINGS)
                for i in range(2)
            ]
            wait_for(pg, DETAILS_DONE, 5)
            own.stop()
            time.sleep(2.0)  # nodes keep running without Redis for a while
            own.start()
            finish(nodes)
    finally:
        own.close()
    assert_complete(pg, truth)
    for node in nodes:
        out = node.output()
        assert "is unreachable" in out and "is back after" in out, out[-3000:]
    assert query(pg, "SELECT count(*), min(status) FROM crawl_run") == [(1, "finished")]


def test_stopped_cluster_resumes_without_refetching(tmp_path, redis_url, cluster_prefix, pg) -> None:
    with FakeHub(models=300, seed=34, latency=30) as hub:
        truth = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        start = lambda name: start_node(  # noqa: E731
            tmp_path / "shared", hub.hf_endpoint, redis_url, pg, cluster_prefix, name, ARGS, SETTINGS
        )
        first = [start("a1"), start("b1")]
        wait_for(pg, DETAILS_DONE, 10)
        for node in first:
            node.stop(signal.SIGINT)
        for node in first:
            assert node.wait(60) == 4  # interrupted
            assert "Spider closed (shutdown)" in node.output()
        # Each node's state is kept; the shared row ends interrupted with the last node, never finished.
        [(status, stats)] = query(pg, "SELECT status, stats FROM crawl_run")
        assert status == "interrupted" and set(json.loads(stats)["nodes"].values()) == {"interrupted"}
        done_before = query(pg, DETAILS_DONE)[0][0]
        assert done_before < len(wanted(truth)), "the crawl finished before it was stopped: nothing to resume"
        second = [start("a2"), start("b2")]
        finish(second)
        requests = hub.requests()
    assert_complete(pg, truth)
    counts = fetched(requests)
    assert max(counts.values()) == 1, [k for k, v in counts.items() if v > 1][:5]
    assert "joined run 1" in second[0].output() + second[1].output()
    assert query(pg, "SELECT count(*), min(status) FROM crawl_run") == [(1, "finished")]
