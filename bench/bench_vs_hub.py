"""Listing: the crawler against a plain huggingface_hub script and against bare HTTP, on one fake registry.

Three contenders list the same fake Hub (no latency, pages pre-rendered by an untimed warm-up round), in alternating
rounds so that machine noise hits all of them alike:

- project: ``scrapy crawl hf_models -a min_downloads=<above every model>`` into a fresh SQLite file (every table
  the crawl fills: models, lookups, junctions, observations, states);
- peer: ``bench/peer_hub_script.py``, ``HfApi.list_models(full=True, cardData=True, fetch_config=True)`` into SQLite
  (one model row and one tag row per tag);
- limit: urllib GETs of the same list pages following ``Link``, ``json.loads``, nothing stored.

"write s/1k models" is the project's ``store/write_seconds`` (its writer thread) per 1,000 models stored.
"in-process" times exclude interpreter start-up (project: Scrapy's ``elapsed_time_seconds``; peer: from its
database connect to close); "wall" times are whole processes. Medians over ``--rounds``::

    python -m bench.bench_vs_hub --models 20000 100000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.crawl import crawl_command, crawl_env
from tests.fakehub import FakeHub

REPO = Path(__file__).resolve().parents[1]
PEER = REPO / "bench" / "peer_hub_script.py"


def _hwm_mb(pid: int) -> float:
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0.0
    return int(match.group(1)) / 1024 if match else 0.0


def _timed(cmd: list[str], **kwargs: object) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and output of one process."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, text=True, **kwargs)  # type: ignore[call-overload]
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _hwm_mb(proc.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - started
        out.seek(0)
        log = out.read()
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed with exit code {proc.returncode}:\n{log[-3000:]}")
    return wall, peak, log


def project(endpoint: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        settings = {"LOG_LEVEL": "INFO", "STORE_FLUSH_SECONDS": 5, "BACKOFF_BASE": 1.0}
        cmd = crawl_command("hf_models", {"min_downloads": 10**15}, settings)
        wall, peak, log = _timed(cmd, env=crawl_env(workdir, endpoint))
        inproc = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log).group(1))  # type: ignore[union-attr]
        write = float(re.search(r"'store/write_seconds': ([\d.]+)", log).group(1))  # type: ignore[union-attr]
        with sqlite3.connect(workdir / "peatmoss.db") as conn:
            models = conn.execute("SELECT count(*) FROM model").fetchone()[0]
    return {"models": models, "inproc": inproc, "wall": wall, "rss": peak, "write_per_1k": write / models * 1000}


def peer(endpoint: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, str(PEER), "--endpoint", endpoint, "--db", str(Path(tmp) / "peer.db")]
        wall, peak, log = _timed(cmd)
        models, inproc = log.split()[-2:]
    return {"models": int(models), "inproc": float(inproc), "wall": wall, "rss": peak}


def limit(endpoint: str) -> dict[str, float]:
    started = time.perf_counter()
    url: str | None = f"{endpoint}/api/models?full=true&cardData=true&config=true&limit=1000"
    models = 0
    while url:
        with urllib.request.urlopen(url, timeout=60) as resp:
            models += len(json.loads(resp.read()))
            link = resp.headers.get("Link") or ""
        url = link[1 : link.index(">")] if 'rel="next"' in link else None
    seconds = time.perf_counter() - started
    return {"models": models, "inproc": seconds, "wall": seconds, "rss": 0.0}


CONTENDERS = {"project": project, "peer": peer, "limit": limit}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        f"{'models':>8} | {'project s':>9} {'peer s':>7} {'limit s':>7} | {'project/peer':>12} {'project/limit':>13}"
        f" | {'wall project':>12} {'wall peer':>9} {'wall ratio':>10} | {'RSS project':>11} {'RSS peer':>8}"
        f" | {'write s/1k models':>17}"
    )
    for n in args.models:
        with FakeHub(models=n, seed=args.seed, cache_list_pages=True) as hub:
            for run in CONTENDERS.values():  # warm-up: every page rendered and cached, for both URL spellings
                run(hub.hf_endpoint)
            results: dict[str, list[dict[str, float]]] = {name: [] for name in CONTENDERS}
            for _ in range(args.rounds):
                for name, run in CONTENDERS.items():
                    results[name].append(run(hub.hf_endpoint))
        med = {
            name: {key: statistics.median(r[key] for r in rows) for key in rows[0]} for name, rows in results.items()
        }
        p, q, lim = med["project"], med["peer"], med["limit"]
        print(
            f"{int(p['models']):>8} | {p['inproc']:>9.2f} {q['inproc']:>7.2f} {lim['inproc']:>7.2f} |"
            f" {p['inproc'] / q['inproc']:>12.2f} {p['inproc'] / lim['inproc']:>13.1f} |"
            f" {p['wall']:>12.2f} {q['wall']:>9.2f} {p['wall'] / q['wall']:>10.2f} |"
            f" {p['rss']:>11.0f} {q['rss']:>8.0f} | {p['write_per_1k']:>17.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
