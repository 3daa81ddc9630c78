"""`scrapy crawl hf_models` against the fake registry, end to end, as a user runs it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from fakehub import FakeHub
from tests.crawl import list_all_models, rows, run_crawl, stat

SHARED_QUERIES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "peatmoss-queries.sql"
LOOKUP = (
    "SELECT l.name FROM {kind} l JOIN model_to_{kind} j ON j.{kind}_id = l.id "
    "JOIN model m ON m.id = j.model_id WHERE m.context_id = ?"
)
DETAIL = re.compile(r"^/api/models/(.+)/revision/[0-9a-f]{40}$")


def _assert_clean(result) -> None:
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Traceback" not in result.stdout, result.stdout[-5000:]
    assert "Spider closed (finished)" in result.stdout


@pytest.fixture(scope="module")
def crawl2000(tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("crawl2000")
    with FakeHub(models=2000, seed=7) as hub:
        result = run_crawl(workdir, hub.hf_endpoint)
        yield SimpleNamespace(
            db=workdir / "peatmoss.db",
            snapshots=workdir / "snapshots",
            result=result,
            truth=list_all_models(hub.hf_endpoint),
            requests=hub.requests(),
        )


def test_every_listed_model_is_stored_once_with_hub_values(crawl2000) -> None:
    _assert_clean(crawl2000.result)
    truth = crawl2000.truth
    assert len(truth) >= 1900
    stored = {cid: (sha, dl, likes, url) for cid, sha, dl, likes, url in rows(
        crawl2000.db, "SELECT context_id, sha, downloads, likes, repo_url FROM model WHERE model_hub_id = 1"
    )}  # fmt: skip
    assert set(stored) == set(truth)
    for cid, entry in truth.items():
        assert stored[cid] == (entry["sha"], entry["downloads"], entry["likes"], f"https://huggingface.co/{cid}")
    assert rows(crawl2000.db, "SELECT count(*) FROM crawl_model_observation")[0][0] == len(truth)
    assert rows(crawl2000.db, "SELECT id, name, url FROM model_hub ORDER BY id") == [
        (1, "HuggingFace", "https://huggingface.co/"),
        (2, "PyTorch", "https://pytorch.org"),
    ]


def test_lookup_tables_follow_the_tags(crawl2000) -> None:
    db, truth = crawl2000.db, crawl2000.truth
    for cid, entry in list(truth.items())[:200]:
        tags = entry.get("tags") or []
        licenses = {r[0] for r in rows(db, LOOKUP.format(kind="license"), (cid,))}
        assert {t.split(":", 1)[1] for t in tags if t.startswith("license:")} <= licenses
        papers = {r[0] for r in rows(db, LOOKUP.format(kind="paper").replace("l.name", "l.title"), (cid,))}
        assert papers == {f"https://arxiv.org/abs/{t[6:]}" for t in tags if t.startswith("arxiv:")}
        free = {r[0] for r in rows(db, LOOKUP.format(kind="tag"), (cid,))}
        if entry.get("pipeline_tag"):
            assert entry["pipeline_tag"] in free
        assert not any(":" in t for t in free)
    # The model tree: base models that are on the hub point at their row.
    linked = rows(db, "SELECT count(*) FROM model_to_base_model b JOIN model m ON m.id = b.base_model_id "
                      "WHERE m.context_id = b.base_model_name")[0][0]  # fmt: skip
    assert linked > 0
    assert rows(db, "SELECT count(*) FROM model_to_base_model WHERE relation IS NOT NULL")[0][0] > 0


def test_popular_models_have_history_and_snapshots(crawl2000) -> None:
    db, snapshots = crawl2000.db, crawl2000.snapshots
    # Disabled repositories answer 403 to everything but the listing: they get their model row only.
    popular = {cid for cid, e in crawl2000.truth.items() if (e.get("downloads") or 0) >= 50 and not e.get("disabled")}
    detailed = {m.group(1) for r in crawl2000.requests if (m := DETAIL.match(r["path"]))}
    assert detailed == popular
    complete = {r[0] for r in rows(db, "SELECT context_id FROM model WHERE has_snapshot = 1")}
    assert complete <= popular and len(complete) >= 0.9 * len(popular)
    assert rows(db, "SELECT count(DISTINCT model_id) FROM hf_commit")[0][0] >= len(complete)
    # hf_commit.created_at keeps PeaTMOSS's str(datetime) format.
    for (created,) in rows(db, "SELECT created_at FROM hf_commit LIMIT 20"):
        assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$", created)
    stored = rows(db, "SELECT path, sha256, stored_path FROM crawl_snapshot_file WHERE status = 'stored'")
    assert stored
    for path, sha256, stored_path in stored:
        content = (snapshots / stored_path).read_bytes()
        assert hashlib.sha256(content).hexdigest() == sha256 and stored_path.endswith(sha256)
        assert not path.endswith((".safetensors", ".bin"))  # default policy: no weights
    # Content that recurs across models (the same .gitattributes) is one object, written once.
    assert len({sha256 for _, sha256, _ in stored}) < len(stored)
    assert stat(crawl2000.result.stdout, "snapshot/already_written") > 0
    cards = rows(db, "SELECT text, sha256 FROM crawl_model_card WHERE text IS NOT NULL LIMIT 50")
    assert cards and all(hashlib.sha256(t.encode()).hexdigest() == s for t, s in cards)
    for model_id, cid, sha in rows(db, "SELECT id, context_id, sha FROM model WHERE has_snapshot = 1 LIMIT 30"):
        manifest = json.loads((snapshots / "manifests" / cid / f"{sha}.json").read_text())
        files = rows(db, "SELECT path, sha256 FROM crawl_snapshot_file WHERE model_id = ? AND revision = ? "
                         "AND status = 'stored'", (model_id, sha))  # fmt: skip
        assert manifest["revision"] == sha
        assert {p: f["sha256"] for p, f in manifest["files"].items()} == dict(files)


def test_researcher_queries_run_unchanged(crawl2000) -> None:
    if not SHARED_QUERIES.exists():
        pytest.skip(f"{SHARED_QUERIES} not found: ../shared is not beside the clone")
    text = SHARED_QUERIES.read_text()
    queries = {m.group(1): m.group(2) for m in re.finditer(r"-- name: (\w+)\n((?:--.*\n)*[^-][\s\S]*?;)", text)}
    assert len(queries) >= 5
    results = {name: rows(crawl2000.db, sql) for name, sql in queries.items()}
    # HF-only crawl: the model queries return rows; issue/PR and reuse queries need the GitHub and mapping passes.
    assert results["demo_top_downloaded_models"] and results["fig_tags_per_model"]
    top = results["demo_top_downloaded_models"]
    assert [r[2] for r in top] == sorted((r[2] for r in top), reverse=True)


def test_crawled_database_matches_the_peatmoss_schema(crawl2000) -> None:
    from tests.unit.test_db_schema import _reference_tables

    reference = _reference_tables()
    assert len(reference) == 76
    for ref in reference:
        info = rows(crawl2000.db, f'PRAGMA table_info("{ref.name}")')
        assert [(r[1], r[2]) for r in info][: len(ref.columns)] == ref.columns, ref.name
