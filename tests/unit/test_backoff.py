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
