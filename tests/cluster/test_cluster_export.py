"""``scrapy export-sqlite``: the PostgreSQL store as a PeaTMOSS-compatible SQLite file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.db.engine import forget_engine, open_engine
from fakehub import FakeHub
from tests.cluster import postgres_schema, query
from tests.crawl import REPO, crawl_env, run_crawl

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def export(out: Path, database_url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = crawl_env(out.parent, "http://127.0.0.1:9", DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "export-sqlite", str(out), *extra],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def queries() -> list[tuple[str, str]]:
    path = SHARED / "reference" / "peatmoss-queries.sql"
    if not path.exists():
        pytest.skip("../shared not found")
    out, name, lines = [], None, []
    for line in path.read_text().splitlines():
        if line.startswith("-- name:"):
            name, lines = line.split(":", 1)[1].strip(), []
        elif not line.startswith("--") and name:
            lines.append(line)
            if line.rstrip().endswith(";"):
                out.append((name, "\n".join(lines)))
                name = None
    return out


def test_export_of_a_postgresql_crawl(tmp_path, postgres_url) -> None:
    sql = queries()
    with postgres_schema(postgres_url) as pg, FakeHub(models=100, seed=41) as hub:
        crawl = run_crawl(tmp_path, hub.hf_endpoint, args={"snapshot": "none"}, DATABASE_URL=pg)
        assert crawl.returncode == 0, crawl.stdout[-3000:]
        out = tmp_path / "export" / "peatmoss.db"
        out.parent.mkdir()
        result = export(out, pg)
        assert result.returncode == 0, result.stderr[-3000:]
        source_counts = {
            name: query(pg, f'SELECT count(*) FROM "{name}"')[0][0]
            for name in ("model", "hf_commit", "discussion", "model_to_tag", "crawl_model_observation", "model_hub")
        }
        source_ids = query(pg, "SELECT id, context_id FROM model ORDER BY id")
        again = export(out, pg)  # an existing file is never overwritten silently
        assert again.returncode != 0 and "exists" in again.stderr
    # The schema is exactly what a fresh SQLite store gets from the migrations (the PeaTMOSS DDL + ours).
    fresh = tmp_path / "fresh.db"
    open_engine(f"sqlite:///{fresh}").dispose()
    forget_engine(f"sqlite:///{fresh}")
    ddl = "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name"
    with sqlite3.connect(out) as db, sqlite3.connect(fresh) as ref:
        assert db.execute(ddl).fetchall() == ref.execute(ddl).fetchall()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert len(tables) >= 76
        for name, count in source_counts.items():
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == count, name
        assert source_counts["model"] > 90 and source_counts["hf_commit"] > 0
        assert db.execute("SELECT id, context_id FROM model ORDER BY id").fetchall() == [(i, c) for i, c in source_ids]
        # researchers' queries run unchanged
        results = {name: db.execute(text).fetchall() for name, text in sql}
    assert results["demo_top_downloaded_models"]


def test_export_needs_one_output_file(tmp_path) -> None:
    result = export(tmp_path / "a.db", f"sqlite:///{tmp_path / 'store.db'}", str(tmp_path / "b.db"))
    assert result.returncode != 0 and "one output file" in result.stderr
