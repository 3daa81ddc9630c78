"""One bad value never costs a batch (issue 13.1, 13.8): hostile values from the fake registry (``--hostile``).

NUL characters are cleaned (the same on SQLite and PostgreSQL), out-of-range integers and bad ids are rejected
into ``crawl_rejected_item``; every other model is stored, the run ends ``incomplete`` and the crawl exits 3.
Without the validation pipeline the store isolates the bad item by itself (batches halved down to one item).
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa

from fakehub import FakeHub
from tests.cluster.test_hf_postgres import crawl_schema_url  # noqa: F401 - fixture
from tests.crawl import list_all_models, run_crawl
from tests.fakehub.hf_hostile import INVALID, NUL_ID

NO_VALIDATION = json.dumps(
    {
        "pipelines.normalise.NormalisePipeline": 200,
        "pipelines.clone.ClonePipeline": 350,
        "pipelines.snapshot.SnapshotPipeline": 300,
        "pipelines.store.StorePipeline": 400,
    }
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'peatmoss.db'}"
    return request.getfixturevalue("crawl_schema_url")


def query(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_hostile_values_are_cleaned_or_rejected(tmp_path: Path, database: str) -> None:
    with FakeHub(models=40, seed=5, hostile=True) as hub:
        truth = list_all_models(hub.hf_endpoint)
        result = run_crawl(tmp_path, hub.hf_endpoint, settings={"HF_PAGE_SIZE": "15"}, DATABASE_URL=database)
    log = result.stdout
    assert result.returncode == 3, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    assert query(database, "SELECT status FROM crawl_run") == [("incomplete",)]
    rejected = query(database, "SELECT item_type, natural_key, error, item FROM crawl_rejected_item")
    assert sorted(json.loads(key)["context_id"] for _, key, _, _ in rejected) == sorted(INVALID)
    assert all(kind == "HfModelItem" and error for kind, _, error, _ in rejected)
    assert all(json.loads(item)["context_id"] in INVALID for *_, item in rejected)
    stored = {cid for (cid,) in query(database, "SELECT context_id FROM model")}
    assert stored == set(truth) - set(INVALID)
    # NUL removed from every text, on both databases: author, tag, card data, commit title.
    assert query(database, "SELECT count(*) FROM tag WHERE name = 'badtag'") == [(1,)]
    titles = {t for (t,) in query(database, "SELECT title FROM hf_commit")}
    assert "Upload with a NUL" in titles
    complete = query(
        database,
        "SELECT s.detail_sha FROM crawl_model_state s JOIN model m ON m.id = s.model_id "
        f"WHERE m.context_id = '{NUL_ID}'",
    )
    assert complete == [(truth[NUL_ID]["sha"],)]
    assert log.count("Dropped invalid HfModelItem") == len(INVALID)


def test_store_isolates_a_bad_item_without_validation(tmp_path: Path, database: str) -> None:
    with FakeHub(models=40, seed=5, hostile=True) as hub:
        truth = list_all_models(hub.hf_endpoint)
        result = run_crawl(
            tmp_path,
            hub.hf_endpoint,
            settings={"HF_PAGE_SIZE": "15", "ITEM_PIPELINES": NO_VALIDATION},
            DATABASE_URL=database,
        )
    log = result.stdout
    assert result.returncode == 3, log[-3000:]
    assert "Traceback" not in log and "File name too long" not in log, log[-5000:]
    assert "store/batch_split" in log
    rejected = {json.loads(k)["context_id"] for (k,) in query(database, "SELECT natural_key FROM crawl_rejected_item")}
    assert "fake-hostile/huge-downloads" in rejected
    stored = {cid for (cid,) in query(database, "SELECT context_id FROM model")}
    assert set(truth) - stored == rejected  # every model the database accepts is stored: no batch was lost
    generated = {cid for cid in truth if not cid.startswith("fake-hostile/")}
    assert generated <= stored


def test_manifest_of_a_5000_character_id_fits_the_file_system(tmp_path: Path) -> None:
    from scrapy.pipelines.files import FSFilesStore

    from crawler.hf.items import HfSnapshotItem
    from pipelines.snapshot import manifest_path

    long_id, sha = f"org/{'x' * 4996}", "a" * 40
    path = manifest_path(HfSnapshotItem(context_id=long_id, revision=sha))
    FSFilesStore(str(tmp_path)).persist_file(path, BytesIO(b"{}"), None)
    assert (tmp_path / path).read_bytes() == b"{}"
    assert path.startswith("manifests/_long/") and all(len(part) <= 200 for part in path.split("/"))
    assert manifest_path(HfSnapshotItem(context_id="org/name", revision=sha)) == f"manifests/org/name/{sha}.json"


def test_cluster_rejects_a_bad_item_and_finishes(tmp_path: Path, redis_url: str, cluster_prefix: str, postgres_url):
    """A data error in cluster mode rejects the item and acknowledges its request: no lease goes back forever."""
    from collections import Counter

    from tests.cluster import kill_all, postgres_schema, start_node

    settings = {"HF_PAGE_SIZE": "15", "CONCURRENT_REQUESTS": "4", "ITEM_PIPELINES": NO_VALIDATION}
    with postgres_schema(postgres_url) as pg, FakeHub(models=40, seed=5, hostile=True) as hub:
        truth = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        nodes = [
            start_node(tmp_path, hub.hf_endpoint, redis_url, pg, cluster_prefix, f"n{i}", settings=settings)
            for i in range(2)
        ]
        try:
            codes = [node.wait(180) for node in nodes]
        finally:
            kill_all(nodes)
        requests = hub.requests()
        status = query(pg, "SELECT status FROM crawl_run")
        rejected = {json.loads(k)["context_id"] for (k,) in query(pg, "SELECT natural_key FROM crawl_rejected_item")}
        stored = {cid for (cid,) in query(pg, "SELECT context_id FROM model")}
    logs = "".join(node.output() for node in nodes)
    assert "Traceback" not in logs, logs[-4000:]
    assert 3 in codes and set(codes) <= {0, 3}, logs[-4000:]
    assert status == [("incomplete",)]
    assert "fake-hostile/huge-downloads" in rejected and set(truth) - stored == rejected
    pages = Counter(repr(sorted(r["query"].items())) for r in requests if r["path"] == "/api/models")
    assert max(pages.values()) == 1  # every list page fetched once: the failed batch's lease was acknowledged
