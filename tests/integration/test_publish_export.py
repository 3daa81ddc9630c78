"""``scrapy export-parquet`` on a database from real crawls: every table read back equal, Croissant metadata that
mlcroissant validates and loads, a dataset card ``datasets`` loads, re-exports that rewrite only changed tables."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from crawler.db import metadata
from tests.crawl import rows, run_scrapy

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")


def export(db: Path, out: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``scrapy export-parquet`` as a user runs it."""
    url = f"sqlite:///{db}"
    return run_scrapy(db.parent, "http://127.0.0.1:9", "export-parquet", str(out), *extra, DATABASE_URL=url, **env)


@pytest.fixture(scope="module")
def exported(crawled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    out = tmp_path_factory.mktemp("parquet") / "peatmoss"
    result = export(crawled_db, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return crawled_db, out, result.stderr


def _sample(count: int) -> list[int]:
    """Row positions to compare: first, last and a few between."""
    return sorted({0, count // 3, count // 2, (2 * count) // 3, count - 1}) if count else []


def test_every_table_reads_back_with_the_same_rows(exported) -> None:
    db, out, log = exported
    assert f"{len(metadata.tables)} tables written" in log
    conn = sqlite3.connect(db)
    non_empty = 0
    for table in metadata.sorted_tables:
        path = out / "data" / f"{table.name}.parquet"
        data = pq.read_table(path)
        assert data.column_names == [c.name for c in table.columns], table.name
        order = ", ".join(f'"{c.name}"' for c in (list(table.primary_key.columns) or list(table.columns)))
        expected = conn.execute(f'SELECT * FROM "{table.name}" ORDER BY {order}').fetchall()
        assert data.num_rows == len(expected), table.name
        assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == len(expected), table.name
        pylist = data.to_pylist()
        for i in _sample(len(expected)):
            want = tuple(
                str(v) if name == "context_id" and v is not None else v
                for name, v in zip(data.column_names, expected[i], strict=True)
            )
            assert tuple(pylist[i].values()) == want, (table.name, i)
        if expected:
            non_empty += 1
            assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    assert non_empty >= 40, "the crawls should fill most tables"
    # The type mapping: context_id is a string, 0/1 booleans stay integers.
    model = pq.read_schema(out / "data" / "model.parquet")
    assert model.field("context_id").type == pa.string()
    assert model.field("has_snapshot").type == pa.int64()
    assert pq.read_schema(out / "data" / "map_call_site.parquet").field("confidence").type == pa.float64()


def test_croissant_metadata_validates_and_loads_records(exported) -> None:
    db, out, _ = exported
    cli = Path(sys.executable).with_name("mlcroissant")  # the extra's command line, beside this interpreter
    validate = subprocess.run(
        [str(cli), "validate", "--jsonld", str(out / "croissant.json")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert validate.returncode == 0, validate.stderr[-3000:]
    assert "error" not in validate.stderr.lower() and "warning" not in validate.stderr.lower(), validate.stderr

    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=out / "croissant.json")
    records = list(dataset.records(record_set="model"))
    expected = dict(rows(db, "SELECT id, context_id FROM model"))
    assert {r["model/id"]: r["model/context_id"].decode() for r in records} == {k: str(v) for k, v in expected.items()}

    document = json.loads((out / "croissant.json").read_text())
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert document["license"] and "PeaTMOSS" in document["citeAs"]
    sets = {r["name"]: r for r in document["recordSet"]}
    assert set(sets) == set(metadata.tables)
    fields = {f["name"]: f for f in sets["model"]["field"]}
    assert "INTEGER declaration" in fields["model/context_id"]["description"]  # from the schema reference
    assert fields["model/context_id"]["dataType"] == "sc:Text"
    assert fields["model/model_hub_id"]["references"] == {"field": {"@id": "model_hub/id"}}
    assert sets["model"]["key"] == {"@id": "model/id"}
    state = {f["name"]: f for f in sets["crawl_model_state"]["field"]}
    assert state["crawl_model_state/gated"]["description"] == "'false' | 'auto' | 'manual'"  # from our source comments


def test_dataset_card_has_one_config_per_table_and_datasets_loads_it(exported, tmp_path, monkeypatch) -> None:
    db, out, _ = exported
    card = (out / "README.md").read_text()
    front = yaml.safe_load(card.split("---\n")[1])
    configs = {c["config_name"]: c["data_files"][0]["path"] for c in front["configs"]}
    assert set(configs) == set(metadata.tables)
    assert all((out / path).is_file() for path in configs.values())
    assert "| `model` | 62 |" in card or f"| `model` | {rows(db, 'SELECT count(*) FROM model')[0][0]:,} |" in card

    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    models = datasets.load_dataset(str(out), "model", split="train", cache_dir=str(tmp_path / "cache"))
    assert models.num_rows == rows(db, "SELECT count(*) FROM model")[0][0]
    expected = {(i, str(c), d) for i, c, d in rows(db, "SELECT id, context_id, downloads FROM model")}
    assert {(m["id"], m["context_id"], m["downloads"]) for m in models} == expected


def test_reexport_rewrites_only_the_tables_that_changed(exported, tmp_path) -> None:
    db, out, _ = exported
    copy_db, copy_out = tmp_path / "peatmoss.db", tmp_path / "export"
    shutil.copy(db, copy_db)
    shutil.copytree(out, copy_out)
    again = export(copy_db, copy_out)
    assert again.returncode == 0, again.stderr
    assert "0 tables written" in again.stderr and f"{len(metadata.tables)} tables unchanged" in again.stderr

    before = {p.name: p.stat().st_mtime_ns for p in (copy_out / "data").iterdir()}
    with sqlite3.connect(copy_db) as conn:  # what a re-crawl does to two tables
        conn.execute("UPDATE model SET downloads = downloads + 1 WHERE id = (SELECT min(id) FROM model)")
        conn.execute("INSERT INTO crawl_run (spider, status) VALUES ('hf_models', 'finished')")
    changed = export(copy_db, copy_out)
    assert changed.returncode == 0, changed.stderr
    assert "2 tables written (crawl_run, model)" in changed.stderr, changed.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (copy_out / "data").iterdir()}
    assert {name for name in after if after[name] != before[name]} == {"crawl_run.parquet", "model.parquet"}
    first = pq.read_table(copy_out / "data" / "model.parquet").slice(0, 1).to_pylist()[0]
    assert first["downloads"] == rows(copy_db, "SELECT downloads FROM model ORDER BY id LIMIT 1")[0][0]
    manifest = json.loads((copy_out / "export-manifest.json").read_text())
    assert manifest["tables"]["crawl_run"]["rows"] == rows(copy_db, "SELECT count(*) FROM crawl_run")[0][0]
    sha = {f["contentUrl"]: f["sha256"] for f in json.loads((copy_out / "croissant.json").read_text())["distribution"]}
    assert sha["data/model.parquet"] == manifest["tables"]["model"]["file_sha256"]


def test_tables_option_bad_values_and_a_missing_extra(exported, tmp_path) -> None:
    db, _, _ = exported
    copy_db = tmp_path / "peatmoss.db"
    shutil.copy(db, copy_db)
    with sqlite3.connect(copy_db) as conn:  # SQLite's type affinity lets text into an INTEGER column
        conn.execute("UPDATE model SET downloads = 'many' WHERE id = (SELECT min(id) FROM model)")
    result = export(copy_db, tmp_path / "some", "--tables", "model,model_hub")
    assert result.returncode == 0, result.stderr
    assert "model: 1 values did not fit their column type" in result.stderr
    assert sorted(p.name for p in (tmp_path / "some" / "data").iterdir()) == ["model.parquet", "model_hub.parquet"]
    assert pq.read_table(tmp_path / "some" / "data" / "model.parquet")["downloads"][0].as_py() is None
    assert [
        c["config_name"]
        for c in yaml.safe_load((tmp_path / "some" / "README.md").read_text().split("---\n")[1])["configs"]
    ] == ["model_hub", "model"]

    unknown = export(copy_db, tmp_path / "other", "--tables", "model,no_such_table")
    assert unknown.returncode != 0 and "unknown tables: no_such_table" in unknown.stderr
    assert not (tmp_path / "other").exists()

    blocked = tmp_path / "blocked" / "pyarrow"  # an installation without the extra: importing pyarrow fails
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('No module named pyarrow')\n")
    missing = export(copy_db, tmp_path / "third", PYTHONPATH=str(blocked.parent))
    assert missing.returncode == 1
    assert "pyarrow is not installed; it is part of the 'publish' extra: pip install -e '.[publish]'" in missing.stderr
