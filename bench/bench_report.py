"""`scrapy report` benchmark: a generated database of N models, then the report, timed.

    python -m bench.bench_report --models 1000000

The database is a fresh SQLite file whose schema comes from crawler.db's migrations; rows are generated with fixed
proportions (below) and written with executemany. Then ``report.build.build_report`` runs, the function
``scrapy report`` calls: every figure query in the database, CSVs, PNG/SVG figures and the page. Printed: rows
generated, generation time, wall and CPU time of the queries alone and of the whole report (CPU time is the
figure to compare on a shared machine: wall time includes waiting for other processes).

Proportions per model: 99.9 % Hugging Face, 0.1 % PyTorch Hub; 70 % with a domain (7 domains); 10 % with a parameter
count; 30 % enriched, 5 provenance fields each; 60 % with one of 30 licenses; one download observation per model and
crawl run (``--runs``); 15 % derived from one of the first 5,000 models; 50,000 downstream repositories (80 %
licensed) and one link per 10 models; one Space per 5 models (the Hub's proportion), declaring 0-3 Hugging Face
models picked with a heavy tail (a few models in thousands of Spaces), and one load found by ``scrapy map`` per two
Spaces.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from crawler.db.engine import dispose_all, open_engine

DOMAINS = [
    "natural-language-processing",
    "computer-vision",
    "audio",
    "multimodal",
    "reinforcement-learning",
    "tabular",
    "other",
]
LICENSES = [
    "apache-2.0",
    "mit",
    "openrail",
    "cc-by-nc-4.0",
    "llama2",
    "gpl-3.0",
    "bsd-3-clause",
    "cc-by-4.0",
    "creativeml-openrail-m",
    "other",
    "agpl-3.0",
    "lgpl-3.0",
    "cc0-1.0",
    "unlicense",
    "mpl-2.0",
    "gpl-2.0",
    "cc-by-sa-4.0",
    "bigscience-openrail-m",
    "llama3",
    "gemma",
    "afl-3.0",
    "artistic-2.0",
    "bsl-1.0",
    "epl-2.0",
    "isc",
    "wtfpl",
    "zlib",
    "ms-pl",
    "postgresql",
    "ncsa",
]
FIELDS = ["domain", "model_tasks", "libraries", "frameworks", "license", "datasets", "base_models", "languages"]
RELATIONS = ["finetune", "adapter", "quantized", "merge", None]
REPOS = 50_000
BASES = 5_000


def _month(r: random.Random) -> str:
    return f"{r.randint(2019, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T12:00:00Z"


def generate(path: Path, models: int, runs: int, seed: int) -> dict[str, int]:
    """Fill the (migrated, empty) SQLite database at ``path``; returns rows per table."""
    r = random.Random(seed)
    counts: dict[str, int] = {}
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")

    def put(table: str, columns: str, rows: Iterator[tuple[object, ...]] | list[tuple[object, ...]]) -> None:
        rows = list(rows)
        marks = ", ".join("?" * len(rows[0])) if rows else ""
        conn.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', rows)
        counts[table] = counts.get(table, 0) + len(rows)

    pytorch = max(1, models // 1000)
    put(
        "model",
        "id, context_id, model_hub_id, downloads",
        (
            (i, f"org{i % 997}/model-{i}", 2 if i <= pytorch else 1, int(r.paretovariate(1.2)))
            for i in range(1, models + 1)
        ),
    )
    put("crawl_model_state", "model_id, created_at", ((i, _month(r)) for i in range(pytorch + 1, models + 1)))
    put("domain", "id, name", [(i + 1, d) for i, d in enumerate(DOMAINS)])
    put(
        "model_to_domain",
        "model_id, domain_id",
        ((i, r.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 7])) for i in range(1, models + 1) if r.random() < 0.7),
    )
    put(
        "parameter_count",
        "model_id, count",
        ((i, int(10 ** r.uniform(5, 11))) for i in range(1, models + 1) if r.random() < 0.1),
    )
    put(
        "enrich_field_provenance",
        "model_id, field, source",
        ((i, f, "rule") for i in range(1, models + 1) if r.random() < 0.3 for f in r.sample(FIELDS, 5)),
    )
    put("license", "id, name", [(i + 1, n) for i, n in enumerate(LICENSES)])
    weights = [1 / (k + 1) for k in range(len(LICENSES))]
    put(
        "model_to_license",
        "model_id, license_id",
        ((i, r.choices(range(1, len(LICENSES) + 1), weights)[0]) for i in range(1, models + 1) if r.random() < 0.6),
    )
    put(
        "reuse_repository",
        "id, owner, name, url",
        (
            (i, f"user{i % 5000}", f"repo-{i}", f"https://github.com/user{i % 5000}/repo-{i}")
            for i in range(1, REPOS + 1)
        ),
    )
    put(
        "reuse_repository_to_license",
        "reuse_repository_id, license_id",
        ((i, r.choice([1, 2, 2, 2, 6, 7, 10, 11, 15])) for i in range(1, REPOS + 1) if r.random() < 0.8),
    )
    links = {(r.randint(1, models), r.randint(1, REPOS)) for _ in range(models // 10)}
    put("model_to_reuse_repository", "model_id, reuse_repository_id", sorted(links))
    put(
        "crawl_run",
        "id, spider, started_at, finished_at, status",
        [
            (k, "hf_models", f"2025-{k:02d}-01T00:00:00Z", f"2025-{k:02d}-02T00:00:00Z", "finished")
            for k in range(1, runs + 1)
        ],
    )
    for run in range(1, runs + 1):
        put(
            "crawl_model_observation",
            "model_id, run_id, downloads",
            ((i, run, int(r.paretovariate(1.1))) for i in range(pytorch + 1, models + 1)),
        )
    put(
        "model_to_base_model",
        "model_id, base_model_name, base_model_id, relation",
        (
            (i, f"org{b % 997}/model-{b}", b, r.choice(RELATIONS))
            for i in range(BASES + 1, models + 1)
            if r.random() < 0.15
            for b in [r.randint(1, min(BASES, models))]
        ),
    )
    spaces = models // 5
    put("hf_space", "id, space_id", ((i, f"user{i % 5000}/space-{i}") for i in range(1, spaces + 1)))

    def popular() -> int:  # a Hugging Face model id, the first ones far more often
        return pytorch + min(models - pytorch, int(r.paretovariate(0.7)))

    declared = {(s, popular()) for s in range(1, spaces + 1) for _ in range(r.choice([0, 1, 1, 2, 3]))}
    put(
        "hf_space_to_model",
        "space_id, model_name, model_id",
        ((s, f"org{m % 997}/model-{m}", m) for s, m in sorted(declared)),
    )
    put(
        "hf_space_call_site",
        "space_id, revision, path, line, col, library, callee, model_id",
        ((s, "main", "app.py", 1, 0, "transformers", "pipeline", popular()) for s in range(1, spaces + 1, 2)),
    )
    conn.commit()
    conn.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2, help="crawl runs with one observation per model each")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="write the database and the report here instead of a temp dir")
    args = parser.parse_args()

    from report.build import build_report, collect
    from report.queries import figure_queries

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "bench.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        open_engine(url)  # the schema, by the migrations
        dispose_all()
        started = time.perf_counter()
        counts = generate(path, args.models, args.runs, args.seed)
        generated = time.perf_counter() - started
        print(
            f"generated {sum(counts.values()):,} rows in {generated:.1f} s: "
            + ", ".join(f"{t} {n:,}" for t, n in counts.items())
        )
        engine = open_engine(url)
        started, cpu = time.perf_counter(), time.process_time()
        collect(engine, None)
        queries, queries_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"queries (all figures, in the database): {queries:.1f} s wall, {queries_cpu:.1f} s CPU")
        with engine.connect() as conn:
            for name, query in figure_queries(None).items():
                started, cpu = time.perf_counter(), time.process_time()
                query.rows(conn)
                print(f"  {name}: {time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
        started, cpu = time.perf_counter(), time.process_time()
        report = build_report(url, folder / "report")
        total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"report (queries + CSVs + figures + page): {total:.1f} s wall, {total_cpu:.1f} s CPU, "
            f"{len(report.written)} files"
        )
        print(f"models {args.models:,}  runs {args.runs}  queries_s {queries:.1f}  report_s {total:.1f}")


if __name__ == "__main__":
    main()
