"""Benchmark of the rules on the hostile cards of issue 13 and on the labelled development cards.

    python -m bench.bench_enrich_hostile [--repeat 3]

For each card: its size, the seconds the rules take (best of --repeat runs, each under the 10 s card limit), and
whether the card ended in its own time or in a recorded error. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from enrich.cards import read_cards
from enrich.pipeline import CardJob, run_rules
from tests.integration.test_enrich_hostile import HOSTILE_CARDS

EVAL_CARDS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "cards"


def measure(job: CardJob, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), "ok"
    for _ in range(repeat):
        start = time.perf_counter()
        result = run_rules(job, timeout=10.0)
        best = min(best, time.perf_counter() - start)
        outcome = result.error or "ok"
    return best, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| card | KB | rules s | outcome |\n|---|---|---|---|")
    for name, text in HOSTILE_CARDS.items():
        seconds, outcome = measure(CardJob(name, text), args.repeat)
        print(f"| {name} | {len(text.encode()) / 1000:.0f} | {seconds:.2f} | {outcome} |")
    if EVAL_CARDS.is_dir():
        jobs = read_cards(EVAL_CARDS)
        total = sum(measure(job, args.repeat)[0] for job in jobs)
        size = sum(len(job.text.encode()) for job in jobs) / 1000
        print(f"| {len(jobs)} development cards (all) | {size:.0f} | {total:.2f} | ok |")


if __name__ == "__main__":
    main()
