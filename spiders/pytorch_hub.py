"""``scrapy crawl pytorch_hub``: every PyTorch Hub model, with its source repository's license, issues and PRs.

PyTorch Hub has no API: its catalogue is the ``pytorch/hub`` GitHub repository, one markdown page per model family
(reference/api-shapes.md §2). The crawl, all through the GitHub contents API:

1. list the root of ``pytorch/hub`` and fetch every ``.md`` file; a file with front matter naming a source
   repository (``github-id``) or using the hub page layout is a model page (README.md & co. are not);
2. parse its front matter (crawler/pytorch_hub/frontmatter.py) and the ``torch.hub.load`` calls of its python
   blocks (crawler/pytorch_hub/loads.py) -> a PyTorchHubPageItem;
3. once per source repository and ref the pages load: ``GET /repos/{owner}/{repo}`` (canonical name after a rename or
   a casing difference, license), then ``contents/hubconf.py?ref=`` listed statically (crawler/pytorch_hub/hubconf.py)
   -> a GithubRepositoryItem (not a downstream repository), a PyTorchHubSourceItem, and one PyTorchHubModelItem per
   entrypoint a page loads (PeaTMOSS's ``model`` rows);
4. the source repositories' issues, pull requests and clones through the repository chain this spider holds
   (crawler/github/chain.py, ``attach="ptm"``: linked through ``ptm_issues`` / ``ptm_pull_requests``; PeaTMOSS
   snapshotted the source repositories too). The repository request is the chain's conditional one: an
   unchanged repository answers 304 (no quota), and its canonical name and license come from the store.

A re-crawl reads a page whose blob sha (from the directory listing) is the one stored back from the store instead of
fetching it again (``-a refresh=1`` fetches every page).

Arguments: ``hub_repo`` (default ``pytorch/hub``), ``ref`` (branch or tag of the hub repository), ``threads`` (1/0:
issues and pull requests of the source repositories), ``clone`` (1/0, default setting ``GITHUB_CLONE``), ``refresh``.
Pages wait in memory for their source repository (a few dozen); every request stays JSON-serialisable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Self
from urllib.parse import quote

import scrapy
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response
from sqlalchemy import Engine
from twisted.python.failure import Failure

from crawler.github import parse as gh
from crawler.github.access import api_request, repo_url
from crawler.github.chain import ChainSpider, RepoChain
from crawler.jsonvalues import json_body
from crawler.progress import ProgressKeys
from crawler.pytorch_hub import parse
from crawler.pytorch_hub.frontmatter import is_model_page, parse_front_matter
from crawler.pytorch_hub.hubconf import list_entrypoints
from crawler.pytorch_hub.items import PyTorchHubModelItem, PyTorchHubSourceItem
from crawler.pytorch_hub.loads import HubLoad, extract_loads
from crawler.pytorch_hub.state import stored_pages
from crawler.spiderargs import FLAG, Arg, ArgSpec, flag, full_name, nonempty, yes_no
from crawler.spiderutil import failed_request, failure_reason

logger = logging.getLogger(__name__)


@dataclass
class _Waiter:
    """A page waiting for its source repository: what its model rows need."""

    page: str
    entrypoints: list[str]
    author: str | None
    tags: list[str]


@dataclass
class _Source:
    """One source repository at one ref, as the pages spell it."""

    requested: str  # owner/repo from the load string
    ref: str
    status: str = "waiting"  # waiting (no page yet) | new (to request) | pending (requested) | done
    repo: str | None = None  # canonical owner/name
    licenses: list[str] = field(default_factory=list)
    waiters: list[_Waiter] = field(default_factory=list)


def _held(state: dict[str, Any] | None) -> dict[str, Any]:
    """What a 304 answer needs from the stored repository (JSON-safe, for the request's meta)."""
    state = state or {}
    return {"full_name": state.get("full_name"), "license_key": state.get("license_key")}


class PyTorchHubSpider(ChainSpider):
    name = "pytorch_hub"
    arguments = ArgSpec(
        (
            Arg("hub_repo", "the repository of the model pages (default: PYTORCH_HUB_REPO)", "owner/name", full_name),
            Arg("ref", "branch, tag or commit of hub_repo", check=nonempty),
            Arg("threads", "collect the source repositories' issues and pull requests", FLAG, yes_no),
            Arg("clone", "clone the source repositories (default: GITHUB_CLONE)", FLAG, yes_no),
            Arg("refresh", "re-read pages and sources even when unchanged", FLAG, yes_no),
        )
    )
    progress_keys = ProgressKeys("model pages", "pytorch_hub/pages")
    # Set by from_crawler (settings).
    base: str
    engine: Engine
    hub_repo: str

    def __init__(
        self,
        hub_repo: str | None = None,
        ref: str | None = None,
        threads: str | None = None,
        clone: str | None = None,
        refresh: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.clone_arg = clone
        self.hub_repo_arg = hub_repo
        self.ref = ref
        self.threads = flag(threads, True)
        self.refresh = flag(refresh, False)
        self.sources: dict[str, _Source] = {}
        self.collected: set[str] = set()  # lower-case canonical names whose github_repos chain was started

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.chain = RepoChain(spider, crawler.settings, "ptm", spider.clone_arg)
        spider.base, spider.engine = spider.chain.base, spider.chain.engine
        spider.hub_repo = spider.hub_repo_arg or crawler.settings.get("PYTORCH_HUB_REPO")
        if not gh.valid_full_name(spider.hub_repo):
            raise ValueError(f"hub_repo must be owner/name, not {spider.hub_repo!r}")
        return spider

    def _ref_query(self, ref: str | None) -> str:
        return f"?ref={quote(ref, safe='')}" if ref else ""

    async def start(self):  # type: ignore[override]
        url = repo_url(self.base, self.hub_repo, "/contents/" + self._ref_query(self.ref))
        logger.info("Listing the model pages of %s", self.hub_repo)
        yield api_request(url, self.parse_listing, self.on_error, base=self.base, meta={"what": "listing"})

    def _json(self, response: Response, what: str) -> Any:
        return json_body(response, self.crawler.stats, f"pytorch_hub/bad_json/{what}")

    # --- pages ------------------------------------------------------------------------------------------------

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        body = self._json(response, "listing")
        if not isinstance(body, list):
            retry = get_retry_request(response.request, spider=self, reason="pytorch_hub_bad_listing")
            if retry is not None:
                yield retry
                return
            logger.error("The root of %s is not a directory listing (%s)", self.hub_repo, response.url)
            self.crawler.stats.inc_value("pytorch_hub/listing_failed")
            return
        files = {
            e["path"]: e.get("sha")
            for e in body
            if isinstance(e, dict)
            and e.get("type") == "file"
            and isinstance(e.get("path"), str)
            and "/" not in e["path"]
            and e["path"].lower().endswith(".md")
        }
        self.crawler.stats.set_value("pytorch_hub/markdown_files", len(files))
        # A page whose blob sha is the one we stored is read back from the store instead of fetched again.
        held = {} if self.refresh else await asyncio.to_thread(stored_pages, self.engine, files)
        for path, sha in files.items():
            row = held.get(path)
            if sha and row and row["sha"] == sha and isinstance(row.get("loads"), list):
                self.crawler.stats.inc_value("pytorch_hub/pages_unchanged")
                for item in self._stored_page(row):
                    yield item
                continue
            url = repo_url(self.base, self.hub_repo, f"/contents/{quote(path)}{self._ref_query(self.ref)}")
            yield api_request(url, self.parse_page, self.on_error, base=self.base, meta={"what": "page", "path": path})
        for request in await self._source_requests():
            yield request

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        path = response.meta["path"]
        text, sha = parse.decode_contents(self._json(response, "page"))
        if text is None:
            retry = get_retry_request(response.request, spider=self, reason="pytorch_hub_bad_page")
            if retry is not None:
                yield retry
                return
        for item in self._page(path, text, sha):
            yield item
        for request in await self._source_requests():
            yield request

    async def _source_requests(self) -> list[scrapy.Request]:
        """Requests for the source repositories pages started to need: one store query for all of them."""
        new = [key for key, source in self.sources.items() if source.status == "new"]
        for key in new:
            self.sources[key].status = "pending"  # before awaiting: another page must not request it too
        if not new:
            return []
        requests = await self.chain.requests([self.sources[key].requested for key in new])
        return [self._source_request(key, request, state) for key, (request, state) in zip(new, requests, strict=True)]

    def _stored_page(self, row: dict[str, Any]) -> Iterator[Any]:
        """An unchanged page, as we stored it: its item again (last seen now) and its loads."""
        item, loads = parse.stored_page(row)
        yield item
        self.crawler.stats.inc_value("pytorch_hub/pages")
        yield from self._route(item.path, item.author, item.tags, loads)

    def _page(self, path: str, text: str | None, sha: str | None) -> Iterator[Any]:
        if text is None:
            self.crawler.stats.inc_value("pytorch_hub/page_unreadable")
            logger.warning("Could not read %s of %s", path, self.hub_repo)
            return
        front = parse_front_matter(text)
        if not is_model_page(front):
            self.crawler.stats.inc_value("pytorch_hub/not_a_model_page")
            logger.debug("%s is not a model page", path)
            return
        assert front is not None
        loads, broken = extract_loads(text)
        if broken:
            self.crawler.stats.inc_value("pytorch_hub/python_blocks_unparsable", broken)
        if not front.strict_yaml:
            self.crawler.stats.inc_value("pytorch_hub/front_matter_not_strict_yaml")
        self.crawler.stats.inc_value("pytorch_hub/pages")
        yield parse.page_item(path, sha, front, loads, broken)
        yield from self._route(path, front.author, front.peatmoss_tags, loads)

    def _route(self, path: str, author: str | None, tags: list[str], loads: list[HubLoad]) -> Iterator[Any]:
        """A page's loads, grouped by source repository and ref, wait for (or meet) their source."""
        if not loads:
            self.crawler.stats.inc_value("pytorch_hub/page_without_loads")
            logger.warning("Model page %s loads nothing we could read", path)
            return
        groups: dict[str, _Waiter] = {}
        for load in loads:
            key = self._key(load.full_name, load.ref or "")
            if key not in self.sources:
                self.sources[key] = _Source(requested=load.full_name, ref=load.ref or "")
            waiter = groups.setdefault(key, _Waiter(path, [], author, list(tags)))
            if load.entrypoint not in waiter.entrypoints:
                waiter.entrypoints.append(load.entrypoint)
        for key, waiter in groups.items():
            yield from self._wait_for_source(key, waiter)

    @staticmethod
    def _key(full_name: str, ref: str) -> str:
        """GitHub names are case-insensitive: ``hustvl/YOLOP`` and ``hustvl/yolop`` are one repository."""
        return f"{full_name.lower()}:{ref}"

    def _wait_for_source(self, key: str, waiter: _Waiter) -> Iterator[Any]:
        """Models of a page come out once its source repository is known; the first page to need it sets the
        source to ``new`` (parse_page then schedules its request)."""
        source = self.sources[key]
        if source.status == "done":
            yield from self._models(source, waiter)
            return
        source.waiters.append(waiter)
        if source.status == "waiting":
            source.status = "new"

    def _source_request(self, key: str, request: scrapy.Request, state: dict[str, Any] | None) -> scrapy.Request:
        """The chain's (conditional) repository request, answered by parse_source_repo."""
        request.meta.update(source=key, what="source", held_state=_held(state))
        return request.replace(callback=self.parse_source_repo, errback=self.on_source_error)

    # --- source repositories ------------------------------------------------------------------------------------

    def parse_source_repo(self, response: Response) -> Iterator[Any]:
        key = response.meta["source"]
        source = self.sources[key]
        if response.status == 304:  # unchanged since the last complete crawl: the store knows it
            held = response.meta.get("held_state") or {}
            source.repo = held.get("full_name") or source.requested
            source.licenses = [held["license_key"]] if held.get("license_key") else []
            self.crawler.stats.inc_value("pytorch_hub/source_unchanged")
        else:
            item = gh.repository_item(self._json(response, "source"), requested=source.requested)
            if item is None:
                retry = get_retry_request(response.request, spider=self, reason="pytorch_hub_bad_source")
                if retry is not None:
                    yield retry
                    return
                self.crawler.stats.inc_value("pytorch_hub/source_repo_invalid")
                logger.warning("Unusable repository answer for %s", source.requested)
                yield from self._without_hubconf(key, "repository answer unusable")
                return
            if item.full_name.lower() != source.requested.lower():
                self.crawler.stats.inc_value("pytorch_hub/source_renamed")
                logger.info("PyTorch Hub source %s is now %s", source.requested, item.full_name)
            source.repo = item.full_name
            source.licenses = [item.license] if item.license else []
        assert source.repo is not None
        if source.repo.lower() not in self.collected:
            # The repository item (reuse=False), its clone, then issues and pull requests attached to ptm_*.
            self.collected.add(source.repo.lower())
            for result in self.chain.parse_repo(response):
                if isinstance(result, scrapy.Request) and not self.threads:
                    continue
                yield result
        url = repo_url(self.base, source.repo, f"/contents/hubconf.py{self._ref_query(source.ref)}")
        yield api_request(url, self.parse_hubconf, self.on_hubconf_error, base=self.base, meta={"source": key})

    def parse_hubconf(self, response: Response) -> Iterator[Any]:
        key = response.meta["source"]
        source = self.sources[key]
        text, sha = parse.decode_contents(self._json(response, "hubconf"))
        if text is None:
            retry = get_retry_request(response.request, spider=self, reason="pytorch_hub_bad_hubconf")
            if retry is not None:
                yield retry
                return
            yield from self._without_hubconf(key, "hubconf.py unreadable")
            return
        conf = list_entrypoints(text)
        if conf.error:
            self.crawler.stats.inc_value("pytorch_hub/hubconf_unparsable")
            logger.warning("hubconf.py of %s does not parse: %s", source.repo, conf.error)
            yield from self._without_hubconf(key, conf.error, sha)
            return
        if conf.star_imports:
            self.crawler.stats.inc_value("pytorch_hub/hubconf_star_imports")
        self.crawler.stats.inc_value("pytorch_hub/entrypoints_listed", len(conf.entrypoints))
        yield PyTorchHubSourceItem(
            repo=source.repo or source.requested,
            ref=source.ref,
            requested=source.requested,
            hubconf_sha=sha,
            dependencies=conf.dependencies,
            star_imports=conf.star_imports,
            entrypoints=[asdict(e) for e in conf.entrypoints],
        )
        listed = set(conf.names)
        missing = {e for w in source.waiters for e in w.entrypoints} - listed
        if missing and not conf.star_imports:
            self.crawler.stats.inc_value("pytorch_hub/loaded_entrypoint_not_in_hubconf", len(missing))
            logger.warning("%s: pages load %s, which hubconf.py does not define", source.repo, sorted(missing))
        yield from self._release(key)

    def _without_hubconf(self, key: str, reason: str, sha: str | None = None) -> Iterator[Any]:
        """The entrypoint list is unknown, but the pages still say which entrypoints they load."""
        source = self.sources[key]
        yield PyTorchHubSourceItem(
            repo=source.repo or source.requested,
            ref=source.ref,
            requested=source.requested,
            hubconf_sha=sha,
            listed=False,
            error=reason,
        )
        yield from self._release(key)

    def _release(self, key: str) -> Iterator[Any]:
        source = self.sources[key]
        source.status = "done"
        waiters, source.waiters = source.waiters, []
        for waiter in waiters:
            yield from self._models(source, waiter)

    def _models(self, source: _Source, waiter: _Waiter) -> Iterator[PyTorchHubModelItem]:
        repo = source.repo or source.requested
        for entrypoint in waiter.entrypoints:
            self.crawler.stats.inc_value("pytorch_hub/models")
            yield PyTorchHubModelItem(
                repo=repo,
                entrypoint=entrypoint,
                ref=source.ref,
                page=waiter.page,
                author=waiter.author,
                tags=list(waiter.tags),
                licenses=list(source.licenses),
            )

    # --- errors -------------------------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        meta = failed_request(failure).meta
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"pytorch_hub/error/{meta.get('what')}/{reason}")
        logger.error("Could not fetch the %s %s: %s", meta.get("what"), meta.get("path", ""), reason)

    def on_source_error(self, failure: Failure) -> Iterator[Any]:
        """A deleted or private source repository: its models keep the name the pages use, without a license."""
        key = failed_request(failure).meta["source"]
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"pytorch_hub/error/source/{reason}")
        logger.warning("Source repository %s unavailable: %s", self.sources[key].requested, reason)
        yield from self._without_hubconf(key, f"repository: {reason}")

    def on_hubconf_error(self, failure: Failure) -> Iterator[Any]:
        key = failed_request(failure).meta["source"]
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"pytorch_hub/error/hubconf/{reason}")
        logger.warning("No hubconf.py for %s: %s", self.sources[key].repo, reason)
        yield from self._without_hubconf(key, f"hubconf.py: {reason}")
