"""``scrapy crawl github_search``: GitHub repositories that load pre-trained models, found by code search.

One code-search query per PTM-loading signature (spiders/github_search_plan.py: the 27 libraries' loading calls, in
Python files and notebooks), sharded by file size so that no query reaches the 1,000-result cap: a shard whose first
page reports more results is split in two, its first page's hits are kept all the same.

Each repository is considered once, however many queries and files find it (canonical name after renames, and
GitHub's repository id). A code hit carries a minimal repository (no stars, no archived flag), so a candidate that
is not a fork costs one ``GET /repos/{owner}/{repo}``: archived repositories and, with ``min_stars``, the less
starred ones are left out.

Hand-over (``collect``): by default every accepted repository is collected in the same process, by the
repository chain this spider holds (crawler/github/chain.py, as github_repos does: metadata, license, issues,
pull requests, clone), starting from the repository answer it already holds, so that answer is not fetched twice.
The candidate request is the chain's own: conditional for a repository collected completely before, so on a
re-crawl an unchanged repository answers 304 (no primary quota) and goes through the chain's unchanged path.
``-a collect=0`` only writes the accepted names; ``-a out=FILE`` writes them (one ``owner/name`` per line) in both
modes, for ``scrapy crawl github_repos -a repos_file=FILE`` later or elsewhere.

Pacing: code search has its own bucket (10 requests a minute per token on github.com), which the rate budget
(crawler/budget, limits in crawler/github/limits.py; ``RATE_BUDGET_LIMITS`` overrides them) spends like any other:
no more than the quota in any minute, per token. Its requests go one at a time through their own download slot, as
GitHub asks of search clients; a 403/429 all the same waits in the backoff middleware. ``GITHUB_SEARCH_CAP`` (default
1,000) is the number of results a search reaches.

Arguments: libraries (comma separated, default all), scopes (comma separated qualifiers, default
``language:python,extension:ipynb``), queries (more raw queries, separated by ``;``), min_stars, collect (1/0), out,
max_size (bytes, default 393216: code search indexes smaller files only).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlencode

import scrapy
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.github import parse as gh
from crawler.github.access import api_request, tokens_from_env
from crawler.github.chain import ChainSpider, RepoChain
from crawler.github.items import GithubRepositoryItem
from crawler.jsonvalues import json_body
from crawler.progress import ProgressKeys
from crawler.spiderargs import (
    COMMA_LIST,
    FLAG,
    Arg,
    ArgSpec,
    comma_list,
    csv,
    flag,
    integer,
    nonempty,
    writable_file,
    yes_no,
)
from crawler.spiderutil import failed_request, failure_reason
from spiders import github_search_plan as plan

logger = logging.getLogger(__name__)

CODE_SEARCH_SLOT = "github-code-search"
LIBRARIES = tuple(dict.fromkeys(library for library, _ in plan.SIGNATURES))


def _libraries(value: str) -> list[str]:
    """The ``libraries`` argument: signature libraries only (a typo would silently search nothing)."""
    names = comma_list(value)
    unknown = [n for n in names if n.lower() not in LIBRARIES]
    if unknown:
        raise ValueError(f"unknown {', '.join(unknown)}")
    return names


class GithubSearchSpider(ChainSpider):
    name = "github_search"
    arguments = ArgSpec(
        (
            Arg("libraries", "only the loading calls of these libraries", ", ".join(LIBRARIES), _libraries),
            Arg("scopes", "search qualifiers, one query per scope", COMMA_LIST, comma_list),
            Arg("queries", "extra code-search queries, separated by ';'", check=nonempty),
            Arg("min_stars", "skip repositories with fewer stars", "a whole number >= 0", integer(0)),
            Arg("collect", "collect each repository found (github_repos chain)", FLAG, yes_no),
            Arg(
                "out",
                "also write the repository names found to this file",
                "a file in an existing folder",
                writable_file,
            ),
            Arg("max_size", "largest file size (bytes) of a size shard", "a whole number >= 1", integer(1)),
            Arg("clone", "clone the repositories (default: GITHUB_CLONE)", FLAG, yes_no),
        )
    )
    progress_keys = ProgressKeys(
        "repositories", "github_search/accepted", "github/repos", "store/github_repos_complete"
    )
    # Set by from_crawler (settings) and by Scrapy (``state``, with JOBDIR).
    base: str
    tokens: int
    cap: int
    state: dict[str, Any]

    def __init__(
        self,
        libraries: str | None = None,
        scopes: str | None = None,
        queries: str | None = None,
        min_stars: str | None = None,
        collect: str | None = None,
        out: str | None = None,
        max_size: str | None = None,
        clone: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.clone_arg = clone
        scope_list = tuple(csv(scopes)) if scopes is not None else plan.DEFAULT_SCOPES
        self.plan = plan.queries(csv(libraries) or None, scope_list, csv(queries, ";"))
        self.min_stars = int(min_stars) if min_stars else None
        self.collect = flag(collect, True)
        self.out = Path(out) if out else None
        self.max_size = int(max_size) if max_size else plan.MAX_INDEXED_SIZE
        self.seen: set[str] = set()  # lower-case full names and "#<id>" of every repository considered
        self.accepted: list[str] = []

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.chain = RepoChain(spider, settings, "reuse", spider.clone_arg)
        spider.base = spider.chain.base
        spider.tokens = len(tokens_from_env())
        spider.cap = settings.getint("GITHUB_SEARCH_CAP")
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        slots[CODE_SEARCH_SLOT] = {"concurrency": 1}  # paced by the rate budget, not by a slot delay
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    # --- search ----------------------------------------------------------------------------------------------

    async def start(self):  # type: ignore[override]
        state = getattr(self, "state", None)
        if isinstance(state, dict):  # JOBDIR: a resumed crawl does not consider a repository twice
            self.seen.update(state.get("seen", []))
        if not self.tokens:
            logger.error("GitHub code search requires authentication: set GITHUB_TOKEN or GITHUB_TOKENS")
            self.crawler.stats.set_value("github_search/no_token", 1)
            return
        if self.out:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.out.write_text("")
        logger.info("Code search: %d queries, min_stars=%s, collect=%s", len(self.plan), self.min_stars, self.collect)
        for library, text in self.plan:
            yield self.search_request(plan.initial_shard(text, self.max_size), library)

    def search_request(self, shard: plan.Shard, library: str, url: str | None = None, page: int = 1) -> scrapy.Request:
        if url is None:
            query = urlencode({"q": shard.q, "per_page": plan.PER_PAGE, "page": page})
            url = f"{self.base}/search/code?{query}"
        meta = {"shard": shard.as_meta(), "library": library, "page": page, "download_slot": CODE_SEARCH_SLOT}
        return api_request(url, self.parse_search, self.on_search_error, base=self.base, meta=meta)

    async def parse_search(self, response: Response) -> AsyncIterator[Any]:
        shard, library = plan.Shard.from_meta(response.meta["shard"]), response.meta["library"]
        body = json_body(response, self.crawler.stats, "github_search/bad_json/search")
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            retry = get_retry_request(response.request, spider=self, reason="github_search_bad_json")
            if retry is not None:
                yield retry
                return
            self.crawler.stats.inc_value("github_search/bad_search_answer")
            logger.warning("Malformed code-search answer for %r (%s)", shard.q, response.url)
            return
        self.crawler.stats.inc_value("github_search/pages")
        total = body.get("total_count") if isinstance(body.get("total_count"), int) else 0
        if body.get("incomplete_results"):
            self.crawler.stats.inc_value("github_search/incomplete_results")
            logger.info("GitHub reports incomplete results for %r (total_count=%d)", shard.q, total)
        page = response.meta.get("page", 1)
        split = False
        if page == 1 and plan.over_cap(total, self.cap):
            if shard.splittable:
                split = True
                self.crawler.stats.inc_value("github_search/shards_split")
                for half in shard.split():
                    yield self.search_request(half, library)
            else:
                self.crawler.stats.inc_value("github_search/shards_capped")
                logger.warning("%r: %d results in one size; only %d are reachable", shard.q, total, self.cap)
        for request in await self.candidate_requests(body["items"], library):
            yield request
        next_url = gh.next_link(response.headers.get(b"Link"))
        if next_url and not split and page < plan.pages_needed(total, self.cap):  # never past the cap (422)
            yield self.search_request(shard, library, url=next_url, page=page + 1)
        if isinstance(getattr(self, "state", None), dict):
            self.state["seen"] = sorted(self.seen)

    def consider(self, hit: Any) -> str | None:
        """The repository of a code hit, unless it is a fork or was considered already."""
        repo = hit.get("repository") if isinstance(hit, dict) else None
        full_name = repo.get("full_name") if isinstance(repo, dict) else None
        if not gh.valid_full_name(full_name):
            self.crawler.stats.inc_value("github_search/hit_invalid")
            return None
        self.crawler.stats.inc_value("github_search/hits")
        keys = {full_name.lower()} | ({f"#{repo['id']}"} if isinstance(repo.get("id"), int) else set())
        if keys & self.seen:
            return None
        self.seen.update(keys)
        if repo.get("fork") is True:
            self.crawler.stats.inc_value("github_search/skipped/fork")
            return None
        self.crawler.stats.inc_value("github_search/candidates")
        return full_name

    async def candidate_requests(self, hits: list[Any], library: str) -> list[scrapy.Request]:
        """The chain's (conditional) repository request for each new candidate of a page: one store query."""
        names = [name for name in map(self.consider, hits) if name]
        if not names:
            return []
        requests = []
        for (request, _), name in zip(await self.chain.requests(names), names, strict=True):
            request.meta.update(candidate=name, library=library)
            # Candidates before more search pages: the search is paced anyway.
            requests.append(
                request.replace(callback=self.parse_candidate, errback=self.on_candidate_error, priority=10)
            )
        return requests

    # --- candidates ------------------------------------------------------------------------------------------

    def parse_candidate(self, response: Response) -> Iterator[Any]:
        requested = response.meta["candidate"]
        if response.status == 304:  # collected completely before and unchanged since: it passed the filters then
            self.crawler.stats.inc_value("github_search/accepted_unchanged")
            yield from self.accept(requested, response)
            return
        item = gh.repository_item(
            json_body(response, self.crawler.stats, "github_search/bad_json/repo"), requested=requested
        )
        if item is None:
            retry = get_retry_request(response.request, spider=self, reason="github_search_bad_repo")
            if retry is not None:
                yield retry
                return
            self.crawler.stats.inc_value("github_search/candidate_invalid")
            logger.warning("Unusable repository answer for %s", requested)
            return
        reason = self.rejection(item)
        if reason:
            self.crawler.stats.inc_value(f"github_search/skipped/{reason}")
            return
        canonical = item.full_name.lower()
        if canonical != requested.lower():
            if canonical in self.seen or f"#{item.native_id}" in self.seen:
                self.crawler.stats.inc_value("github_search/skipped/duplicate_after_rename")
                return
            self.seen.update({canonical, f"#{item.native_id}"})
        yield from self.accept(item.full_name, response)

    def accept(self, full_name: str, response: Response) -> Iterator[Any]:
        """Record an accepted repository and, with ``collect``, continue the repository chain from its answer."""
        self.accepted.append(full_name)
        self.crawler.stats.inc_value("github_search/accepted")
        if self.out:
            with self.out.open("a", encoding="utf-8") as handle:
                handle.write(full_name + "\n")
        if self.collect:
            yield from self.chain.parse_repo(response)

    def rejection(self, item: GithubRepositoryItem) -> str | None:
        if item.fork:
            return "fork"
        if item.archived:
            return "archived"
        if self.min_stars is not None and (item.stargazers_count or 0) < self.min_stars:
            return "min_stars"
        return None

    # --- errors ----------------------------------------------------------------------------------------------

    def on_search_error(self, failure: Failure) -> None:
        meta = failed_request(failure).meta
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"github_search/search_failed/{reason}")
        logger.error("Code search failed for %r: %s", plan.Shard.from_meta(meta["shard"]).q, reason)

    def on_candidate_error(self, failure: Failure) -> None:
        """A deleted or private repository (the search index is stale): 404, left out."""
        self.crawler.stats.inc_value(f"github_search/skipped/{failure_reason(failure)}")
        self.chain.on_repo_error(failure)

    def closed(self, reason: str) -> None:
        logger.info("github_search accepted %d repositories (%s)", len(self.accepted), reason)
