"""``scrapy progress [SPIDER ...]``: cluster-wide progress of the current crawl runs, from any machine.

Reads only Redis (``REDIS_URL``): per run its status, nodes alive, queued / in-flight / seen requests, the
counters every node publishes (items, responses, requests, errors, retries, 429s, stored items) and every
shared rate budget. ``--json`` prints the same as JSON; ``--abandon`` marks a spider's current (interrupted)
run abandoned, so the next ``scrapy crawl`` starts a new snapshot instead of resuming it.
"""

from __future__ import annotations

import argparse
import json
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.cluster.connection import redis_client, safe_url
from crawler.cluster.defaults import setting
from crawler.cluster.keys import SpiderKeys
from crawler.cluster.progress import run_progress, spiders_with_runs


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[SPIDER ...] [--json] [--run N] [--abandon]"

    def short_desc(self) -> str:
        return "Show the cluster-wide progress of crawl runs (needs REDIS_URL)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--run", help="a run number instead of the current run")
        parser.add_argument("--abandon", action="store_true", help="abandon the spider's current run")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        url = self.settings.get("REDIS_URL")
        if not url:
            raise UsageError("REDIS_URL is not set: progress is only tracked in cluster mode")
        prefix = str(setting(self.settings, "CLUSTER_KEY_PREFIX"))
        client = redis_client(url)
        try:
            client.ping()
        except Exception as exc:  # noqa: BLE001 - report any connection problem the same way
            sys.stderr.write(f"[progress] Redis at {safe_url(url)} is unreachable: {exc}\n")
            self.exitcode = 1
            return
        spiders = args or spiders_with_runs(client, prefix)
        if opts.abandon:
            if len(spiders) != 1 or not args:
                raise UsageError("--abandon needs exactly one SPIDER")
            self._abandon(client, SpiderKeys(prefix, spiders[0]))
            return
        found = [p for p in (run_progress(client, SpiderKeys(prefix, s), opts.run) for s in spiders) if p]
        if opts.json:
            sys.stdout.write(json.dumps([p.as_dict() for p in found], indent=2) + "\n")
        else:
            for p in found:
                sys.stdout.write(p.line() + "\n")
            if not found:
                sys.stdout.write("no crawl runs in Redis\n")

    def _abandon(self, client, keys: SpiderKeys) -> None:  # noqa: ANN001 - redis.Redis
        run = client.get(keys.current)
        if run is None or client.hget(keys.run(run).meta, "status") != "running":
            sys.stdout.write(f"{keys.spider}: no running run to abandon\n")
            return
        client.hset(keys.run(run).meta, "status", "abandoned")
        sys.stdout.write(f"{keys.spider}: run {run} abandoned; the next crawl starts run {int(run) + 1}\n")
