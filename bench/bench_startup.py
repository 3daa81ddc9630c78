"""Start-up: a one-model crawl (``scrapy crawl hf_models -a limit=1``) from process start to exit.

Against the fake registry (no latency), on a database whose schema is already current (one warm-up crawl first; it
also fetches the model's details, so the timed crawls list the model and find its details current, as a daily
re-crawl of an unchanged model does). Alternating with the peer script listing one model
(``bench/peer_hub_script.py --limit 1``) so that machine noise hits both alike. Medians of wall time and of the
process's CPU (user+sys)::

    python -m bench.bench_startup --runs 7
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fakehub import FakeHub
from tests.crawl import crawl_command, crawl_env

REPO = Path(__file__).resolve().parents[1]
PEER = REPO / "bench" / "peer_hub_script.py"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one process run to the end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{cmd[:5]} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeHub(models=100, seed=1) as hub:
        env = crawl_env(Path(tmp), hub.hf_endpoint)
        crawl = crawl_command("hf_models", {"limit": 1}, {"LOG_LEVEL": "WARNING"})
        peer = [sys.executable, str(PEER), "--endpoint", hub.hf_endpoint, "--db", str(Path(tmp) / "peer.db")]
        peer += ["--limit", "1"]
        timed(crawl, env)  # creates the schema: the runs below find it current
        runs: dict[str, list[tuple[float, float]]] = {"project": [], "peer": []}
        for _ in range(args.runs):
            runs["project"].append(timed(crawl, env))
            runs["peer"].append(timed(peer))
    for name, values in runs.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"{name:>8}: wall {wall:.2f} s (min {min(w for w, _ in values):.2f}), CPU {cpu:.2f} s", flush=True)


if __name__ == "__main__":
    main()
