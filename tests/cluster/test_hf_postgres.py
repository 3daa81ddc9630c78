"""The same crawl into PostgreSQL: the store's upserts and foreign keys hold on a strict database."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from fakehub import FakeHub
from tests.crawl import list_all_models, run_crawl


@pytest.fixture
def crawl_schema_url(postgres_url: str):
    """A schema of this test's own (the session's scratch schema is shared with other tests)."""
    schema = f"crawl_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield postgres_url.split("?")[0] + f"?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_crawl_into_postgresql_twice(tmp_path, crawl_schema_url: str) -> None:
    postgres_url = crawl_schema_url
    with FakeHub(models=150, seed=21) as hub:
        truth = list_all_models(hub.hf_endpoint)
        for _ in range(2):
            result = run_crawl(tmp_path, hub.hf_endpoint, DATABASE_URL=postgres_url)
            assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-3000:]
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        stored = dict(conn.execute(sa.text("SELECT context_id, sha FROM model")).all())
        observations = conn.execute(sa.text("SELECT count(*) FROM crawl_model_observation")).scalar()
        commits = conn.execute(sa.text("SELECT count(*) FROM hf_commit")).scalar()
    engine.dispose()
    assert stored == {cid: e["sha"] for cid, e in truth.items()}
    assert observations == 2 * len(truth)
    assert commits > 0
