"""The progress line, `scrapy progress` on SQLite (no Redis), and one snapshot warning per model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from crawler.progress import Snapshot
from fakehub import FakeHub
from tests.crawl import REPO, crawl_env, run_crawl


def progress(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = crawl_env(workdir, "http://127.0.0.1:9")
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "progress", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_progress_lines_and_scrapy_progress_from_sqlite(tmp_path: Path) -> None:
    # Slow enough (latency, small pages: the listing is sequential) for several progress lines; ~3% of the fake's
    # models are gated.
    with FakeHub(models=120, seed=3, latency=40) as hub:
        first = run_crawl(
            tmp_path, hub.hf_endpoint, args={"min_downloads": 0}, settings={"PROGRESS_INTERVAL": 1, "HF_PAGE_SIZE": 5}
        )
        second = run_crawl(
            tmp_path,
            hub.hf_endpoint,
            args={"min_downloads": 0},
            settings={"PROGRESS_INTERVAL": 0.3, "HF_PAGE_SIZE": 5},
            REDIS_URL="",
        )
    assert first.returncode == 0 and second.returncode == 0, second.stdout[-3000:]
    # First crawl: no total known yet. Second: the first run's 120-ish listed models are the total.
    assert re.search(r"Progress hf_models: [\d,]+ models listed \(total unknown\), detail chains", first.stdout)
    listed = re.findall(r"Progress hf_models: ([\d,]+) of ([\d,]+) models listed \((\d+)%\)", second.stdout)
    assert listed, second.stdout[-3000:]
    assert all(total == listed[0][1] for _, total, _ in listed) and int(listed[0][1]) > 100
    assert re.search(r"files, \d+ errors, rate-limit waits \d+ s; ETA ", second.stdout)

    # One warning per model whose files were not stored (gated), none per file, and a count at the end.
    per_model = re.findall(r"Snapshot of (\S+): (\d+) file\(s\) not stored \((.*)\)", first.stdout)
    assert per_model and "GatedRepo" in per_model[0][2]
    assert len({m for m, _, _ in per_model}) == len(per_model)
    assert "Snapshot file not stored" not in first.stdout
    total_failed = sum(int(n) for _, n, _ in per_model)
    assert f"Snapshots: {total_failed} file(s) of {len(per_model)} model(s) not stored" in first.stdout

    shown = progress(tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert re.fullmatch(
        r"hf_models run 2 \(finished, node \S+, started \S+\): (\d+) of \1 models listed \(100%\), "
        r"detail chains \d+ done / \d+ queued, \d+ files, \d+ errors, rate-limit waits 0 s\n",
        shown.stdout,
    ), shown.stdout
    data = json.loads(progress(tmp_path, "--json", "hf_models").stdout)
    assert [(r["spider"], r["id"], r["status"]) for r in data] == [("hf_models", 2, "finished")]
    assert data[0]["stats"]["progress/unit"] == "models"


def test_scrapy_progress_on_an_empty_database_and_a_bad_url(tmp_path: Path) -> None:
    assert progress(tmp_path).stdout == "no crawl runs in the database\n"
    env_bad = progress(tmp_path, "-s", "DATABASE_URL=postgresql://u:pw@127.0.0.1:1/x")
    assert env_bad.returncode == 2 and env_bad.stderr.startswith("Error: DATABASE_URL") and "pw" not in env_bad.stderr


def test_eta_covers_the_listing_and_the_queued_chains() -> None:
    keys = {"progress/listed_key": "l", "progress/chains_queued_key": "q", "progress/chains_done_key": "d"}
    snap = Snapshot.from_stats({**keys, "progress/total": 1000, "l": 250, "q": 100, "d": 50}, elapsed=60)
    assert snap.eta_seconds() == 180  # the listing (750 left at 250/min) outlasts the chains (50 left at 50/min)
    assert "250 of 1,000 entries listed (25%)" in snap.summary() and snap.summary().endswith("ETA 3 min")
    assert Snapshot.from_stats({**keys, "l": 5, "q": 10, "d": 0}, elapsed=60).eta_seconds() is None
