"""Benchmark of ``scrapy export-parquet``: time and peak RSS on a generated database of N models.

    python bench/bench_publish.py [--models 1000000] [--keep DIR]

Generates a SQLite store with the crawler's schema: N ``model`` rows (HF-shaped ids, shas, URLs, downloads), one
``crawl_model_observation`` and two ``model_to_tag`` rows per model; then runs a real ``scrapy export-parquet``
process three times (first export; re-export with nothing changed; re-export after one model changed) and prints a
Markdown table: wall time and the export process's peak RSS (ru_maxrss of the child), rows and file sizes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.db.engine import forget_engine, open_engine  # noqa: E402

CHUNK = 50_000
TAGS = ["text-classification", "transformers", "pytorch", "en", "safetensors", "gguf", "diffusers", "timm"]


def generate(db: Path, models: int, seed: int = 1) -> None:
    """The schema from the migrations, then rows inserted straight through sqlite3 (fast, and what a crawl stores)."""
    url = f"sqlite:///{db}"
    open_engine(url)
    forget_engine(url)
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executemany("INSERT INTO tag (id, name) VALUES (?, ?)", list(enumerate(TAGS, 1)))
    conn.execute("INSERT INTO crawl_run (id, spider, status) VALUES (1, 'hf_models', 'finished')")
    for start in range(1, models + 1, CHUNK):
        ids = range(start, min(start + CHUNK, models + 1))
        model_rows, observations, tags = [], [], []
        for i in ids:
            context_id = f"org-{i % 9973}/model-{rng.choice(TAGS)}-{i:07d}"
            downloads, likes, sha = rng.randrange(10**6), rng.randrange(10**3), f"{rng.getrandbits(160):040x}"
            model_rows.append((i, context_id, 1, sha, f"https://huggingface.co/{context_id}", downloads, likes, 0))
            observations.append((i, 1, "2026-12-01T00:00:00+00:00", downloads, likes, sha))
            tags += [(i, 1 + i % len(TAGS)), (i, 1 + (i * 7 + 3) % len(TAGS))]
        conn.executemany(
            "INSERT INTO model (id, context_id, model_hub_id, sha, repo_url, downloads, likes, has_snapshot) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            model_rows,
        )
        conn.executemany(
            "INSERT INTO crawl_model_observation (model_id, run_id, observed_at, downloads, likes, sha) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            observations,
        )
        conn.executemany("INSERT OR IGNORE INTO model_to_tag (model_id, tag_id) VALUES (?, ?)", tags)
        conn.commit()
    conn.close()


def export(db: Path, out: Path) -> tuple[float, float, str]:
    """One ``scrapy export-parquet`` process: wall seconds, its own peak RSS in MB (wait4), its summary line."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}")
    with tempfile.TemporaryFile("w+") as log:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "export-parquet", str(out)], cwd=ROOT, env=env, stderr=log
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        log.seek(0)
        text = log.read()
    if proc.returncode:
        raise SystemExit(text[-3000:])
    summary = [line for line in text.splitlines() if line.startswith(f"[export-parquet] {out}")][-1]
    return seconds, usage.ru_maxrss / 1024, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="keep the database and the export in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-publish-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db, out = folder / "bench.db", folder / "parquet"
        started = time.monotonic()
        generate(db, args.models)
        print(f"generated {args.models:,} models in {time.monotonic() - started:.0f} s ({db.stat().st_size >> 20} MB)")
        runs = [("first export", *export(db, out))]
        runs.append(("re-export, nothing changed", *export(db, out)))
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE model SET downloads = downloads + 1 WHERE id = 1")
        runs.append(("re-export, one model changed", *export(db, out)))
        size = sum(p.stat().st_size for p in (out / "data").iterdir())
        print(f"\nPython {platform.python_version()}, {os.cpu_count()} cores; SQLite {db.stat().st_size >> 20} MB, ")
        print(f"Parquet {size >> 20} MB (model: {(out / 'data' / 'model.parquet').stat().st_size >> 20} MB)\n")
        print("| run | export s | wall s | peak RSS MB | what the command said |")
        print("|---|---|---|---|---|")
        for name, seconds, rss, summary in runs:
            said = summary.split(": ", 1)[1]
            inner = said.rsplit(" in ", 1)[1].removesuffix(" s")
            print(f"| {name} | {inner} | {seconds:.1f} | {rss:.0f} | `{said.split(' from ')[0]}` |")


if __name__ == "__main__":
    main()
