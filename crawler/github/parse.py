"""GitHub JSON -> items, defensively: any field may be missing, null or of another type.

PeaTMOSS conventions applied here: upper-case states (``OPEN``/``CLOSED``/``MERGED``), ISO timestamps kept as the
API gives them, reactions as GraphQL enums (``THUMBS_UP`` ...), users as logins. Pull requests found in the REST
issues list (``pull_request`` key) are not issues: :func:`issue_item` returns None for them.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.github.items import (
    Attach,
    GithubIssueItem,
    GithubPullRequestItem,
    GithubRepositoryItem,
)
from crawler.jsonvalues import as_bool as _bool
from crawler.jsonvalues import as_dict as _dict
from crawler.jsonvalues import as_int as _int
from crawler.jsonvalues import as_list as _list
from crawler.jsonvalues import as_str as _str

_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?([\w ]+)"?')
_FULL_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,100}/[A-Za-z0-9_.\-]{1,100}")  # fullmatch; GitHub: 39/100 max

# REST reaction summary keys -> GraphQL ReactionContent enum values.
REST_REACTIONS = {
    "+1": "THUMBS_UP",
    "-1": "THUMBS_DOWN",
    "laugh": "LAUGH",
    "hooray": "HOORAY",
    "confused": "CONFUSED",
    "heart": "HEART",
    "rocket": "ROCKET",
    "eyes": "EYES",
}


def links(header: bytes | str | None) -> dict[str, str]:
    """``{rel: url}`` of a Link header (rels in any order; URLs verbatim)."""
    if not header:
        return {}
    text = header.decode("latin-1") if isinstance(header, bytes) else header
    out: dict[str, str] = {}
    for url, rels in _LINK.findall(text):
        for rel in rels.split():
            out.setdefault(rel, url)
    return out


def next_link(header: bytes | str | None) -> str | None:
    """The ``rel="next"`` URL, to follow verbatim (it switches to ``/repositories/{id}/...``)."""
    return links(header).get("next")


def valid_full_name(value: Any) -> bool:
    return isinstance(value, str) and bool(_FULL_NAME.fullmatch(value)) and ".." not in value


def _nodes(value: Any) -> list[dict[str, Any]]:
    """GraphQL connection ``{"nodes": [...]}`` -> its dict nodes."""
    return [n for n in _list(_dict(value).get("nodes")) if isinstance(n, dict)]


def _login(value: Any) -> str | None:
    login = _dict(value).get("login")
    return login if isinstance(login, str) and login else None


def _upper(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and value else None


# --- repositories -------------------------------------------------------------------------------------------------


def license_of(value: Any) -> tuple[str | None, str | None]:
    """(key, spdx_id) of a repository's ``license``: full object, ``{"key": "other", "spdx_id": "NOASSERTION"}``
    or null (-> (None, None))."""
    lic = _dict(value)
    key = _str(lic.get("key"))
    return (key.lower() if key else None), _str(lic.get("spdx_id"))


def repository_item(body: Any, requested: str | None = None) -> GithubRepositoryItem | None:
    """``GET /repos/{owner}/{repo}`` (or ``/repositories/{id}``) -> item; None without a usable full_name."""
    repo = _dict(body)
    full_name = repo.get("full_name")
    if not valid_full_name(full_name):
        return None
    key, spdx = license_of(repo.get("license"))
    return GithubRepositoryItem(
        full_name=full_name,
        native_id=_int(repo.get("id")),
        node_id=_str(repo.get("node_id")),
        requested=requested,
        html_url=_str(repo.get("html_url")),
        clone_url=_str(repo.get("clone_url")),
        default_branch=_str(repo.get("default_branch")),
        description=_str(repo.get("description")),
        language=_str(repo.get("language")),
        topics=[t for t in _list(repo.get("topics")) if isinstance(t, str)],
        fork=_bool(repo.get("fork")),
        archived=_bool(repo.get("archived")),
        stargazers_count=_int(repo.get("stargazers_count")),
        forks_count=_int(repo.get("forks_count")),
        size_kb=_int(repo.get("size")),
        created_at=_str(repo.get("created_at")),
        updated_at=_str(repo.get("updated_at")),
        pushed_at=_str(repo.get("pushed_at")),
        license=key,
        license_spdx=spdx,
    )


def license_file(body: Any) -> dict[str, str | None]:
    """``GET /repos/{o}/{r}/license`` -> {path, key, spdx_id} (the license file and what GitHub detected in it)."""
    data = _dict(body)
    key, spdx = license_of(data.get("license"))
    return {"path": _str(data.get("path")), "key": key, "spdx_id": spdx}


# --- issues (REST) ------------------------------------------------------------------------------------------------


def is_pull_request(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("pull_request") is not None


def rest_reactions(summary: Any) -> list[dict[str, Any]]:
    """The REST ``reactions`` summary -> [{content, total_count}] for the non-zero ones."""
    data = _dict(summary)
    return [
        {"content": enum, "total_count": count}
        for key, enum in REST_REACTIONS.items()
        if (count := _int(data.get(key)))
    ]


def _label(value: Any) -> dict[str, Any] | None:
    data = _dict(value)
    name = _str(data.get("name"))
    if name is None:
        return None
    return {"name": name, "description": _str(data.get("description")), "color": _str(data.get("color"))}


def _milestone(value: Any) -> dict[str, Any] | None:
    data = _dict(value)
    if not data:
        return None
    return {
        "number": _int(data.get("number")),
        "title": _str(data.get("title")),
        "description": _str(data.get("description")),
        "due_on": _str(data.get("due_on") or data.get("dueOn")),
    }


def issue_item(entry: Any, repo: str, attach: Attach = "reuse") -> GithubIssueItem | None:
    """One entry of the REST issues list -> item; None for pull requests and entries without url/number."""
    if not isinstance(entry, dict) or is_pull_request(entry):
        return None
    url, number = _str(entry.get("html_url")), _int(entry.get("number"))
    if not url or number is None:
        return None
    state = _upper(entry.get("state"))
    return GithubIssueItem(
        repo=repo,
        url=url,
        number=number,
        attach=attach,
        title=_str(entry.get("title")),
        body=_str(entry.get("body")),
        state=state,
        state_reason=_str(entry.get("state_reason")),
        closed=None if state is None else state == "CLOSED",
        closed_at=_str(entry.get("closed_at")),
        created_at=_str(entry.get("created_at")),
        updated_at=_str(entry.get("updated_at")),
        author=_login(entry.get("user")),
        assignees=list(dict.fromkeys(a for a in map(_login, _list(entry.get("assignees"))) if a)),
        labels=[lab for lab in map(_label, _list(entry.get("labels"))) if lab],
        milestone=_milestone(entry.get("milestone")),
        reactions=rest_reactions(entry.get("reactions")),
        comments_count=_int(entry.get("comments")),
        native_id=_int(entry.get("id")),
        node_id=_str(entry.get("node_id")),
    )


def rest_comment(entry: Any) -> dict[str, Any] | None:
    """One entry of ``/issues/{n}/comments`` -> comment dict (see crawler.github.items)."""
    if not isinstance(entry, dict):
        return None
    return {
        "author": _login(entry.get("user")),
        "author_association": _str(entry.get("author_association")),
        "body": _str(entry.get("body")),
        "created_at": _str(entry.get("created_at")),
        "includes_created_edit": None,
        "is_minimized": None,
        "minimized_reason": None,
        "reactions": rest_reactions(entry.get("reactions")),
    }


# --- pull requests (GraphQL) --------------------------------------------------------------------------------------


def graphql_reactions(groups: Any) -> list[dict[str, Any]]:
    """``reactionGroups`` -> [{content, total_count}] for the non-zero ones."""
    out = []
    for group in _list(groups):
        content = _str(_dict(group).get("content"))
        count = _int(_dict(_dict(group).get("users")).get("totalCount"))
        if content and count:
            out.append({"content": content, "total_count": count})
    return out


def _gql_comment(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "author": _login(node.get("author")),
        "author_association": _str(node.get("authorAssociation")),
        "body": _str(node.get("body")),
        "created_at": _str(node.get("createdAt")),
        "includes_created_edit": _bool(node.get("includesCreatedEdit")),
        "is_minimized": _bool(node.get("isMinimized")),
        "minimized_reason": _str(node.get("minimizedReason")),
        "reactions": graphql_reactions(node.get("reactionGroups")),
    }


def _gql_review(node: dict[str, Any]) -> dict[str, Any]:
    return {
        "author": _login(node.get("author")),
        "author_association": _str(node.get("authorAssociation")),
        "body": _str(node.get("body")),
        "submitted_at": _str(node.get("submittedAt")),
        "includes_created_edit": _bool(node.get("includesCreatedEdit")),
        "state": _str(node.get("state")),
        "reactions": graphql_reactions(node.get("reactionGroups")),
    }


def _gql_commit(node: dict[str, Any]) -> dict[str, Any] | None:
    commit = _dict(node.get("commit"))
    oid = _str(commit.get("oid"))
    if not oid:
        return None
    authors = [
        {"login": _login(a.get("user")), "email": _str(a.get("email")), "name": _str(a.get("name"))}
        for a in _nodes(commit.get("authors"))
    ]
    return {
        "oid": oid,
        "authored_date": _str(commit.get("authoredDate")),
        "committed_date": _str(commit.get("committedDate")),
        "message_headline": _str(commit.get("messageHeadline")),
        "message_body": _str(commit.get("messageBody")),
        "authors": authors,
    }


def _gql_checks(value: Any) -> list[dict[str, Any]]:
    out = []
    for node in _nodes(value):
        rollup = _dict(_dict(node.get("commit")).get("statusCheckRollup"))
        for ctx in _nodes(rollup.get("contexts")):
            if not ctx:
                continue  # StatusContext nodes: the query asks for CheckRun fields only
            out.append(
                {
                    "name": _str(ctx.get("name")),
                    "status": _str(ctx.get("status")),
                    "conclusion": _str(ctx.get("conclusion")),
                    "started_at": _str(ctx.get("startedAt")),
                    "completed_at": _str(ctx.get("completedAt")),
                    "details_url": _str(ctx.get("detailsUrl")),
                }
            )
    return out


def pull_request_item(node: Any, repo: str, attach: Attach = "reuse") -> GithubPullRequestItem | None:
    """One ``pullRequests.nodes`` entry of the contract's query -> item; None without url/number."""
    if not isinstance(node, dict):
        return None
    url, number = _str(node.get("url")), _int(node.get("number"))
    if not url or number is None:
        return None
    return GithubPullRequestItem(
        repo=repo,
        url=url,
        number=number,
        attach=attach,
        node_id=_str(node.get("id")),
        title=_str(node.get("title")),
        body=_str(node.get("body")),
        state=_upper(node.get("state")),
        is_draft=_bool(node.get("isDraft")),
        closed=_bool(node.get("closed")),
        closed_at=_str(node.get("closedAt")),
        created_at=_str(node.get("createdAt")),
        updated_at=_str(node.get("updatedAt")),
        merged_at=_str(node.get("mergedAt")),
        additions=_int(node.get("additions")),
        deletions=_int(node.get("deletions")),
        changed_files=_int(node.get("changedFiles")),
        base_ref_name=_str(node.get("baseRefName")),
        head_ref_name=_str(node.get("headRefName")),
        is_cross_repository=_bool(node.get("isCrossRepository")),
        maintainer_can_modify=_bool(node.get("maintainerCanModify")),
        merge_state_status=_str(node.get("mergeStateStatus")),
        mergeable=_str(node.get("mergeable")),
        review_decision=_str(node.get("reviewDecision")),
        author=_login(node.get("author")),
        merged_by=_login(node.get("mergedBy")),
        head_repository=_str(_dict(node.get("headRepository")).get("name")),
        head_repository_owner=_login(node.get("headRepositoryOwner")),
        merge_commit=_str(_dict(node.get("mergeCommit")).get("oid")),
        potential_merge_commit=_str(_dict(node.get("potentialMergeCommit")).get("oid")),
        milestone=_milestone(node.get("milestone")),
        assignees=list(dict.fromkeys(a for a in map(_login, _nodes(node.get("assignees"))) if a)),
        labels=[lab for lab in map(_label, _nodes(node.get("labels"))) if lab],
        reactions=graphql_reactions(node.get("reactionGroups")),
        review_requests=list(
            dict.fromkeys(
                r for r in (_login(n.get("requestedReviewer")) for n in _nodes(node.get("reviewRequests"))) if r
            )
        ),
        comments=[_gql_comment(n) for n in _nodes(node.get("comments"))],
        reviews=[_gql_review(n) for n in _nodes(node.get("reviews"))],
        commits=[c for c in map(_gql_commit, _nodes(node.get("commits"))) if c],
        files=[
            {"path": _str(f.get("path")), "additions": _int(f.get("additions")), "deletions": _int(f.get("deletions"))}
            for f in _nodes(node.get("files"))
        ],
        checks=_gql_checks(node.get("statusCheckRollup")),
    )


def pull_request_page(body: Any) -> tuple[list[Any], bool, str | None, list[str]]:
    """A GraphQL answer -> (nodes, has_next_page, end_cursor, error messages)."""
    data = _dict(body)
    errors = [str(_dict(e).get("message") or e) for e in _list(data.get("errors"))]
    connection = _dict(_dict(_dict(data.get("data")).get("repository")).get("pullRequests"))
    info = _dict(connection.get("pageInfo"))
    nodes = _list(connection.get("nodes"))
    if not connection and not errors:
        errors = ["no data.repository.pullRequests in the answer"]
    return nodes, bool(info.get("hasNextPage")), _str(info.get("endCursor")), errors
