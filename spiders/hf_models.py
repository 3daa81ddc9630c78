"""``scrapy crawl hf_models``: every Hugging Face model, and for the popular ones their history and files.

Listing and incremental rules: crawler/hf/listing.py (``/api/models?full&cardData&config`` pages). Every entry is an
HfModelItem (one ``model`` row, its lookups, an observation of downloads/likes/sha).

Details, for models with at least ``min_downloads`` downloads whose sha changed: a chain of requests per model
(info with file sizes -> commits -> refs -> discussions -> each discussion) that ends with an HfSnapshotItem. Only
when that last item is stored is the model marked complete for its sha.

Arguments (``-a name=value``): limit, min_downloads, author, search, filter (comma separated, all must match),
sort, snapshot (none|small|all), allow_patterns, ignore_patterns (comma separated fnmatch patterns).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Self
from urllib.parse import quote

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.hf import parse
from crawler.hf.checks import valid_repo_id
from crawler.hf.items import HfModelItem, HfSnapshotItem
from crawler.hf.listing import HubListingSpider, listing_args
from crawler.hf.state import completed_details
from crawler.spiderargs import COMMA_LIST, Arg, ArgSpec, comma_list, csv, integer
from crawler.spiderutil import failed_request, failure_reason

logger = logging.getLogger(__name__)

# The orders the Hub's /api/models accepts for `sort` (always descending).
SORTS = ("downloads", "likes", "lastModified", "createdAt", "trendingScore")
_COMMON = listing_args(SORTS)


class HfModelsSpider(HubListingSpider):
    name = "hf_models"
    api_path = "models"
    stat_prefix = "hf"
    listed_stat = "hf/models_listed"
    unit = "models"
    arguments = ArgSpec(
        (
            _COMMON["limit"],
            Arg("min_downloads", "fetch details of models with this many downloads", "a whole number >= 0", integer(0)),
            _COMMON["author"],
            _COMMON["search"],
            Arg("filter", "tags every model must have", COMMA_LIST, comma_list),
            _COMMON["sort"],
            _COMMON["snapshot"],
            Arg("allow_patterns", "fnmatch patterns of files to snapshot (weights too)", COMMA_LIST, comma_list),
            Arg("ignore_patterns", "fnmatch patterns of files not to snapshot", COMMA_LIST, comma_list),
        )
    )
    min_downloads: int  # set by from_crawler (the argument, else HF_MIN_DOWNLOADS)

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
        super().__init__(limit=limit, author=author, search=search, sort=sort, snapshot=snapshot, **kwargs)
        self.min_downloads_arg = int(min_downloads) if min_downloads is not None else None
        self.filters = csv(filter)
        self.allow_patterns = csv(allow_patterns) or None
        self.ignore_patterns = csv(ignore_patterns) or None

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> Self:  # noqa: ANN001 - scrapy's Crawler
        spider = super().from_crawler(crawler, *args, **kwargs)
        configured = crawler.settings.getint("HF_MIN_DOWNLOADS")
        spider.min_downloads = spider.min_downloads_arg if spider.min_downloads_arg is not None else configured
        return spider

    # --- listing (crawler/hf/listing.py) -----------------------------------------------------------------------

    def list_params(self) -> list[tuple[str, str]]:
        return [("full", "true"), ("cardData", "true"), ("config", "true")]

    def filter_params(self) -> list[tuple[str, str]]:
        return [("filter", f) for f in self.filters]

    def note(self) -> str:
        return f", min_downloads={self.min_downloads}"

    def parse_entry(self, entry: Any) -> HfModelItem | None:
        return parse.model_item(entry)

    def key(self, item: HfModelItem) -> str:
        return item.context_id

    def wants_details(self, item: HfModelItem) -> bool:
        return (
            super().wants_details(item)
            and (item.downloads is None or item.downloads >= self.min_downloads)  # no count listed: the info tells
            and valid_repo_id(item.context_id)  # an id the store refuses gets no details (its model item is rejected)
        )

    def completed(self, keys: list[str]) -> dict[str, str]:
        return completed_details(self.engine, keys)

    def details(self, item: HfModelItem) -> Iterator[scrapy.Request]:
        assert item.sha is not None
        yield self.info_request(item.context_id, item.sha)

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
        meta = response.meta
        siblings = self.repo_files(response, meta["repo_id"])
        if not isinstance(siblings, list):
            if siblings is not None:
                yield siblings  # the retry of a malformed reply
            return
        files = self.plan(
            meta["repo_id"],
            meta["sha"],
            siblings,
            allow_patterns=self.allow_patterns,
            ignore_patterns=self.ignore_patterns,
        )
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
            nums: list[int] = []
            more = False
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
        repo_id = failed_request(failure).meta.get("repo_id")
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"hf/info_error/{reason}")
        logger.warning("No details for %s: %s", repo_id, reason)
        if not reason.startswith("4"):  # a 4xx is the Hub's answer (gone, disabled); anything else may work later
            self.crawler.stats.inc_value("crawl/details_failed")

    def on_step_error(self, failure: Failure) -> Iterator[Any]:
        """A failed step does not lose the model: the chain goes on, and the model is fetched again next crawl.

        Discussions switched off on a repository (403/404 on /discussions) are an answer, not a failure.
        """
        meta = failed_request(failure).meta
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
