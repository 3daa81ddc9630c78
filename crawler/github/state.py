"""What the store already holds about GitHub repositories: the one question a GitHub spider asks the database.

Used to make re-crawls cheap: the validator of a repository's URL turns its request into a conditional one
(a 304 costs no quota), and the ``since`` marks limit issues/PRs to what changed since the last complete crawl.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, or_, select

from crawler.db import ours


def validators(engine: Engine, urls: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """``{url: {"etag", "last_modified"}}`` for the URLs we hold a validator for."""
    wanted = list(dict.fromkeys(urls))
    out: dict[str, dict[str, str | None]] = {}
    tbl = ours.crawl_http_validator
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            query = select(tbl.c.url, tbl.c.etag, tbl.c.last_modified).where(tbl.c.url.in_(wanted[start : start + 500]))
            for url, etag, last_modified in conn.execute(query):
                out[url] = {"etag": etag, "last_modified": last_modified}
    return out


def repo_states(engine: Engine, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{name as asked: crawl_github_repo row as a dict}``, found by canonical or by last requested name."""
    wanted = list(dict.fromkeys(names))
    tbl = ours.crawl_github_repo
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 400):
            chunk = wanted[start : start + 400]
            query = select(tbl).where(or_(tbl.c.full_name.in_(chunk), tbl.c.requested_name.in_(chunk)))
            for row in conn.execute(query):
                data = dict(row._mapping)
                for name in (data["requested_name"], data["full_name"]):
                    if name in chunk:
                        out.setdefault(name, data)
    return out
