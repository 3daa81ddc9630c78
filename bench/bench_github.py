"""GitHub collection benchmark: requests and primary quota per repository, first crawl and re-crawl.

Generates a fake GitHub world of N downstream repositories with M issues and pull requests each, then runs a real
``scrapy crawl`` twice against it (same database): the first crawl collects everything, the second one finds every
repository unchanged. The figures come from the fake's request log (what GitHub would have billed): requests, primary
quota spent per bucket (``core`` REST units, ``graphql`` points; a 304 costs nothing), code-search requests.

    python -m bench.bench_github --repos 100 --issues 50             # github_repos -a repos_file=...
    python -m bench.bench_github --repos 100 --issues 50 --via search  # github_search, collecting in-process

Clones are switched off (``GITHUB_CLONE=False``): they cost no API quota and only add git time.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fakehub import FakeHub
from fakehub.client import fetch
from tests.crawl import run_crawl

TOKENS = "ghp_benchA,ghp_benchB"


def _stat(log: str, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0.0


def _figures(requests: list[dict[str, Any]], repos: int, wall: float, log: str) -> dict[str, float]:
    gh = [r for r in requests if r["path"].startswith("/gh/")]
    cost = Counter()
    for r in gh:
        cost[r.get("bucket") or "core"] += r.get("cost") or 0
    statuses = Counter(r["status"] for r in gh)
    return {
        "requests": len(gh),
        "requests_per_repo": len(gh) / repos,
        "core_per_repo": cost["core"] / repos,
        "graphql_per_repo": cost["graphql"] / repos,
        "code_search_requests": sum(1 for r in gh if r.get("bucket") == "code_search"),
        "not_modified": statuses.get(304, 0),
        "wall_s": wall,
        "crawl_s": _stat(log, "elapsed_time_seconds"),
    }


def run(repos: int, issues: int, seed: int, via: str) -> list[dict[str, float]]:
    knobs: dict[str, Any] = {"github_tokens": TOKENS, "github_repos": repos, "github_issues": issues}
    if via == "search":
        knobs["github_code_search_rate"] = 1200  # the bench measures quota, not waiting for the search bucket
    with tempfile.TemporaryDirectory() as tmp, FakeHub(models=50, seed=seed, pytorch_pages=2, **knobs) as hub:
        workdir = Path(tmp)
        world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
        downstream = [r for r in world["repositories"] if r["kind"] == "downstream"]
        names = [r["old_full_name"] or r["full_name"] for r in downstream]
        listing = workdir / "repos.txt"
        listing.write_text("\n".join(names) + "\n")
        env = {"GITHUB_API_URL": hub.info["github_api_url"], "GITHUB_TOKENS": TOKENS, "GITHUB_TOKEN": ""}
        settings: dict[str, Any] = {"LOG_LEVEL": "INFO", "BACKOFF_BASE": 1.0, "GITHUB_CLONE": False}
        if via == "search":
            spider, args = "github_search", {}
            settings["RATE_BUDGET_LIMITS"] = '{"github/code_search": [600, 60]}'
        else:
            spider, args = "github_repos", {"repos_file": listing}
        out = []
        for label in ("first crawl", "re-crawl"):
            hub.clear_requests()
            started = time.perf_counter()
            result = run_crawl(workdir, hub.hf_endpoint, spider=spider, args=args, settings=settings, **env)
            wall = time.perf_counter() - started
            if result.returncode != 0:
                raise SystemExit(f"{label} failed ({result.returncode}):\n{result.stdout[-3000:]}")
            collected = int(_stat(result.stdout, "github/repos") + _stat(result.stdout, "github/repo_unchanged"))
            figures = _figures(hub.requests(clear=True), max(1, collected), wall, result.stdout)
            figures.update(label=label, repos=collected, asked=len(names))
            out.append(figures)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=100)
    parser.add_argument("--issues", type=int, default=50, help="issues + pull requests per repository")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--via", choices=("repos", "search"), default="repos")
    args = parser.parse_args()
    print(f"{args.repos} generated repositories, {args.issues} issues+PRs each, via {args.via}")
    print("| run | repositories collected | requests | requests/repo | core quota/repo | GraphQL points/repo "
          "| 304s | code-search requests | crawl s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for f in run(args.repos, args.issues, args.seed, args.via):
        print(
            f"| {f['label']} | {f['repos']} | {f['requests']} | {f['requests_per_repo']:.2f} | "
            f"{f['core_per_repo']:.2f} | {f['graphql_per_repo']:.2f} | {f['not_modified']} | "
            f"{f['code_search_requests']} | {f['crawl_s']:.1f} |"
        )


if __name__ == "__main__":
    main()
