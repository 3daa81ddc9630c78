"""Redis key names. One crawl run of one spider owns every key under ``<prefix>:<spider>:<run>:``.

A new run (after the previous one finished) gets new keys, so it is a new snapshot with an empty dupefilter; an
interrupted run keeps its keys, so starting the nodes again resumes it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpiderKeys:
    prefix: str
    spider: str

    @property
    def base(self) -> str:
        return f"{self.prefix}:{self.spider}"

    @property
    def current(self) -> str:
        """The number of the spider's current run (a string key)."""
        return f"{self.base}:current"

    @property
    def counter(self) -> str:
        return f"{self.base}:runs"

    def run(self, run: int | str) -> RunKeys:
        return RunKeys(f"{self.base}:{run}")


@dataclass(frozen=True)
class RunKeys:
    base: str

    @property
    def meta(self) -> str:
        """Hash: status (running|finished|abandoned), seeded, db_run_id, created_at, finished_at."""
        return f"{self.base}:meta"

    @property
    def queue(self) -> str:
        """Sorted set of ``<lease id> <request JSON>``; lowest score first (priority, then arrival)."""
        return f"{self.base}:requests"

    @property
    def seq(self) -> str:
        return f"{self.base}:seq"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"

    @property
    def nodes(self) -> str:
        """Set of node ids that joined the run and may hold leases."""
        return f"{self.base}:nodes"

    @property
    def stats(self) -> str:
        """Hash: node id -> JSON of that node's counters (kept after the node stops)."""
        return f"{self.base}:stats"

    @property
    def seed_lock(self) -> str:
        return f"{self.base}:seed_lock"

    @property
    def node_prefix(self) -> str:
        """``<node_prefix>alive:<node>`` (heartbeat, expires) and ``<node_prefix>leases:<node>`` (hash)."""
        return f"{self.base}:"

    def alive(self, node: str) -> str:
        return f"{self.base}:alive:{node}"

    def leases(self, node: str) -> str:
        return f"{self.base}:leases:{node}"


def budget_key(prefix: str, name: str) -> str:
    """Key of one rate budget (``name``: crawler.budget.budget.budget_name, which holds no token)."""
    return f"{prefix}:budget:{name}"
