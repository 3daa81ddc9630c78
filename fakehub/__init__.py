"""Fake registry for tests and benchmarks (Hugging Face Hub API; GitHub and OpenAI modules plug in).

Use ``FakeHub`` in tests::

    with FakeHub(models=30, seed=1, error_rate=0.1) as hub:
        requests.get(hub.hf_endpoint + "/api/models")
        assert hub.requests()[0]["path"] == "/api/models"

Keyword knobs map to CLI flags (``error_rate=0.1`` -> ``--error-rate 0.1``, ``traps=True`` -> ``--traps``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 20.0


class FakeHubError(RuntimeError):
    pass


class FakeHub:
    """Runs ``python -m fakehub`` in a subprocess for the duration of a ``with`` block."""

    def __init__(self, models: int = 100, seed: int = 0, generation: int = 0, **knobs: Any) -> None:
        self.args = ["--port", "0", "--models", str(models), "--seed", str(seed), "--generation", str(generation)]
        for key, value in knobs.items():
            flag = "--" + key.replace("_", "-")
            if value is True:
                self.args.append(flag)
            elif value is not None and value is not False:
                self.args += [flag, str(value)]
        self.info: dict[str, Any] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()

    @property
    def hf_endpoint(self) -> str:
        return str(self.info["hf_endpoint"])

    @property
    def github_api_url(self) -> str:
        return str(self.info["github_api_url"])

    @property
    def url(self) -> str:
        """Base URL of the server (control endpoints live here)."""
        return self.hf_endpoint

    def start(self) -> FakeHub:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "fakehub", *self.args],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self._proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(START_TIMEOUT)
        if not line or not line[0].strip():
            self.stop()
            raise FakeHubError(f"fake hub did not start within {START_TIMEOUT}s: {self.stderr()}")
        self.info = json.loads(line[0])
        return self

    def stop(self) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()
        self.returncode = self._proc.returncode
        self._proc = None

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def _control(self, method: str, path: str) -> Any:
        req = urllib.request.Request(self.url + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def requests(self, clear: bool = False) -> list[dict[str, Any]]:
        """The server's request log: ``{"method", "path", "query", "status", "auth", "in_flight",
        "on_connection"}`` per request (``in_flight``: requests to the same ``Host`` being answered when it arrived,
        itself included; ``on_connection``: its rank on its TCP connection, 1 for a new connection)."""
        return self._control("GET", "/_fake/requests" + ("?clear=1" if clear else ""))

    def clear_requests(self) -> None:
        self._control("POST", "/_fake/requests/clear")

    def set_generation(self, generation: int) -> None:
        self._control("POST", f"/_fake/generation?g={generation}")

    def __enter__(self) -> FakeHub:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self._stderr.close()
