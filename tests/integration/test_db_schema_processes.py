"""Two processes creating the same new SQLite database at once both succeed, with one schema and two hubs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path


def test_concurrent_first_open_from_two_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'race.db'}"
    commands = [
        [sys.executable, "-c", f"from crawler.db.engine import open_engine; open_engine({url!r})"],
        [sys.executable, "-m", "crawler.db.migrate", "upgrade", url],
    ]
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen(cmd, cwd=root, stderr=subprocess.PIPE) for cmd in commands]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    conn = sqlite3.connect(tmp_path / "race.db")
    assert conn.execute("SELECT count(*) FROM model_hub").fetchone() == (2,)
    assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    conn.close()
