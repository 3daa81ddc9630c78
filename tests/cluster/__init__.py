"""Runs cluster nodes (real ``scrapy crawl`` processes sharing one Redis and one database) for tests and benches."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.crawl import REPO, crawl_command, crawl_env

# Fast failure detection and acknowledgements for tests; the mechanisms are the production ones.
CLUSTER_TEST_SETTINGS = {
    "CLUSTER_NODE_TTL": "3",
    "CLUSTER_HEARTBEAT_INTERVAL": "0.5",
    "CLUSTER_ACK_INTERVAL": "0.5",
    "CLUSTER_PROGRESS_INTERVAL": "2",
}


class Node:
    """One crawl process; its output goes to a log file (a pipe nobody reads would block it)."""

    def __init__(self, name: str, workdir: Path, proc: subprocess.Popen[bytes], log: Path) -> None:
        self.name, self.workdir, self.proc, self.log = name, workdir, proc, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait(self, timeout: float = 180) -> int:
        return self.proc.wait(timeout)

    def stop(self, sig: int = signal.SIGINT) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)


def start_node(
    workdir: Path,
    hf_endpoint: str,
    redis_url: str,
    database_url: str,
    prefix: str,
    name: str,
    args: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    spider: str = "hf_models",
    env: dict[str, str] | None = None,
) -> Node:
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / f"{name}.log"
    cmd = crawl_command(spider, args, {**CLUSTER_TEST_SETTINGS, "CLUSTER_KEY_PREFIX": prefix, **(settings or {})})
    environ = crawl_env(workdir, hf_endpoint, REDIS_URL=redis_url, DATABASE_URL=database_url, **(env or {}))
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=environ, stdout=out, stderr=subprocess.STDOUT)
    return Node(name, workdir, proc, log)


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def wait_for(database_url: str, sql: str, minimum: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if query(database_url, sql)[0][0] >= minimum:
                return
        except sa.exc.ProgrammingError:
            pass  # tables not migrated yet
        time.sleep(0.2)
    raise TimeoutError(f"{sql} never reached {minimum}")


@contextmanager
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """A schema of the caller's own inside the test database; yields its URL."""
    schema = f"cluster_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_url.split("?")[0] + f"?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OwnRedis:
    """A private redis-server (append-only file, fsync always) that a test may stop and start again."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="redis-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary is not None
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir), "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always", "--logfile", str(self.dir / "redis.log")]
        self.proc = subprocess.Popen([self.binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=1).ping():
                    return
            except redis.exceptions.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: redis-server syncs its append-only file and exits
            self.proc.wait(20)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def clear_prefix(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])
    client.close()


def kill_all(nodes: list[Node]) -> None:
    for node in nodes:
        if node.proc.poll() is None:
            node.proc.kill()
            node.proc.wait(10)
