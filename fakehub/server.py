"""HTTP plumbing of the fake registry: a router over pluggable API modules, fault injection and a request log.

An API module is an object with ``name``, ``prefixes`` (URL path prefixes it owns), ``urls(base) -> dict`` (keys
added to the CLI's JSON line) and ``handle(req: FakeRequest) -> FakeResponse | None``; it may also have
``set_generation(g)``.  Each entry of ``MODULES`` names a Python module exposing ``add_arguments(parser)`` and
``create(args) -> module object``; add ``openai.py`` / ``github.py`` the same way.
A module may own control paths (``control_prefixes`` + ``control(req)``) and add request-log keys
(``FakeResponse.log``).

Control endpoints (never fault-injected, rate limited or logged):
``GET /_fake/requests[?clear=1]``, ``POST /_fake/requests/clear``, ``POST /_fake/generation?g=N``, ``GET /_fake/info``.
"""

from __future__ import annotations

import importlib
import json
import random
import socket
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs

MODULES: list[str] = ["fakehub.hf", "fakehub.hf_spaces", "fakehub.openai", "fakehub.github"]

LOG_MAX = 500_000


@dataclass
class FakeRequest:
    method: str
    path: str  # raw, undecoded, without the query string
    query: dict[str, list[str]]
    headers: Message  # case-insensitive
    body: bytes = b""
    raw_query: str = ""
    base_url: str = ""  # scheme://host:port the client used

    def param(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def flag(self, name: str) -> bool:
        """Boolean query parameter: true/True/1 (any case)."""
        return (self.param(name) or "").lower() in ("true", "1", "yes")


@dataclass
class FakeResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    api: bool = True  # an API (JSON) answer: subject to malformed-body faults; file downloads are not
    log: dict[str, Any] = field(default_factory=dict)  # extra request-log keys (e.g. bucket, token label)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> FakeResponse:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return FakeResponse(status, [("Content-Type", "application/json; charset=utf-8"), *headers], body)


class ApiModule(Protocol):
    name: str
    prefixes: tuple[str, ...]

    def urls(self, base: str) -> dict[str, str]: ...

    def handle(self, req: FakeRequest) -> FakeResponse | None: ...


@dataclass(frozen=True)
class Decision:
    error: int = 0  # status to return instead of the real response, 0 = none
    truncate: bool = False
    malformed: bool = False


class Faults:
    """Seeded fault schedule: the n-th faultable request always gets the same decision."""

    def __init__(
        self,
        seed: int,
        latency_ms: float = 0,
        error_rate: float = 0,
        truncate_rate: float = 0,
        malformed_rate: float = 0,
    ) -> None:
        self.latency = latency_ms / 1000
        self.error_rate = error_rate
        self.truncate_rate = truncate_rate
        self.malformed_rate = malformed_rate
        self._rng = random.Random(f"faults:{seed}")
        self._lock = threading.Lock()

    def draw(self) -> Decision:
        with self._lock:
            e, t, m, c = (self._rng.random() for _ in range(4))
        if e < self.error_rate:
            return Decision(error=(500, 502, 503)[int(c * 3)])
        return Decision(truncate=t < self.truncate_rate, malformed=m < self.malformed_rate)


class InFlight:
    """Requests being answered per ``Host``: a client's per-host concurrency as the registry sees it."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def track(self, host: str) -> Iterator[int]:
        """Counts this request while it is answered; yields how many (itself included) were in flight on arrival."""
        with self._lock:
            self._counts[host] += 1
            count = self._counts[host]
        try:
            yield count
        finally:
            with self._lock:
                self._counts[host] -= 1


class RequestLog:
    def __init__(self) -> None:
        self._items: deque[dict[str, Any]] = deque(maxlen=LOG_MAX)
        self._lock = threading.Lock()

    def add(self, req: FakeRequest, status: int, extra: dict[str, Any] | None = None) -> None:
        auth = bool(req.headers.get("Authorization"))
        entry = {"method": req.method, "path": req.path, "query": req.query, "status": status, "auth": auth}
        if extra:
            entry.update(extra)
        with self._lock:
            self._items.append(entry)

    def snapshot(self, clear: bool = False) -> list[dict[str, Any]]:
        with self._lock:
            items = list(self._items)
            if clear:
                self._items.clear()
        return items

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], modules: list[Any], faults: Faults) -> None:
        super().__init__(address, Handler)
        self.modules = modules
        self.faults = faults
        self.log = RequestLog()
        self.in_flight = InFlight()
        self._routes = sorted(((p, m) for m in modules for p in m.prefixes), key=lambda pm: -len(pm[0]))
        self.control_prefixes = tuple(p for m in modules for p in getattr(m, "control_prefixes", ()))

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = {}
        for module in self.modules:
            info.update(module.urls(self.base_url))
        return info

    def route(self, req: FakeRequest) -> FakeResponse:
        for prefix, module in self._routes:
            if req.path.startswith(prefix):
                resp = module.handle(req)
                if resp is not None:
                    return resp
        return json_response(404, {"error": "Not Found"})

    def control(self, req: FakeRequest) -> FakeResponse:
        if req.path == "/_fake/requests" and req.method == "GET":
            return json_response(200, self.log.snapshot(clear=req.flag("clear")))
        if req.path == "/_fake/requests/clear" and req.method == "POST":
            self.log.clear()
            return json_response(200, {"ok": True})
        if req.path == "/_fake/generation" and req.method == "POST":
            try:
                generation = int(req.param("g") or "")
            except ValueError:
                return json_response(400, {"error": "g must be an integer"})
            for module in self.modules:
                if hasattr(module, "set_generation"):
                    module.set_generation(generation)
            return json_response(200, {"generation": generation})
        if req.path == "/_fake/info" and req.method == "GET":
            return json_response(200, self.info())
        for module in self.modules:
            if req.path.startswith(getattr(module, "control_prefixes", ())):
                resp = module.control(req)
                if resp is not None:
                    return resp
        return json_response(404, {"error": "unknown control endpoint"})


def _corrupt(body: bytes) -> bytes:
    """A JSON body cut in the middle and followed by junk: never parses."""
    return body[: len(body) // 2] + b"\x00<html>upstream error"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes: Nagle + delayed ACK would add 40 ms
    served = 0  # requests answered on this connection (one handler per connection): 1 = a new connection
    server: FakeServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        self._dispatch()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        raw_path, _, raw_query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        req = FakeRequest(
            self.command,
            raw_path,
            parse_qs(raw_query, keep_blank_values=True),
            self.headers,
            body,
            raw_query,
            f"http://{host}",
        )
        if raw_path.startswith(("/_fake/", *self.server.control_prefixes)):
            self._send(self.server.control(req))
            return
        self.served += 1
        with self.server.in_flight.track(host) as in_flight:
            self._answer(req, {"in_flight": in_flight, "on_connection": self.served})

    def _answer(self, req: FakeRequest, seen: dict[str, int]) -> None:
        faults = self.server.faults
        decision = faults.draw()
        if faults.latency:
            time.sleep(faults.latency)
        if decision.error == 500:
            resp = json_response(500, {"error": "Internal Error - We're working hard to fix this as soon as possible!"})
        elif decision.error:  # gateway errors come from the CDN in front of the API: HTML, not JSON
            page = (
                f"<html><body><h1>{decision.error} ERROR</h1><p>The request could not be satisfied.</p></body></html>"
            )
            resp = FakeResponse(decision.error, [("Content-Type", "text/html")], page.encode())
        else:
            try:
                resp = self.server.route(req)
            except Exception:  # a bug in a module must not kill the connection silently
                traceback.print_exc(file=sys.stderr)
                resp = json_response(500, {"error": "fake server bug, see its stderr"})
            ctype = resp.header("Content-Type") or ""
            if decision.malformed and resp.api and resp.status == 200 and ctype.startswith("application/json"):
                resp = FakeResponse(resp.status, resp.headers, _corrupt(resp.body), log=resp.log)
        self.server.log.add(req, resp.status, {**(resp.log or {}), **seen})
        self._send(resp, truncate=decision.truncate)

    def _send(self, resp: FakeResponse, truncate: bool = False) -> None:
        self.send_response(resp.status)
        has_length = False
        for key, value in resp.headers:
            has_length = has_length or key.lower() == "content-length"
            self.send_header(key, value)
        if not has_length:
            self.send_header("Content-Length", str(len(resp.body)))
        if self.command == "HEAD":
            self.end_headers()
            return
        if truncate and len(resp.body) > 1:
            self.end_headers()
            self.wfile.write(resp.body[: len(resp.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._headers_buffer.append(b"\r\n")  # headers and body in one write
        self._headers_buffer.append(resp.body)
        self.flush_headers()


def load_modules() -> list[Any]:
    return [importlib.import_module(name) for name in MODULES]
