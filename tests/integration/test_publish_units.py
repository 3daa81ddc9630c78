"""The publish package's reference data stays true to its sources, and commands fail clearly on bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crawler.db import metadata
from publish.descriptions import DATA, column_description, generate, table_description
from publish.queries import QUERIES, canned_queries, parse_queries
from tests.crawl import run_scrapy

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "reference"


def _shared(name: str) -> Path:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared is not beside the clone")
    return path


def test_checked_in_descriptions_match_their_sources() -> None:
    expected = generate(_shared("peatmoss-schema.md"))
    assert json.loads(DATA.read_text()) == expected, (
        "publish/descriptions.json is stale: python -m publish.descriptions ../shared/reference/peatmoss-schema.md"
    )


def test_every_table_and_column_has_a_description() -> None:
    for table in metadata.sorted_tables:
        assert not table_description(table).startswith("Table "), table.name
        for column in table.columns:
            assert column_description(table, column), (table.name, column.name)
    model = metadata.tables["model"]
    assert column_description(model, model.c.model_hub_id) == "1 = Hugging Face, 2 = PyTorch Hub"
    github = metadata.tables["crawl_github_repo"]
    assert column_description(github, github.c.reuse_repository_id) == "References reuse_repository.id"


def test_canned_queries_are_the_reference_queries_verbatim() -> None:
    reference = {q.name: q.sql for q in parse_queries(_shared("peatmoss-queries.sql").read_text())}
    ours = {q.name: q.sql for q in canned_queries()}
    assert ours == reference and len(ours) >= 6
    assert all(q.title and not q.title.startswith(q.name) for q in canned_queries()), QUERIES


def test_browse_without_a_database_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = run_scrapy(tmp_path, "http://127.0.0.1:9", "browse", DATABASE_URL=f"sqlite:///{missing}", timeout=120)
    assert result.returncode == 1
    assert f"no SQLite database at {missing}" in result.stderr
    assert not missing.exists()


def test_an_export_readsbegin_snapshot_while_a_crawl_writes(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from crawler.db.engine import forget_engine, open_engine
    from crawler.db.ours import crawl_run
    from publish.export import begin_snapshot

    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_engine(url)
    try:
        with engine.connect() as reader:
            begin_snapshot(reader)
            before = reader.execute(select(func.count()).select_from(crawl_run)).scalar()
            with sqlite3.connect(tmp_path / "store.db") as writer:  # another process's crawl, committed
                writer.execute("INSERT INTO crawl_run (spider, status) VALUES ('hf_models', 'running')")
            assert reader.execute(select(func.count()).select_from(crawl_run)).scalar() == before
        with engine.connect() as later:
            assert later.execute(select(func.count()).select_from(crawl_run)).scalar() == before + 1
    finally:
        forget_engine(url)


def test_browse_without_the_extra_names_it(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked" / "datasette"  # an installation without the publish extra
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('No module named datasette')\n")
    result = run_scrapy(
        tmp_path, "http://127.0.0.1:9", "browse", PYTHONPATH=str(blocked.parent), DATABASE_URL="sqlite:///x.db"
    )
    assert result.returncode == 1
    assert "datasette is not installed; it is part of the 'publish' extra: pip install -e '.[publish]'" in result.stderr


def test_export_parquet_refuses_a_missing_database_and_an_unwritable_folder(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run_scrapy(
        tmp_path, "http://127.0.0.1:9", "export-parquet", str(tmp_path / "out"), DATABASE_URL=f"sqlite:///{missing}"
    )
    assert result.returncode == 1 and f"no SQLite database at {missing}" in result.stderr
    assert not missing.exists() and not (tmp_path / "out").exists()

    store = tmp_path / "store.db"
    sqlite3.connect(store).close()  # an empty SQLite file: the command migrates it like any store
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_scrapy(
        tmp_path, "http://127.0.0.1:9", "export-parquet", str(blocker), DATABASE_URL=f"sqlite:///{store}"
    )
    assert result.returncode == 1 and "[export-parquet]" in result.stderr and "Traceback" not in result.stderr
