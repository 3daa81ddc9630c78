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

Between the two, what Scrapy itself costs on the first crawl's URLs (``--no-bare`` skips it): bench/bare_spider.py,
a bare spider that fetches each URL and keeps one small item, run outside the project with the production HTTP
client, downloader and per-host limit ("bare": Scrapy's stock components otherwise; "bare tuned": with the
production settings that make Scrapy itself cheaper). The crawl's figures against these tell its own work (parsing,
the pipelines, the store, the snapshot files, the rate-limit middlewares) from the framework's. Then "plain": the
same URLs fetched by bench/plain_fetch.py (aiohttp alone, ``--per-host`` at a time), the rate the fake itself
allows on this machine: its own work per request keeps any client below the nominal bound.

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
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from crawler import settings
from tests.crawl import crawl_command, crawl_env
from tests.fakehub import FakeHub

REPO = Path(__file__).resolve().parents[1]
WINDOW_MINUTES = 5
QUOTAS = {"anonymous": (500, 3_000), "free account": (1_000, 5_000), "PRO": (2_500, 12_000)}  # (api, resolvers)
PER_HOST = settings.CONCURRENT_REQUESTS_PER_DOMAIN  # production
PROGRESS = "crawler.progress.ProgressLog"  # reports the crawl's own stats: not part of the bare spider


