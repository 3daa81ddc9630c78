"""Detail crawls: CPU per request, request rate against a latency bound, and Hub quota per detailed model.

A real ``scrapy crawl hf_models -a min_downloads=0`` (every listed model gets its detail chain: info, commits, refs,
discussions, each discussion, small files) against the fake registry answering every request after ``--latency`` ms,
with production settings (16 requests in flight per host). Then the fake becomes next week's Hub (generation 1: about
1% of the models changed, 1% new) and the same command runs again on the same database (the re-crawl)::

    python -m bench.bench_details --models 300 --latency 50

Printed per crawl: requests, crawl seconds (Scrapy's ``elapsed_time_seconds``), requests/s and its share of the
latency bound (``--per-host`` requests in flight, 16 as in production, / latency = 320 requests/s at 50 ms), the
most requests the fake was answering at once for one host ("peak": the per-host limit as the Hub sees it), CPU per
request (the marginal cost: the crawl process's user+sys CPU minus that of a crawl of one model with its details,
over the requests it made beyond that one's, every crawl on a database whose schema is in place; so interpreter and
Scrapy start-up, migrations and the imports a first detail chain needs are not charged to every request), and from
the fake's request log: API requests (the Hub's ``api`` bucket) and file downloads (``resolvers``) per detailed
model. CPU per request depends on how busy the crawl is: ``--per-host 64`` shows it with more requests in flight.

Then what a full crawl of today's Hub would take at the published quotas (docs/hub/rate-limits.md, api-shapes.md
1.8: fixed 5-minute windows; anonymous 500 API / 3,000 resolver calls, free account 1,000 / 5,000, PRO 2,500 /
12,000): list pages (1,000 models each) plus the measured API requests per detailed model times the detailed models.
The Hub's size is an assumption (``--hub-models``, default 2,000,000) and so is the share of models with details
(``--detailed-share``, default PeaTMOSS's 14,296 of 281,638 models with more than 50 downloads); the requests per
model depend on how many commits pages and discussions the fake gives a model, which follow PeaTMOSS's
distributions only roughly.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from crawler import settings
from tests.crawl import crawl_command, crawl_env
from tests.fakehub import FakeHub

REPO = Path(__file__).resolve().parents[1]
WINDOW_MINUTES = 5
QUOTAS = {"anonymous": (500, 3_000), "free account": (1_000, 5_000), "PRO": (2_500, 12_000)}  # (api, resolvers)
PER_HOST = settings.CONCURRENT_REQUESTS_PER_DOMAIN  # production


def _stat(log: str, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0.0


def crawl(workdir: Path, endpoint: str, args: dict[str, Any], per_host: int) -> tuple[str, float]:
    """One crawl to the end: its log and the CPU seconds (user+sys) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    overrides = {"LOG_LEVEL": "INFO", "CONCURRENT_REQUESTS_PER_DOMAIN": per_host, "CONCURRENT_REQUESTS": 2 * per_host}
    out = subprocess.run(
        crawl_command("hf_models", args, overrides),
        cwd=REPO,
        env=crawl_env(workdir, endpoint),
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0 or "Spider closed (finished)" not in out.stderr:
        raise SystemExit(f"crawl failed ({out.returncode}):\n{out.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out.stderr, cpu


def buckets(requests: list[dict[str, Any]]) -> Counter[str]:
    """Requests by the Hub's rate-limit bucket (list pages counted apart from the other API calls)."""
    counts: Counter[str] = Counter()
    for r in requests:
        path = r["path"]
        if path == "/api/models":
            counts["list"] += 1
        elif path.startswith("/api/"):
            counts["api"] += 1
        elif "/resolve/" in path or path.startswith("/_cdn/"):
            counts["resolvers"] += 1
    return counts


def report(
    name: str,
    log: str,
    cpu: float,
    baseline: tuple[float, float],
    requests_seen: list[dict[str, Any]],
    latency: float,
    per_host: int,
) -> tuple[float, float]:
    """Print one crawl's line; return its API requests and file downloads per detailed model."""
    requests = _stat(log, "downloader/request_count")
    elapsed = _stat(log, "elapsed_time_seconds")
    detailed = _stat(log, "hf/details_scheduled")
    rate = requests / elapsed if elapsed else 0.0
    bound = per_host / (latency / 1000)
    counts = buckets(requests_seen)
    peak = max((r["in_flight"] for r in requests_seen), default=0)  # per host, as the fake saw it
    base_cpu, base_requests = baseline
    per_request_ms = (cpu - base_cpu) / (requests - base_requests) * 1000 if requests > base_requests else 0.0
    api_per_model = counts["api"] / detailed if detailed else 0.0
    files_per_model = counts["resolvers"] / detailed if detailed else 0.0
    print(
        f"{name:>9} | {int(detailed):>8} | {int(requests):>8} {elapsed:>7.1f} {rate:>6.0f}"
        f" {100 * rate / bound:>5.0f}% {peak:>4} |"
        f" {per_request_ms:>6.2f} | {int(counts['list']):>4} {int(counts['api']):>6} {api_per_model:>6.2f} |"
        f" {int(counts['resolvers']):>6} {files_per_model:>6.2f}",
        flush=True,
    )
    return api_per_model, files_per_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=300)
    parser.add_argument("--latency", type=float, default=50.0, help="ms per request at the fake")
    parser.add_argument(
        "--per-host", type=int, default=PER_HOST, help="CONCURRENT_REQUESTS_PER_DOMAIN (production: 16)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hub-models", type=int, default=2_000_000, help="models on today's Hub (assumed)")
    parser.add_argument("--detailed-share", type=float, default=14_296 / 281_638, help="share with details")
    args = parser.parse_args()
    print(
        f"{'crawl':>9} | {'detailed':>8} | {'requests':>8} {'crawl s':>7} {'req/s':>6} {'bound':>6} {'peak':>4} |"
        f" {'CPU ms/req':>6} | {'list':>4} {'API':>6} {'API/model':>6} | {'files':>6} {'files/model':>6}"
    )
    per_model: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, FakeHub(models=args.models, seed=args.seed, latency=args.latency) as hub:
        # Start-up, one list page and one model's details: the one-off costs the CPU per request is not charged with.
        # Every crawl below runs on a database whose schema is in place (one listed model, no details), so the
        # migrations of a new database are charged to none of them.
        no_details = {"limit": 1, "min_downloads": 10**15}
        one_model, workdir = Path(tmp) / "one_model", Path(tmp) / "crawl"
        for folder in (one_model, workdir):
            crawl(folder, hub.hf_endpoint, no_details, args.per_host)
        base_log, base_cpu = crawl(one_model, hub.hf_endpoint, {"limit": 1, "min_downloads": 0}, args.per_host)
        baseline = (base_cpu, _stat(base_log, "downloader/request_count"))
        for name in ("first", "re-crawl"):
            hub.clear_requests()
            log, cpu = crawl(workdir, hub.hf_endpoint, {"min_downloads": 0}, args.per_host)
            per_model[name] = report(name, log, cpu, baseline, hub.requests(), args.latency, args.per_host)
            hub.set_generation(1)
    detailed = args.hub_models * args.detailed_share
    list_pages = -(-args.hub_models // 1000)
    api_per_model, files_per_model = per_model["first"]
    api_calls, file_calls = list_pages + detailed * api_per_model, detailed * files_per_model
    print(
        f"\nToday's Hub (assumed {args.hub_models:,} models, {detailed:,.0f} with details): {list_pages:,} list pages +"
        f" {api_per_model:.2f} API requests per detailed model = {api_calls:,.0f} API calls, and"
        f" {file_calls:,.0f} file downloads, for a first crawl (the two buckets are counted apart)"
    )
    for tier, (api_quota, file_quota) in QUOTAS.items():
        api_h = api_calls / api_quota * WINDOW_MINUTES / 60
        file_h = file_calls / file_quota * WINDOW_MINUTES / 60
        print(
            f"  {tier:>12}: {api_quota:>5} API / {file_quota:>6} file calls per {WINDOW_MINUTES} min ->"
            f" API {api_h:,.0f} h,"
            f" files {file_h:,.0f} h: {max(api_h, file_h) / 24:.1f} days"
        )


if __name__ == "__main__":
    main()
