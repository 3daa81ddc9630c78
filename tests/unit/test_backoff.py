"""Reading the rate-limit signals of the Hugging Face Hub and GitHub."""

from __future__ import annotations

from scrapy.http import Response

from crawler.middlewares.backoff import rate_limit_wait


def _resp(status: int, **headers: str) -> Response:
    return Response(
        "http://hub/api/models", status=status, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


def test_hf_ratelimit_header() -> None:
    assert rate_limit_wait(_resp(429, RateLimit='"api";r=0;t=42')) == 43.0
    # Remaining quota: not a reason to wait, whatever the status.
    assert rate_limit_wait(_resp(200, RateLimit='"api";r=17;t=42')) is None
    assert rate_limit_wait(_resp(200, RateLimit='"resolvers";r=0;t=5')) == 6.0


def test_retry_after_seconds_only() -> None:
    assert rate_limit_wait(_resp(403, Retry_After="60")) == 60.0
    assert rate_limit_wait(_resp(429, Retry_After="Wed, 21 Oct 2015 07:28:00 GMT")) is None
    assert rate_limit_wait(_resp(500)) is None


def test_github_requests_go_to_the_github_policy_by_composition(monkeypatch) -> None:
    """One backoff middleware: GitHub API requests get GitHub's per token+bucket policy (RATELIMIT_POLICIES), a
    spent token is swapped for a free one at once; other hosts keep the per-host pause."""
    import asyncio
    import time

    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler import settings as project
    from crawler.middlewares.backoff import BackoffRetryMiddleware, HostPolicy
    from crawler.middlewares.github import GithubRateLimitPolicy

    monkeypatch.setenv("GITHUB_TOKENS", "tok-a,tok-b")
    names = ("BACKOFF_BASE", "BACKOFF_MAX", "RATELIMIT_MAX_WAIT", "RATELIMIT_MAX_RETRIES", "RATELIMIT_POLICIES")
    settings = {name: getattr(project, name) for name in (*names, "GITHUB_SECONDARY_WAIT")}
    settings.update(GITHUB_API_URL="http://fake/gh", HF_ENDPOINT="http://fake/hf")
    crawler = get_crawler(settings_dict=settings)
    middleware = BackoffRetryMiddleware(crawler)
    github = Request("http://fake/gh/repos/o/r", meta={"github_token": 0})
    hf = Request("http://fake/hf/api/models")
    assert isinstance(middleware.policy(github), GithubRateLimitPolicy)
    assert isinstance(middleware.policy(hf), HostPolicy)

    reset = str(int(time.time()) + 600)
    spent = Response(github.url, status=403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
    retry = asyncio.run(middleware.process_response(github, spent))
    assert isinstance(retry, Request) and retry.meta["ratelimit_retries"] == 1  # no 600 s wait: token b is free
    stats = crawler.stats.get_stats()
    assert stats["github/ratelimit/primary"] == 1 and stats["github/ratelimit/token_rotated"] == 1
    assert middleware.policy(github).delay(github) > 500  # token a's core bucket is paused ...
    assert middleware.policy(hf).delay(hf) <= 0  # ... and nothing else

    quota_spent = Response(hf.url, status=200, headers={"RateLimit": '"api";r=0;t=30'})
    assert asyncio.run(middleware.process_response(hf, quota_spent)) is quota_spent
    assert 29 < middleware.policy(hf).delay(hf) <= 31  # the HF host pauses before its next request fails
