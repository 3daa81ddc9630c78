"""Fake Hugging Face Hub API module (routes, auth, errors, pagination, rate limits).

Routes: ``GET /api/models``, ``/api/models/{id}[/revision/{rev}]``, ``.../tree/{rev}[/{path}]``,
``.../commits/{rev}``, ``.../refs``, ``.../discussions[/{num}]``, ``POST .../paths-info/{rev}``,
``GET|HEAD /{id}/resolve/{rev}/{path}`` and the CDN ``/_cdn/lfs/{sha256}`` that LFS downloads redirect to.

Auth model: ``--token T`` is the only valid token (without it, any bearer token is valid).  The token's user owns
nothing: private models are 401 anonymous / 404 with a token and never listed.  Gated models serve metadata to
everyone; their files (except README.md and .gitattributes) answer 401 GatedRepo anonymous, 403 GatedRepo with a token.
Disabled models answer 403 on every repo route but stay in listings (``disabled: true`` with ``full``).
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import re
import threading
import time
import zlib
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode

from . import hf_views as views
from .hf_data import SORT_KEYS, HubData
from .hf_model import Commit, Model, hexid, iso
from .hf_vocab import TASKS
from .server import FakeRequest, FakeResponse, json_response

PAGE_MAX = 1000
EXPOSE = (
    "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,Accept-Ranges,"
    "Content-Range,X-Xet-Access-Token,X-Xet-Token-Expiration,X-Xet-Refresh-Route,X-Xet-Cas-Url,X-Xet-Hash"
)
REPO_SUBROUTES = frozenset({"revision", "tree", "commits", "refs", "discussions", "paths-info"})
UNGATED_FILES = frozenset({"README.md", ".gitattributes"})
BAD_TOKEN = "Invalid credentials in Authorization header"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Hugging Face Hub")
    group.add_argument("--models", type=int, default=100, help="number of generated models (generation 0)")
    group.add_argument("--generation", type=int, default=0)
    group.add_argument("--rate-limit", type=int, default=None, help="requests per window and bucket")
    group.add_argument("--rate-window", type=int, default=300, help="seconds")
    group.add_argument("--token", default=None, help="the only valid bearer token")
    group.add_argument("--traps", action="store_true", help="add fake-traps/* models with hostile data")
    group.add_argument(
        "--hostile", action="store_true", help="add fake-hostile/* models: NUL, huge integers, odd and long ids"
    )
    group.add_argument("--real-fixtures", default=None, help="directory holding hf_*.yaml cassettes")
    group.add_argument(
        "--cache-list-pages",
        action="store_true",
        help="keep rendered /api/models pages (benchmarks: measure the client, not the fake's page rendering)",
    )


def create(args: argparse.Namespace) -> HfApi:
    from .hf_hostile import hostile_models
    from .hf_real import load_real_models
    from .hf_traps import trap_models

    extras: list[Model] = []
    if args.traps:
        extras += trap_models(args.seed)
    if args.hostile:
        extras += hostile_models(args.seed)
    if args.real_fixtures:
        extras += load_real_models(args.real_fixtures, args.seed)
    hub = HubData(args.seed, args.models, args.generation, extras)
    return HfApi(hub, args.token, args.rate_limit, args.rate_window, cache_list_pages=args.cache_list_pages)


class RateLimiter:
    """Fixed windows per bucket, aligned on the server start."""

    def __init__(self, quota: int | None, window: int) -> None:
        self.enforced = quota is not None
        self.quota = quota if quota is not None else 1_000_000
        self.window = window
        self._start = time.monotonic()
        self._used: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def take(self, bucket: str) -> tuple[bool, int, int]:
        """Count one request: (allowed, remaining, seconds to reset)."""
        elapsed = time.monotonic() - self._start
        index = int(elapsed // self.window)
        reset = max(1, math.ceil((index + 1) * self.window - elapsed))
        with self._lock:
            win, used = self._used.get(bucket, (index, 0))
            if win != index:
                used = 0
            if self.enforced and used >= self.quota:
                self._used[bucket] = (index, used)
                return False, 0, reset
            used += 1
            self._used[bucket] = (index, used)
        return True, max(0, self.quota - used), reset

    def headers(self, bucket: str, remaining: int, reset: int) -> list[tuple[str, str]]:
        return [
            ("RateLimit", f'"{bucket}";r={remaining};t={reset}'),
            ("RateLimit-Policy", f'"fixed window";"{bucket}";q={self.quota};w={self.window}'),
        ]


def error(
    status: int, message: str, code: str | None = None, headers: list[tuple[str, str]] | None = None
) -> FakeResponse:
    extra = [("X-Error-Message", message)]
    if code:
        extra.insert(0, ("X-Error-Code", code))
    return json_response(status, {"error": message}, [*extra, *(headers or [])])


def encode_cursor(offset: int) -> str:
    raw = json.dumps({"$skip": offset, "v": 1}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    offset = json.loads(raw)["$skip"]
    if not isinstance(offset, int) or offset < 0:
        raise ValueError(cursor)
    return offset


def next_link(req: FakeRequest, **params: str) -> str:
    """Absolute URL of the same request with ``params`` replaced (all original params kept)."""
    pairs = [(k, v) for k, values in req.query.items() if k not in params for v in values]
    pairs += list(params.items())
    return f'<{req.base_url}{req.path}?{urlencode(pairs, quote_via=quote)}>; rel="next"'


class HfApi:
    name = "hf"
    prefixes = ("/api/", "/_cdn/", "/")

    def __init__(
        self, hub: HubData, token: str | None, rate_limit: int | None, rate_window: int, cache_list_pages: bool = False
    ) -> None:
        self.hub = hub
        # (generation, user, query) -> rendered list page, when --cache-list-pages.
        self._page_cache: dict[tuple[Any, ...], FakeResponse] | None = {} if cache_list_pages else None
        self.token = token
        self.limiter = RateLimiter(rate_limit, rate_window)
        self._request_no = 0
        self._prefetching: set[int] = set()

    def urls(self, base: str) -> dict[str, str]:
        return {"hf_endpoint": base}

    def set_generation(self, generation: int) -> None:
        self.hub.set_generation(generation)

    # ---------------------------------------------------------------- entry point
    def handle(self, req: FakeRequest) -> FakeResponse | None:
        path = req.path
        if path.startswith("/api/"):
            bucket = "api"
        elif path.startswith("/_cdn/") or "/resolve/" in path:
            bucket = "resolvers"
        else:
            return None
        allowed, remaining, reset = self.limiter.take(bucket)
        if not allowed:
            resp = error(
                429,
                f"You have exceeded our rate limit ({self.limiter.quota} requests per "
                f"{self.limiter.window} seconds for the '{bucket}' bucket). Retry in {reset} seconds.",
            )
        else:
            resp = self._route(req, bucket)
        self._request_no += 1
        resp.headers += [
            *self.limiter.headers(bucket, remaining, reset),
            ("Access-Control-Expose-Headers", EXPOSE),
            ("X-Powered-By", "huggingface-moon"),
            ("X-Request-Id", f"Root=1-{hexid('req', self._request_no, length=8)}-{hexid(self._request_no)[:24]}"),
        ]
        if resp.header("Vary") is None:
            resp.headers.append(("Vary", "Origin"))
        if bucket == "api" and resp.status == 200 and resp.header("ETag") is None:
            resp.headers.append(("ETag", f'W/"{len(resp.body):x}-{zlib.crc32(resp.body):08x}"'))
        return resp

    def _route(self, req: FakeRequest, bucket: str) -> FakeResponse:
        auth = self._auth(req)
        if auth == "invalid":
            return error(401, BAD_TOKEN)
        user = auth == "user"
        if bucket == "resolvers" and req.path.startswith("/_cdn/"):
            return self._cdn(req)
        raw = req.path.split("/")
        if bucket == "resolvers":
            return self._resolve(req, raw, user)
        if req.path in ("/api/models", "/api/models/"):
            if req.method not in ("GET", "HEAD"):
                return error(405, "Method not allowed")
            return self._list(req, user)
        if len(raw) > 3 and raw[:3] == ["", "api", "models"]:
            return self._repo(req, [unquote(s) for s in raw[3:]], raw[3:], user)
        return error(404, "Sorry, we can't find the page you are looking for.")

    def _auth(self, req: FakeRequest) -> str:
        header = req.headers.get("Authorization")
        if not header:
            return "anonymous"
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return "invalid"
        if self.token is not None and value.strip() != self.token:
            return "invalid"
        return "user"

    # ---------------------------------------------------------------- access checks
    def _missing(self, user: bool) -> FakeResponse:
        if user:
            return error(404, "Repository not found", "RepoNotFound")
        return error(401, "Invalid username or password.")

    def _visible(self, model: Model | None, user: bool) -> FakeResponse | None:
        if model is None or model.private:
            return self._missing(user)
        if model.disabled:
            return error(403, "Access to this resource is disabled.")
        return None

    # ---------------------------------------------------------------- listing
    def _list(self, req: FakeRequest, user: bool) -> FakeResponse:
        if self._page_cache is None:
            return self._render_list(req, user)
        key = (self.hub.generation, user, tuple(sorted((k, tuple(v)) for k, v in req.query.items())))
        page = self._page_cache.get(key)
        if page is None:
            page = self._page_cache[key] = self._render_list(req, user)
        return FakeResponse(page.status, list(page.headers), page.body)

    def _render_list(self, req: FakeRequest, user: bool) -> FakeResponse:
        expand = req.query.get("expand", []) + req.query.get("expand[]", [])
        bad = [e for e in expand if e not in views.EXPANDABLE]
        if bad:
            return error(400, f'"expand" must be one of {sorted(views.EXPANDABLE)}, got {bad[0]!r}')
        sort = req.param("sort")
        if sort and sort not in SORT_KEYS:
            return error(400, f'"sort" must be one of {list(SORT_KEYS)}')
        try:
            limit = min(PAGE_MAX, int(req.param("limit") or PAGE_MAX))
            start = decode_cursor(req.param("cursor")) if req.param("cursor") else 0
        except (ValueError, KeyError, TypeError):
            return error(400, "Invalid limit or cursor")
        if limit <= 0:
            return error(400, '"limit" must be a positive integer')
        search = (req.param("search") or "").lower()
        author = (req.param("author") or "").lower()
        filters = req.query.get("filter", [])
        pipeline = req.param("pipeline_tag")
        gated = req.param("gated")
        full, card, config = req.flag("full"), req.flag("cardData"), req.flag("config")
        hub = self.hub
        generation = hub.generation
        order = hub.order(sort, generation)

        task_filters = [f for f in filters if f in TASKS] + ([pipeline] if pipeline else [])

        def matches(key: int) -> Model | None:
            if key >= 0 and (search or author or task_filters):  # cheap pre-checks on the skeleton
                sk = hub.skeleton(key)
                if search and search not in sk.id.lower():
                    return None
                if author and sk.org.lower() != author:
                    return None
                if sk.private or any(task != sk.task for task in task_filters):
                    return None
            model = hub.model(key, generation)
            if model is None or model.private:
                return None
            if search and search not in model.id.lower():
                return None
            if author and model.author.lower() != author:
                return None
            if pipeline and model.pipeline_tag != pipeline:
                return None
            if gated is not None and bool(model.gated) != (gated.lower() in ("true", "1")):
                return None
            for tag in filters:
                if tag not in model.tags and tag != model.pipeline_tag and tag != model.library:
                    return None
            return model

        page: list[dict[str, Any]] = []
        position = start
        more = False
        while position < len(order):
            model = matches(order[position])
            position += 1
            if model is None:
                continue
            if len(page) == limit:
                more = True
                position -= 1
                break
            if expand:
                page.append(views.expanded(hub, model, expand, listing=True))
            else:
                page.append(views.list_entry(hub, model, full, card, config))
        if more:
            self._prefetch(order, position, limit, generation)
        headers = [("Link", next_link(req, cursor=encode_cursor(position)))] if more else []
        return json_response(200, page, headers)

    def _prefetch(self, order: list[int], position: int, limit: int, generation: int) -> None:
        """Build the models of the probable next page in the background, while the client digests this one."""
        keys = order[position : position + limit]
        if not keys or keys[0] in self._prefetching:
            return
        self._prefetching.add(keys[0])

        def warm() -> None:
            try:
                for key in keys:
                    self.hub.model(key, generation)
            finally:
                self._prefetching.discard(keys[0])

        threading.Thread(target=warm, name="fakehub-prefetch", daemon=True).start()

    # ---------------------------------------------------------------- repo routes
    def _repo(self, req: FakeRequest, segs: list[str], raw: list[str], user: bool) -> FakeResponse:
        """Routes under /api/models/{id}; ``segs`` are the decoded path segments after /api/models/."""
        model: Model | None = None
        tail: list[str] = []
        if len(segs) >= 2:
            model = self.hub.find(f"{segs[0]}/{segs[1]}")
            tail = segs[2:]
        if model is None and "/" in segs[0]:  # id sent as a single %2F-encoded segment
            model = self.hub.find(segs[0])
            tail = segs[1:]
        if model is None:
            legacy = self.hub.find_legacy(segs[0])
            if legacy is not None and (len(segs) == 1 or segs[1] in REPO_SUBROUTES):
                return self._redirect("/api/models/" + legacy.id, raw[1:], req)
            return self._missing(user)
        denied = self._visible(model, user)
        if denied:
            return denied
        assert model is not None
        route = tail[0] if tail else ""
        if route == "" and len(tail) <= 1:
            return self._info(req, model, "main")
        if route == "revision" and len(tail) >= 2:
            return self._info(req, model, "/".join(tail[1:]))
        if route == "tree" and len(tail) >= 2:
            return self._tree(req, model, tail[1], "/".join(tail[2:]).strip("/"))
        if route == "commits" and len(tail) >= 2:
            return self._commits(req, model, "/".join(tail[1:]))
        if route == "refs" and len(tail) == 1:
            return self._refs(req, model)
        if route == "discussions":
            return self._discussions(req, model, tail[1:])
        if route == "paths-info" and len(tail) >= 2 and req.method == "POST":
            return self._paths_info(req, model, "/".join(tail[1:]))
        return error(404, "Sorry, we can't find the page you are looking for.")

    def _redirect(self, target: str, raw_rest: list[str], req: FakeRequest) -> FakeResponse:
        location = "/".join([quote(target), *raw_rest]) if raw_rest else quote(target)
        if req.raw_query:
            location += "?" + req.raw_query
        body = f"Temporary Redirect. Redirecting to {location}".encode()
        return FakeResponse(
            307,
            [("Content-Type", "text/plain; charset=utf-8"), ("Location", location), ("Vary", "Origin, Accept")],
            body,
        )

    def _commit(self, model: Model, rev: str) -> Commit | None:
        return model.commit(rev)

    def _info(self, req: FakeRequest, model: Model, rev: str) -> FakeResponse:
        commit = self._commit(model, rev)
        if commit is None:
            return error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        expand = req.query.get("expand", []) + req.query.get("expand[]", [])
        bad = [e for e in expand if e not in views.EXPANDABLE]
        if bad:
            return error(400, f'"expand" must be one of {sorted(views.EXPANDABLE)}, got {bad[0]!r}')
        if expand:
            return json_response(200, views.expanded(self.hub, model, expand, listing=False))
        body = views.model_info(self.hub, model, commit, blobs=req.flag("blobs"), security=req.flag("securityStatus"))
        return json_response(200, body)

    def _entries(self, model: Model, commit: Commit, expand: bool) -> list[dict[str, Any]]:
        """All tree entries (files and folders) of a revision, sorted by path."""
        entries: dict[str, dict[str, Any]] = {}
        for spec in model.files:
            meta = self.hub.files.meta(model, spec, commit.version)
            entry: dict[str, Any] = {"type": "file", "oid": meta.oid, "size": meta.size, "path": spec.path}
            if meta.sha256:
                entry["lfs"] = {"oid": meta.sha256, "size": meta.size, "pointerSize": meta.pointer_size}
            if expand:
                last = _last_commit(model, commit, spec.path)
                entry["lastCommit"] = {"id": last.id, "title": last.title, "date": iso(last.ts)}
                scan = {
                    "status": "safe",
                    "avScan": {"status": "safe"},
                    "pickleImportScan": {"status": "unscanned", "pickleImports": []},
                }
                entry["securityFileStatus"] = scan
            entries[spec.path] = entry
            parts = spec.path.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder and folder not in entries:
                    entries[folder] = {
                        "type": "directory",
                        "oid": hexid(model.id, commit.id, folder),
                        "size": 0,
                        "path": folder,
                    }
        return [entries[p] for p in sorted(entries)]

    def _tree(self, req: FakeRequest, model: Model, rev: str, folder: str) -> FakeResponse:
        commit = self._commit(model, rev)
        if commit is None:
            return error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        expand = req.flag("expand")
        entries = self._entries(model, commit, expand)
        if folder and not any(e["path"] == folder and e["type"] == "directory" for e in entries):
            return error(404, f"Entry not found: {folder}", "EntryNotFound", [("X-Repo-Commit", commit.id)])
        prefix = folder + "/" if folder else ""
        recursive = req.flag("recursive")
        selected = [
            e for e in entries if e["path"].startswith(prefix) and (recursive or "/" not in e["path"][len(prefix) :])
        ]
        try:
            start = decode_cursor(req.param("cursor")) if req.param("cursor") else 0
        except (ValueError, KeyError, TypeError):
            return error(400, "Invalid cursor")
        size = 50 if expand else PAGE_MAX
        page = selected[start : start + size]
        headers = [("X-Repo-Commit", commit.id)]
        if start + size < len(selected):
            headers.append(("Link", next_link(req, cursor=encode_cursor(start + size))))
        return json_response(200, page, headers)

    def _paths_info(self, req: FakeRequest, model: Model, rev: str) -> FakeResponse:
        commit = self._commit(model, rev)
        if commit is None:
            return error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        form = parse_qs(req.body.decode(errors="replace"))
        wanted = set(form.get("paths", []))
        expand = (form.get("expand", ["false"])[-1]).lower() in ("true", "1")
        return json_response(200, [e for e in self._entries(model, commit, expand) if e["path"] in wanted])

    def _commits(self, req: FakeRequest, model: Model, rev: str) -> FakeResponse:
        commit = self._commit(model, rev)
        if commit is None:
            return error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        history = model.commits
        if commit.id in {c.id for c in history}:
            history = history[[c.id for c in history].index(commit.id) :]
        else:  # PR head: its commit on top of main
            history = [commit, *history]
        try:
            page_no = int(req.param("p") or 0)
            limit = min(PAGE_MAX, int(req.param("limit") or 50))
        except ValueError:
            return error(400, "Invalid p or limit")
        formatted = "formatted" in req.query.get("expand[]", []) + req.query.get("expand", [])
        items = [views.commit_item(c, formatted) for c in history[page_no * limit : (page_no + 1) * limit]]
        headers = [("X-Total-Count", str(len(history)))]
        if (page_no + 1) * limit < len(history):
            headers.append(("Link", next_link(req, p=str(page_no + 1))))
        return json_response(200, items, headers)

    def _refs(self, req: FakeRequest, model: Model) -> FakeResponse:
        body: dict[str, Any] = {
            "branches": [{"name": "main", "ref": "refs/heads/main", "targetCommit": model.sha}],
            "converts": [],
            "tags": [
                {"name": name, "ref": f"refs/tags/{name}", "targetCommit": target} for name, target in model.tag_refs
            ],
        }
        if req.flag("include_prs"):
            body["pullRequests"] = [
                {"name": f"refs/pr/{d.num}", "ref": f"refs/pr/{d.num}", "targetCommit": d.head_commit}
                for d in model.discussions
                if d.is_pr
            ]
        return json_response(200, body)

    def _discussions(self, req: FakeRequest, model: Model, tail: list[str]) -> FakeResponse:
        if model.discussions_disabled:
            return error(403, "Discussions are disabled for this repo")
        if tail:
            if len(tail) != 1 or not tail[0].isdigit():
                return error(404, "Sorry, we can't find the page you are looking for.")
            for disc in model.discussions:
                if disc.num == int(tail[0]):
                    return json_response(200, views.discussion_details(model, disc, req.flag("diff")))
            return error(404, "Discussion not found")
        kind = req.param("type") or "all"
        status = req.param("status") or "all"
        author = req.param("author")
        items = [
            d
            for d in reversed(model.discussions)
            if (kind == "all" or (kind == "pull_request") == d.is_pr)
            and (status == "all" or (status == "open") == (d.status in ("open", "draft")))
            and (author is None or d.author == author)
        ]
        try:
            page_no = int(req.param("p") or 0)
        except ValueError:
            return error(400, "Invalid p")
        per_page = 50
        body = {
            "discussions": [
                views.discussion_item(model, d) for d in items[page_no * per_page : (page_no + 1) * per_page]
            ],
            "count": len(items),
            "start": page_no * per_page,
            "numItemsPerPage": per_page,
        }
        return json_response(200, body)

    # ---------------------------------------------------------------- files
    def _resolve(self, req: FakeRequest, raw: list[str], user: bool) -> FakeResponse:
        if req.method not in ("GET", "HEAD"):
            return error(405, "Method not allowed")
        segs = [unquote(s) for s in raw]
        # /{org}/{name}/resolve/{rev}/{path...}  or legacy /{name}/resolve/{rev}/{path...}
        if len(segs) > 4 and segs[3] == "resolve":
            model = self.hub.find(f"{segs[1]}/{segs[2]}")
            rev, path = segs[4], "/".join(segs[5:])
        elif len(segs) > 3 and segs[2] == "resolve":
            legacy = self.hub.find_legacy(segs[1])
            if legacy is not None:
                return self._redirect("/" + legacy.id, raw[2:], req)
            model, rev, path = None, segs[3], "/".join(segs[4:])
        else:
            return error(404, "Sorry, we can't find the page you are looking for.")
        denied = self._visible(model, user)
        if denied:
            return denied
        assert model is not None
        commit = self._commit(model, rev)
        if commit is None:
            return error(404, f"Invalid rev id: {rev}", "RevisionNotFound")
        spec = model.file(path)
        if spec is None:
            return error(404, "Entry not found", "EntryNotFound", [("X-Repo-Commit", commit.id)])
        if model.gated and path not in UNGATED_FILES:
            if not user:
                return error(
                    401,
                    f"Access to model {model.id} is restricted. You must have access to it and be "
                    "authenticated to access it. Please log in.",
                    "GatedRepo",
                )
            return error(
                403,
                f"Access to model {model.id} is restricted and you are not in the authorized list. "
                f"Visit https://huggingface.co/{model.id} to ask for access.",
                "GatedRepo",
            )
        meta = self.hub.files.meta(model, spec, commit.version)
        common = [("X-Repo-Commit", commit.id), ("Accept-Ranges", "bytes")]
        if meta.sha256:
            location = (
                f"{_cdn_base(req)}/_cdn/lfs/{meta.sha256}?repo={quote(model.id, safe='')}"
                f"&rev={commit.id}&file={quote(path, safe='')}"
            )
            body = f"Found. Redirecting to {location}".encode()
            return FakeResponse(
                302,
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Location", location),
                    ("X-Linked-Size", str(meta.size)),
                    ("X-Linked-Etag", f'"{meta.sha256}"'),
                    ("ETag", f'"{meta.sha256}"'),
                    *common,
                ],
                body,
            )
        data = self.hub.files.content(model, spec, commit.version)
        return _ranged(req, data, [("Content-Type", _content_type(path)), ("ETag", f'"{meta.oid}"'), *common])

    def _cdn(self, req: FakeRequest) -> FakeResponse:
        sha = req.path.rsplit("/", 1)[-1]
        model = self.hub.find(req.param("repo") or "")
        commit = model.commit(req.param("rev") or "") if model else None
        spec = model.file(req.param("file") or "") if model else None
        if model is None or commit is None or spec is None:
            return FakeResponse(404, [("Content-Type", "application/xml")], b"<Error><Code>NoSuchKey</Code></Error>")
        meta = self.hub.files.meta(model, spec, commit.version)
        if meta.sha256 != sha:
            return FakeResponse(404, [("Content-Type", "application/xml")], b"<Error><Code>NoSuchKey</Code></Error>")
        data = self.hub.files.content(model, spec, commit.version)
        return _ranged(req, data, [("Content-Type", "application/octet-stream"), ("ETag", f'"{sha}"')])


def _cdn_base(req: FakeRequest) -> str:
    """The CDN lives on another host name for the same server (127.0.0.1 <-> localhost), as the real CDN is on
    another host: clients must not follow it for metadata, nor send it their Hub token."""
    scheme, _, hostport = req.base_url.partition("://")
    host, sep, port = hostport.rpartition(":")
    if not sep:
        host, port = hostport, ""
    other = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(host, host)
    return f"{scheme}://{other}{sep}{port}"


def _last_commit(model: Model, commit: Commit, path: str) -> Commit:
    """The commit that last touched ``path`` at ``commit`` (only README.md changes after generation 0)."""
    history = [c for c in model.commits if c.ts <= commit.ts] or [commit]
    if path == "README.md" and commit.version:
        return next((c for c in history if c.version == commit.version and c.title == "Update README.md"), commit)
    return history[-1]


def _content_type(path: str) -> str:
    if path.endswith((".md", ".txt")) or path == ".gitattributes":
        return "text/plain; charset=utf-8"
    if path.endswith(".json"):
        return "application/json"
    return "application/octet-stream"


def _ranged(req: FakeRequest, data: bytes, headers: list[tuple[str, str]]) -> FakeResponse:
    """200 with the whole body, or 206 for a satisfiable single ``Range`` (416 otherwise)."""
    header = req.headers.get("Range")
    if not header:
        return FakeResponse(200, headers, data, api=False)
    match = _RANGE.match(header.strip())
    size = len(data)
    if not match or match.group(1) == match.group(2) == "":
        return FakeResponse(416, [*headers, ("Content-Range", f"bytes */{size}")], b"", api=False)
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start >= size or start > end:
        return FakeResponse(416, [*headers, ("Content-Range", f"bytes */{size}")], b"", api=False)
    content_range = ("Content-Range", f"bytes {start}-{end}/{size}")
    return FakeResponse(206, [*headers, content_range], data[start : end + 1], api=False)
