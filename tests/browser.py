"""Opens a page in headless Chromium over the Chrome DevTools protocol, as a user's browser would.

``open_page`` reports what a user would see go wrong: uncaught exceptions, ``console.error`` calls, browser log
errors (failed loads), and every request that left the machine (a self-contained page makes none). It evaluates a
JavaScript expression in the page and saves a screenshot. ``chromium()`` finds the system Chromium, or skips the
test with the reason (fails instead when ``CI=true``: CI installs it).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome", "devtools:")


def chromium() -> str:
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    message = "Chromium not found (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class PageReport:
    errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    value: Any = None


class _DevTools:
    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        my_id = self.next_id
        await self.ws.send_json({"id": my_id, "method": method, "params": params})
        while True:
            message = json.loads((await self.ws.receive(timeout=120)).data)
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    async def wait_event(self, method: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {method} within {timeout} s")
            self.events.append(json.loads((await self.ws.receive(timeout=remaining)).data))

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")


def _errors_and_requests(events: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    errors, remote = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(LOCAL_SCHEMES):
                remote.append(url)
    return errors, remote


async def _drive(
    ws_url: str, url: str, ready: str, expression: str, screenshot: Path | None, timeout: float
) -> PageReport:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url, max_msg_size=0) as ws:
        tools = _DevTools(ws)
        for domain in ("Runtime", "Log", "Page", "Network"):
            await tools.call(f"{domain}.enable")
        await tools.call(
            "Emulation.setDeviceMetricsOverride", width=1280, height=1500, deviceScaleFactor=1, mobile=False
        )
        await tools.call("Page.navigate", url=url)
        await tools.wait_event("Page.loadEventFired", timeout)
        deadline = time.monotonic() + timeout
        while not await tools.evaluate(ready):
            if time.monotonic() > deadline:
                raise TimeoutError(f"page never became ready ({ready})")
            await asyncio.sleep(0.2)
        value = await tools.evaluate(expression)
        if screenshot is not None:
            shot = await tools.call("Page.captureScreenshot", format="png")
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        await asyncio.sleep(0.3)  # let late console/log events arrive before reading them
        await tools.call("Runtime.evaluate", expression="0")
        errors, remote = _errors_and_requests(tools.events)
        return PageReport(errors, remote, value)


def open_page(
    page: Path | str,
    screenshot: Path | None = None,
    ready: str = "document.readyState === 'complete'",
    expression: str = "null",
) -> PageReport:
    """Load ``page`` (a file or a URL), wait until ``ready`` is true, evaluate ``expression``, save a PNG
    screenshot when ``screenshot`` is given."""
    exe = chromium()
    url = page if isinstance(page, str) else page.resolve().as_uri()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            port = _devtools_port(proc, timeout=60)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as resp:
                targets = json.load(resp)
            ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")
            return asyncio.run(_drive(ws_url, url, ready, expression, screenshot, timeout=90))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _devtools_port(proc: subprocess.Popen[str], timeout: float) -> int:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
        if match:
            return int(match.group(1))
    raise RuntimeError("Chromium did not start its DevTools endpoint:\n" + "".join(seen[-20:]))
