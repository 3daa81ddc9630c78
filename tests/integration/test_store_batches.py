"""Store batches stay STORE_BATCH_SIZE long while a batch is being written (issue 14)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fakehub import FakeHub
from tests.crawl import run_crawl, stat


def test_a_listing_is_written_in_full_batches(tmp_path: Path) -> None:
    with FakeHub(models=2_500, seed=3) as hub:
        result = run_crawl(
            tmp_path,
            hub.hf_endpoint,
            args={"min_downloads": 10**15},
            settings={"STORE_BATCH_SIZE": 100, "STORE_FLUSH_SECONDS": 600},
        )
    assert result.returncode == 0, result.stdout[-3000:]
    with sqlite3.connect(tmp_path / "peatmoss.db") as conn:
        models = conn.execute("SELECT count(*) FROM model").fetchone()[0]
    assert stat(result.stdout, "store/items") == models > 2_000
    # Items keep arriving while a batch is written (a page brings 1,000): none of them writes a batch of its own,
    # so every batch but the last holds at least STORE_BATCH_SIZE items.
    assert stat(result.stdout, "store/batches") <= -(-models // 100)
