"""The life of a ``crawl_run`` row: which run a crawl continues, how it resumes, its heartbeat, its final state.

States (``crawl_run.status``) and the exit code of ``scrapy crawl`` (stat ``crawl/exit_code``):

- ``running``: the crawl is going on (its ``heartbeat_at`` is refreshed; ``node`` + ``pid`` name its process).
- ``finished`` (0): everything that was asked for was fetched and stored.
- ``incomplete`` (3): the crawl ended, but something could not be fetched or stored for good (see the row's stats:
  ``crawl/incomplete``, ``crawl/details_failed``, ``store/rejected``; rejected items are in
  ``crawl_rejected_item``, why a model's details are incomplete in ``crawl_model_state.detail_error``).
- ``interrupted`` (4): stopped before the end: Ctrl-C, SIGTERM, a ``CLOSESPIDER_*`` limit, a lost cluster state,
  or a process that died (SIGKILL, OOM kill) and was found gone by the next crawl of the spider.
- ``failed`` (5): an exception stopped it (e.g. the database refused a write that was not about one item's data).

Running the same command again after ``incomplete`` or ``interrupted`` continues that run: same row, statistics
added to the earlier ones. How it resumes (``RunLedger.plan``):

- ``queue``: a JOBDIR whose crawl stopped cleanly (its request queue on disk is whole): Scrapy goes on from it.
- ``reconcile``: anything else (a hard stop, failures, no JOBDIR): the dupefilter and the on-disk queue are not
  trusted. The dupefilter starts a new epoch (crawler/dupefilter.py), and the spider lists again from the first
  page and, as always, schedules details for every listed model whose details are not complete for its current sha
  (crawl_model_state).
- ``new``: a new run.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
import weakref
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import Connection, Row, select, update

from crawler import exitcodes
from crawler.db.ours import crawl_run
from crawler.timestamps import now_iso

logger = logging.getLogger(__name__)

EXIT_CODES = {
    "finished": exitcodes.FINISHED,
    "incomplete": exitcodes.INCOMPLETE,
    "interrupted": exitcodes.INTERRUPTED,
    "failed": exitcodes.FAILED,
}
CONTINUABLE = ("incomplete", "interrupted")
# Close reasons of a crawl that was stopped before its end (anything unknown is a failure).
STOPPED = ("shutdown", "terminated", "cluster_state_lost", "cluster_run_abandoned")
GONE = "process_gone"  # finish_reason written into a dead process's row by the next crawl
# Stats that say something could not be fetched or stored for good: the run is incomplete, and its JOBDIR queue
# (which no longer holds what failed) is not enough to finish it.
INCOMPLETE = ("crawl/incomplete", "crawl/details_failed", "store/rejected")
RUN_ARGS = ("limit", "author", "search", "filters", "sort")

_ledgers: weakref.WeakKeyDictionary[Crawler, RunLedger] = weakref.WeakKeyDictionary()


def close_status(reason: str, stats: dict[str, Any]) -> str:
    """The run state for Scrapy's close ``reason`` and the crawl's stats."""
    if stats.get("crawl/failed"):
        return "failed"
    if reason == "finished":
        return "incomplete" if any(stats.get(key) for key in INCOMPLETE) else "finished"
    if reason in STOPPED or reason.startswith("closespider_"):
        return "interrupted"
    return "failed"


def merge_stats(before: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """A continued run's statistics: counters added, maxima kept, everything else from the latest session."""
    merged = dict(before)
    for key, value in now.items():
        old = before.get(key)
        numbers = isinstance(value, int | float) and isinstance(old, int | float) and not isinstance(value, bool)
        if numbers and "max" in key:
            merged[key] = max(old, value)
        elif numbers and key != "crawl/exit_code":
            merged[key] = old + value
        else:
            merged[key] = value
    merged["crawl/sessions"] = int(before.get("crawl/sessions", 1)) + 1 if before else 1
    return merged


def run_args(spider: Any) -> str:
    """The arguments that make two commands "the same command" (JSON, as stored in ``crawl_run.args``)."""
    return json.dumps({k: v for k, v in vars(spider).items() if k in RUN_ARGS}, default=str)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _age_seconds(iso: str | None) -> float | None:
    if not iso:
        return None
    try:
        then = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (datetime.now(UTC) - then).total_seconds()


