"""Writes GitHub items: repositories + licenses, issues, comments, pull requests with every child table, clones.

Natural keys make every write idempotent: ``reuse_repository(owner, name)``, ``github_issue.url``,
``github_pull_request.url``, ``github_user.login``, ``crawl_github_repo.full_name``. Children that PeaTMOSS does not
de-duplicate (labels, milestones, reaction groups, head repositories, comments, reviews, commits, files, checks)
are *replaced* per issue/PR inside the batch's transaction: a re-delivered item rewrites the same set of rows,
never adds a second copy, and a crash leaves the previous complete set (nothing half written).

Issues and PRs attach to a downstream repository (``attach="reuse"``: ``reuse_repo_to_issue`` /
``reuse_repo_to_pull_request``) or to the PyTorch Hub aggregators (``attach="ptm"``: ``ptm_issues`` /
``ptm_pull_requests`` keyed by ``repo_url = github.com/<repo>``, created on demand), see crawler.github.items.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from crawler.batch import Batch, flag
from crawler.db import ours, schema
from crawler.db.upsert import ensure_names, ids_by, insert_ignore, upsert
from crawler.github.items import (
    GithubCloneItem,
    GithubCommentsItem,
    GithubIssueItem,
    GithubPullRequestItem,
    GithubRepoDoneItem,
    GithubRepositoryItem,
)
from crawler.timestamps import now_iso


def repo_url(full_name: str) -> str:
    """PeaTMOSS's scheme-less repository URL (``reuse_repository.url``, ``ptm_issues.repo_url``)."""
    return f"github.com/{full_name}"


def _last_by(items: Iterable[Any], key: str) -> list[Any]:
    """De-duplicate a batch on a natural key: the last delivery wins."""
    return list({getattr(i, key): i for i in items}.values())


