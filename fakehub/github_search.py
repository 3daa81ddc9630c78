"""Code and repository search over the generated world (the qualifiers the contract lists, nothing more).

Text terms and quoted phrases must all occur in the file (case-insensitive substring; ``in:path`` searches the
path instead).  Qualifiers: ``in:file|path``, ``language:python`` (``.py``), ``extension:py|ipynb``, ``filename:``,
``path:``, ``size:a..b|>N|>=N|<N|<=N`` (bytes), ``fork:true|false|only`` (forks are left out unless asked, as on
GitHub), ``repo:o/r``, ``user:``/``org:``; ``AND`` is ignored.  Deleted and private repositories stay indexed
(a stale index: their hits answer 404 when followed).  Hits are ordered by repository id then path.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from .github_model import Repo

INDEXED = (".py", ".ipynb", ".md", ".txt", ".cfg", ".toml", ".yaml", ".yml")
MAX_FILE = 384 * 1024


class QueryError(ValueError):
    pass


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)
    where: str = "file"
    extensions: set[str] = field(default_factory=set)
    filename: str | None = None
    path: str | None = None
    size: tuple[int, int] = (0, 1 << 62)
    fork: str = "false"
    repos: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)
    stars: tuple[int, int] = (0, 1 << 62)
    topics: set[str] = field(default_factory=set)
    archived: bool | None = None


def _range(value: str) -> tuple[int, int]:
    try:
        if ".." in value:
            lo, hi = value.split("..", 1)
            return (int(lo) if lo not in ("", "*") else 0, int(hi) if hi not in ("", "*") else 1 << 62)
        for op, make in ((">=", lambda n: (n, 1 << 62)), ("<=", lambda n: (0, n)), (">", lambda n: (n + 1, 1 << 62))):
            if value.startswith(op):
                return make(int(value[len(op) :]))
        if value.startswith("<"):
            return (0, int(value[1:]) - 1)
        n = int(value)
        return (n, n)
    except ValueError as exc:
        raise QueryError(f"invalid range {value!r}") from exc


def parse(q: str) -> Query:
    try:
        tokens = shlex.split(q)
    except ValueError as exc:
        raise QueryError(str(exc)) from exc
    query = Query()
    for token in tokens:
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep or " " in token or key not in QUALIFIERS:
            if token not in ("AND",):
                query.terms.append(token.lower())
            continue
        QUALIFIERS[key](query, value)
    return query


def _set(attr: str, transform=str.lower):  # noqa: ANN001, ANN202 - tiny qualifier table helper
    def apply(query: Query, value: str) -> None:
        setattr(query, attr, transform(value))

    return apply


def _add(attr: str):  # noqa: ANN202
    def apply(query: Query, value: str) -> None:
        getattr(query, attr).add(value.lower())

    return apply


def _language(query: Query, value: str) -> None:
    query.extensions.add(
        {"python": "py", "jupyter-notebook": "ipynb", "markdown": "md"}.get(value.lower(), value.lower())
    )


def _archived(query: Query, value: str) -> None:
    query.archived = value.lower() == "true"


QUALIFIERS = {
    "in": _set("where"),
    "language": _language,
    "extension": _add("extensions"),
    "filename": _set("filename"),
    "path": _set("path"),
    "size": _set("size", _range),
    "fork": _set("fork"),
    "repo": _add("repos"),
    "user": _add("owners"),
    "org": _add("owners"),
    "stars": _set("stars", _range),
    "topic": _add("topics"),
    "archived": _archived,
}


def _repo_ok(query: Query, repo: Repo) -> bool:
    fork = repo.fork_of is not None
    if query.fork == "false" and fork or query.fork == "only" and not fork:
        return False
    if query.repos and repo.full_name.lower() not in query.repos:
        return False
    if query.owners and repo.owner.login.lower() not in query.owners:
        return False
    return True


def search_code(query: Query, repos: list[Repo]) -> list[tuple[Repo, str]]:
    if not query.terms:
        raise QueryError("code search needs at least one search term")
    hits: list[tuple[Repo, str]] = []
    for repo in sorted(repos, key=lambda x: x.id):
        if not _repo_ok(query, repo):
            continue
        for path in sorted(repo.files):
            data = repo.files[path]
            name = path.rsplit("/", 1)[-1]
            if not path.endswith(INDEXED) or len(data) >= MAX_FILE:
                continue
            if query.extensions and name.rsplit(".", 1)[-1].lower() not in query.extensions:
                continue
            if query.filename and name.lower() != query.filename:
                continue
            if query.path and not path.lower().startswith(query.path.strip("/")):
                continue
            if not query.size[0] <= len(data) <= query.size[1]:
                continue
            haystack = path.lower() if query.where == "path" else data.decode(errors="replace").lower()
            if all(term in haystack for term in query.terms):
                hits.append((repo, path))
    return hits


def search_repositories(query: Query, repos: list[Repo]) -> list[Repo]:
    out = []
    for repo in repos:
        if repo.status in ("deleted", "private") or not _repo_ok(query, repo):
            continue
        if not query.stars[0] <= repo.stars <= query.stars[1]:
            continue
        if query.topics and not query.topics <= set(repo.topics):
            continue
        if query.archived is not None and repo.archived != query.archived:
            continue
        text = f"{repo.full_name} {repo.description or ''}".lower()
        if all(term in text for term in query.terms):
            out.append(repo)
    return sorted(out, key=lambda x: (-x.stars, x.id))
