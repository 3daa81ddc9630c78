"""Spaces crawl benchmark: a full ``scrapy crawl hf_spaces`` (listing, declared models, infos, files), then the
re-crawl of the unchanged Hub (list pages only), against the fake registry with no latency:

    python -m bench.bench_spaces --spaces 1000 2000

Prints, per size: Spaces stored, requests, crawl seconds (Scrapy's ``elapsed_time_seconds``) and Spaces/s for both
crawls. Production settings except the log level; the Spaces' ``big_module.py`` is kept small (1 KiB) so the
figures measure the crawler, not the fake's file generation.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from fakehub import FakeHub
from tests.crawl import crawl_command, crawl_env

REPO = Path(__file__).resolve().parents[1]


def crawl(workdir: Path, endpoint: str) -> tuple[float, int]:
    """One crawl: (elapsed seconds, requests sent)."""
    cmd = crawl_command("hf_spaces", None, {"LOG_LEVEL": "INFO"})
    out = subprocess.run(
        cmd, cwd=REPO, env=crawl_env(workdir, endpoint), capture_output=True, text=True, timeout=3600, check=True
    ).stderr
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"'downloader/request_count': (\d+)", out).group(1))  # type: ignore[union-attr]
    return elapsed, requests


def run(spaces: int, seed: int) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeHub(models=2000, seed=seed, spaces=spaces, big_file_size=1024) as hub,
    ):
        workdir = Path(tmp)
        first, first_requests = crawl(workdir, hub.hf_endpoint)
        again, again_requests = crawl(workdir, hub.hf_endpoint)
        with sqlite3.connect(workdir / "peatmoss.db") as conn:
            stored = conn.execute("SELECT count(*) FROM hf_space").fetchone()[0]
    print(
        f"spaces={stored} full: {first:.1f} s, {first_requests} requests, {stored / first:.0f} Spaces/s | "
        f"re-crawl: {again:.1f} s, {again_requests} requests, {stored / again:.0f} Spaces/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spaces", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for spaces in args.spaces:
        run(spaces, args.seed)


if __name__ == "__main__":
    main()
