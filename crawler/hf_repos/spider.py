"""The crawl shared by ``hf_spaces`` and ``hf_datasets``: list every repository, fetch what changed.

Listing: ``/api/{spaces,datasets}?expand=...`` pages, following ``Link: rel="next"`` verbatim; every entry becomes
an item (one row per repository, its declared links), a page's items travel the pipelines as one ItemBundle
(crawler/itembundle.py). Details, only for repositories whose listed sha differs from the revision whose files we
already hold (one store query per page, so an unchanged Hub costs list pages only): the files to snapshot, ending
in a snapshot item that marks the revision done once stored. Requests carry only JSON-safe meta and spider-method
callbacks, so the same crawl runs under JOBDIR and on a cluster.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from sqlalchemy import Engine
from twisted.python.failure import Failure

from crawler.db.engine import database_url, open_engine
from crawler.hf.parse import next_link
from crawler.hf.snapshot_policy import POLICIES, plan_files
from crawler.hf_repos import state
from crawler.itembundle import ItemBundle
from crawler.jsonvalues import json_body

logger = logging.getLogger(__name__)


def http_error(failure: Failure) -> tuple[int | None, str | None]:
    """(HTTP status, the Hub's X-Error-Code) of a failed request; (None, exception name) for a network failure."""
    if failure.check(HttpError):
        response = failure.value.response
        code = response.headers.get(b"X-Error-Code")
        return response.status, code.decode("latin-1") if code else None
    return None, type(failure.value).__name__


class HubRepoSpider(scrapy.Spider):
    """Subclasses set ``repo_type``, ``api_path`` (``spaces`` | ``datasets``), ``expand`` and the hooks below."""

    repo_type: str
    api_path: str
    expand: tuple[str, ...]
    # Set by from_crawler (settings) and by Scrapy (``state``, with JOBDIR).
    endpoint: str
    page_size: int
    policy: str
    max_file_size: int
    engine: Engine
    state: dict[str, Any]

    def __init__(
        self,
        limit: str | None = None,
        author: str | None = None,
        search: str | None = None,
        sort: str | None = None,
        snapshot: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.limit = int(limit) if limit else None
        self.author, self.search, self.sort = author, search, sort
        if snapshot is not None and snapshot not in POLICIES:
            raise ValueError(f"snapshot must be one of {', '.join(POLICIES)}, not {snapshot!r}")
        self.snapshot_arg = snapshot
        self.listed = 0

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> HubRepoSpider:  # noqa: ANN001 - scrapy's Crawler
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.endpoint = settings.get("HF_ENDPOINT").rstrip("/")
        spider.page_size = settings.getint("HF_PAGE_SIZE")
        spider.policy = spider.snapshot_arg or settings.get("SNAPSHOT_POLICY")
        spider.max_file_size = settings.getint("SNAPSHOT_MAX_FILE_SIZE")
        spider.engine = open_engine(database_url(settings.get("DATABASE_URL")))
        return spider

    # --- listing ------------------------------------------------------------------------------------------

    def list_url(self) -> str:
        params: list[tuple[str, str]] = [("expand", field) for field in self.expand]
        params.append(("limit", str(min(self.page_size, self.limit) if self.limit else self.page_size)))
        for name in ("author", "search", "sort"):
            if getattr(self, name):
                params.append((name, getattr(self, name)))
        return f"{self.endpoint}/api/{self.api_path}?{urlencode(params)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if isinstance(getattr(self, "state", None), dict):
            self.listed = self.state.get("listed", 0)
        logger.info("Listing %s %s (limit=%s, snapshot=%s)", self.endpoint, self.api_path, self.limit, self.policy)
        yield scrapy.Request(self.list_url(), callback=self.parse_list, errback=self.on_list_error)

    def _json(self, response: Response, what: str) -> Any:
        return json_body(response, self.crawler.stats, f"{self.name}/bad_json/{what}")

    def _retry(self, response: Response, what: str) -> scrapy.Request | None:
        from scrapy.downloadermiddlewares.retry import get_retry_request

        return get_retry_request(response.request, spider=self, reason=f"bad_json/{what}")

    async def parse_list(self, response: Response) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        body = self._json(response, "list")
        if not isinstance(body, list):
            retry = self._retry(response, "list")
            if retry is not None:
                yield retry
                return
            logger.error("Giving up on list page %s; following its Link header", response.url)
            body = []
        next_url = next_link(response.headers.get(b"Link"))
        if next_url and (self.limit is None or self.listed + len(body) < self.limit):
            yield scrapy.Request(next_url, callback=self.parse_list, errback=self.on_list_error)
        items = []
        for entry in body:
            if self.limit is not None and self.listed >= self.limit:
                break
            item = self.parse_entry(entry)
            if item is None:
                stats.inc_value(f"{self.name}/list_entry_invalid")
                logger.warning("Skipped a list entry without a usable id on %s", response.url)
                continue
            self.listed += 1
            items.append(item)
        if isinstance(getattr(self, "state", None), dict):
            self.state["listed"] = self.listed  # JOBDIR: a resumed crawl keeps counting towards `limit`
        stats.inc_value(f"{self.name}/listed", len(items))
        stats.inc_value(f"{self.name}/list_pages")
        wanted = [i for i in items if i.sha and not i.private and not i.disabled]
        done = await asyncio.to_thread(
            state.completed_details, self.engine, self.repo_type, [self.key(i) for i in wanted]
        )
        yield ItemBundle(items)
        for request in await self.page_requests(items):
            yield request
        for item in wanted:
            if done.get(self.key(item)) == item.sha:
                stats.inc_value(f"{self.name}/details_unchanged")
                continue
            stats.inc_value(f"{self.name}/details_scheduled")
            for follow_up in self.details(item):
                yield follow_up

    def on_list_error(self, failure: Failure) -> None:
        self.crawler.stats.inc_value(f"{self.name}/list_page_failed")
        self.crawler.stats.set_value("crawl/incomplete", "listing stopped at a page that failed for good")
        logger.error("List page failed for good: %s (%s)", failure.request.url, http_error(failure))

    def plan(self, item_id: str, revision: str, siblings: list[Any]) -> list[dict[str, Any]]:
        """The snapshot plan of these siblings (``RepoSibling``): size, weight and path-safety rules of the models."""
        files = plan_files(
            siblings,
            endpoint=self.endpoint,
            repo_id=f"{self.api_path}/{item_id}",  # file URLs: {endpoint}/{spaces,datasets}/{id}/resolve/...
            revision=revision,
            policy=self.policy,
            max_size=self.max_file_size,
        )
        rejected = [f["path"] for f in files if f["action"] == "reject"]
        if rejected:
            self.crawler.stats.inc_value(f"{self.name}/unsafe_path", len(rejected))
            logger.warning("Ignoring unsafe file paths in %s: %r", item_id, rejected[:5])
        return files

    # --- hooks ------------------------------------------------------------------------------------------------

    def parse_entry(self, entry: Any) -> Any:
        raise NotImplementedError

    def key(self, item: Any) -> str:
        raise NotImplementedError

    async def page_requests(self, items: list[Any]) -> list[scrapy.Request]:
        """Requests a whole page calls for besides details (Spaces: the declared models we do not know)."""
        return []

    def details(self, item: Any) -> Iterator[Any]:
        raise NotImplementedError
