"""Sends the Hugging Face token to the Hub endpoint only, never elsewhere and never to the log."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler


class HubAuthMiddleware:
    """Adds ``Authorization: Bearer $HF_TOKEN`` to requests for the ``HF_ENDPOINT`` host.

    The token is read from the environment (``HF_TOKEN``, or huggingface_hub's legacy
    ``HUGGING_FACE_HUB_TOKEN``) and kept out of settings so Scrapy never logs it. Redirects to another host
    (the LFS CDN) lose the header through Scrapy's RedirectMiddleware.
    """

    def __init__(self, endpoint: str, token: str | None) -> None:
        self._netloc = urlsplit(endpoint).netloc
        self._header = f"Bearer {token}".encode() if token else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HubAuthMiddleware:
        token = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
        return cls(crawler.settings.get("HF_ENDPOINT"), token)

    def process_request(self, request: Request) -> None:
        if self._header and urlsplit(request.url).netloc == self._netloc:
            request.headers.setdefault(b"Authorization", self._header)
