"""`scrapy crawl github_repos` against a local server replaying the real recorded GitHub exchanges."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.crawl import rows, run_crawl
from tests.github_replay import Answer, ReplayServer, exchanges

TOKEN = "ghp_replayTOKENdo_not_leak_0123456789"
REPO = "PyGithub/PyGithub"


def _pull_request(number: int, state: str, updated: str) -> dict:
    """A node of the contract's GraphQL answer (the recordings hold no PR GraphQL exchange)."""
    return {
        "id": f"PR_kw{number}",
        "number": number,
        "url": f"https://github.com/{REPO}/pull/{number}",
        "title": f"PR {number}",
        "body": "text",
        "state": state,
        "isDraft": False,
        "closed": state != "OPEN",
        "closedAt": None if state == "OPEN" else updated,
        "createdAt": "2024-09-01T10:00:00Z",
        "updatedAt": updated,
        "mergedAt": updated if state == "MERGED" else None,
        "additions": 3,
        "deletions": 1,
        "changedFiles": 1,
        "baseRefName": "main",
        "headRefName": f"fix-{number}",
        "isCrossRepository": True,
        "maintainerCanModify": True,
        "mergeStateStatus": "CLEAN",
        "mergeable": "MERGEABLE",
        "reviewDecision": "APPROVED",
        "author": {"login": "bmwiedemann"},
        "mergedBy": {"login": "EnricoMi"} if state == "MERGED" else None,
        "headRepository": {"name": "PyGithub"},
        "headRepositoryOwner": {"login": "bmwiedemann"},
        "mergeCommit": {"oid": "a" * 40} if state == "MERGED" else None,
        "potentialMergeCommit": {"oid": "b" * 40},
        "milestone": {"number": 3, "title": "v2", "description": None, "dueOn": None},
        "assignees": {"nodes": [{"login": "EnricoMi"}]},
        "labels": {"nodes": [{"name": "bug", "description": "broken", "color": "d73a4a"}]},
        "reactionGroups": [{"content": "THUMBS_UP", "users": {"totalCount": 2}},
                           {"content": "EYES", "users": {"totalCount": 0}}],
        "reviewRequests": {"nodes": [{"requestedReviewer": {"login": "sfdye"}}]},
        "comments": {"nodes": [{"author": {"login": "EnricoMi"}, "authorAssociation": "MEMBER", "body": "thanks",
                                "createdAt": updated, "includesCreatedEdit": False, "isMinimized": False,
                                "minimizedReason": None,
                                "reactionGroups": [{"content": "HEART", "users": {"totalCount": 1}}]}]},
        "reviews": {"nodes": [{"author": {"login": "EnricoMi"}, "authorAssociation": "MEMBER", "body": "",
                               "submittedAt": updated, "includesCreatedEdit": False, "state": "APPROVED",
                               "reactionGroups": []}]},
        "commits": {"nodes": [{"commit": {"oid": f"{number:040d}", "authoredDate": updated, "committedDate": updated,
                                          "messageHeadline": "Fix", "messageBody": "",
                                          "authors": {"nodes": [{"email": "bm@example.org", "name": "BM",
                                                                 "user": {"login": "bmwiedemann"}}]}}}]},
        "files": {"nodes": [{"path": "tests/Framework.py", "additions": 3, "deletions": 1}]},
        "statusCheckRollup": {"nodes": [{"commit": {"statusCheckRollup": {"contexts": {"nodes": [
            {"name": "test", "status": "COMPLETED", "conclusion": "SUCCESS", "startedAt": updated,
             "completedAt": updated, "detailsUrl": "https://github.com/PyGithub/PyGithub/actions/runs/1"}, {}]}}}}]},
    }  # fmt: skip


PAGES = {
    None: ([_pull_request(3045, "OPEN", "2024-09-16T14:19:35Z")], True, "c1"),
    "c1": ([_pull_request(3040, "MERGED", "2024-09-10T08:00:00Z")], False, "c2"),
}


