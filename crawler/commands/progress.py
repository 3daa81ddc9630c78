"""``scrapy progress [SPIDER ...]``: how far the crawls are.

Without ``REDIS_URL`` (or with ``--database``): from the database, the current or last run of each spider (its
``crawl_run`` row: state and counts, refreshed every RUN_HEARTBEAT_INTERVAL while it runs). With ``REDIS_URL``: the
cluster-wide view from Redis: per run its status, nodes alive, queued / in-flight / seen requests, the counters
every node publishes and every shared rate budget; ``--abandon`` marks a spider's current (interrupted) run
abandoned, so the next ``scrapy crawl`` starts a new snapshot instead of resuming it. ``--json`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # no crawl: no Scrapy banner before the answer
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[SPIDER ...] [--json] [--database] [--run N] [--abandon]"

    def short_desc(self) -> str:
        return "Show how far the crawl runs are (from the database, or cluster-wide from Redis)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--database", action="store_true", help="read the database even when REDIS_URL is set")
        parser.add_argument("--run", help="cluster mode: a run number instead of the current run")
        parser.add_argument("--abandon", action="store_true", help="cluster mode: abandon the spider's current run")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        url = self.settings.get("REDIS_URL")
        if url and not opts.database:
            self._cluster(url, args, opts)
            return
        if opts.run or opts.abandon:
            raise UsageError("--run and --abandon need cluster mode (REDIS_URL)", print_help=False)
        self._database(args, opts)

    def _database(self, spiders: list[str], opts: argparse.Namespace) -> None:
        from crawler.run_summaries import latest_runs
        from crawler.settingchecks import SettingError, check_database

        try:
            engine = check_database(self.settings.get("DATABASE_URL"))
        except SettingError as exc:
            sys.stderr.write(f"Error: {exc}\n")
            self.exitcode = 2
            return
        runs = latest_runs(engine, spiders or None)
        if opts.json:
            self._print_json([r.as_dict() for r in runs])
        elif runs:
            sys.stdout.write("".join(r.line() + "\n" for r in runs))
        else:
            sys.stdout.write("no crawl runs in the database\n")

    def _print_json(self, data: list[dict[str, Any]]) -> None:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")

    def _cluster(self, url: str, spiders: list[str], opts: argparse.Namespace) -> None:
        # Imported here: the cluster extra (redis) is optional and `scrapy -h` loads every command module.
        from crawler.cluster.connection import redis_client, safe_url
        from crawler.cluster.defaults import setting
        from crawler.cluster.keys import SpiderKeys
        from crawler.cluster.progress import run_progress, spiders_with_runs

        assert self.settings is not None
        prefix = str(setting(self.settings, "CLUSTER_KEY_PREFIX"))
        client = redis_client(url)
        try:
            client.ping()
        except Exception as exc:  # noqa: BLE001 - report any connection problem the same way
            sys.stderr.write(f"[progress] Redis at {safe_url(url)} is unreachable: {exc}\n")
            self.exitcode = 1
            return
        names = spiders or spiders_with_runs(client, prefix)
        if opts.abandon:
            if len(names) != 1 or not spiders:
                raise UsageError("--abandon needs exactly one SPIDER")
            self._abandon(client, SpiderKeys(prefix, names[0]))
            return
        found = [p for p in (run_progress(client, SpiderKeys(prefix, s), opts.run) for s in names) if p]
        if opts.json:
            self._print_json([p.as_dict() for p in found])
        else:
            for p in found:
                sys.stdout.write(p.line() + "\n")
            if not found:
                sys.stdout.write("no crawl runs in Redis\n")

    def _abandon(self, client, keys) -> None:  # noqa: ANN001 - redis.Redis, SpiderKeys (cluster extra)
        run = client.get(keys.current)
        if run is None or client.hget(keys.run(run).meta, "status") != "running":
            sys.stdout.write(f"{keys.spider}: no running run to abandon\n")
            return
        client.hset(keys.run(run).meta, "status", "abandoned")
        sys.stdout.write(f"{keys.spider}: run {run} abandoned; the next crawl starts run {int(run) + 1}\n")
