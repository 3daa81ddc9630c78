"""``scrapy browse``: a real Datasette process on a crawled database answers the JSON API for tables, facets and
every canned query, stays read-only, links models to their hub pages, and renders in headless Chromium without
console errors; a PostgreSQL store is exported to SQLite first."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from fakehub import FakeHub
from publish import about
from publish.queries import canned_queries
from tests.browser import open_page
from tests.cluster import free_port, postgres_schema, query
from tests.crawl import REPO, crawl_env, rows, run_crawl, run_scrapy

pytest.importorskip("datasette")


@contextmanager
def browsing(database_url: str, workdir: Path, *extra: str) -> Iterator[tuple[str, list[str]]]:
    """``scrapy browse`` as a user runs it; yields its base URL and (once stopped) its output lines."""
    port = free_port()
    log = workdir / f"browse-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "browse", "--port", str(port), *extra],
            cwd=REPO,
            env=crawl_env(workdir, "http://127.0.0.1:9", DATABASE_URL=database_url),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    lines: list[str] = []
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        yield base, lines
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        lines += log.read_text().splitlines()


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            body = resp.read()
            return resp.status, json.loads(body) if "json" in resp.headers.get("content-type", "") else body.decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")


@pytest.fixture(scope="module")
def server(crawled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    digest = hashlib.sha256(crawled_db.read_bytes()).hexdigest()
    with browsing(f"sqlite:///{crawled_db}", tmp_path_factory.mktemp("browse")) as (base, _):
        yield base, crawled_db, digest
    assert hashlib.sha256(crawled_db.read_bytes()).hexdigest() == digest, "browsing changed the database"


def test_tables_facets_and_metadata_over_the_json_api(server) -> None:
    base, db, _ = server
    status, models = get(f"{base}/peatmoss/model.json?_shape=objects&_size=max")
    assert status == 200
    assert {(r["id"], r["context_id"]) for r in models["rows"]} == {
        (i, str(c)) for i, c in rows(db, "SELECT id, context_id FROM model")
    }
    assert "model_hub_id" in models["facet_results"]  # a configured facet, shown without asking

    status, facet = get(f"{base}/peatmoss/model_to_license.json?_facet=license_id&_size=0")
    assert status == 200
    shown = {r["label"]: r["count"] for r in facet["facet_results"]["license_id"]["results"]}
    expected = rows(
        db, "SELECT l.name, count(*) FROM model_to_license j JOIN license l ON l.id = j.license_id GROUP BY l.name"
    )
    assert shown == dict(expected) and shown

    status, meta = get(f"{base}/-/metadata.json")
    assert status == 200 and meta["title"] == about.TITLE and meta["source_url"] == about.SOURCE_URL
    tables = meta["databases"]["peatmoss"]["tables"]
    assert "INTEGER declaration" in tables["model"]["columns"]["context_id"]
    assert tables["model_to_domain"]["facets"] == ["domain_id"]
    assert tables["model_to_model_task"]["facets"] == ["model_task_id"]
    assert tables["model_to_library"]["facets"] == ["library_id"]


def test_every_canned_query_answers_what_sqlite_answers(server) -> None:
    base, db, _ = server
    queries = canned_queries()
    assert len(queries) >= 6
    for q in queries:
        status, answer = get(f"{base}/peatmoss/{q.name}.json?_shape=arrays")
        assert status == 200, (q.name, answer)
        assert [tuple(r) for r in answer["rows"]] == rows(db, q.sql), q.name
    assert any(rows(db, q.sql) for q in queries if q.name.startswith("fig_")), "the crawl should give the figures rows"


def test_read_only_without_arbitrary_sql(server) -> None:
    base, db, _ = server
    status, _ = get(f"{base}/peatmoss.json?sql=" + urllib.parse.quote("SELECT count(*) FROM model"))
    assert status == 403
    insert = urllib.request.Request(
        f"{base}/peatmoss/model/-/insert", data=b'{"row": {"context_id": "x"}}', method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(insert, timeout=30)
    assert refused.value.code in (403, 404, 405)
    assert get(f"{base}/peatmoss.db")[0] in (403, 404)  # no download of the whole file either


def test_context_id_links_to_the_hub_page(server) -> None:
    base, db, _ = server
    status, html = get(f"{base}/peatmoss/model?_size=max")
    assert status == 200
    for hub, context_id, repo_url in rows(db, "SELECT model_hub_id, context_id, repo_url FROM model"):
        href = f"https://huggingface.co/{context_id}" if hub == 1 else f"https://{repo_url}"
        assert f'<a href="{href}" rel="nofollow">{context_id}</a>' in html, context_id
    assert rows(db, "SELECT count(*) FROM model WHERE model_hub_id = 2")[0][0] > 0


def test_allow_sql_opens_arbitrary_queries(crawled_db: Path, tmp_path: Path) -> None:
    with browsing(f"sqlite:///{crawled_db}", tmp_path, "--allow-sql") as (base, _):
        status, answer = get(
            f"{base}/peatmoss.json?_shape=arrays&sql=" + urllib.parse.quote("SELECT count(*) FROM model")
        )
    assert status == 200 and answer["rows"] == [[rows(crawled_db, "SELECT count(*) FROM model")[0][0]]]


def test_chromium_renders_the_home_page_and_a_canned_query_without_console_errors(server, tmp_path) -> None:
    base, _, _ = server
    title = "document.title"
    home = open_page(base + "/", tmp_path / "home.png", expression=title)
    figure = open_page(base + "/peatmoss/fig_tags_per_model", tmp_path / "query.png")
    table = open_page(base + "/peatmoss/model?_facet=model_hub_id")
    for page in (home, figure, table):
        assert page.errors == [], page.errors
    assert about.TITLE in home.value
    for shot in ("home.png", "query.png"):
        data = (tmp_path / shot).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


def test_the_console_error_check_catches_a_broken_page(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text(
        "<title>broken</title><img src='/missing.png'><script>console.error('boom'); notAFunction();</script>"
    )
    (tmp_path / "fine.html").write_text("<title>fine</title><link rel='icon' href='data:,'><p>fine</p>")
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{site.server_address[1]}"
    try:
        broken = open_page(base + "/broken.html")
        fine = open_page(base + "/fine.html")
    finally:
        site.shutdown()
    assert any("boom" in e for e in broken.errors), broken.errors
    assert any("notAFunction is not defined" in e for e in broken.errors), broken.errors
    assert any("missing.png" in e for e in broken.errors), broken.errors
    assert fine.errors == []


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


def test_postgresql_store_is_exported_to_sqlite_then_served_and_exported_to_parquet(postgres_url, tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    with postgres_schema(postgres_url) as pg, FakeHub(models=25, seed=8) as hub:
        crawl = run_crawl(tmp_path, hub.hf_endpoint, args={"snapshot": "none"}, DATABASE_URL=pg)
        assert crawl.returncode == 0, crawl.stdout[-3000:]
        count = query(pg, "SELECT count(*) FROM model")[0][0]
        export_to = tmp_path / "browse" / "copy.db"
        with browsing(pg, tmp_path, "--sqlite", str(export_to)) as (base, lines):
            status, models = get(f"{base}/copy/model.json?_shape=objects&_size=max")
        assert status == 200 and len(models["rows"]) == count > 0
        assert any("is not SQLite: exporting it to" in line and str(export_to) in line for line in lines), lines
        assert sqlite3.connect(export_to).execute("SELECT count(*) FROM model").fetchone()[0] == count

        out = tmp_path / "parquet"
        exported = run_scrapy(tmp_path, hub.hf_endpoint, "export-parquet", str(out), DATABASE_URL=pg)
        assert exported.returncode == 0, exported.stderr[-3000:]
        model = pq.read_table(out / "data" / "model.parquet")
        assert sorted(model.column("context_id").to_pylist()) == sorted(
            c for (c,) in query(pg, "SELECT context_id FROM model")
        )
