"""Two processes migrating the same empty PostgreSQL schema at once both succeed."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path


def test_concurrent_first_open_on_postgresql(postgres_url: str) -> None:
    """Two processes migrate the same empty PostgreSQL schema at once (advisory lock): both succeed."""
    import psycopg

    base, _, _ = postgres_url.partition("?")
    schema = "race_" + uuid.uuid4().hex[:8]
    url = f"{base}?options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            code = f"from crawler.db.engine import open_engine; open_engine({url!r})"
            root = Path(__file__).resolve().parents[2]
            procs = [subprocess.Popen([sys.executable, "-c", code], cwd=root, stderr=subprocess.PIPE) for _ in "ab"]
            for proc in procs:
                _, err = proc.communicate(timeout=120)
                assert proc.returncode == 0, err.decode()
            assert admin.execute(f'SELECT count(*) FROM "{schema}".model_hub').fetchone() == (2,)
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
