"""``POST /graphql`` of the fake: only the contract's ``PeatmossPullRequests`` query (recognised by its name).

Pull requests ordered by ``updatedAt`` descending; the cursor is opaque (base64 of ``cursor:v2:<offset>``).
Every field of the query is answered (missing values null, connections as ``{"nodes": [...]}``).  Errors come back
as HTTP 200 with an ``errors`` list, as GitHub does (unknown document, bad variables, repository not found).
"""

from __future__ import annotations

import base64
from typing import Any

from .github_data import World
from .github_model import GRAPHQL_REACTIONS, REACTIONS, Comment, Issue, Repo, Review, iso

OPERATION = "PeatmossPullRequests"
MAX_FIRST = 100


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"cursor:v2:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    raw = base64.b64decode(cursor.encode(), validate=True).decode()
    if not raw.startswith("cursor:v2:"):
        raise ValueError(cursor)
    return int(raw.split(":", 2)[2])


def error(message: str, kind: str | None = None, path: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"message": message, "locations": [{"line": 1, "column": 1}]}
    if kind:
        out["type"] = kind
    if path:
        out["path"] = path
    return out


def _login(user: Any) -> dict[str, str] | None:
    return {"login": user.login} if user is not None else None


def _reaction_groups(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"content": g, "users": {"totalCount": counts.get(r, 0)}}
        for r, g in zip(REACTIONS, GRAPHQL_REACTIONS, strict=True)
    ]


def _comment(c: Comment) -> dict[str, Any]:
    return {
        "author": _login(c.user),
        "authorAssociation": c.association,
        "body": c.body,
        "createdAt": iso(c.created_ts),
        "includesCreatedEdit": c.updated_ts != c.created_ts,
        "isMinimized": c.minimized is not None,
        "minimizedReason": c.minimized,
        "reactionGroups": _reaction_groups(c.reactions),
    }


def _review(rv: Review) -> dict[str, Any]:
    return {
        "author": _login(rv.user),
        "authorAssociation": rv.association,
        "body": rv.body,
        "submittedAt": iso(rv.submitted_ts),
        "includesCreatedEdit": rv.edited,
        "state": rv.state,
        "reactionGroups": _reaction_groups(rv.reactions),
    }


def pull_node(item: Issue, repo: Repo, gen: int) -> dict[str, Any]:
    pr = item.pull
    assert pr is not None
    state = "MERGED" if pr.merged_ts else item.state.upper()
    rollup = None
    if pr.checks is not None:
        rollup = {
            "contexts": {
                "nodes": [
                    {
                        "name": c.name,
                        "status": c.status,
                        "conclusion": c.conclusion,
                        "startedAt": iso(c.started_ts),
                        "completedAt": iso(c.completed_ts),
                        "detailsUrl": c.details_url,
                    }
                    for c in pr.checks
                ]
            }
        }
    ms = item.milestone
    return {
        "id": item.node_id,
        "number": item.number,
        "url": f"https://github.com/{repo.full_name}/pull/{item.number}",
        "title": item.title,
        "body": item.body or "",
        "state": state,
        "isDraft": pr.draft,
        "closed": item.state == "closed",
        "closedAt": iso(item.closed_ts),
        "createdAt": iso(item.created_ts),
        "updatedAt": iso(item.updated_ts(gen)),
        "mergedAt": iso(pr.merged_ts),
        "additions": pr.additions,
        "deletions": pr.deletions,
        "changedFiles": len(pr.files),
        "baseRefName": pr.base_ref,
        "headRefName": pr.head_ref,
        "isCrossRepository": pr.cross_repo,
        "maintainerCanModify": pr.maintainer_can_modify,
        "mergeStateStatus": pr.merge_state,
        "mergeable": pr.mergeable,
        "reviewDecision": pr.review_decision,
        "author": _login(item.user),
        "mergedBy": _login(pr.merged_by),
        "headRepository": {"name": pr.head_repo} if pr.head_repo else None,
        "headRepositoryOwner": _login(pr.head_owner),
        "mergeCommit": {"oid": pr.merge_oid} if pr.merge_oid else None,
        "potentialMergeCommit": {"oid": pr.potential_oid} if pr.potential_oid else None,
        "milestone": None
        if ms is None
        else {"number": ms.number, "title": ms.title, "description": ms.description, "dueOn": iso(ms.due_ts)},
        "assignees": {"nodes": [{"login": a.login} for a in item.assignees]},
        "labels": {
            "nodes": [{"name": lb.name, "description": lb.description, "color": lb.color} for lb in item.labels]
        },
        "reactionGroups": _reaction_groups(item.reactions),
        "reviewRequests": {"nodes": [{"requestedReviewer": {"login": u.login}} for u in pr.review_requests]},
        "comments": {"nodes": [_comment(c) for c in item.visible_comments(gen)]},
        "reviews": {"nodes": [_review(rv) for rv in pr.reviews]},
        "commits": {
            "nodes": [
                {
                    "commit": {
                        "oid": c.oid,
                        "authoredDate": iso(c.authored_ts),
                        "committedDate": iso(c.committed_ts),
                        "messageHeadline": c.headline,
                        "messageBody": c.body,
                        "authors": {
                            "nodes": [
                                {"email": email, "name": name, "user": {"login": login} if login else None}
                                for email, name, login in c.authors
                            ]
                        },
                    }
                }
                for c in pr.commits
            ]
        },
        "files": {"nodes": [{"path": p, "additions": a, "deletions": d} for p, a, d in pr.files]},
        "statusCheckRollup": {"nodes": [{"commit": {"statusCheckRollup": rollup}}]},
    }