def insert_ids(conn: Connection, tbl: Table, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert rows that have no natural key; their new ids, in the order of ``rows``."""
    if not rows:
        return []
    result = conn.execute(tbl.insert().returning(tbl.c.id, sort_by_parameter_order=True), list(rows))
    return [row[0] for row in result]


def user_ids(conn: Connection, logins: Iterable[str | None], details: dict[str, dict[str, Any]] | None = None):
    """``{login: github_user.id}``, creating missing users (de-duplicated by login).

    ``details`` (login -> {email, name}) fills email/name where still empty (commit authors carry them).
    """
    found = ensure_names(conn, schema.github_user, [login for login in logins if login], column="login")
    user = schema.github_user
    for login, data in (details or {}).items():
        for column in ("email", "name"):
            if data.get(column) and login in found:
                conn.execute(
                    update(user)
                    .where(user.c.id == found[login], user.c[column].is_(None))
                    .values({column: data[column]})
                )
    return found


# --- owners (downstream repository or PyTorch Hub aggregator) ------------------------------------------------------


def reuse_ids(conn: Connection, full_names: Iterable[str]) -> dict[str, int]:
    """``{owner/name: reuse_repository.id}``, creating missing rows."""
    names = list(dict.fromkeys(full_names))
    reuse = schema.reuse_repository
    insert_ignore(
        conn,
        reuse,
        [{"owner": n.split("/", 1)[0], "name": n.split("/", 1)[1], "url": repo_url(n)} for n in names],
        keys=["owner", "name"],
    )
    out: dict[str, int] = {}
    for name in names:
        owner, repo = name.split("/", 1)
        row = conn.execute(select(reuse.c.id).where(reuse.c.owner == owner, reuse.c.name == repo)).first()
        if row is not None:
            out[name] = row[0]
    return out


def ptm_ids(conn: Connection, tbl: Table, full_names: Iterable[str]) -> dict[str, int]:
    """``{owner/name: ptm_issues.id or ptm_pull_requests.id}``, creating missing aggregator rows."""
    urls = {repo_url(n): n for n in dict.fromkeys(full_names)}
    return {urls[u]: i for u, i in ensure_names(conn, tbl, urls, column="repo_url").items()}


def _attach(conn: Connection, items: list[Any], ids: dict[str, int], kind: str) -> None:
    """Link stored issues (kind="issue") or PRs (kind="pull_request") to their owners."""
    reuse = [i for i in items if i.attach == "reuse"]
    ptm = [i for i in items if i.attach == "ptm"]
    if kind == "issue":
        spec = (
            schema.reuse_repo_to_issue,
            "github_issue_id",
            schema.ptm_issues,
            schema.ptm_issue_to_issue,
            "ptm_issue_id",
        )
    else:
        spec = (
            schema.reuse_repo_to_pull_request,
            "github_pull_request_id",
            schema.ptm_pull_requests,
            schema.ptm_pull_request_to_pull_request,
            "ptm_pull_request_id",
        )
    reuse_junction, child_col, aggregator, ptm_junction, ptm_col = spec
    if reuse:
        owners = reuse_ids(conn, {i.repo for i in reuse})
        insert_ignore(
            conn,
            reuse_junction,
            [{"reuse_repository_id": owners[i.repo], child_col: ids[i.url]} for i in reuse if i.repo in owners],
        )
    if ptm:
        owners = ptm_ids(conn, aggregator, {i.repo for i in ptm})
        insert_ignore(
            conn,
            ptm_junction,
            [{ptm_col: owners[i.repo], child_col: ids[i.url]} for i in ptm if i.repo in owners],
        )


# --- repositories -------------------------------------------------------------------------------------------------


def write_repositories(batch: Batch, items: list[GithubRepositoryItem]) -> None:
    conn = batch.conn
    items = _last_by(items, "full_name")
    state = ours.crawl_github_repo
    _follow_renames(batch, items)
    reuse_items = [i for i in items if i.reuse]
    owners = reuse_ids(conn, [i.full_name for i in reuse_items])
    if reuse_items:
        licenses = {i.license for i in reuse_items if i.license}
        license_ids = ensure_names(conn, schema.license, licenses) if licenses else {}
        junction = schema.reuse_repository_to_license
        conn.execute(delete(junction).where(junction.c.reuse_repository_id.in_(list(owners.values()))))
        insert_ignore(
            conn,
            junction,
            [
                {"reuse_repository_id": owners[i.full_name], "license_id": license_ids[i.license]}
                for i in reuse_items
                if i.license and i.full_name in owners
            ],
        )
    now = now_iso()
    upsert(
        conn,
        state,
        [
            {
                "full_name": i.full_name,
                "native_id": i.native_id,
                "node_id": i.node_id,
                "requested_name": i.requested or i.full_name,
                "reuse_repository_id": owners.get(i.full_name),
                "html_url": i.html_url,
                "clone_url": i.clone_url,
                "default_branch": i.default_branch,
                "description": i.description,
                "language": i.language,
                "topics": json.dumps(i.topics),
                "fork": flag(i.fork),
                "archived": flag(i.archived),
                "stargazers_count": i.stargazers_count,
                "forks_count": i.forks_count,
                "size_kb": i.size_kb,
                "created_at": i.created_at,
                "updated_at": i.updated_at,
                "pushed_at": i.pushed_at,
                "license_key": i.license,
                "license_spdx": i.license_spdx,
                "first_seen_at": now,
                "last_seen_at": now,
                "last_seen_run_id": batch.run_id,
            }
            for i in items
        ],
        keys=["full_name"],
        update=[
            "native_id", "node_id", "requested_name", "html_url", "clone_url", "default_branch", "description",
            "language", "topics", "fork", "archived", "stargazers_count", "forks_count", "size_kb", "created_at",
            "updated_at", "pushed_at", "license_key", "license_spdx", "last_seen_at", "last_seen_run_id",
        ],
    )  # fmt: skip
    # Keep a reuse_repository_id once set (a PyTorch Hub source repo can also be a downstream repo).
    for name, rid in owners.items():
        conn.execute(update(state).where(state.c.full_name == name).values(reuse_repository_id=rid))
    batch.stats.inc_value("store/github_repositories", len(items))


def _follow_renames(batch: Batch, items: list[GithubRepositoryItem]) -> None:
    """A repository we hold under its old name (same native id) is renamed in place: ids stay stable."""
    conn = batch.conn
    state, reuse = ours.crawl_github_repo, schema.reuse_repository
    for item in items:
        if item.native_id is None:
            continue
        row = conn.execute(
            select(state.c.id, state.c.full_name, state.c.reuse_repository_id).where(
                state.c.native_id == item.native_id, state.c.full_name != item.full_name
            )
        ).first()
        if row is None:
            continue
        taken = conn.execute(select(state.c.id).where(state.c.full_name == item.full_name)).first()
        if taken is not None:
            conn.execute(update(state).where(state.c.id == row.id).values(native_id=None))
            continue
        conn.execute(update(state).where(state.c.id == row.id).values(full_name=item.full_name))
        owner, name = item.full_name.split("/", 1)
        clash = conn.execute(select(reuse.c.id).where(reuse.c.owner == owner, reuse.c.name == name)).first()
        if row.reuse_repository_id is not None and clash is None:
            conn.execute(
                update(reuse)
                .where(reuse.c.id == row.reuse_repository_id)
                .values(owner=owner, name=name, url=repo_url(item.full_name))
            )
        batch.stats.inc_value("store/github_renamed")


# --- issues -------------------------------------------------------------------------------------------------------


def _milestone_row(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m.get(k) for k in ("number", "title", "description", "due_on")}


def _existing(conn: Connection, tbl: Table, urls: list[str], *columns: str) -> dict[str, Any]:
    """``{url: row}`` (id + ``columns``) of the rows already stored for ``urls``."""
    out: dict[str, Any] = {}
    cols = [tbl.c.url, tbl.c.id, *(tbl.c[c] for c in columns)]
    for start in range(0, len(urls), 500):
        out.update((r.url, r) for r in conn.execute(select(*cols).where(tbl.c.url.in_(urls[start : start + 500]))))
    return out


def _delete_in(conn: Connection, tbl: Table, column: str, ids: Iterable[int | None]) -> None:
    values = [i for i in dict.fromkeys(ids) if i is not None]
    for start in range(0, len(values), 500):
        conn.execute(delete(tbl).where(tbl.c[column].in_(values[start : start + 500])))


def _reaction_rows(reactions: list[dict[str, Any]], **owner: int) -> list[dict[str, Any]]:
    base = {"issue_id": None, "pull_request_id": None, "github_comment_id": None, "review_id": None, **owner}
    return [{"content": r.get("content"), "total_count": r.get("total_count"), **base} for r in reactions]


def _label_rows(labels: list[dict[str, Any]], **owner: int | None) -> list[dict[str, Any]]:
    base = {"issue_id": None, "pull_request_id": None, **owner}
    return [{"name": lab.get("name"), "description": lab.get("description"), "color": lab.get("color"), **base}
            for lab in labels]  # fmt: skip


def write_issues(batch: Batch, items: list[GithubIssueItem]) -> None:
    conn = batch.conn
    items = _last_by(items, "url")
    issue = ours.github_issue
    urls = [i.url for i in items]
    users = user_ids(conn, [i.author for i in items] + [a for i in items for a in i.assignees])
    old = _existing(conn, issue, urls, "milestone_id")
    old_ids = [r.id for r in old.values()]
    _delete_in(conn, schema.github_label, "issue_id", old_ids)
    _delete_in(conn, schema.github_reaction_group, "issue_id", old_ids)
    _delete_in(conn, schema.issue_to_assignee, "issue_id", old_ids)
    with_milestone = [i for i in items if i.milestone]
    milestone_ids = dict(
        zip(
            (i.url for i in with_milestone),
            insert_ids(conn, schema.github_milestone, [_milestone_row(i.milestone) for i in with_milestone]),
            strict=True,
        )
    )
    upsert(
        conn,
        issue,
        [
            {
                "author_id": users.get(i.author) if i.author else None,
                "body": i.body,
                "closed": flag(i.closed),
                "closed_at": i.closed_at,
                "created_at": i.created_at,
                "milestone_id": milestone_ids.get(i.url),
                "number": i.number,
                "state": i.state,
                "title": i.title,
                "updated_at": i.updated_at,
                "url": i.url,
                "native_id": i.native_id,
                "node_id": i.node_id,
                "state_reason": i.state_reason,
            }
            for i in items
        ],
        keys=["url"],
    )
    _delete_in(conn, schema.github_milestone, "id", [r.milestone_id for r in old.values()])
    ids = ids_by(conn, issue, "url", urls)
    insert_ids(conn, schema.github_label, [r for i in items for r in _label_rows(i.labels, issue_id=ids[i.url])])
    insert_ids(
        conn,
        schema.github_reaction_group,
        [r for i in items for r in _reaction_rows(i.reactions, issue_id=ids[i.url])],
    )
    insert_ignore(
        conn,
        schema.issue_to_assignee,
        [{"issue_id": ids[i.url], "assignee_id": users[a]} for i in items for a in i.assignees],
    )
    _attach(conn, items, ids, "issue")
    batch.stats.inc_value("store/github_issues", len(items))
    batch.stats.inc_value("store/github_issues_new", len(items) - len(old))


def _comment_row(c: dict[str, Any], users: dict[str, int], **owner: int | None) -> dict[str, Any]:
    return {
        "author_id": users.get(c.get("author")) if c.get("author") else None,
        "author_association": c.get("author_association"),
        "body": c.get("body"),
        "created_at": c.get("created_at"),
        "includes_created_edit": flag(c.get("includes_created_edit")),
        "is_minimized": flag(c.get("is_minimized")),
        "minimized_reason": c.get("minimized_reason"),
        "issue_id": None,
        "pull_request_id": None,
        **owner,
    }


def _replace_comments(conn: Connection, column: str, owner_ids: list[int]) -> None:
    """Delete the comments (and their reactions) of the given issues or PRs."""
    comment, reactions = schema.github_comment, schema.github_reaction_group
    old: list[int] = []
    for start in range(0, len(owner_ids), 500):
        chunk = owner_ids[start : start + 500]
        old += [r[0] for r in conn.execute(select(comment.c.id).where(comment.c[column].in_(chunk)))]
    _delete_in(conn, reactions, "github_comment_id", old)
    _delete_in(conn, comment, "id", old)


def _insert_comments(
    conn: Connection, pairs: list[tuple[int, dict[str, Any]]], column: str, users: dict[str, int]
) -> None:
    """Insert comments ``(owner id, comment)`` and their reaction groups."""
    ids = insert_ids(conn, schema.github_comment, [_comment_row(c, users, **{column: o}) for o, c in pairs])
    insert_ids(
        conn,
        schema.github_reaction_group,
        [r for cid, (_, c) in zip(ids, pairs, strict=True) for r in _reaction_rows(c.get("reactions") or [],
                                                                                    github_comment_id=cid)],
    )  # fmt: skip


def write_comments(batch: Batch, items: list[GithubCommentsItem]) -> None:
    conn = batch.conn
    items = _last_by(items, "issue_url")
    ids = ids_by(conn, ours.github_issue, "url", [i.issue_url for i in items])
    missing = [i for i in items if i.issue_url not in ids]
    if missing:
        batch.stats.inc_value("store/github_comments_orphaned", len(missing))
    items = [i for i in items if i.issue_url in ids]
    users = user_ids(conn, [c.get("author") for i in items for c in i.comments])
    _replace_comments(conn, "issue_id", [ids[i.issue_url] for i in items])
    _insert_comments(conn, [(ids[i.issue_url], c) for i in items for c in i.comments], "issue_id", users)
    batch.stats.inc_value("store/github_comments", sum(len(i.comments) for i in items))


# --- pull requests ------------------------------------------------------------------------------------------------


def _pr_users(items: list[GithubPullRequestItem]) -> tuple[list[str | None], dict[str, dict[str, Any]]]:
    logins: list[str | None] = []
    details: dict[str, dict[str, Any]] = {}
    for i in items:
        logins += [i.author, i.merged_by, i.head_repository_owner, *i.assignees, *i.review_requests]
        logins += [c.get("author") for c in i.comments] + [r.get("author") for r in i.reviews]
        for commit in i.commits:
            for a in commit.get("authors") or []:
                if a.get("login"):
                    logins.append(a["login"])
                    details.setdefault(a["login"], {"email": a.get("email"), "name": a.get("name")})
    return logins, details


def _delete_pr_children(conn: Connection, pr_ids: list[int]) -> None:
    review, commit = schema.github_review, schema.github_commit
    reactions = schema.github_reaction_group
    review_ids: list[int] = []
    commit_ids: list[int] = []
    for start in range(0, len(pr_ids), 500):
        chunk = pr_ids[start : start + 500]
        review_ids += [r[0] for r in conn.execute(select(review.c.id).where(review.c.pull_request_id.in_(chunk)))]
        commit_ids += [r[0] for r in conn.execute(select(commit.c.id).where(commit.c.pull_request_id.in_(chunk)))]
    _replace_comments(conn, "pull_request_id", pr_ids)
    _delete_in(conn, reactions, "review_id", review_ids)
    _delete_in(conn, reactions, "pull_request_id", pr_ids)
    _delete_in(conn, review, "id", review_ids)
    _delete_in(conn, schema.commit_to_author, "commit_id", commit_ids)
    _delete_in(conn, commit, "id", commit_ids)
    for children in (schema.github_label, schema.github_pull_request_file, schema.github_status_check_rollup):
        _delete_in(conn, children, "pull_request_id", pr_ids)
    _delete_in(conn, schema.pull_request_to_assignee, "pull_request_id", pr_ids)
    _delete_in(conn, schema.pull_request_to_review_requests, "pull_request_id", pr_ids)


def _merge_commits(conn: Connection, oids: list[str]) -> list[int]:
    """A bare ``github_commit`` (oid only) + its ``github_merge_commit`` row per oid; the merge-commit ids."""
    commit_ids = insert_ids(conn, schema.github_commit, [{"oid": oid, "pull_request_id": None} for oid in oids])
    return insert_ids(conn, schema.github_merge_commit, [{"commit_id": cid} for cid in commit_ids])


def _delete_merge_commits(conn: Connection, merge_ids: list[int | None]) -> None:
    merge = schema.github_merge_commit
    wanted = [i for i in merge_ids if i is not None]
    if not wanted:
        return
    commit_ids = [r[0] for r in conn.execute(select(merge.c.commit_id).where(merge.c.id.in_(wanted)))]
    _delete_in(conn, merge, "id", wanted)
    commit = schema.github_commit
    for start in range(0, len(commit_ids), 500):
        chunk = commit_ids[start : start + 500]
        # Only bare merge-commit rows, never a commit listed on a PR.
        conn.execute(delete(commit).where(commit.c.id.in_(chunk), commit.c.pull_request_id.is_(None)))


def write_pull_requests(batch: Batch, items: list[GithubPullRequestItem]) -> None:
    conn = batch.conn
    items = _last_by(items, "url")
    pr = ours.github_pull_request
    urls = [i.url for i in items]
    logins, details = _pr_users(items)
    users = user_ids(conn, logins, details)
    old = _existing(
        conn, pr, urls, "milestone_id", "head_repository_id", "merge_commit_id", "potential_merge_commit_id"
    )
    _delete_pr_children(conn, [r.id for r in old.values()])

    def new_rows(attr: str, make) -> dict[str, int]:  # noqa: ANN001 - small local helper
        chosen = [i for i in items if getattr(i, attr)]
        return dict(zip((i.url for i in chosen), make([getattr(i, attr) for i in chosen]), strict=True))

    milestones = new_rows(
        "milestone", lambda ms: insert_ids(conn, schema.github_milestone, [_milestone_row(m) for m in ms])
    )
    heads = new_rows(
        "head_repository",
        lambda names: insert_ids(conn, schema.github_repository, [{"name": n, "url": None} for n in names]),
    )
    merges = new_rows("merge_commit", lambda oids: _merge_commits(conn, oids))
    potentials = new_rows("potential_merge_commit", lambda oids: _merge_commits(conn, oids))

    def user(login: str | None) -> int | None:
        return users.get(login) if login else None

    upsert(
        conn,
        pr,
        [
            {
                "additions": i.additions,
                "author_id": user(i.author),
                "base_ref_name": i.base_ref_name,
                "body": i.body,
                "changed_files": i.changed_files,
                "closed": flag(i.closed),
                "closed_at": i.closed_at,
                "created_at": i.created_at,
                "deletions": i.deletions,
                "head_ref_name": i.head_ref_name,
                "head_repository_id": heads.get(i.url),
                "head_repository_owner_id": user(i.head_repository_owner),
                "is_cross_repository": flag(i.is_cross_repository),
                "is_draft": flag(i.is_draft),
                "maintainer_can_modify": flag(i.maintainer_can_modify),
                "merge_commit_id": merges.get(i.url),
                "merge_state_status": i.merge_state_status,
                "mergeable": i.mergeable,
                "merged_at": i.merged_at,
                "merged_by_id": user(i.merged_by),
                "milestone_id": milestones.get(i.url),
                "number": i.number,
                "potential_merge_commit_id": potentials.get(i.url),
                "project_cards": None,
                "review_decision": i.review_decision,
                "state": i.state,
                "title": i.title,
                "updated_at": i.updated_at,
                "url": i.url,
                "node_id": i.node_id,
            }
            for i in items
        ],
        keys=["url"],
    )
    _delete_in(conn, schema.github_milestone, "id", [r.milestone_id for r in old.values()])
    _delete_in(conn, schema.github_repository, "id", [r.head_repository_id for r in old.values()])
    _delete_merge_commits(
        conn, [r.merge_commit_id for r in old.values()] + [r.potential_merge_commit_id for r in old.values()]
    )
    ids = ids_by(conn, pr, "url", urls)
    _write_pr_children(conn, items, ids, users)
    _attach(conn, items, ids, "pull_request")
    batch.stats.inc_value("store/github_pull_requests", len(items))
    batch.stats.inc_value("store/github_pull_requests_new", len(items) - len(old))


def _write_pr_children(
    conn: Connection, items: list[GithubPullRequestItem], ids: dict[str, int], users: dict[str, int]
) -> None:
    insert_ids(conn, schema.github_label, [r for i in items for r in _label_rows(i.labels, pull_request_id=ids[i.url])])
    insert_ids(
        conn,
        schema.github_reaction_group,
        [r for i in items for r in _reaction_rows(i.reactions, pull_request_id=ids[i.url])],
    )
    insert_ignore(
        conn,
        schema.pull_request_to_assignee,
        [{"pull_request_id": ids[i.url], "assignee_id": users[a]} for i in items for a in i.assignees],
    )
    insert_ignore(
        conn,
        schema.pull_request_to_review_requests,
        [{"pull_request_id": ids[i.url], "review_request_id": users[r]} for i in items for r in i.review_requests],
    )
    _insert_comments(conn, [(ids[i.url], c) for i in items for c in i.comments], "pull_request_id", users)
    reviews = [(ids[i.url], r) for i in items for r in i.reviews]
    review_ids = insert_ids(
        conn,
        schema.github_review,
        [
            {
                "author_id": users.get(r.get("author")) if r.get("author") else None,
                "author_association": r.get("author_association"),
                "body": r.get("body"),
                "submitted_at": r.get("submitted_at"),
                "includes_created_edit": flag(r.get("includes_created_edit")),
                "state": r.get("state"),
                "pull_request_id": pid,
            }
            for pid, r in reviews
        ],
    )
    insert_ids(
        conn,
        schema.github_reaction_group,
        [x for rid, (_, r) in zip(review_ids, reviews, strict=True) for x in _reaction_rows(r.get("reactions") or [],
                                                                                            review_id=rid)],
    )  # fmt: skip
    commits = [(ids[i.url], c) for i in items for c in i.commits]
    commit_ids = insert_ids(
        conn,
        schema.github_commit,
        [
            {
                "authored_date": c.get("authored_date"),
                "committed_date": c.get("committed_date"),
                "message_body": c.get("message_body"),
                "message_headline": c.get("message_headline"),
                "oid": c.get("oid"),
                "pull_request_id": pid,
            }
            for pid, c in commits
        ],
    )
    insert_ignore(
        conn,
        schema.commit_to_author,
        [
            {"commit_id": cid, "author_id": users[a["login"]]}
            for cid, (_, c) in zip(commit_ids, commits, strict=True)
            for a in c.get("authors") or []
            if a.get("login") in users
        ],
    )
    insert_ids(
        conn,
        schema.github_pull_request_file,
        [{**{k: f.get(k) for k in ("path", "additions", "deletions")}, "pull_request_id": ids[i.url]}
         for i in items for f in i.files],
    )  # fmt: skip
    insert_ids(
        conn,
        schema.github_status_check_rollup,
        [
            {
                **{k: c.get(k) for k in ("name", "status", "conclusion", "started_at", "completed_at", "details_url")},
                "pull_request_id": ids[i.url],
            }
            for i in items
            for c in i.checks
        ],
    )


# --- clones and the end of a repository's chain -------------------------------------------------------------------


def write_clones(batch: Batch, items: list[GithubCloneItem]) -> None:
    items = [i for i in _last_by(items, "full_name") if i.status]
    upsert(
        batch.conn,
        ours.crawl_github_repo,
        [
            {
                "full_name": i.full_name,
                "clone_url": i.clone_url,
                "clone_status": i.status,
                "clone_head": i.head,
                "clone_path": i.path,
                "clone_reason": i.reason,
                "cloned_at": now_iso(),
            }
            for i in items
        ],
        keys=["full_name"],
    )
    for i in items:
        batch.stats.inc_value(f"store/github_clone/{i.status}")


def write_done(batch: Batch, items: list[GithubRepoDoneItem]) -> None:
    conn, now = batch.conn, now_iso()
    state, validator = ours.crawl_github_repo, ours.crawl_http_validator
    for item in _last_by(items, "full_name"):
        seen = {"last_seen_at": now, "last_seen_run_id": batch.run_id}
        if item.requested:
            seen["requested_name"] = item.requested
        if item.unchanged:
            conn.execute(update(state).where(state.c.full_name == item.full_name).values(**seen))
            if item.validator_url:
                conn.execute(
                    update(validator).where(validator.c.url == item.validator_url).values(status=304, checked_at=now)
                )
            batch.stats.inc_value("store/github_repos_unchanged")
            continue
        if not item.complete:
            batch.stats.inc_value("store/github_repos_incomplete")
            continue
        conn.execute(
            update(state)
            .where(state.c.full_name == item.full_name)
            .values(issues_since=item.issues_since, prs_since=item.prs_since, complete_at=now, **seen)
        )
        if item.validator_url and (item.etag or item.last_modified):
            upsert(
                conn,
                validator,
                [
                    {
                        "url": item.validator_url,
                        "etag": item.etag,
                        "last_modified": item.last_modified,
                        "status": 200,
                        "checked_at": now,
                    }
                ],
                keys=["url"],
            )
        batch.stats.inc_value("store/github_repos_complete")


# (item type, writer) in dependency order: repositories before what attaches to them, the chain's end last.
WRITERS = (
    (GithubRepositoryItem, write_repositories),
    (GithubIssueItem, write_issues),
    (GithubCommentsItem, write_comments),
    (GithubPullRequestItem, write_pull_requests),
    (GithubCloneItem, write_clones),
    (GithubRepoDoneItem, write_done),
)
FINISHERS: tuple = ()
