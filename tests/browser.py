"""Headless Chromium (the system package) driven over the DevTools protocol: load a page, collect what would show
as errors in its console (uncaught exceptions, ``console.error``, failed resource loads), save a screenshot."""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]
SETTLE_SECONDS = 1.0  # after the load event: errors of late scripts and resources still arrive


def chromium_or_skip() -> str:
    """The Chromium binary; a skip when there is none (a failure under CI=true: CI installs it)."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed (CI installs it: apt-get install chromium)")
        pytest.skip("chromium is not installed")
    return path


@dataclass
class Page:
    url: str
    errors: list[str] = field(default_factory=list)
    title: str = ""


class Chromium:
    """One headless browser for the duration of a ``with`` block."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-")
        self._proc: subprocess.Popen[str] | None = None
        self.port = 0
        self._ids = itertools.count(1)

    def __enter__(self) -> Chromium:
        self._proc = subprocess.Popen(
            [self.binary, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self._proc.stderr is not None
        for line in self._proc.stderr:  # Chromium announces its DevTools endpoint on stderr
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                self.port = int(match.group(1))
                break
        if not self.port:
            raise RuntimeError("chromium did not start its DevTools endpoint")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._profile.cleanup()

    def load(self, url: str, screenshot: Path | None = None, height: int = 900, timeout: float = 60) -> Page:
        """Open ``url`` in a new tab (1280 x ``height`` pixels) and wait for its load event; the errors its console
        would show."""
        from websockets.sync.client import connect

        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT")
        with urllib.request.urlopen(request, timeout=10) as resp:
            target = json.load(resp)
        page = Page(url)
        with connect(target["webSocketDebuggerUrl"], max_size=None, open_timeout=10) as ws:
            for method in ("Runtime.enable", "Log.enable", "Page.enable"):
                self._call(ws, method, {}, page)
            size = {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False}
            self._call(ws, "Emulation.setDeviceMetricsOverride", size, page)
            self._call(ws, "Page.navigate", {"url": url}, page)
            deadline = time.monotonic() + timeout
            self._read_until(ws, page, lambda m: m.get("method") == "Page.loadEventFired", deadline)
            settle = time.monotonic() + SETTLE_SECONDS
            self._read_until(ws, page, lambda m: False, settle)
            page.title = self._call(ws, "Runtime.evaluate", {"expression": "document.title"}, page)["result"]["value"]
            if screenshot is not None:
                shot = self._call(ws, "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, page)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
        urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/close/{target['id']}", timeout=10).close()
        return page

    def _call(self, ws: Any, method: str, params: dict[str, Any], page: Page) -> dict[str, Any]:
        number = next(self._ids)
        ws.send(json.dumps({"id": number, "method": method, "params": params}))
        found: dict[str, Any] = {}
        self._read_until(ws, page, lambda m: m.get("id") == number and bool(found.update(m) or True), None)
        if "error" in found:
            raise RuntimeError(f"{method}: {found['error']}")
        return found.get("result", {})

    def _read_until(self, ws: Any, page: Page, done: Any, deadline: float | None) -> None:
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                return
            try:
                message = json.loads(ws.recv(timeout=30 if wait is None else wait))
            except TimeoutError:
                if deadline is None:
                    raise
                return
            _collect(message, page)
            if done(message):
                return


def _collect(message: dict[str, Any], page: Page) -> None:
    method, params = message.get("method"), message.get("params", {})
    if method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        page.errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
    elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        page.errors.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in params["args"]))
    elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
        entry = params["entry"]
        page.errors.append(f"{entry.get('text', '')} {entry.get('url', '')}".strip())
