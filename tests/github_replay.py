"""The real recorded GitHub exchanges (PyGithub ReplayData) as data, and a small local server that replays them.

ReplayData format (../shared/fixtures/real/SOURCES.md): 10 lines per exchange (scheme, method, host, port,
path+query, request headers, request body, status, response headers, response body), one blank line between.
"""

from __future__ import annotations

import ast
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.real_fixtures import require_shared

DROPPED = {"content-encoding", "transfer-encoding", "content-length", "status", "connection"}


@dataclass
class Exchange:
    method: str
    path: str
    request_headers: dict[str, str]
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def exchanges(name: str) -> list[Exchange]:
    """Every exchange of ``pygithub_<name>.txt``."""
    lines = (require_shared() / f"pygithub_{name}.txt").read_text(encoding="utf-8").split("\n")
    out = []
    for start in range(0, len(lines) - 9, 11):
        chunk = lines[start : start + 10]
        out.append(
            Exchange(
                method=chunk[1],
                path=chunk[4],
                request_headers=ast.literal_eval(chunk[5]),
                status=int(chunk[7]),
                headers=list(ast.literal_eval(chunk[8])),
                body=chunk[9],
            )
        )
    return out


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""


class ReplayServer:
    """Serves ``routes(method, path, headers, body) -> Answer | None`` on 127.0.0.1; records every request.

    ``{base}`` in answers is replaced by the server's base URL, so recorded bodies and Link headers can point
    back at it (``https://api.github.com`` is rewritten to the base as well).
    """

    def __init__(self, routes: Callable[[str, str, dict[str, str], bytes], Answer | None]) -> None:
        self.routes = routes
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append({"method": self.command, "path": self.path, "headers": headers, "body": body})
                answer = server.routes(self.command, self.path, headers, body) or Answer(
                    404, [], '{"message": "Not Found"}'
                )
                data = server.rewrite(answer.body).encode()
                self.send_response(answer.status)
                for name, value in answer.headers:
                    if name.lower() not in DROPPED:
                        self.send_header(name, server.rewrite(value))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def rewrite(self, text: str) -> str:
        return text.replace("https://api.github.com", self.base).replace("{base}", self.base)

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
