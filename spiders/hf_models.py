"""``scrapy crawl hf_models``: every Hugging Face model, and for the popular ones their history and files.

Listing: ``/api/models?full&cardData&config`` pages, following ``Link: rel="next"`` verbatim. Every entry becomes an
HfModelItem (one ``model`` row, its lookups, an observation of downloads/likes/sha); a page's items travel the
pipelines as one ItemBundle (crawler/itembundle.py).

Details, for models with at least ``min_downloads`` downloads whose sha differs from the one whose details we
already hold (one store query per page, so an unchanged hub costs list pages only): a chain of requests per model
(info with file sizes -> commits -> refs -> discussions -> each discussion) that ends with an HfSnapshotItem. Only
when that last item is stored is the model marked complete for its sha, so a crawl killed half way simply
fetches the unfinished models again next time.

Arguments (``-a name=value``): limit, min_downloads, author, search, filter (comma separated, all must match),
sort, snapshot (none|small|all), allow_patterns, ignore_patterns (comma separated fnmatch patterns).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.db.engine import database_url, open_engine
from crawler.hf import parse
from crawler.hf.checks import valid_repo_id
from crawler.hf.items import HfSnapshotItem
from crawler.hf.snapshot_policy import POLICIES, plan_files
from crawler.hf.state import completed_details
from crawler.itembundle import ItemBundle
from crawler.jsonvalues import json_body
from crawler.progress import ProgressKeys
from crawler.runs import RunLedger
from crawler.spiderargs import COMMA_LIST, Arg, ArgSpec, choice, comma_list, csv, integer, nonempty
from crawler.spiderutil import failure_reason

logger = logging.getLogger(__name__)

# The orders the Hub's /api/models accepts for `sort` (always descending).
SORTS = ("downloads", "likes", "lastModified", "createdAt", "trendingScore")


class HfModelsSpider(scrapy.Spider):
    name = "hf_models"
    arguments = ArgSpec(
        (
            Arg("limit", "models to list (default: all)", "a whole number >= 1", integer(1)),
            Arg("min_downloads", "fetch details of models with this many downloads", "a whole number >= 0", integer(0)),
            Arg("author", "only this author's or organisation's models", check=nonempty),
            Arg("search", "only models whose id contains this text", check=nonempty),
            Arg("filter", "tags every model must have", COMMA_LIST, comma_list),
            Arg("sort", "listing order (descending)", ", ".join(SORTS), choice(*SORTS)),
            Arg("snapshot", "which files to snapshot", ", ".join(POLICIES), choice(*POLICIES)),
            Arg("allow_patterns", "fnmatch patterns of files to snapshot (weights too)", COMMA_LIST, comma_list),
            Arg("ignore_patterns", "fnmatch patterns of files not to snapshot", COMMA_LIST, comma_list),
        )
    )
    progress_keys = ProgressKeys("models", "hf/models_listed", "hf/details_scheduled", "store/details_complete")

    def __init__(
        self,
        limit: str | None = None,
        min_downloads: str | None = None,
        author: str | None = None,
        search: str | None = None,
        filter: str | None = None,  # noqa: A002 - the Hub's parameter name
        sort: str | None = None,
        snapshot: str | None = None,
        allow_patterns: str | None = None,
        ignore_patterns: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.limit = int(limit) if limit else None
        self.min_downloads_arg = int(min_downloads) if min_downloads is not None else None
        self.author, self.search, self.sort = author, search, sort
        self.filters = csv(filter)
        if snapshot is not None and snapshot not in POLICIES:
            raise ValueError(f"snapshot must be one of {', '.join(POLICIES)}, not {snapshot!r}")
        self.snapshot_arg = snapshot
        self.allow_patterns = csv(allow_patterns) or None
        self.ignore_patterns = csv(ignore_patterns) or None
        self.listed = 0

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> HfModelsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.endpoint = settings.get("HF_ENDPOINT").rstrip("/")
        spider.page_size = settings.getint("HF_PAGE_SIZE")
        spider.min_downloads = (
            spider.min_downloads_arg if spider.min_downloads_arg is not None else settings.getint("HF_MIN_DOWNLOADS")
        )
        spider.policy = spider.snapshot_arg or settings.get("SNAPSHOT_POLICY")
        spider.max_file_size = settings.getint("SNAPSHOT_MAX_FILE_SIZE")
        spider.engine = open_engine(database_url(settings.get("DATABASE_URL")))
        return spider

    # --- listing ------------------------------------------------------------------------------------------

    def list_url(self) -> str:
        params: list[tuple[str, str]] = [("full", "true"), ("cardData", "true"), ("config", "true")]
        page = min(self.page_size, self.limit) if self.limit else self.page_size
        params.append(("limit", str(page)))
        for name in ("author", "search", "sort"):
            if getattr(self, name):
                params.append((name, getattr(self, name)))
        params.extend(("filter", f) for f in self.filters)
        return f"{self.endpoint}/api/models?{urlencode(params)}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        state = getattr(self, "state", None)
        # Unless a JOBDIR resumes from its whole queue, the listing starts again (the dupefilter's epoch is new:
        # crawler/dupefilter.py) and the store says which details are still missing.
        if isinstance(state, dict) and RunLedger.of(self.crawler).plan == "queue":
            self.listed = state.get("listed", 0)  # JOBDIR: the resumed queue goes on counting towards `limit`
        logger.info(
            "Listing %s (limit=%s, min_downloads=%d, snapshot=%s)",
            self.endpoint,
            self.limit,
            self.min_downloads,
            self.policy,
        )
        yield self.list_request(self.list_url())

    def list_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_list, errback=self.on_list_error)

    def _json(self, response: Response, what: str) -> Any:
        return json_body(response, self.crawler.stats, f"hf/bad_json/{what}")

    def _retry_bad_json(self, response: Response, what: str) -> scrapy.Request | None:
        from scrapy.downloadermiddlewares.retry import get_retry_request

        return get_retry_request(response.request, spider=self, reason=f"bad_json/{what}")

    async def parse_list(self, response: Response) -> AsyncIterator[Any]:
        body = self._json(response, "list")
        if not isinstance(body, list):
            retry = self._retry_bad_json(response, "list")
            if retry is not None:
                yield retry
                return
            logger.error("Giving up on list page %s; following its Link header", response.url)
            body = []
        # Ask for the next page first: the Hub prepares it while this one is processed (pagination is sequential).
        next_url = parse.next_link(response.headers.get(b"Link"))
        if next_url and (self.limit is None or self.listed + len(body) < self.limit):
            yield self.list_request(next_url)
        elif next_url is None:
            logger.info("Last list page reached (%s)", response.url)
        items = []
        for entry in body:
            if self.limit is not None and self.listed >= self.limit:
                break
            item = parse.model_item(entry)
            if item is None:
                self.crawler.stats.inc_value("hf/list_entry_invalid")
                logger.warning("Skipped a list entry without a usable id on %s", response.url)
                continue
            self.listed += 1
            items.append(item)
        if isinstance(getattr(self, "state", None), dict):
            self.state["listed"] = self.listed  # JOBDIR: a resumed crawl keeps counting towards `limit`
        wanted = [
            i
            for i in items
            if i.sha
            and (i.downloads is None or i.downloads >= self.min_downloads)  # no count listed: the info tells
            and not i.private
            and not i.disabled
            and valid_repo_id(i.context_id)  # an id the store refuses gets no details (its model item is rejected)
        ]
        done = await asyncio.to_thread(completed_details, self.engine, [i.context_id for i in wanted])
        stats = self.crawler.stats
        stats.inc_value("hf/models_listed", len(items))
        stats.inc_value("hf/list_pages")
        yield ItemBundle(items)
        for item in wanted:
            if done.get(item.context_id) == item.sha:
                stats.inc_value("hf/details_unchanged")
                continue
            stats.inc_value("hf/details_scheduled")
            yield self.info_request(item.context_id, item.sha)

    def on_list_error(self, failure: Failure) -> None:
        self.crawler.stats.inc_value("hf/list_page_failed")
        # The rest of the listing is out of reach (its cursor is in that page): the run is recorded as incomplete.
        self.crawler.stats.set_value("crawl/incomplete", "listing stopped at a page that failed for good")
        logger.error("List page failed for good: %s (%s)", failure.request.url, failure_reason(failure))

    # --- the detail chain -----------------------------------------------------------------------------------

    def _api(self, repo_id: str, tail: str) -> str:
        return f"{self.endpoint}/api/models/{repo_id}{tail}"

    def info_request(self, repo_id: str, sha: str) -> scrapy.Request:
        return scrapy.Request(
            self._api(repo_id, f"/revision/{quote(sha, safe='')}?blobs=true"),
            callback=self.parse_info,
            errback=self.on_info_error,
            meta={"repo_id": repo_id, "sha": sha},
        )

    def parse_info(self, response: Response) -> Iterator[Any]:
        from huggingface_hub.hf_api import ModelInfo  # 0.7 s to import: only when used

        meta = response.meta
        body = self._json(response, "info")
        if not isinstance(body, dict):
            retry = self._retry_bad_json(response, "info")
            if retry is not None:
                yield retry
            return
        body["siblings"] = [s for s in body.get("siblings") or [] if isinstance(s, dict) and "rfilename" in s]
        try:
            info = ModelInfo(**body)
        except (KeyError, TypeError, ValueError) as exc:
            self.crawler.stats.inc_value("hf/info_invalid")
            logger.warning("Unusable model info for %s: %r", meta["repo_id"], exc)
            return
        files = plan_files(
            info.siblings or [],
            endpoint=self.endpoint,
            repo_id=meta["repo_id"],
            revision=meta["sha"],
            policy=self.policy,
            max_size=self.max_file_size,
            allow_patterns=self.allow_patterns,
            ignore_patterns=self.ignore_patterns,
        )
        rejected = [f["path"] for f in files if f["action"] == "reject"]
        if rejected:
            self.crawler.stats.inc_value("hf/unsafe_path", len(rejected))
            logger.warning("Ignoring unsafe file paths in %s: %r", meta["repo_id"], rejected[:5])
        chain = {"repo_id": meta["repo_id"], "sha": meta["sha"], "files": files, "complete": True}
        yield self._step(chain, self._api(meta["repo_id"], f"/commits/{quote(meta['sha'], safe='')}"), "commits")

    def _step(self, chain: dict[str, Any], url: str, step: str, **extra: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=getattr(self, f"parse_{step}"),
            errback=self.on_step_error,
            meta={"chain": chain, "step": step, **extra},
        )

    def _after(self, chain: dict[str, Any], step: str) -> Iterator[Any]:
        """The request that follows ``step`` in the chain, or the closing snapshot item."""
        repo_id = chain["repo_id"]
        if step == "commits":
            yield self._step(chain, self._api(repo_id, "/refs"), "refs")
        elif step == "refs":
            yield self._step(chain, self._api(repo_id, "/discussions?p=0"), "discussions", page=0, nums=[])
        elif step in ("discussions", "discussion"):
            pending = chain.setdefault("pending", [])
            if pending:
                num = pending.pop(0)
                yield self._step(chain, self._api(repo_id, f"/discussions/{num}?diff=1"), "discussion")
            else:
                if not chain["complete"]:
                    self.crawler.stats.inc_value("crawl/details_failed")  # the run is incomplete; a rerun fetches it
                yield HfSnapshotItem(
                    context_id=repo_id,
                    revision=chain["sha"],
                    files=chain["files"],
                    complete=chain["complete"],
                    problems=chain.get("problems", []),
                )

    def _malformed(self, response: Response, step: str) -> scrapy.Request | None:
        """A malformed detail reply is retried like a 5xx (bounded by RETRY_TIMES); None once retries are spent,
        after noting on the chain why the model's details are incomplete."""
        retry = self._retry_bad_json(response, step)
        if retry is None:
            _incomplete(response.meta["chain"], f"{step}: malformed reply after retries ({response.url})")
        return retry

    def parse_commits(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        body = self._json(response, "commits")
        if isinstance(body, list):
            yield parse.commits_item(chain["repo_id"], body)
            next_url = parse.next_link(response.headers.get(b"Link"))
            if next_url:
                yield self._step(chain, next_url, "commits")
                return
        elif (retry := self._malformed(response, "commits")) is not None:
            yield retry
            return
        yield from self._after(chain, "commits")

    def parse_refs(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        body = self._json(response, "refs")
        if isinstance(body, dict):
            yield parse.refs_item(chain["repo_id"], body)
        elif (retry := self._malformed(response, "refs")) is not None:
            yield retry
            return
        yield from self._after(chain, "refs")

    def parse_discussions(self, response: Response) -> Iterator[Any]:
        chain, page = response.meta["chain"], response.meta["page"]
        body = self._json(response, "discussions")
        if body is None:
            if (retry := self._malformed(response, "discussions")) is not None:
                yield retry
                return
            nums, more = [], False
        else:
            nums, more = parse.discussion_page(body)
        collected = response.meta["nums"] + nums
        if more:
            url = self._api(chain["repo_id"], f"/discussions?p={page + 1}")
            yield self._step(chain, url, "discussions", page=page + 1, nums=collected)
            return
        chain["pending"] = collected
        yield from self._after(chain, "discussions")

    def parse_discussion(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        body = self._json(response, "discussion")
        if body is None and (retry := self._malformed(response, "discussion")) is not None:
            yield retry
            return
        item = parse.discussion_item(chain["repo_id"], body, self.endpoint) if body is not None else None
        if item is not None:
            yield item
        elif body is not None:
            _incomplete(chain, f"discussion: unusable reply ({response.url})")
        yield from self._after(chain, "discussion")

    def on_info_error(self, failure: Failure) -> None:
        repo_id = failure.request.meta.get("repo_id")
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"hf/info_error/{reason}")
        logger.warning("No details for %s: %s", repo_id, reason)
        if not reason.startswith("4"):  # a 4xx is the Hub's answer (gone, disabled); anything else may work later
            self.crawler.stats.inc_value("crawl/details_failed")

    def on_step_error(self, failure: Failure) -> Iterator[Any]:
        """A failed step does not lose the model: the chain goes on, and the model is fetched again next crawl.

        Discussions switched off on a repository (403/404 on /discussions) are an answer, not a failure.
        """
        meta = failure.request.meta
        chain, step = meta["chain"], meta["step"]
        reason = failure_reason(failure)
        status = failure.value.response.status if failure.check(HttpError) else None
        self.crawler.stats.inc_value(f"hf/step_error/{step}/{reason}")
        if step == "discussions" and status in (403, 404):
            chain["pending"] = meta.get("nums", [])
        else:
            _incomplete(chain, f"{step}: {reason}")
            logger.warning("Step %s failed for %s: %s", step, chain["repo_id"], reason)
            if step == "discussions":
                chain["pending"] = meta.get("nums", [])
        yield from self._after(chain, step)


def _incomplete(chain: dict[str, Any], problem: str) -> None:
    chain["complete"] = False
    chain.setdefault("problems", []).append(problem)