def _stat(log: str, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0.0


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[str, float]:
    """One Scrapy process to the end: its log and the CPU seconds (user+sys) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=3600, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0 or "Spider closed (finished)" not in out.stderr:
        raise SystemExit(f"{cmd[3]} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stderr, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _limits(per_host: int) -> dict[str, Any]:
    return {"LOG_LEVEL": "INFO", "CONCURRENT_REQUESTS_PER_DOMAIN": per_host, "CONCURRENT_REQUESTS": 2 * per_host}


def crawl(workdir: Path, endpoint: str, args: dict[str, Any], per_host: int) -> tuple[str, float]:
    """One crawl to the end: its log and the CPU seconds (user+sys) it used."""
    return _run(crawl_command("hf_models", args, _limits(per_host)), REPO, crawl_env(workdir, endpoint))


def bare(workdir: Path, urls: list[str], per_host: int, tuned: bool) -> tuple[str, float]:
    """bench/bare_spider.py over ``urls``, outside the project: Scrapy's stock components with the production HTTP
    client, downloader and per-host limit, nothing parsed or stored. ``tuned``: with the production settings that
    make Scrapy itself cheaper too (no cookies, fewer spider middlewares, the collector and log-level extensions)."""
    workdir.mkdir(exist_ok=True)
    (workdir / "urls.json").write_text(json.dumps(urls))
    production: dict[str, Any] = {
        "DOWNLOADER": settings.DOWNLOADER,
        "DOWNLOAD_HANDLERS": settings.DOWNLOAD_HANDLERS,
        "TELNETCONSOLE_ENABLED": False,
        **_limits(per_host),
    }
    if tuned:
        production |= {
            "WARN_ON_GENERATOR_RETURN_VALUE": settings.WARN_ON_GENERATOR_RETURN_VALUE,
            **({"ASYNCIO_EVENT_LOOP": settings.ASYNCIO_EVENT_LOOP} if settings.ASYNCIO_EVENT_LOOP else {}),
            "COOKIES_ENABLED": settings.COOKIES_ENABLED,
            "DOWNLOADER_MIDDLEWARES_BASE": settings.DOWNLOADER_MIDDLEWARES_BASE,
            "EXTENSIONS_BASE": settings.EXTENSIONS_BASE,
            "SPIDER_MIDDLEWARES": settings.SPIDER_MIDDLEWARES,  # Scrapy's, switched off
            "EXTENSIONS": {name: order for name, order in settings.EXTENSIONS.items() if name != PROGRESS},
            "GC_THRESHOLDS": ",".join(map(str, settings.GC_THRESHOLDS)),
        }
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(REPO / "bench" / "bare_spider.py"), "-a", "urls=urls.json"]
    for key, value in production.items():
        cmd += ["-s", f"{key}={json.dumps(value) if isinstance(value, dict) else value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # crawler.* components importable, the project's settings not read
    return _run(cmd, workdir, env)


def plain(workdir: Path, urls: list[str], per_host: int) -> dict[str, float]:
    """bench/plain_fetch.py over ``urls``: the rate the fake allows a client that does nothing else."""
    (workdir / "urls.json").write_text(json.dumps(urls))
    cmd = [sys.executable, "-m", "bench.plain_fetch", str(workdir / "urls.json"), str(per_host)]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=3600, check=True)
    return json.loads(out.stdout)


def fetched_urls(endpoint: str, requests_seen: list[dict[str, Any]]) -> list[str]:
    """The URLs a crawl asked for, in order; CDN requests left out (the redirects of /resolve/ lead there again)."""
    return [
        endpoint + r["path"] + (f"?{urlencode(r['query'], doseq=True)}" if r["query"] else "")
        for r in requests_seen
        if r["method"] == "GET" and not r["path"].startswith("/_cdn/")
    ]


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
    counts = buckets(requests_seen)
    base_cpu, base_requests = baseline
    per_request_ms = (cpu - base_cpu) / (requests - base_requests) * 1000 if requests > base_requests else 0.0
    api_per_model = counts["api"] / detailed if detailed else 0.0
    files_per_model = counts["resolvers"] / detailed if detailed else 0.0
    per_model = (f"{api_per_model:>6.2f}", f"{files_per_model:>6.2f}") if detailed else (f"{'-':>6}", f"{'-':>6}")
    print(
        f"{name:>10} | {int(detailed) if detailed else '-':>8} |"
        f" {rate_columns(requests, elapsed, requests_seen, latency, per_host)} |"
        f" {per_request_ms:>6.2f} | {int(counts['list']):>4} {int(counts['api']):>6} {per_model[0]} |"
        f" {int(counts['resolvers']):>6} {per_model[1]}",
        flush=True,
    )
    return api_per_model, files_per_model


def rate_columns(
    requests: float, elapsed: float, requests_seen: list[dict[str, Any]], latency: float, per_host: int
) -> str:
    """requests, seconds, requests/s, its share of the bound (per_host / latency), and the most requests the fake
    answered at once for one host (the per-host limit as the Hub sees it)."""
    rate = requests / elapsed if elapsed else 0.0
    bound = per_host / (latency / 1000)
    peak = max((r["in_flight"] for r in requests_seen), default=0)
    return f"{int(requests):>8} {elapsed:>7.1f} {rate:>6.0f} {100 * rate / bound:>5.0f}% {peak:>4}"


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
    parser.add_argument("--no-bare", action="store_true", help="skip the bare spider (bench/bare_spider.py)")
    args = parser.parse_args()
    print(
        f"{'crawl':>10} | {'detailed':>8} | {'requests':>8} {'crawl s':>7} {'req/s':>6} {'bound':>6} {'peak':>4} |"
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
            seen = hub.requests()
            per_model[name] = report(name, log, cpu, baseline, seen, args.latency, args.per_host)
            if name == "first" and not args.no_bare:
                urls = fetched_urls(hub.hf_endpoint, seen)
                for label, tuned in (("bare", False), ("bare tuned", True)):
                    folder = Path(tmp) / label.replace(" ", "_")
                    one_log, one_cpu = bare(folder.with_name(f"{folder.name}_one"), urls[:1], args.per_host, tuned)
                    hub.clear_requests()
                    log, cpu = bare(folder, urls, args.per_host, tuned)
                    bare_baseline = (one_cpu, _stat(one_log, "downloader/request_count"))
                    report(label, log, cpu, bare_baseline, hub.requests(), args.latency, args.per_host)
                hub.clear_requests()
                limit = plain(Path(tmp), urls, args.per_host)
                columns = rate_columns(limit["requests"], limit["seconds"], hub.requests(), args.latency, args.per_host)
                print(f"{'plain':>10} | {'-':>8} | {columns} | {1000 * limit['cpu'] / limit['requests']:>6.2f} |")
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
