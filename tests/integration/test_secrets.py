"""Secrets never on disk (issue 13.3): after crawls with a token, no file, log, Redis value or row holds it.

The fake registry answers 5xx at random (one request in ten: six failures in a row, which would end a
request, then come once in a million), so requests are retried and queued again while they still carry the
``Authorization`` header; the crawl is stopped with Ctrl-C so that the JOBDIR queue keeps them on disk.
"""

from __future__ import annotations

import signal
from pathlib import Path

import sqlalchemy as sa

from fakehub import FakeHub
from tests.cluster import kill_all, postgres_schema, query, start_node
from tests.crawl import interrupt, run_crawl, start_crawl, wait_for_rows

TOKEN = "hf_secretTOKEN0123456789abcdefXYZ"


def files_holding(root: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_no_token_in_jobdir_log_or_database(tmp_path: Path) -> None:
    settings = {"JOBDIR": str(tmp_path / "job"), "HF_PAGE_SIZE": "50", "CONCURRENT_REQUESTS": "8"}
    with FakeHub(models=600, seed=51, latency=20, token=TOKEN, error_rate=0.1) as hub:
        proc = start_crawl(tmp_path, hub.hf_endpoint, settings=settings, HF_TOKEN=TOKEN)
        wait_for_rows(
            tmp_path / "peatmoss.db", "SELECT count(*) FROM crawl_model_state WHERE detail_sha IS NOT NULL", 3
        )
        first = interrupt(proc, signal.SIGINT)
        assert "retry/count" in first and "Spider closed (shutdown)" in first, first[-3000:]
        assert list((tmp_path / "job").rglob("requests.queue/*")), "nothing was left in the JOBDIR queue"
        assert files_holding(tmp_path, TOKEN) == []
        hub.clear_requests()
        second = run_crawl(tmp_path, hub.hf_endpoint, settings=settings, HF_TOKEN=TOKEN)
        requests = hub.requests()
    assert second.returncode == 0, second.stdout[-3000:]
    assert TOKEN not in first + second.stdout
    assert files_holding(tmp_path, TOKEN) == []
    # Requests read back from the queue got their credentials again at download time.
    api = [r for r in requests if r["path"].startswith("/api/")]
    assert api and all(r["auth"] for r in api)


def test_no_token_in_redis_logs_or_postgres(tmp_path: Path, redis_url: str, cluster_prefix: str, postgres_url: str):
    import redis

    settings = {"HF_PAGE_SIZE": "40", "CONCURRENT_REQUESTS": "8"}
    with (
        postgres_schema(postgres_url) as pg,
        FakeHub(models=250, seed=52, latency=20, token=TOKEN, error_rate=0.1) as hub,
    ):
        nodes = [
            start_node(
                tmp_path,
                hub.hf_endpoint,
                redis_url,
                pg,
                cluster_prefix,
                f"n{i}",
                settings=settings,
                env={"HF_TOKEN": TOKEN},
            )
            for i in range(2)
        ]
        try:
            codes = [node.wait(180) for node in nodes]
        finally:
            kill_all(nodes)
        client = redis.Redis.from_url(redis_url)
        values = [client.dump(key) or b"" for key in client.scan_iter(f"{cluster_prefix}*")]
        engine = sa.create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            dumped = [str(row) for t in tables for row in conn.execute(sa.text(f'SELECT t::text FROM "{t}" t'))]
        engine.dispose()
        status = query(pg, "SELECT status FROM crawl_run")
    logs = "".join(node.output() for node in nodes)
    assert codes == [0, 0], logs[-4000:]
    assert status == [("finished",)]
    assert "retry/count" in logs
    assert values and not any(TOKEN.encode() in v for v in values)
    assert dumped and not any(TOKEN in row for row in dumped)
    assert TOKEN not in logs
    assert files_holding(tmp_path, TOKEN) == []
