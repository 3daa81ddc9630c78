"""Shared pytest fixtures. Each owner keeps their fixtures in their own marked section."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------------------------
# Database fixtures (owner: crawler/db). PostgreSQL tests use a scratch schema created for this test session.
# ---------------------------------------------------------------------------------------------------------------
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL schema (via ``search_path``), dropped after the session.

    Skips when the server is unreachable, but fails instead when ``CI=true``.
    """
    try:
        import psycopg

        admin = psycopg.connect(TEST_POSTGRES_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server here"
        message = f"PostgreSQL not reachable at {TEST_POSTGRES_URL}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    schema = f"pytest_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in TEST_POSTGRES_URL else "?"
    url = f"{TEST_POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        from crawler.db.engine import forget_engine

        forget_engine(url)
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


# ------------------------------------------------------------------------------------------ end of database fixtures


# ---------------------------------------------------------------------------------------------------------------
# Redis fixtures (owner: crawler/cluster). Cluster tests use keys under a prefix of their own.
# ---------------------------------------------------------------------------------------------------------------
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of the shared test Redis. Skips when the server is unreachable, but fails instead when ``CI=true``."""
    try:
        import redis

        client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=3)
        client.ping()
        client.close()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server here"
        message = f"Redis not reachable at {TEST_REDIS_URL}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return TEST_REDIS_URL


@pytest.fixture
def cluster_prefix(redis_url: str) -> Iterator[str]:
    """A Redis key prefix of this test's own, deleted afterwards."""
    from tests.cluster import clear_prefix

    prefix = f"pytest-{uuid.uuid4().hex[:10]}"
    yield prefix
    clear_prefix(redis_url, prefix)


# ------------------------------------------------------------------------------------------ end of Redis fixtures


# ---------------------------------------------------------------------------------------------------------------
# Publish fixtures (owner: publish/). One crawled database shared by the export-parquet and browse tests.
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def crawled_db(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """A SQLite database from real crawls of the fake registry (HF, PyTorch Hub, GitHub, scrapy map). Read-only.

    Built once per run: pytest-xdist workers share the first one's (the others wait for it under a file lock).
    """
    from filelock import FileLock

    from tests.publish_db import build_crawled_db

    if worker_id == "master":  # one process (-n 0)
        return build_crawled_db(tmp_path_factory.mktemp("crawled"))
    # Written only once a build succeeded: after a failed build the next worker builds (and reports) again.
    built = tmp_path_factory.getbasetemp().parent / "crawled_db.path"  # the run's folder, above every worker's
    with FileLock(f"{built}.lock"):
        if not built.exists():
            built.write_text(str(build_crawled_db(tmp_path_factory.mktemp("crawled"))))
        return Path(built.read_text())


# ------------------------------------------------------------------------------------------ end of publish fixtures


# Test tiers (owner: tests layout). The folder a test lives in is its tier and its marker: `pytest -m unit`.
# ---------------------------------------------------------------------------------------------------------------
TESTS_DIR = Path(__file__).resolve().parent
TIERS = ("unit", "integration", "cluster")


def _tier(item: pytest.Item) -> str | None:
    parts = item.path.resolve().relative_to(TESTS_DIR).parts
    return parts[0] if len(parts) > 1 and parts[0] in TIERS else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks each test with its tier folder's name and runs the quickest tier first (it fails first).

    A test outside the tier folders is a usage error.
    """
    outside = sorted({str(item.path) for item in items if _tier(item) is None})
    if outside:
        raise pytest.UsageError(
            f"tests outside tests/{{{','.join(TIERS)}}}/ have no tier (see README, Tests): {', '.join(outside)}"
        )
    for item in items:
        item.add_marker(str(_tier(item)))
    items.sort(key=lambda item: TIERS.index(str(_tier(item))))  # stable: each module's tests stay together


# ------------------------------------------------------------------------------------------ end of test tiers
