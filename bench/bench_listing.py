"""Listing ingestion benchmark: models per second into SQLite (one process) and the crawler's peak RSS.

Runs the fake registry with no latency and a real ``scrapy crawl hf_models`` that only lists (``min_downloads``
above any model's downloads, so no detail requests), at several hub sizes, and prints one line per size:

    python -m bench.bench_listing --models 10000 50000 100000

Two throughputs: models stored / the crawl's own ``elapsed_time_seconds`` (spider open to close, final flush
included), and models stored / wall time of the whole process (adds about 3 s of interpreter and Scrapy start-up).
Peak RSS is the crawler's VmHWM read from /proc while it runs.

The fake registry shares the machine's two cores and needs about 0.15-0.3 s of CPU to render a 1,000-entry page;
rendered live it becomes the bottleneck (the crawler then idles about half the time). With ``--warm`` (the default)
the fake keeps rendered pages (``--cache-list-pages``) and one urllib walk renders them all before the timed crawl,
so the figures measure the crawler. ``--cold`` measures against live rendering.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from fakehub import FakeHub
from tests.crawl import crawl_command, crawl_env

REPO = Path(__file__).resolve().parents[1]


def _hwm_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) if match else 0


def run(models: int, seed: int, warm: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeHub(models=models, seed=seed, cache_list_pages=warm) as hub:
        workdir = Path(tmp)
        if warm:
            walk_listing(hub.hf_endpoint)
        # Production settings: no test overrides except the log level.
        settings = {"LOG_LEVEL": "INFO", "STORE_FLUSH_SECONDS": 5, "BACKOFF_BASE": 1.0}
        cmd = crawl_command("hf_models", {"min_downloads": 10**15}, settings)
        log = workdir / "crawl.log"
        started = time.perf_counter()
        with log.open("w") as out:
            proc = subprocess.Popen(cmd, cwd=REPO, env=crawl_env(workdir, hub.hf_endpoint), stdout=out, stderr=out)
            peak = 0
            while proc.poll() is None:
                peak = max(peak, _hwm_kb(proc.pid))
                time.sleep(0.1)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"crawl failed with exit code {proc.returncode}: see {log}")
        crawl = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log.read_text()).group(1))
        with sqlite3.connect(workdir / "peatmoss.db") as conn:
            stored = conn.execute("SELECT count(*) FROM model").fetchone()[0]
    return {"models": stored, "crawl_s": crawl, "wall_s": wall, "peak_rss_mb": peak / 1024}


def walk_listing(endpoint: str) -> None:
    """Fetch every list page once, with the spider's parameters, so the fake has them rendered."""
    url: str | None = f"{endpoint}/api/models?full=true&cardData=true&config=true&limit=1000"
    while url:
        with urllib.request.urlopen(url, timeout=60) as resp:
            resp.read()
            link = resp.headers.get("Link") or ""
        url = link[1 : link.index(">")] if 'rel="next"' in link else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", dest="warm", action="store_false", help="the fake renders pages while timed")
    args = parser.parse_args()
    print(f"{'models':>8} {'crawl s':>8} {'models/s':>9} {'wall s':>7} {'models/s (wall)':>16} {'peak RSS MB':>12}")
    for n in args.models:
        r = run(n, args.seed, args.warm)
        print(
            f"{r['models']:>8} {r['crawl_s']:>8.1f} {r['models'] / r['crawl_s']:>9.0f} {r['wall_s']:>7.1f}"
            f" {r['models'] / r['wall_s']:>16.0f} {r['peak_rss_mb']:>12.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
