"""Checkers of the GitHub items: what would write a wrong row."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from crawler.github.items import (
    GithubCloneItem,
    GithubCommentsItem,
    GithubIssueItem,
    GithubPullRequestItem,
    GithubRepoDoneItem,
    GithubRepositoryItem,
)
from crawler.github.parse import valid_full_name

_HTTP = re.compile(r"https?://\S+")  # fullmatch: `$` would accept a trailing newline
_ISSUE_STATES = {"OPEN", "CLOSED", None}
_PR_STATES = {"OPEN", "CLOSED", "MERGED", None}


def _name(value: Any) -> list[str]:
    return [] if valid_full_name(value) else [f"bad repository name {value!r}"]


def _number(value: Any) -> list[str]:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return [] if ok else [f"bad number {value!r}"]


def _url(value: Any) -> list[str]:
    return [] if isinstance(value, str) and _HTTP.fullmatch(value) else [f"bad url {value!r}"]


def _attach(value: Any) -> list[str]:
    return [] if value in ("reuse", "ptm") else [f"bad attach {value!r}"]


def check_repository(item: GithubRepositoryItem) -> list[str]:
    return _name(item.full_name)


def check_issue(item: GithubIssueItem) -> list[str]:
    found = _name(item.repo) + _url(item.url) + _number(item.number) + _attach(item.attach)
    if item.state not in _ISSUE_STATES:
        found.append(f"bad issue state {item.state!r}")
    return found


def check_comments(item: GithubCommentsItem) -> list[str]:
    return _url(item.issue_url)


def check_pull_request(item: GithubPullRequestItem) -> list[str]:
    found = _name(item.repo) + _url(item.url) + _number(item.number) + _attach(item.attach)
    if item.state not in _PR_STATES:
        found.append(f"bad pull request state {item.state!r}")
    return found


def check_clone(item: GithubCloneItem) -> list[str]:
    return _name(item.full_name)


def check_done(item: GithubRepoDoneItem) -> list[str]:
    return _name(item.full_name)


# Item type -> checker (pipelines.validate dispatches through crawler.registries).
CHECKERS: dict[type, Callable[[Any], list[str]]] = {
    GithubRepositoryItem: check_repository,
    GithubIssueItem: check_issue,
    GithubCommentsItem: check_comments,
    GithubPullRequestItem: check_pull_request,
    GithubCloneItem: check_clone,
    GithubRepoDoneItem: check_done,
}