class Routes:
    """The recorded exchanges, keyed by what the crawler asks; `limited` first answers with the recorded 403."""

    def __init__(self, limited: bool = False) -> None:
        repo = exchanges("Repository.setUp")[0]
        issues = exchanges("GraphQl.testPaginationAndRestIntegration.issues-excerpt")
        comments = exchanges("PaginatedList.testCustomPerPageIteration")[2:]
        self.secondary = exchanges("SpecificExceptions.testAuthenticatedRateLimitExceeded")[1]
        self.not_modified = exchanges("ConditionalRequestUpdate.testDidNotUpdate")[0]
        self.repo, self.etag = repo, repo.header("ETag")
        self.issues_page1 = issues[0]
        page2 = issues[1]
        self.issues_page2 = Answer(200, [h for h in page2.headers if h[0] != "Link"], page2.body)
        self.comments = {e.path: e for e in comments[1:]}
        self.comments_first = comments[0]
        self.limited = limited

    def __call__(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        route = urlsplit(path).path
        if route == f"/repos/{REPO}":
            if self.limited:
                self.limited = False
                return Answer(self.secondary.status, self.secondary.headers, self.secondary.body)
            if headers.get("if-none-match") == self.etag:
                return Answer(304, [(k, v) for k, v in self.not_modified.headers if k.lower() != "etag"]
                              + [("ETag", self.etag)])  # fmt: skip
            return Answer(200, self.repo.headers, self.repo.body)
        if route == f"/repos/{REPO}/issues":
            return Answer(200, self.issues_page1.headers, self.issues_page1.body)
        if path == "/repositories/3544490/issues?page=2":
            return self.issues_page2
        if re.fullmatch(rf"/repos/{REPO}/issues/\d+/comments", route):
            return Answer(200, self.comments_first.headers, self.comments_first.body)
        if path in self.comments:
            return Answer(200, self.comments[path].headers, self.comments[path].body)
        if route == "/graphql" and method == "POST":
            variables = json.loads(body)["variables"]
            nodes, more, cursor = PAGES[variables["after"]]
            answer = {"data": {"rateLimit": {"cost": 1, "remaining": 4999, "resetAt": "2030-01-01T00:00:00Z"},
                               "repository": {"pullRequests": {"pageInfo": {"hasNextPage": more, "endCursor": cursor},
                                                               "nodes": nodes}}}}  # fmt: skip
            return Answer(200, [("Content-Type", "application/json"), ("X-RateLimit-Resource", "graphql")],
                          json.dumps(answer))  # fmt: skip
        return None


def _crawl(tmp: Path, base: str, **settings: str):
    return run_crawl(
        tmp,
        "http://127.0.0.1:9",
        spider="github_repos",
        args={"repos": REPO, "clone": "0"},
        settings=settings,
        GITHUB_API_URL=base,
        GITHUB_TOKEN=TOKEN,
        GITHUB_TOKENS="",
    )


def _clean(result) -> str:
    log = result.stdout
    assert result.returncode == 0 and "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    assert TOKEN not in log
    return log


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("replay")
    routes = Routes()
    with ReplayServer(routes) as server:
        first = _clean(_crawl(tmp, server.base))
        first_requests = list(server.requests)
        server.requests.clear()
        second = _clean(_crawl(tmp, server.base))
        return tmp / "peatmoss.db", first_requests, list(server.requests), first, second, routes


def test_repository_license_issues_and_comments_are_stored(replayed) -> None:
    db, requests, *_ = replayed
    assert rows(db, "SELECT owner, name, url FROM reuse_repository") == [
        ("PyGithub", "PyGithub", "github.com/PyGithub/PyGithub")
    ]
    assert rows(db, "SELECT l.name FROM license l JOIN reuse_repository_to_license j ON j.license_id = l.id") == [
        ("lgpl-3.0",)
    ]
    assert rows(db, "SELECT native_id, default_branch, stargazers_count, license_spdx FROM crawl_github_repo") == [
        (3544490, "main", 7122, "LGPL-3.0")
    ]
    # 30 entries on page 1, 9 of them pull requests; page 2 (reached through the Link) holds one more PR.
    issues = rows(db, "SELECT number, state, closed, url FROM github_issue ORDER BY number")
    assert len(issues) == 21
    assert {s for _, s, _, _ in issues} == {"OPEN"} and {c for _, _, c, _ in issues} == {0}
    assert all(url == f"https://github.com/{REPO}/issues/{n}" for n, _, _, url in issues)
    assert rows(db, "SELECT count(*) FROM github_issue WHERE number IN (3045, 3043, 3022)") == [(0,)]
    assert rows(db, "SELECT count(*) FROM reuse_repo_to_issue") == [(21,)]
    # 9 issues with comments; each got the 3 recorded pages (3 + 3 + 1 comments), followed through the Links.
    assert rows(db, "SELECT count(DISTINCT issue_id), count(*) FROM github_comment WHERE issue_id IS NOT NULL") == [
        (9, 63)
    ]
    paths = [r["path"] for r in requests]
    assert "/repositories/3544490/issues?page=2" in paths  # verbatim, not rebuilt
    assert "/repositories/3544490/issues/1136/comments?per_page=3&page=3" in paths
    first_issues = next(p for p in paths if p.startswith(f"/repos/{REPO}/issues?"))
    assert "state=all" in first_issues and "since=" not in first_issues
    users = {r[0] for r in rows(db, "SELECT login FROM github_user")}
    assert "stale[bot]" in users and len(users) == len(rows(db, "SELECT login FROM github_user"))


def test_pull_requests_come_from_graphql_with_every_child(replayed) -> None:
    db, requests, *_ = replayed
    prs = rows(db, "SELECT number, state, closed, is_draft, is_cross_repository, url FROM github_pull_request "
                   "ORDER BY number")  # fmt: skip
    assert prs == [
        (3040, "MERGED", 1, 0, 1, f"https://github.com/{REPO}/pull/3040"),
        (3045, "OPEN", 0, 0, 1, f"https://github.com/{REPO}/pull/3045"),
    ]
    for query, expected in {
        "SELECT count(*) FROM github_label WHERE pull_request_id IS NOT NULL": 2,
        "SELECT count(*) FROM github_milestone m JOIN github_pull_request p ON p.milestone_id = m.id": 2,
        "SELECT count(*) FROM github_review": 2,
        "SELECT count(*) FROM github_commit WHERE pull_request_id IS NOT NULL": 2,
        "SELECT count(*) FROM commit_to_author": 2,
        "SELECT count(*) FROM github_merge_commit": 3,
        "SELECT count(*) FROM github_pull_request_file": 2,
        "SELECT count(*) FROM github_status_check_rollup": 2,
        "SELECT count(*) FROM pull_request_to_assignee": 2,
        "SELECT count(*) FROM pull_request_to_review_requests": 2,
        "SELECT count(*) FROM github_comment WHERE pull_request_id IS NOT NULL": 2,
        "SELECT count(*) FROM github_reaction_group WHERE pull_request_id IS NOT NULL AND content = 'THUMBS_UP'": 2,
        "SELECT count(*) FROM github_reaction_group WHERE github_comment_id IS NOT NULL AND content = 'HEART'": 2,
        "SELECT count(*) FROM reuse_repo_to_pull_request": 2,
    }.items():
        assert rows(db, query) == [(expected,)], query
    assert rows(db, "SELECT email FROM github_user WHERE login = 'bmwiedemann'") == [("bm@example.org",)]
    posts = [json.loads(r["body"]) for r in requests if r["method"] == "POST"]
    assert [p["variables"]["after"] for p in posts] == [None, "c1"]
    assert all("query PeatmossPullRequests(" in p["query"] for p in posts)


def test_every_request_carries_the_token_and_api_headers(replayed) -> None:
    _, requests, *_ = replayed
    for r in requests:
        assert r["headers"]["authorization"] == f"Bearer {TOKEN}"
        assert r["headers"]["accept"] == "application/vnd.github+json"
        assert r["headers"]["x-github-api-version"] == "2022-11-28"


def test_recrawl_of_an_unchanged_repository_is_one_conditional_request(replayed) -> None:
    db, first_requests, second_requests, _, second_log, routes = replayed
    assert [r["path"] for r in second_requests] == [f"/repos/{REPO}"]
    assert second_requests[0]["headers"]["if-none-match"] == routes.etag  # weak ETag sent exactly as received
    assert "'github/repo_unchanged': 1" in second_log
    assert rows(db, "SELECT count(*) FROM github_issue") == [(21,)]
    assert rows(db, "SELECT count(*) FROM github_pull_request") == [(2,)]
    assert rows(db, "SELECT status FROM crawl_http_validator") == [(304,)]


def test_secondary_limit_with_retry_after_is_waited_out(tmp_path) -> None:
    with ReplayServer(Routes(limited=True)) as server:
        log = _clean(_crawl(tmp_path, server.base, RATELIMIT_MAX_WAIT="0.2"))
        statuses = [r["path"] for r in server.requests[:2]]
    assert statuses == [f"/repos/{REPO}", f"/repos/{REPO}"]
    assert "'github/ratelimit/secondary': 1" in log
    assert "GitHub secondary rate limit (HTTP 403" in log
    assert rows(tmp_path / "peatmoss.db", "SELECT count(*) FROM github_issue") == [(21,)]