def plain_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """The stats a ``crawl_run`` row keeps: numbers and texts (not datetimes and other objects)."""
    return {k: v for k, v in stats.items() if isinstance(v, int | float | str)}


class RunLedger:
    """The crawl's run row, shared by the store pipeline (which writes it) and the spider (which reads ``plan``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stale_after = crawler.settings.getfloat("RUN_STALE_AFTER", 300.0)
        self.run_id: int | None = None
        self.plan = "new"
        self.before: dict[str, Any] = {}  # the statistics of the sessions this one continues
        self.epoch = ""  # the dupefilter's memory (crawler/dupefilter.py): kept only when the JOBDIR queue is whole

    @classmethod
    def of(cls, crawler: Crawler) -> RunLedger:
        ledger = _ledgers.get(crawler)
        if ledger is None:
            ledger = _ledgers[crawler] = cls(crawler)
        return ledger

    # --- starting ---------------------------------------------------------------------------------------------

    def gone(self, row: Row[Any]) -> bool:
        """Whether a ``running`` row's process is gone: a dead pid on this host, or a heartbeat long stale."""
        if row.node == socket.gethostname() and row.pid and row.pid != os.getpid() and not pid_alive(int(row.pid)):
            return True
        age = _age_seconds(row.heartbeat_at or row.started_at)  # also catches a reused pid
        return age is not None and age > self.stale_after

    def mark_gone(self, conn: Connection, spider_name: str) -> list[int]:
        """Marks ``interrupted`` the ``running`` rows of this spider whose process is gone; their ids."""
        rows = conn.execute(select(crawl_run).where(crawl_run.c.spider == spider_name, crawl_run.c.status == "running"))
        marked = []
        for row in rows.fetchall():
            if not self.gone(row):
                continue
            stats = {**_json(row.stats), "finish_reason": GONE}
            conn.execute(
                update(crawl_run)
                .where(crawl_run.c.id == row.id, crawl_run.c.status == "running")
                .values(status="interrupted", finished_at=row.heartbeat_at, stats=json.dumps(stats))
            )
            logger.warning(
                "Run %d of %s was left running by a process that is gone: marked interrupted", row.id, spider_name
            )
            marked.append(row.id)
        return marked

    def claim(self, conn: Connection, spider: Any, shared: str | None = None) -> int:
        """Continues the run this command left ``incomplete``/``interrupted``, or starts a new one; its id.

        ``shared`` names a cluster run: its row is shared by every node (no pid; nodes heart-beat it).
        """
        if shared is None:
            self.mark_gone(conn, spider.name)
        state = getattr(spider, "state", None)
        jobdir_run = state.get("run_id") if isinstance(state, dict) and shared is None else None
        args = run_args(spider)
        row = None
        if jobdir_run:
            row = conn.execute(select(crawl_run).where(crawl_run.c.id == int(jobdir_run))).first()
        if row is None or row.status not in CONTINUABLE:
            latest = select(crawl_run).where(crawl_run.c.spider == spider.name).order_by(crawl_run.c.id.desc()).limit(1)
            row = conn.execute(latest).first()
            if row is not None and (row.status not in CONTINUABLE or row.args != args):
                row = None
        values = {
            "node": shared or socket.gethostname(),
            "pid": None if shared else os.getpid(),
            "heartbeat_at": now_iso(),
            "status": "running",
        }
        if row is None:
            result = conn.execute(
                crawl_run.insert().values(spider=spider.name, started_at=now_iso(), args=args, **values)
            )
            self.run_id, self.plan, self.before = int(result.inserted_primary_key[0]), "new", {}
        else:
            self.before = _json(row.stats)
            whole_queue = (
                jobdir_run == row.id
                and row.status == "interrupted"
                and self.before.get("finish_reason") not in (None, GONE)
                and not any(self.before.get(key) for key in INCOMPLETE)
            )
            self.run_id, self.plan = int(row.id), "queue" if whole_queue else "reconcile"
            if shared:  # node states are per session: the nodes of this one decide how it ends
                self.before.pop("nodes", None)
                values["stats"] = json.dumps(self.before, default=str)
            conn.execute(update(crawl_run).where(crawl_run.c.id == row.id).values(finished_at=None, **values))
            logger.info(
                "Continuing %s run %d (%s); resuming from %s",
                row.status,
                row.id,
                self.before.get("finish_reason", "?"),
                "the JOBDIR queue" if self.plan == "queue" else "the store (listing again, unfinished details again)",
            )
        if self.plan == "queue" and isinstance(state, dict) and state.get("epoch"):
            self.epoch = str(state["epoch"])
        else:
            self.epoch = f"{self.run_id}.{uuid.uuid4().hex[:8]}"
        if isinstance(state, dict):
            state["run_id"], state["epoch"] = self.run_id, self.epoch
        self.crawler.stats.set_value("crawl/run_id", self.run_id)
        self.crawler.stats.set_value("crawl/resume", self.plan)
        return self.run_id

    # --- running and ending -----------------------------------------------------------------------------------

    def heartbeat(self, conn: Connection, stats: dict[str, Any] | None = None) -> None:
        """This process is alive (``heartbeat_at``); with ``stats``, also the run's stats so far: what ``scrapy
        progress`` shows from the database, and what a run stopped hard keeps (a cluster's shared row gets its
        nodes' stats when they finish, so cluster nodes send none)."""
        if self.run_id is None:
            return
        values: dict[str, Any] = {"heartbeat_at": now_iso()}
        if stats is not None:
            values["stats"] = json.dumps(plain_stats(stats), default=str)
        conn.execute(
            update(crawl_run).where(crawl_run.c.id == self.run_id, crawl_run.c.status == "running").values(**values)
        )

    def finish(self, conn: Connection, reason: str, stats: dict[str, Any]) -> str:
        """Writes the run's final state and statistics; returns the state."""
        assert self.run_id is not None
        status = close_status(reason, stats)
        stats = {**stats, "finish_reason": reason, "crawl/status": status, exitcodes.STAT: EXIT_CODES[status]}
        conn.execute(
            update(crawl_run)
            .where(crawl_run.c.id == self.run_id)
            .values(
                finished_at=now_iso(),
                heartbeat_at=now_iso(),
                status=status,
                stats=json.dumps(merge_stats(self.before, stats), default=str),
            )
        )
        return status

    def finish_cluster(self, conn: Connection, reason: str, stats: dict[str, Any], cluster: Any) -> str:
        """One node's end in a cluster run; returns the state its exit code reports (the run's, once finished).

        The shared row keeps each node's state (``stats.nodes``) and the sum of their counters; it stays
        ``running`` while another node works, ends ``finished``/``incomplete`` when the cluster run finished, and
        ``interrupted`` (or ``failed``) when the last node stops before that.
        """
        assert self.run_id is not None
        mine = close_status(reason, stats)
        row = conn.execute(select(crawl_run).where(crawl_run.c.id == self.run_id).with_for_update()).one()
        before = _json(row.stats)
        nodes = {**(before.get("nodes") or {}), cluster.node: mine}
        counters = {k: v for k, v in stats.items() if isinstance(v, int | float) and k != "crawl/exit_code"}
        merged = {**merge_stats(before, counters), "nodes": nodes}
        if cluster.status == "finished":
            status = "incomplete" if "incomplete" in nodes.values() else "finished"
        elif _others_alive(cluster):
            status = "running"
        else:
            status = mine if mine in ("interrupted", "failed") else "interrupted"
        values: dict[str, Any] = {"status": status, "heartbeat_at": now_iso(), "stats": json.dumps(merged, default=str)}
        if status != "running":
            values["finished_at"] = now_iso()
        conn.execute(update(crawl_run).where(crawl_run.c.id == self.run_id).values(**values))
        return status if cluster.status == "finished" else mine


def _others_alive(cluster: Any) -> bool:
    try:
        return bool(cluster.others_alive())
    except Exception:  # Redis unreachable: do not end a run other nodes may still be crawling
        return True


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