def answer(world: World, body: dict[str, Any], rate: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """(response JSON, cost in points).  ``rate`` = {"remaining", "resetAt"} after this query."""
    query = body.get("query")
    variables = body.get("variables") or {}
    if not isinstance(query, str) or OPERATION not in query:
        return {"errors": [error("This fake only answers the PeatmossPullRequests query.", "UNSUPPORTED")]}, 1
    owner, name, first, after = (variables.get(k) for k in ("owner", "name", "first", "after"))
    if not isinstance(owner, str) or not isinstance(name, str) or not isinstance(first, int):
        return {"errors": [error("Variable $owner, $name and $first of type String!/Int! are required.")]}, 1
    if not 1 <= first <= MAX_FIRST:
        msg = f"Requesting {first} records on the connection exceeds the `first` limit of {MAX_FIRST} records."
        return {"errors": [error(msg, "MAX_NODE_LIMIT_EXCEEDED")]}, 1
    try:
        offset = decode_cursor(after) + 1 if after else 0
    except (ValueError, TypeError):
        return {"data": None, "errors": [error(f"`{after}` does not appear to be a valid cursor.")]}, 1
    repo, _ = world.find(f"{owner}/{name}")
    rate_limit = {"cost": 1, "remaining": rate["remaining"], "resetAt": rate["resetAt"]}
    if repo is None or repo.status in ("deleted", "private"):
        msg = f"Could not resolve to a Repository with the name '{owner}/{name}'."
        return {
            "data": {"rateLimit": rate_limit, "repository": None},
            "errors": [error(msg, "NOT_FOUND", ["repository"])],
        }, 1
    gen = world.generation
    pulls = [i for i in repo.visible_issues(gen) if i.pull is not None]
    pulls.sort(key=lambda i: (-i.updated_ts(gen), -i.number))
    page = pulls[offset : offset + first]
    data = {
        "rateLimit": rate_limit,
        "repository": {
            "pullRequests": {
                "pageInfo": {
                    "hasNextPage": offset + first < len(pulls),
                    "endCursor": encode_cursor(offset + len(page) - 1) if page else None,
                },
                "nodes": [pull_node(i, repo, gen) for i in page],
            }
        },
    }
    return {"data": data}, 1
