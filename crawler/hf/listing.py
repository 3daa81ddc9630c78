"""The Hub's list-then-detail crawl, shared by ``hf_models``, ``hf_spaces`` and ``hf_datasets``.

Listing: ``/api/{models,spaces,datasets}?...`` pages, following ``Link: rel="next"`` verbatim (the cursor is in the
link, so pagination is sequential: the next page is asked for before this one is processed). Every entry becomes an
item; a page's items travel the pipelines as one ItemBundle (crawler/itembundle.py).

Details only for entries whose listed sha differs from the revision whose details the store already holds (one
store query per page, so an unchanged Hub costs list pages only): each spider's own chain, which ends with an item
that marks the revision done once stored; a crawl stopped half way fetches the unfinished ones again next time.
Unless a JOBDIR resumes from its whole queue, a continued crawl lists again from the start (the dupefilter's epoch
is new: crawler/dupefilter.py) and the store says which details are still missing.

Stats: ``<stat_prefix>/list_pages``, ``list_page_failed``, ``list_entry_invalid``, ``details_scheduled``,
``details_unchanged``, ``bad_json/<what>``, ``unsafe_path``, and ``listed_stat`` (the listed entries).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any, Self
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from sqlalchemy import Engine
from twisted.python.failure import Failure

from crawler.db.engine import database_url, open_engine
from crawler.hf.parse import Sibling, next_link, siblings
from crawler.hf.snapshot_policy import POLICIES, plan_files
from crawler.itembundle import ItemBundle
from crawler.jsonvalues import json_body
from crawler.progress import ProgressKeys
from crawler.runs import RunLedger
from crawler.spiderargs import Arg, choice, integer, nonempty
from crawler.spiderutil import failed_request, failure_reason

logger = logging.getLogger(__name__)


def listing_args(sorts: tuple[str, ...]) -> dict[str, Arg]:
    """The arguments every Hub listing takes, by name (a spider's ArgSpec lists them in its constructor's order)."""
    return {
        "limit": Arg("limit", "entries to list (default: all)", "a whole number >= 1", integer(1)),
        "author": Arg("author", "only this author's or organisation's repositories", check=nonempty),
        "search": Arg("search", "only repositories whose id contains this text", check=nonempty),
        "sort": Arg("sort", "listing order (descending)", ", ".join(sorts), choice(*sorts)),
        "snapshot": Arg("snapshot", "which files to snapshot", ", ".join(POLICIES), choice(*POLICIES)),
    }


class HubListingSpider(scrapy.Spider):
    """Subclasses set the class attributes below and implement the hooks at the end."""

    api_path: str  # models | spaces | datasets
    stat_prefix: str
    listed_stat: str
    unit: str  # what the progress line counts
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
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> Self:  # noqa: ANN001 - scrapy's Crawler
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.endpoint = settings.get("HF_ENDPOINT").rstrip("/")
        spider.page_size = settings.getint("HF_PAGE_SIZE")
        spider.policy = spider.snapshot_arg or settings.get("SNAPSHOT_POLICY")
        spider.max_file_size = settings.getint("SNAPSHOT_MAX_FILE_SIZE")
        spider.engine = open_engine(database_url(settings.get("DATABASE_URL")))
        return spider

    @property
    def progress_keys(self) -> ProgressKeys:
        scheduled = f"{self.stat_prefix}/details_scheduled"
        return ProgressKeys(self.unit, self.listed_stat, scheduled, "store/details_complete")

    # --- listing ------------------------------------------------------------------------------------------

    def list_url(self) -> str:
        params = self.list_params()
        params.append(("limit", str(min(self.page_size, self.limit) if self.limit else self.page_size)))
        for name in ("author", "search", "sort"):
            if getattr(self, name):
                params.append((name, getattr(self, name)))
        params.extend(self.filter_params())
        return f"{self.endpoint}/api/{self.api_path}?{urlencode(params)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state = getattr(self, "state", None)
        if isinstance(state, dict) and RunLedger.of(self.crawler).plan == "queue":
            self.listed = state.get("listed", 0)  # JOBDIR: the resumed queue goes on counting towards `limit`
        url = self.list_url()
        logger.info("Listing %s (limit=%s, snapshot=%s%s)", url, self.limit, self.policy, self.note())
        yield self.list_request(url)

    def list_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_list_error)

    def _json(self, response: Response, what: str) -> Any:
        return json_body(response, self.crawler.stats, f"{self.stat_prefix}/bad_json/{what}")

    def _retry_bad_json(self, response: Response, what: str) -> scrapy.Request | None:
        from scrapy.downloadermiddlewares.retry import get_retry_request

        return get_retry_request(response.request, spider=self, reason=f"bad_json/{what}")

    async def parse_list(self, response: Response) -> AsyncIterator[Any]:
        stats, prefix = self.crawler.stats, self.stat_prefix
        body = self._json(response, "list")
        if not isinstance(body, list):
            retry = self._retry_bad_json(response, "list")
            if retry is not None:
                yield retry
                return
            logger.error("Giving up on list page %s; following its Link header", response.url)
            body = []
        next_url = next_link(response.headers.get(b"Link"))
        if next_url and (self.limit is None or self.listed + len(body) < self.limit):
            yield self.list_request(next_url)
        elif next_url is None:
            logger.info("Last list page reached (%s)", response.url)
        items = []
        for entry in body:
            if self.limit is not None and self.listed >= self.limit:
                break
            item = self.parse_entry(entry)
            if item is None:
                stats.inc_value(f"{prefix}/list_entry_invalid")
                logger.warning("Skipped a list entry without a usable id on %s", response.url)
                continue
            self.listed += 1
            items.append(item)
        if isinstance(getattr(self, "state", None), dict):
            self.state["listed"] = self.listed  # JOBDIR: a resumed crawl keeps counting towards `limit`
        stats.inc_value(self.listed_stat, len(items))
        stats.inc_value(f"{prefix}/list_pages")
        wanted = [i for i in items if self.wants_details(i)]
        done = await asyncio.to_thread(self.completed, [self.key(i) for i in wanted])
        if items:  # a page whose entries were all unusable (or the last, empty one) is no item
            yield ItemBundle(items)
        for request in await self.page_requests(items):
            yield request
        for item in wanted:
            if done.get(self.key(item)) == item.sha:
                stats.inc_value(f"{prefix}/details_unchanged")
                continue
            stats.inc_value(f"{prefix}/details_scheduled")
            for follow_up in self.details(item):
                yield follow_up

    def on_list_error(self, failure: Failure) -> None:
        self.crawler.stats.inc_value(f"{self.stat_prefix}/list_page_failed")
        # The rest of the listing is out of reach (its cursor is in that page): the run is recorded as incomplete.
        self.crawler.stats.set_value("crawl/incomplete", "listing stopped at a page that failed for good")
        url = failed_request(failure).url
        logger.error("List page failed for good: %s (%s)", url, failure_reason(failure))

    def repo_files(self, response: Response, repo_id: str) -> list[Sibling] | scrapy.Request | None:
        """The files (``siblings``) of an info reply, the retry request of a malformed one (while retries last), or
        None for an unusable one (counted and logged)."""
        body = self._json(response, "info")
        if not isinstance(body, dict):
            return self._retry_bad_json(response, "info")
        try:
            return siblings(body)
        except ValueError as exc:
            self.crawler.stats.inc_value(f"{self.stat_prefix}/info_invalid")
            logger.warning("Unusable %s info for %s: %s", self.api_path, repo_id, exc)
            return None

    def plan(self, repo_id: str, revision: str, files: list[Sibling], **patterns: list[str] | None) -> list[dict]:
        """The snapshot plan of these files: the policy's size, weight and path-safety rules.

        ``repo_id`` is the id as the file URLs name it (``{endpoint}/{repo_id}/resolve/...``)."""
        planned = plan_files(
            files,
            endpoint=self.endpoint,
            repo_id=repo_id,
            revision=revision,
            policy=self.policy,
            max_size=self.max_file_size,
            **patterns,
        )
        rejected = [f["path"] for f in planned if f["action"] == "reject"]
        if rejected:
            self.crawler.stats.inc_value(f"{self.stat_prefix}/unsafe_path", len(rejected))
            logger.warning("Ignoring unsafe file paths in %s: %r", repo_id, rejected[:5])
        return planned

    # --- hooks ------------------------------------------------------------------------------------------------

    def list_params(self) -> list[tuple[str, str]]:
        """The listing's own query parameters (what each entry carries)."""
        raise NotImplementedError

    def filter_params(self) -> list[tuple[str, str]]:
        return []

    def note(self) -> str:
        """More of the start line (``, min_downloads=50``)."""
        return ""

    def parse_entry(self, entry: Any) -> Any:
        """The item of one list entry, or None when it has no usable id."""
        raise NotImplementedError

    def key(self, item: Any) -> str:
        raise NotImplementedError

    def wants_details(self, item: Any) -> bool:
        """Whether an entry's details are worth fetching (if they changed): public, enabled, with a revision."""
        return bool(item.sha) and not item.private and not item.disabled

    def completed(self, keys: list[str]) -> dict[str, str]:
        """Key -> the revision whose details the store holds complete (one query; runs in a thread)."""
        raise NotImplementedError

    async def page_requests(self, items: list[Any]) -> list[scrapy.Request]:
        """Requests a whole page calls for besides details (Spaces: the declared models we do not know)."""
        return []

    def details(self, item: Any) -> Iterator[Any]:
        """The first request(s) or item(s) of an entry's detail chain."""
        raise NotImplementedError
