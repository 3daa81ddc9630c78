"""Fake GitHub API module (REST + the contract's GraphQL query) under ``<server>/gh``.

Routes (relative to ``github_api_url``): ``GET /repos/{o}/{r}``, ``.../license``, ``.../issues``,
``.../issues/{n}``, ``.../issues/{n}/comments``, ``.../contents/{path}``, the same under ``/repositories/{id}``,
``GET /search/code``, ``GET /search/repositories``, ``GET /rate_limit``, ``POST /graphql``;
``GET /_raw/{o}/{r}/{ref}/{path}`` serves ``download_url`` bytes.
Control (no quota, no faults, not logged): ``GET /gh/_fake/github/world``.
See fakehub/README.md for the behaviour.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import threading
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote, urlencode

from . import github_graphql as gql
from . import github_search as search
from . import github_views as views
from .github_data import World, hf_pool
from .github_limits import Limits, Take
from .github_model import Repo, http_date, iso
from .server import FakeRequest, FakeResponse, json_response

PREFIX = "/gh"
DOCS = "https://docs.github.com/rest"
EXPOSE = (
    "ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, "
    "X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, "
    "X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("GitHub")
    group.add_argument("--github-repos", type=int, default=100, help="generated downstream repositories")
    group.add_argument("--pytorch-pages", type=int, default=12, help="model pages of pytorch/hub")
    group.add_argument("--github-issues", type=int, default=None, help="issues+PRs per repository (default 0-80)")
    group.add_argument("--github-tokens", default=None, help="comma-separated valid tokens (default: any)")
    group.add_argument("--github-rate-limit", type=int, default=5000, help="core quota per window and token")
    group.add_argument("--github-rate-window", type=int, default=3600, help="seconds (core and graphql)")
    group.add_argument("--github-search-rate", type=int, default=30, help="search quota per search window")
    group.add_argument("--github-code-search-rate", type=int, default=10, help="code_search quota per window")
    group.add_argument("--github-search-window", type=int, default=60, help="seconds")
    group.add_argument("--github-graphql-rate", type=int, default=5000, help="graphql points per window")
    group.add_argument("--github-secondary-rate", type=float, default=0.0, help="share of secondary-limit 403s")
    group.add_argument("--github-retry-after", type=int, default=60, help="Retry-After of secondary limits (s)")
    group.add_argument("--github-limit-status", type=int, default=403, choices=(403, 429), help="primary limit status")
    group.add_argument("--github-search-cap", type=int, default=1000, help="results reachable per search")
    group.add_argument("--github-no-git", action="store_true", help="skip the git repositories (no clones)")
    group.add_argument(
        "--github-eager", action="store_true", help="build the world at start-up (default: at the first /gh request)"
    )


def create(args: argparse.Namespace) -> GitHubApi:
    def build() -> World:
        world = World(
            args.seed,
            args.github_repos,
            args.pytorch_pages,
            hf_pool(args.seed, getattr(args, "models", 0)),
            args.github_issues,
        )
        world.set_generation(getattr(args, "generation", 0))
        if not args.github_no_git:
            from .github_git import GitStore

            store = GitStore()
            store.build([r for r in world.repos if r.status not in ("deleted", "private")])
            world.git_root = str(store.root)
            world.git_store = store  # keeps the folder until exit
        return world

    limits = Limits(
        args.github_rate_limit,
        args.github_rate_window,
        args.github_search_rate,
        args.github_code_search_rate,
        args.github_search_window,
        args.github_graphql_rate,
        args.github_secondary_rate,
        args.seed,
    )
    tokens = [t for t in (args.github_tokens or "").split(",") if t]
    api = GitHubApi(build, limits, tokens, args.github_retry_after, args.github_limit_status, args.github_search_cap)
    if args.github_eager:
        api.world  # noqa: B018 - build before the CLI prints its JSON line
    return api


def error(status: int, message: str, doc: str = DOCS, headers: list[tuple[str, str]] | None = None, **extra: Any):
    body = {"message": message, **extra, "documentation_url": doc, "status": str(status)}
    return json_response(status, body, headers or [])


NOT_FOUND = "Not Found"


class GitHubApi:
    name = "github"
    prefixes = (PREFIX + "/",)
    control_prefixes = (PREFIX + "/_fake/",)

    def __init__(
        self,
        build: Callable[[], World],
        limits: Limits,
        tokens: list[str],
        retry_after: int,
        limit_status: int,
        search_cap: int,
    ) -> None:
        self._build = build
        self._world: World | None = None
        self._world_lock = threading.Lock()
        self._generation: int | None = None
        self.limits = limits
        self.tokens = tokens
        self.retry_after = retry_after
        self.limit_status = limit_status
        self.search_cap = search_cap
        self._labels: dict[str, str] = {}
        self._lock = threading.Lock()
        self._request_no = 0

    @property
    def world(self) -> World:
        """The generated world, built once on first use (HF-only test runs never pay for it)."""
        if self._world is None:
            with self._world_lock:
                if self._world is None:
                    world = self._build()
                    if self._generation is not None:
                        world.set_generation(self._generation)
                    self._world = world
        return self._world

    def urls(self, base: str) -> dict[str, str]:
        return {"github_api_url": base + PREFIX}

    def set_generation(self, generation: int) -> None:
        with self._world_lock:
            self._generation = generation
            if self._world is not None:
                self._world.set_generation(generation)

    # ---------------------------------------------------------------- control
    def control(self, req: FakeRequest) -> FakeResponse | None:
        if req.path == PREFIX + "/_fake/github/world" and req.method == "GET":
            return json_response(200, self.world.truth(req.base_url + PREFIX))
        return None

    # ---------------------------------------------------------------- identity
    def _identity(self, req: FakeRequest) -> str | None:
        """``anonymous``, ``token-N`` (never the token itself) or None for a bad token."""
        header = req.headers.get("Authorization") or ""
        if not header:
            return "anonymous"
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() not in ("bearer", "token") or not token:
            return None
        with self._lock:
            if self.tokens:
                return f"token-{self.tokens.index(token) + 1}" if token in self.tokens else None
            label = self._labels.get(token)
            if label is None:
                label = self._labels[token] = f"token-{len(self._labels) + 1}"
            return label

    @staticmethod
    def _bucket(path: str) -> str | None:
        if path.startswith("/search/code"):
            return "code_search"
        if path.startswith("/search/"):
            return "search"
        if path == "/graphql":
            return "graphql"
        if path in ("/rate_limit",) or path.startswith("/_raw/"):
            return None
        return "core"

    # ---------------------------------------------------------------- entry point
    def handle(self, req: FakeRequest) -> FakeResponse | None:
        if not req.path.startswith(PREFIX + "/"):
            return None
        path = req.path[len(PREFIX) :]
        api = req.base_url + PREFIX
        identity = self._identity(req)
        bucket = self._bucket(path)
        resp: FakeResponse
        take: Take | None = None
        if identity is None:
            resp = json_response(401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"})
        elif bucket == "code_search" and identity == "anonymous":
            resp = error(
                401,
                "Requires authentication",
                errors=[
                    {
                        "message": "Must be authenticated to access the code search API",
                        "resource": "Search",
                        "field": "q",
                        "code": "invalid",
                    }
                ],
            )
        elif bucket is not None and self.limits.secondary():
            resp = error(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
                "If you reach out to GitHub Support for help, please include the request ID.",
                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
                [("Retry-After", str(self.retry_after))],
            )
        else:
            if bucket is not None:
                take = self.limits.take(identity, bucket)
            if take is not None and not take.allowed:
                who = "127.0.0.1" if identity == "anonymous" else f"user ID {1000 + int(identity.split('-')[1])}"
                resp = error(
                    self.limit_status,
                    f"API rate limit exceeded for {who}.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
                )
            else:
                resp = self._route(req, path, api, identity, take)
                if resp.status == 304 and take is not None:
                    take = self.limits.give_back(identity, take.resource)
        if take is not None:
            resp.headers += take.headers()
        self._finish(resp, req)
        resp.log = {"bucket": bucket, "token": identity if identity != "anonymous" else None, "cost": 0}
        if take is not None and take.allowed and resp.status != 304:
            resp.log["cost"] = 1
        return resp

    def _finish(self, resp: FakeResponse, req: FakeRequest) -> None:
        with self._lock:
            self._request_no += 1
            n = self._request_no
        resp.headers += [
            ("X-GitHub-Media-Type", "github.v3; format=json"),
            ("x-github-api-version-selected", "2022-11-28"),
            ("Access-Control-Expose-Headers", EXPOSE),
            ("Access-Control-Allow-Origin", "*"),
            ("X-GitHub-Request-Id", f"FAKE:{n:06X}:{hashlib.sha1(req.path.encode()).hexdigest()[:6].upper()}"),
        ]
        if resp.header("Cache-Control") is None:
            resp.headers.append(("Cache-Control", "private, max-age=60, s-maxage=60"))
        if resp.header("Vary") is None:
            resp.headers.append(
                ("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With")
            )

    def _route(self, req: FakeRequest, path: str, api: str, identity: str, take: Take | None) -> FakeResponse:
        if path == "/rate_limit" and req.method == "GET":
            return self._rate_limit(identity)
        if path == "/graphql":
            if req.method != "POST":
                return error(404, NOT_FOUND)
            return self._graphql(req, identity, take)
        if req.method not in ("GET", "HEAD"):
            return error(404, NOT_FOUND)
        if path == "/search/code":
            return self._search_code(req, api)
        if path == "/search/repositories":
            return self._search_repos(req, api)
        if path.startswith("/_raw/"):
            return self._raw(path)
        parts = path.split("/")
        if len(parts) >= 4 and parts[1] == "repos":
            repo, renamed = self.world.find(f"{unquote(parts[2])}/{unquote(parts[3])}")
            rest = parts[4:]
            if repo is not None and renamed:
                loc = f"{api}/repositories/{repo.id}" + "".join("/" + p for p in rest)
                if req.raw_query:
                    loc += "?" + req.raw_query
                return error(301, "Moved Permanently", DOCS, [("Location", loc)], url=loc)
        elif len(parts) >= 3 and parts[1] == "repositories" and parts[2].isdigit():
            repo = self.world.by_id.get(int(parts[2]))
            rest = parts[3:]
        else:
            return error(404, NOT_FOUND)
        if repo is None or repo.status in ("deleted", "private"):
            return error(404, NOT_FOUND, "https://docs.github.com/rest/repos/repos#get-a-repository")
        return self._repo_route(req, repo, rest, api, identity)

    # ---------------------------------------------------------------- repository routes
    def _repo_route(self, req: FakeRequest, repo: Repo, rest: list[str], api: str, identity: str) -> FakeResponse:
        gen = self.world.generation
        if not rest or rest == [""]:
            body = views.repository(repo, api, gen, identity != "anonymous")
            return self._cached(req, body, repo.updated_ts(gen))
        head = rest[0]
        if head == "license" and len(rest) == 1:
            if repo.license is None or repo.license_path not in repo.files:
                return error(
                    404, NOT_FOUND, "https://docs.github.com/rest/licenses/licenses#get-the-license-for-a-repository"
                )
            return self._cached(req, views.license_file(repo, api, self._raw_base(api)), repo.pushed_ts)
        if head == "issues":
            if len(rest) == 1:
                return self._issues(req, repo, api)
            if not rest[1].isdigit():
                return error(404, NOT_FOUND)
            item = next((i for i in repo.visible_issues(gen) if i.number == int(rest[1])), None)
            if item is None:
                return error(404, NOT_FOUND)
            if len(rest) == 2:
                return self._cached(req, views.issue(item, repo, api, gen), item.updated_ts(gen))
            if len(rest) == 3 and rest[2] == "comments":
                return self._comments(req, repo, item, api)
            return error(404, NOT_FOUND)
        if head == "contents":
            return self._contents(req, repo, unquote("/".join(rest[1:])).strip("/"), api)
        return error(404, NOT_FOUND)

    def _cached(self, req: FakeRequest, body: Any, last_modified: int | None, headers=()) -> FakeResponse:
        """200 with a weak ETag (and Last-Modified), or 304 when the client's copy is current."""
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        stable = raw.replace((req.base_url + PREFIX).encode(), b"")
        root = self.world.git_root
        if root:
            stable = stable.replace(root.encode(), b"")
        etag = f'W/"{hashlib.sha256(stable).hexdigest()}"'
        extra = [("ETag", etag), *headers]
        if last_modified is not None:
            extra.append(("Last-Modified", http_date(last_modified)))
        if _not_modified(req, etag, last_modified):
            return FakeResponse(304, extra, b"")
        return FakeResponse(200, [("Content-Type", "application/json; charset=utf-8"), *extra], raw)

    def _issues(self, req: FakeRequest, repo: Repo, api: str) -> FakeResponse:
        gen = self.world.generation
        state = req.param("state", "open")
        if state not in ("open", "closed", "all"):
            return self._invalid("state", state)
        items = repo.visible_issues(gen)
        if state != "all":
            items = [i for i in items if i.state == state]
        since = req.param("since")
        if since:
            ts = _parse_iso(since)
            if ts is None:
                return self._invalid("since", since)
            items = [i for i in items if i.updated_ts(gen) >= ts]
        wanted = {x.strip().lower() for x in (req.param("labels") or "").split(",") if x.strip()}
        if wanted:
            items = [i for i in items if wanted <= {lb.name.lower() for lb in i.labels}]
        sort = req.param("sort", "created")
        keys = {
            "created": lambda i: i.created_ts,
            "updated": lambda i: i.updated_ts(gen),
            "comments": lambda i: len(i.visible_comments(gen)),
        }
        if sort not in keys:
            return self._invalid("sort", sort or "")
        desc = req.param("direction", "desc") != "asc"
        items = sorted(items, key=lambda i: (keys[sort](i), i.number), reverse=desc)
        page, per_page = _paging(req)
        chunk = items[(page - 1) * per_page : page * per_page]
        body = [views.issue(i, repo, api, gen) for i in chunk]
        link = _links(req, f"{api}/repositories/{repo.id}/issues", page, math.ceil(len(items) / per_page))
        return self._cached(req, body, None, [("Link", link)] if link else [])

    def _comments(self, req: FakeRequest, repo: Repo, item, api: str) -> FakeResponse:  # noqa: ANN001
        comments = item.visible_comments(self.world.generation)
        since = req.param("since")
        if since:
            ts = _parse_iso(since)
            if ts is None:
                return self._invalid("since", since)
            comments = [c for c in comments if c.updated_ts >= ts]
        page, per_page = _paging(req)
        body = [views.comment(c, item, repo, api) for c in comments[(page - 1) * per_page : page * per_page]]
        base = f"{api}/repositories/{repo.id}/issues/{item.number}/comments"
        link = _links(req, base, page, math.ceil(len(comments) / per_page))
        return self._cached(req, body, None, [("Link", link)] if link else [])

    def _contents(self, req: FakeRequest, repo: Repo, path: str, api: str) -> FakeResponse:
        ref = req.param("ref") or repo.default_branch
        if ref not in (repo.default_branch, repo.head_sha, *repo.refs) or not ref:
            return error(
                404,
                f"No commit found for the ref {ref}",
                "https://docs.github.com/rest/repos/contents#get-repository-content",
            )
        raw_base = self._raw_base(api)
        if path in repo.files:
            return self._cached(req, views.content_file(repo, path, ref, api, raw_base), repo.pushed_ts)
        prefix = path + "/" if path else ""
        names: dict[str, str] = {}
        for file in repo.files:
            if file.startswith(prefix):
                head, sep, _ = file[len(prefix) :].partition("/")
                names[head] = "dir" if sep else "file"
        if not names:
            return error(404, NOT_FOUND, "https://docs.github.com/rest/repos/contents#get-repository-content")
        body = [views.content_entry(repo, prefix + n, ref, api, kind, raw_base) for n, kind in sorted(names.items())]
        return self._cached(req, body, repo.pushed_ts)

    @staticmethod
    def _raw_base(api: str) -> str:
        return api + "/_raw"

    def _raw(self, path: str) -> FakeResponse:
        parts = path.split("/", 5)  # "", "_raw", owner, repo, ref, path
        if len(parts) < 6:
            return FakeResponse(404, [("Content-Type", "text/plain")], b"404: Not Found", api=False)
        repo, _ = self.world.find(f"{unquote(parts[2])}/{unquote(parts[3])}")
        file = unquote(parts[5])
        if repo is None or repo.status in ("deleted", "private") or file not in repo.files:
            return FakeResponse(404, [("Content-Type", "text/plain")], b"404: Not Found", api=False)
        return FakeResponse(200, [("Content-Type", "text/plain; charset=utf-8")], repo.files[file], api=False)

    def _invalid(self, field: str, value: str) -> FakeResponse:
        return error(
            422,
            "Validation Failed",
            errors=[{"resource": "Issue", "field": field, "code": "invalid", "value": value}],
        )

    # ---------------------------------------------------------------- search
    def _search_page(self, req: FakeRequest) -> tuple[int, int] | FakeResponse:
        page, per_page = _paging(req)
        if (page - 1) * per_page >= self.search_cap:
            return error(
                422,
                f"Only the first {self.search_cap} search results are available",  # api-shapes.md §3.1 wording
                "https://docs.github.com/v3/search/",
            )
        return page, per_page

    def _search_answer(self, req: FakeRequest, api: str, path: str, total: int, items: list[Any], make) -> FakeResponse:  # noqa: ANN001
        paging = self._search_page(req)
        if isinstance(paging, FakeResponse):
            return paging
        page, per_page = paging
        reachable = min(total, self.search_cap)
        chunk = items[(page - 1) * per_page : min(page * per_page, reachable)]
        body = {"total_count": total, "incomplete_results": total > self.search_cap, "items": [make(x) for x in chunk]}
        link = _links(req, api + path, page, math.ceil(reachable / per_page))
        headers = [("Cache-Control", "no-cache")] + ([("Link", link)] if link else [])
        return json_response(200, body, headers)

    def _query(self, req: FakeRequest) -> search.Query | FakeResponse:
        q = req.param("q")
        if not q:
            return error(
                422,
                "Validation Failed",
                "https://docs.github.com/v3/search",
                errors=[{"resource": "Search", "field": "q", "code": "missing"}],
            )
        try:
            return search.parse(q)
        except search.QueryError as exc:
            return error(422, "Validation Failed", "https://docs.github.com/v3/search", errors=[{"message": str(exc)}])

    def _search_code(self, req: FakeRequest, api: str) -> FakeResponse:
        query = self._query(req)
        if isinstance(query, FakeResponse):
            return query
        try:
            hits = search.search_code(query, self.world.repos)
        except search.QueryError as exc:
            return error(422, "Validation Failed", "https://docs.github.com/v3/search", errors=[{"message": str(exc)}])
        return self._search_answer(
            req, api, "/search/code", len(hits), hits, lambda h: views.code_item(h[0], h[1], api)
        )

    def _search_repos(self, req: FakeRequest, api: str) -> FakeResponse:
        query = self._query(req)
        if isinstance(query, FakeResponse):
            return query
        gen = self.world.generation
        repos = search.search_repositories(query, self.world.repos)
        return self._search_answer(
            req, api, "/search/repositories", len(repos), repos, lambda r: views.repo_search_item(r, api, gen)
        )

    # ---------------------------------------------------------------- rate_limit and graphql
    def _rate_limit(self, identity: str) -> FakeResponse:
        resources = {}
        for bucket in ("core", "search", "code_search", "graphql"):
            take = self.limits.peek(identity, bucket)
            resources[bucket] = {
                "limit": take.limit,
                "used": take.used,
                "remaining": take.remaining,
                "reset": take.reset,
            }
        return json_response(200, {"resources": resources, "rate": resources["core"]}, [("Cache-Control", "no-cache")])

    def _graphql(self, req: FakeRequest, identity: str, take: Take | None) -> FakeResponse:
        if identity == "anonymous":
            return json_response(
                401,
                {
                    "message": "This endpoint requires you to be authenticated.",
                    "documentation_url": "https://docs.github.com/graphql/guides/forming-calls-with-graphql",
                },
            )
        try:
            body = json.loads(req.body or b"")
            if not isinstance(body, dict):
                raise ValueError("not an object")
        except ValueError:
            return json_response(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
        rate = {"remaining": take.remaining if take else 0, "resetAt": iso(take.reset) if take else None}
        payload, _cost = gql.answer(self.world, body, rate)
        return json_response(200, payload)


# -------------------------------------------------------------------- helpers
def _paging(req: FakeRequest) -> tuple[int, int]:
    try:
        page = max(1, int(req.param("page") or 1))
    except ValueError:
        page = 1
    try:
        per_page = min(100, max(1, int(req.param("per_page") or 30)))
    except ValueError:
        per_page = 30
    return page, per_page


def _links(req: FakeRequest, base: str, page: int, last: int) -> str:
    """GitHub's Link header: page 1 ``next, last``; middle ``prev, next, last, first``; last ``prev, first``."""
    if last <= 1 and page <= 1:
        return ""
    pairs = [(k, v) for k, values in req.query.items() if k != "page" for v in values]

    def url(n: int) -> str:
        return f"{base}?{urlencode([*pairs, ('page', str(n))])}"

    parts = []
    if page > 1:
        parts.append(f'<{url(min(page - 1, max(last, 1)))}>; rel="prev"')
    if page < last:
        parts.append(f'<{url(page + 1)}>; rel="next"')
        parts.append(f'<{url(last)}>; rel="last"')
    if page > 1:
        parts.append(f'<{url(1)}>; rel="first"')
    return ", ".join(parts)


def _parse_iso(value: str) -> int | None:
    from datetime import datetime

    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _not_modified(req: FakeRequest, etag: str, last_modified: int | None) -> bool:
    inm = req.headers.get("If-None-Match")
    if inm:
        bare = etag.removeprefix("W/")
        return any(tag.strip().removeprefix("W/") == bare or tag.strip() == "*" for tag in inm.split(","))
    ims = req.headers.get("If-Modified-Since")
    if ims and last_modified is not None:
        try:
            return last_modified <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            return False
    return False
