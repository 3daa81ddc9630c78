"""Parsing the real recorded GitHub exchanges: repository, license, issues page, 304, secondary limit, search."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.github import parse
from crawler.github.limits import QuotaBook, limited, quota
from crawler.middlewares.github import GithubMiddleware
from tests.github_replay import Exchange, exchanges


def _response(ex: Exchange, url: str = "https://api.github.com/x") -> Response:
    return Response(url, status=ex.status, headers=dict(ex.headers), body=ex.body.encode())


def test_repository_with_license() -> None:
    ex = exchanges("Repository.setUp")[0]
    item = parse.repository_item(ex.json(), requested="PyGithub/PyGithub")
    assert item is not None
    assert (item.full_name, item.owner, item.name, item.native_id) == (
        "PyGithub/PyGithub",
        "PyGithub",
        "PyGithub",
        3544490,
    )
    assert (item.license, item.license_spdx) == ("lgpl-3.0", "LGPL-3.0")
    assert (item.default_branch, item.stargazers_count, item.fork, item.archived) == ("main", 7122, False, False)
    assert item.clone_url == "https://github.com/PyGithub/PyGithub.git"
    assert item.topics == ["github", "github-api", "pygithub", "python"]
    assert quota(_response(ex)).remaining == 4999 and quota(_response(ex)).resource == "core"


def test_the_three_license_shapes() -> None:
    assert parse.license_of({"key": "MIT", "spdx_id": "MIT"}) == ("mit", "MIT")
    assert parse.license_of({"key": "other", "spdx_id": "NOASSERTION", "url": None}) == ("other", "NOASSERTION")
    assert parse.license_of(None) == (None, None)


def test_license_endpoint() -> None:
    ex = exchanges("Repository.testGetLicense")[0]
    assert parse.license_file(ex.json()) == {"path": "COPYING", "key": "lgpl-3.0", "spdx_id": "LGPL-3.0"}


def test_issues_page_mixing_issues_and_pull_requests() -> None:
    ex = exchanges("GraphQl.testPaginationAndRestIntegration.issues-excerpt")[0]
    body = ex.json()
    items = [parse.issue_item(e, "PyGithub/PyGithub") for e in body]
    issues = [i for i in items if i is not None]
    assert len(body) == 30 and len(issues) == 21
    assert sum(parse.is_pull_request(e) for e in body) == 9
    assert all(i.url.startswith("https://github.com/PyGithub/PyGithub/issues/") for i in issues)
    assert {i.state for i in issues} == {"OPEN"} and {i.closed for i in issues} == {False}
    first = next(i for i in issues if i.number == 3042)
    assert first.node_id.startswith("I_") and first.author and first.created_at.endswith("Z")
    # Link pagination switches to /repositories/{id}; the next URL is followed verbatim.
    assert parse.next_link(ex.header("Link")) == "https://api.github.com/repositories/3544490/issues?page=2"
    assert parse.links(ex.header("Link"))["last"].endswith("page=12")


def test_comments_page_and_middle_page_links() -> None:
    pages = exchanges("PaginatedList.testCustomPerPageIteration")[2:]
    comments = [parse.rest_comment(c) for c in pages[0].json()]
    assert comments[0]["author"] == "stale[bot]" and comments[0]["author_association"] == "NONE"
    middle = parse.links(pages[1].header("Link"))  # prev, next, last, first in that order
    assert middle["next"].endswith("/repositories/3544490/issues/1136/comments?per_page=3&page=3")
    assert parse.next_link(pages[2].header("Link")) is None


def test_not_modified_is_not_a_rate_limit_and_keeps_the_quota() -> None:
    ex = exchanges("ConditionalRequestUpdate.testDidNotUpdate")[0]
    response = _response(ex)
    assert ex.status == 304 and ex.request_headers["If-None-Match"] == '"8600bedcb7fed1d8065e1693e05529ce"'
    assert limited(response) is None
    assert quota(response).remaining == 4988


def test_secondary_limit_with_retry_after() -> None:
    ok, blocked = exchanges("SpecificExceptions.testAuthenticatedRateLimitExceeded")
    assert limited(_response(ok)) is None
    hit = limited(_response(blocked))
    assert hit is not None and (hit.kind, hit.wait) == ("secondary", 60.0)
    assert quota(_response(blocked)) is None  # no X-RateLimit headers on a secondary limit


def test_primary_limit_waits_until_reset_and_message_only_limits() -> None:
    spent = Response("https://api.github.com/x", status=403, headers={"x-ratelimit-remaining": "0",
                     "x-ratelimit-reset": "1000", "x-ratelimit-resource": "core"}, body=b"{}")  # fmt: skip
    hit = limited(spent, now=940.0)
    assert (hit.kind, hit.wait, hit.resource) == ("primary", 61.0, "core")
    secondary = Response(
        "https://api.github.com/x", status=403, body=b'{"message": "You have exceeded a secondary rate limit."}'
    )
    assert limited(secondary).kind == "secondary" and limited(secondary).wait is None
    assert limited(Response("https://api.github.com/x", status=403, body=b'{"message": "Forbidden"}')) is None


def test_code_search_bucket_from_recording() -> None:
    ex = exchanges("PaginatedList.testSearchWithIncompleteResults")[0]
    assert quota(_response(ex)).resource == "code_search" and quota(_response(ex)).limit == 10
    assert ex.json()["incomplete_results"] is True


def test_graphql_pull_request_node() -> None:
    node = {
        "number": 7, "url": "https://github.com/o/r/pull/7", "state": "merged", "isDraft": False, "closed": True,
        "author": {"login": "a"}, "mergedBy": None, "headRepository": {"name": "r"}, "mergeCommit": {"oid": "f" * 40},
        "labels": {"nodes": [{"name": "bug", "color": "fff"}]},
        "reactionGroups": [{"content": "THUMBS_UP", "users": {"totalCount": 2}}, {"content": "EYES", "users": {}}],
        "reviewRequests": {"nodes": [{"requestedReviewer": {"login": "b"}}, {"requestedReviewer": {}}]},
        "commits": {"nodes": [{"commit": {"oid": "1" * 40, "authors": {"nodes": [{"user": None, "email": "x@y"}]}}}]},
        "statusCheckRollup": {"nodes": [{"commit": {"statusCheckRollup": None}}]},
    }  # fmt: skip
    item = parse.pull_request_item(node, "o/r")
    assert (item.state, item.closed, item.author, item.merged_by) == ("MERGED", True, "a", None)
    assert item.reactions == [{"content": "THUMBS_UP", "total_count": 2}]
    assert item.review_requests == ["b"] and item.checks == [] and item.merge_commit == "f" * 40
    assert item.commits[0]["authors"] == [{"login": None, "email": "x@y", "name": None}]
    assert parse.pull_request_item({"number": 1}, "o/r") is None
    nodes, more, cursor, errors = parse.pull_request_page({"errors": [{"message": "Could not resolve"}]})
    assert (nodes, more, errors) == ([], False, ["Could not resolve"])


def test_middleware_rotates_tokens_and_skips_a_spent_one(monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKENS", "tok-a, tok-b")
    crawler = get_crawler(settings_dict={"GITHUB_API_URL": "http://fake/gh"})
    middleware = GithubMiddleware(crawler)

    def auth(url: str, **meta) -> bytes | None:
        request = Request(url, meta=meta)
        middleware.process_request(request)
        return request.headers.get(b"Authorization")

    assert [auth("http://fake/gh/repos/o/r") for _ in range(3)] == [b"Bearer tok-a", b"Bearer tok-b", b"Bearer tok-a"]
    middleware.book.pause(0, "core", 60)
    assert {auth("http://fake/gh/repos/o/r") for _ in range(3)} == {b"Bearer tok-b"}
    assert auth("http://fake/gh/search/code?q=x") in (b"Bearer tok-a", b"Bearer tok-b")  # other bucket: not paused
    assert auth("http://elsewhere/gh/repos/o/r") is None  # never sent to another host
    etag = Request("http://fake/gh/repos/o/r", meta={"github_validator": {"etag": 'W/"1"'}})
    middleware.process_request(etag)
    assert etag.headers[b"If-None-Match"] == b'W/"1"' and etag.headers[b"X-GitHub-Api-Version"] == b"2022-11-28"


def test_quota_book_picks_the_token_free_soonest() -> None:
    book = QuotaBook(2)
    book.pause(0, "core", 30)
    book.pause(1, "core", 10)
    assert book.pick("core") == 1 and not book.any_free("core", besides=0)
    assert book.delay(1, "graphql") == 0  # buckets are separate
