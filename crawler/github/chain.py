"""The GitHub repository chain: one repository's record, clone, issues, comments and pull requests.

One chain of requests per repository (JSON-safe meta, so it runs under JOBDIR and scrapy-redis alike):

1. ``GET /repos/{owner}/{repo}``, conditional when a previous complete crawl left a validator. A 304 means
   unchanged: nothing else is requested (the database already holds it; a missing clone is still made). A 301 to
   ``/repositories/{id}`` is followed and the canonical ``full_name`` stored; a 404 (deleted or private) is logged
   and counted, no rows. -> GithubRepositoryItem (+ GithubCloneItem for ClonePipeline).
2. ``GET .../issues?state=all&per_page=100[&since=<newest updated_at seen by the last complete crawl>]``, Link
   pages followed verbatim (they switch to ``/repositories/{id}/issues``). Issues -> GithubIssueItem; pull
   requests in that list only tell us whether any PR changed since the last crawl.
3. ``GET .../issues/{n}/comments?per_page=100`` for each issue with comments -> one GithubCommentsItem per issue.
4. GraphQL ``PeatmossPullRequests`` pages, most recently updated first, stopping at the first PR not updated since
   the last crawl (skipped altogether on a re-crawl when step 2 saw no changed PR) -> GithubPullRequestItem.
5. GithubRepoDoneItem: when every step succeeded, the store records the validator and the new ``since`` marks;
   otherwise nothing is recorded and the next crawl fetches the repository again.

:class:`RepoChain` is a component: a spider that collects repositories (github_repos, github_search, pytorch_hub)
is a :class:`ChainSpider`, which holds one and has the two callbacks that hand over to it, ``parse_repo_chain`` and
``on_repo_chain_error`` (Scrapy serialises a request's callback as the name of a spider method, so the chain's
requests name those two).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.db.engine import database_url, open_engine
from crawler.github import parse
from crawler.github.access import api_request, graphql_request, repo_url
from crawler.github.graphql import PULL_REQUESTS_QUERY, pull_request_variables
from crawler.github.items import GithubCloneItem, GithubCommentsItem, GithubRepoDoneItem
from crawler.github.limits import api_base
from crawler.github.state import repo_states, validators
from crawler.jsonvalues import json_body
from crawler.spiderutil import failed_request, failure_reason

logger = logging.getLogger(__name__)


class ChainSpider(scrapy.Spider):
    """A spider holding a :class:`RepoChain` (set in its ``from_crawler``), with the two callbacks the chain's
    requests name (Scrapy serialises a request's callback as the name of a spider method)."""

    chain: RepoChain

    def parse_repo_chain(self, response: Response) -> Iterator[Any]:
        return self.chain.parse(response)

    def on_repo_chain_error(self, failure: Failure) -> Iterator[Any] | None:
        return self.chain.on_error(failure)


class RepoChain:
    def __init__(self, spider: ChainSpider, settings: BaseSettings, attach: str, clone: str | None) -> None:
        """``attach``: ``reuse`` (downstream repositories) or ``ptm`` (PyTorch Hub sources); ``clone``: the spider
        argument (None: setting ``GITHUB_CLONE``)."""
        self.spider = spider
        self.attach = attach
        self.base = api_base(settings)
        self.per_page = min(100, settings.getint("GITHUB_PER_PAGE"))
        self.pr_page = settings.getint("GITHUB_PR_PAGE_SIZE")
        self.clone = settings.getbool("GITHUB_CLONE") if clone is None else clone != "0"
        self.engine = open_engine(database_url(settings.get("DATABASE_URL")))

    @property
    def stats(self):  # noqa: ANN201 - Scrapy's StatsCollector
        return self.spider.crawler.stats

    async def requests(self, names: list[str]) -> list[tuple[scrapy.Request, dict[str, Any] | None]]:
        """The first request of each repository's chain, with what the store holds of it (one store query).

        A repository we hold is asked for under its canonical name (no 301 to pay for after a rename), and
        conditionally when its last crawl was complete."""
        states = await asyncio.to_thread(repo_states, self.engine, names)
        urls = {name: repo_url(self.base, states.get(name, {}).get("full_name") or name) for name in names}
        held = await asyncio.to_thread(validators, self.engine, urls.values())
        return [
            (
                self.repo_request(name, states.get(name), held.get(urls[name]) if name in states else None),
                states.get(name),
            )
            for name in names
        ]

    def parse(self, response: Response) -> Iterator[Any]:
        """Every answer of a chain (the spider's ``parse_repo_chain``)."""
        return getattr(self, f"parse_{response.meta['step']}")(response)

    def on_error(self, failure: Failure) -> Iterator[Any] | None:
        """Every failure of a chain (the spider's ``on_repo_chain_error``)."""
        if failed_request(failure).meta["step"] == "repo":
            self.on_repo_error(failure)
            return None
        return self.on_step_error(failure)

    def repo_request(
        self, name: str, state: dict[str, Any] | None = None, validator: dict[str, Any] | None = None
    ) -> scrapy.Request:
        """The first request of ``name``'s chain, answered by ``parse_repo``."""
        state = state or {}
        chain = {
            "requested": name,
            "repo": state.get("full_name") or name,
            "attach": self.attach,
            "reuse": self.attach == "reuse",
            "issues_since": state.get("issues_since"),
            "prs_since": state.get("prs_since"),
            "held_clone_url": state.get("clone_url"),
            "held_branch": state.get("default_branch"),
            # Marks in the server's clock (the newest updated_at seen), not ours: no skew, and a fake world works.
            "issues_mark": state.get("issues_since"),
            "prs_mark": state.get("prs_since"),
            "complete": True,
            "prs_changed": False,
            "pending": [],
            "validator_url": f"{self.base}/repos/{state.get('full_name') or name}",
        }
        return api_request(
            chain["validator_url"],
            self.spider.parse_repo_chain,
            self.spider.on_repo_chain_error,
            base=self.base,
            validator=validator,
            meta={"chain": chain, "step": "repo"},
        )

    def _json(self, response: Response, what: str) -> Any:
        return json_body(response, self.stats, f"github/bad_json/{what}")

    # --- 1. the repository --------------------------------------------------------------------------------------

    def parse_repo(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        if response.status == 304:
            self.stats.inc_value("github/repo_unchanged")
            logger.info("Unchanged since the last crawl: %s (304)", chain["repo"])
            if self.clone and chain["held_clone_url"]:
                yield GithubCloneItem(
                    full_name=chain["repo"],
                    clone_url=chain["held_clone_url"],
                    default_branch=chain["held_branch"],
                    refresh=False,
                )
            yield GithubRepoDoneItem(
                full_name=chain["repo"],
                requested=chain["requested"],
                unchanged=True,
                validator_url=chain["validator_url"],
            )
            return
        body = self._json(response, "repo")
        item = parse.repository_item(body, requested=chain["requested"]) if body is not None else None
        if item is None:
            retry = get_retry_request(response.request, spider=self.spider, reason="github_bad_repo")
            if retry is not None:
                yield retry
                return
            self.stats.inc_value("github/repo_invalid")
            logger.error("No usable repository object for %s from %s", chain["requested"], response.url)
            return
        item.reuse = chain["reuse"]
        if item.full_name != chain["requested"]:
            self.stats.inc_value("github/repo_renamed")
            logger.info("Repository %s is now %s", chain["requested"], item.full_name)
        chain["repo"] = item.full_name
        chain["validator_url"] = f"{self.base}/repos/{item.full_name}"  # the validator is kept for the canonical URL
        chain["etag"] = _header(response, b"ETag")
        chain["last_modified"] = _header(response, b"Last-Modified")
        self.stats.inc_value("github/repos")
        yield item
        if self.clone and item.clone_url:
            yield GithubCloneItem(
                full_name=item.full_name,
                clone_url=item.clone_url,
                default_branch=item.default_branch,
                size_kb=item.size_kb,
            )
        yield self._issues_request(chain)

    def on_repo_error(self, failure: Failure) -> None:
        chain = failed_request(failure).meta["chain"]
        status = failure.value.response.status if failure.check(HttpError) else None
        if status == 404:
            self.stats.inc_value("github/repo_not_found")
            logger.warning("Repository %s not found (deleted or private): nothing stored", chain["requested"])
        elif status == 401:
            self.stats.inc_value("github/bad_credentials")
            logger.error("GitHub refused the token (401 Bad credentials) for %s", chain["requested"])
        else:
            self.stats.inc_value(f"github/repo_error/{failure_reason(failure)}")
            logger.error("Repository %s failed: %s", chain["requested"], failure_reason(failure))

    # --- 2. issues ----------------------------------------------------------------------------------------------

    def _issues_request(self, chain: dict[str, Any]) -> scrapy.Request:
        params = {"state": "all", "per_page": str(self.per_page)}
        if chain["issues_since"]:
            params["since"] = chain["issues_since"]
        url = f"{self.base}/repos/{chain['repo']}/issues?{urlencode(params)}"
        return self._step(chain, url, "issues")

    def _step(self, chain: dict[str, Any], url: str, step: str, **extra: Any) -> scrapy.Request:
        return api_request(
            url,
            self.spider.parse_repo_chain,
            self.spider.on_repo_chain_error,
            base=self.base,
            meta={"chain": chain, "step": step, **extra},
            priority=1,  # finish started repositories before starting new ones
        )

    def parse_issues(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        body = self._json(response, "issues")
        if not isinstance(body, list):
            retry = get_retry_request(response.request, spider=self.spider, reason="github_bad_issues")
            if retry is not None:
                yield retry
                return
            chain["complete"] = False
            logger.error("Giving up on issue page %s of %s", response.url, chain["repo"])
            yield from self._after(chain, "issues")
            return
        for entry in body:
            updated = entry.get("updated_at") if isinstance(entry, dict) else None
            if isinstance(updated, str):
                chain["issues_mark"] = max(chain["issues_mark"] or "", updated)
            if parse.is_pull_request(entry):
                if not chain["prs_since"] or (isinstance(updated, str) and updated > chain["prs_since"]):
                    chain["prs_changed"] = True
                continue
            item = parse.issue_item(entry, chain["repo"], chain["attach"])
            if item is None:
                self.stats.inc_value("github/issue_invalid")
                continue
            self.stats.inc_value("github/issues")
            yield item
            if item.comments_count:
                chain["pending"].append([item.number, item.url])
        next_url = parse.next_link(response.headers.get(b"Link"))
        if next_url:
            yield self._step(chain, next_url, "issues")
            return
        yield from self._after(chain, "issues")

    # --- 3. comments --------------------------------------------------------------------------------------------

    def _after(self, chain: dict[str, Any], step: str) -> Iterator[Any]:
        """The request that follows ``step``, or the closing item."""
        if step in ("issues", "comments") and chain["pending"]:
            number, url = chain["pending"].pop(0)
            comments_url = f"{self.base}/repos/{chain['repo']}/issues/{number}/comments?per_page={self.per_page}"
            yield self._step(chain, comments_url, "comments", issue_url=url, comments=[])
            return
        if step in ("issues", "comments"):
            if chain["prs_since"] and not chain["prs_changed"] and chain["complete"]:
                self.stats.inc_value("github/prs_unchanged")
            else:
                yield self._prs_request(chain, None)
                return
        yield GithubRepoDoneItem(
            full_name=chain["repo"],
            requested=chain["requested"],
            complete=chain["complete"],
            validator_url=chain["validator_url"],
            etag=chain.get("etag"),
            last_modified=chain.get("last_modified"),
            issues_since=chain["issues_mark"],
            prs_since=chain["prs_mark"],
        )
        if not chain["complete"]:
            logger.warning("Repository %s incomplete: it will be fetched again by the next crawl", chain["repo"])

    def parse_comments(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        body = self._json(response, "comments")
        if not isinstance(body, list):
            retry = get_retry_request(response.request, spider=self.spider, reason="github_bad_comments")
            if retry is not None:
                yield retry
                return
            chain["complete"] = False  # the issue keeps the comments it had: nothing half written
            yield from self._after(chain, "comments")
            return
        comments = response.meta["comments"] + [c for c in map(parse.rest_comment, body) if c]
        next_url = parse.next_link(response.headers.get(b"Link"))
        if next_url:
            yield self._step(chain, next_url, "comments", issue_url=response.meta["issue_url"], comments=comments)
            return
        self.stats.inc_value("github/comments", len(comments))
        yield GithubCommentsItem(issue_url=response.meta["issue_url"], comments=comments)
        yield from self._after(chain, "comments")

    # --- 4. pull requests ---------------------------------------------------------------------------------------

    def _prs_request(self, chain: dict[str, Any], after: str | None) -> scrapy.Request:
        owner, name = chain["repo"].split("/", 1)
        return graphql_request(
            PULL_REQUESTS_QUERY,
            pull_request_variables(owner, name, self.pr_page, after),
            self.spider.parse_repo_chain,
            self.spider.on_repo_chain_error,
            base=self.base,
            meta={"chain": chain, "step": "prs"},
            priority=1,
        )

    def parse_prs(self, response: Response) -> Iterator[Any]:
        chain = response.meta["chain"]
        body = self._json(response, "prs")
        nodes, has_next, cursor, errors = parse.pull_request_page(body) if body is not None else ([], False, None, [])
        if body is None or errors:
            retry = get_retry_request(response.request, spider=self.spider, reason="github_bad_prs")
            if retry is not None:
                yield retry
                return
            self.stats.inc_value("github/prs_failed")
            logger.error("Pull requests of %s failed: %s", chain["repo"], "; ".join(errors)[:300] or "bad JSON")
            chain["complete"] = False
            yield from self._after(chain, "prs")
            return
        since = chain["prs_since"]
        for node in nodes:
            item = parse.pull_request_item(node, chain["repo"], chain["attach"])
            if item is None:
                self.stats.inc_value("github/pr_invalid")
                continue
            if since and item.updated_at and item.updated_at < since:
                has_next = False  # ordered by updatedAt, newest first: the rest is already stored
                break
            if item.updated_at:
                chain["prs_mark"] = max(chain["prs_mark"] or "", item.updated_at)
            self.stats.inc_value("github/pull_requests")
            yield item
        if has_next and cursor:
            yield self._prs_request(chain, cursor)
            return
        yield from self._after(chain, "prs")

    # --- failures -------------------------------------------------------------------------------------------------

    def on_step_error(self, failure: Failure) -> Iterator[Any]:
        """A failed step does not stop the chain; the repository is marked incomplete (fetched again next time)."""
        meta = failed_request(failure).meta
        chain, step = meta["chain"], meta["step"]
        reason = failure_reason(failure)
        self.stats.inc_value(f"github/step_error/{step}/{reason}")
        logger.warning("Step %s of %s failed: %s", step, chain["repo"], reason)
        chain["complete"] = False
        yield from self._after(chain, step)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
