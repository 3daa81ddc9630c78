"""Runs real ``scrapy crawl`` processes against the fake registry, as a user would."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

# Fast retries for tests: the backoff logic is the same, only the base delay is smaller.
TEST_SETTINGS = {"BACKOFF_BASE": "0.05", "LOG_LEVEL": "INFO", "STORE_FLUSH_SECONDS": "1"}


def crawl_command(spider: str, args: dict[str, Any] | None = None, settings: dict[str, Any] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**TEST_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def crawl_env(workdir: Path, hf_endpoint: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "DATABASE_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'peatmoss.db'}",
        SNAPSHOT_STORE=str(workdir / "snapshots"),
        HF_ENDPOINT=hf_endpoint,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_crawl(
    workdir: Path,
    hf_endpoint: str,
    spider: str = "hf_models",
    args: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 600,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """One crawl to the end; stdout+stderr (Scrapy logs to stderr) are returned in ``.stdout``."""
    return subprocess.run(
        crawl_command(spider, args, settings),
        cwd=REPO,
        env=crawl_env(workdir, hf_endpoint, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


def stat(log: str, name: str) -> float:
    """A counter from the stats Scrapy prints at the end of a crawl log (0 when absent)."""
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
    return float(match.group(1)) if match else 0


def run_github_crawl(
    workdir: Path,
    hub: Any,
    tokens: str,
    spider: str,
    args: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
) -> str:
    """A GitHub crawl against the fake registry that must finish cleanly without logging its tokens; its log."""
    result = run_crawl(
        workdir,
        hub.hf_endpoint,
        spider=spider,
        args=args,
        settings=settings,
        GITHUB_API_URL=hub.info["github_api_url"],
        GITHUB_TOKENS=tokens,
        GITHUB_TOKEN="",
    )
    log = result.stdout
    assert result.returncode == 0 and "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    assert not any(token in log for token in tokens.split(",")), "a token reached the log"
    return log


def start_crawl(workdir: Path, hf_endpoint: str, args=None, settings=None, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        crawl_command("hf_models", args, settings),
        cwd=REPO,
        env=crawl_env(workdir, hf_endpoint, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_rows(db: Path, query: str, minimum: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if db.exists() and rows(db, query)[0][0] >= minimum:
                return
        except sqlite3.OperationalError:
            pass  # schema not created yet
        time.sleep(0.2)
    raise TimeoutError(f"{query} never reached {minimum}")


def interrupt(proc: subprocess.Popen[str], sig: int = signal.SIGINT, timeout: float = 120) -> str:
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=timeout)
    return out


def rows(db: Path, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, params).fetchall()


def list_all_models(hf_endpoint: str, token: str | None = None) -> dict[str, dict[str, Any]]:
    """Walks the fake hub's listing with urllib: the ground truth a crawl must reproduce."""
    url: str | None = f"{hf_endpoint}/api/models?full=true&limit=1000"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    out: dict[str, dict[str, Any]] = {}
    while url:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as resp:
            for entry in json.load(resp):
                out[entry["id"]] = entry
            link = resp.headers.get("Link") or ""
        url = link[1 : link.index(">")] if 'rel="next"' in link else None
    return out


def run_scrapy(
    workdir: Path, hf_endpoint: str, *args: str, timeout: float = 600, **env: str
) -> subprocess.CompletedProcess[str]:
    """Any ``scrapy`` command (``map``, ``export-parquet`` ...) in the crawl environment; stdout and stderr apart."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=crawl_env(workdir, hf_endpoint, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
