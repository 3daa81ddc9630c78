"""The run-state rules of crawler/runs.py, on their own (the crawls in test_run_lifecycle.py show them end to end)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.utils.test import get_crawler

from crawler.runs import EXIT_CODES, RunLedger, close_status, merge_stats, pid_alive


@pytest.mark.parametrize(
    ("reason", "stats", "status"),
    [
        ("finished", {}, "finished"),
        ("finished", {"crawl/incomplete": "listing stopped"}, "incomplete"),
        ("finished", {"store/rejected": 2}, "incomplete"),
        ("finished", {"crawl/details_failed": 1}, "incomplete"),
        ("shutdown", {}, "interrupted"),  # Ctrl-C and SIGTERM
        ("shutdown", {"crawl/incomplete": "x"}, "interrupted"),
        ("closespider_itemcount", {}, "interrupted"),
        ("cluster_state_lost", {}, "interrupted"),
        ("store_failed", {"crawl/failed": "database gone"}, "failed"),
        ("finished", {"crawl/failed": "database gone"}, "failed"),
        ("something_unexpected", {}, "failed"),
    ],
)
def test_close_status(reason: str, stats: dict, status: str) -> None:
    assert close_status(reason, stats) == status
    assert EXIT_CODES[status] == {"finished": 0, "incomplete": 3, "interrupted": 4, "failed": 5}[status]


def test_merge_stats_adds_counters_keeps_maxima_and_counts_sessions() -> None:
    first = merge_stats({}, {"hf/models_listed": 10, "store/max_batch_seconds": 2.0, "finish_reason": "shutdown"})
    assert first["crawl/sessions"] == 1
    second = merge_stats(first, {"hf/models_listed": 5, "store/max_batch_seconds": 1.0, "finish_reason": "finished"})
    assert second["hf/models_listed"] == 15
    assert second["store/max_batch_seconds"] == 2.0
    assert second["finish_reason"] == "finished"
    assert second["crawl/sessions"] == 2


def test_a_dead_process_or_a_stale_heartbeat_is_gone() -> None:
    ledger = RunLedger(get_crawler(settings_dict={"RUN_STALE_AFTER": 60}))
    dead = next(
        pid for pid in range(int(Path("/proc/sys/kernel/pid_max").read_text()) - 1, 1, -1) if not pid_alive(pid)
    )
    host = socket.gethostname()
    row = SimpleNamespace(node=host, pid=dead, heartbeat_at="2999-01-01T00:00:00Z", started_at=None)
    assert ledger.gone(row)
    alive = SimpleNamespace(node=host, pid=os.getppid(), heartbeat_at="2999-01-01T00:00:00Z", started_at=None)
    assert not ledger.gone(alive)
    alive.heartbeat_at = "2020-01-01T00:00:00Z"  # the pid lives, but it is not the crawl's any more
    assert ledger.gone(alive)
    elsewhere = SimpleNamespace(node="other-host", pid=1, heartbeat_at="2020-01-01T00:00:00Z", started_at=None)
    assert ledger.gone(elsewhere)
    fresh = SimpleNamespace(node="other-host", pid=1, heartbeat_at="2999-01-01T00:00:00Z", started_at=None)
    assert not ledger.gone(fresh)


def test_a_database_that_takes_no_writes_fails_the_crawl_after_retries(tmp_path) -> None:
    import asyncio

    from sqlalchemy.exc import OperationalError

    from crawler.hf.items import HfModelItem
    from pipelines.store import StorePipeline

    crawler = get_crawler(settings_dict={"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "STORE_RETRIES": 1})
    crawler.stats.open_spider()
    store = StorePipeline(crawler)
    attempts = []

    def unavailable(items):
        attempts.append(len(items))
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    store._write_isolated = unavailable
    store.buffer = [HfModelItem(context_id="org/a")]
    asyncio.run(store.flush())
    assert attempts == [1, 1]  # tried again once, then given up
    assert "database is locked" in crawler.stats.get_value("crawl/failed")
    assert crawler.stats.get_value("store/lost_items") == 1
    assert close_status("store_failed", crawler.stats.get_stats()) == "failed"


def test_dupefilter_memory_belongs_to_a_run_session(tmp_path) -> None:
    from scrapy import Request

    from crawler.dupefilter import RunDupeFilter

    crawler = get_crawler(settings_dict={"JOBDIR": str(tmp_path)})
    ledger = RunLedger.of(crawler)
    ledger.epoch = "1.aaaa"
    first = RunDupeFilter.from_crawler(crawler)
    assert not first.request_seen(Request("https://hub.test/api/models"))
    assert first.request_seen(Request("https://hub.test/api/models"))
    first.close("shutdown")
    again = RunDupeFilter.from_crawler(crawler)  # the same JOBDIR, resumed from its whole queue: same epoch
    assert again.request_seen(Request("https://hub.test/api/models"))
    again.close("shutdown")
    ledger.epoch = "1.bbbb"  # continued after a hard stop or failures: what was seen may never have completed
    fresh = RunDupeFilter.from_crawler(crawler)
    assert not fresh.request_seen(Request("https://hub.test/api/models"))
    fresh.close("finished")


def test_the_heartbeat_keeps_a_running_rows_stats_so_far(tmp_path: Path) -> None:
    """One periodic writer of a running row: its heartbeat, which also carries the stats `scrapy progress` reads."""
    from datetime import UTC, datetime

    from crawler.db.engine import open_engine
    from crawler.run_summaries import latest_runs

    engine = open_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    ledger = RunLedger.of(get_crawler())
    spider = SimpleNamespace(name="hf_models", limit=None)
    with engine.begin() as conn:
        ledger.claim(conn, spider)
        ledger.heartbeat(conn, {"hf/models_listed": 7, "progress/unit": "models", "start_time": datetime.now(UTC)})
    [run] = latest_runs(engine)
    assert run.status == "running" and run.stats == {"hf/models_listed": 7, "progress/unit": "models"}
    with engine.begin() as conn:
        ledger.heartbeat(conn)  # a cluster node's: alive, the shared row's stats left alone
        ledger.finish(conn, "finished", {"hf/models_listed": 9})
        ledger.heartbeat(conn, {"hf/models_listed": 1})  # too late: a finished row is not a running one
    [run] = latest_runs(engine)
    assert run.status == "finished" and run.stats["hf/models_listed"] == 9
