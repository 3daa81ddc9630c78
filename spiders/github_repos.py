"""``scrapy crawl github_repos -a repos=owner/name,owner/name`` (or ``-a repos_file=FILE``): given repositories.

Each repository is one chain of requests (crawler/github/chain.py): its record (conditional when unchanged since
the last complete crawl), clone, issues, comments and pull requests.

Arguments: ``repos``, ``repos_file``, ``attach`` (``reuse``, default: downstream repositories; ``ptm``: PyTorch Hub
source repositories, linked through ptm_issues/ptm_pull_requests), ``clone`` (0 to skip clones).
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Self

import scrapy

from crawler.github import parse
from crawler.github.chain import ChainSpider, RepoChain
from crawler.progress import TOTAL, ProgressKeys
from crawler.spiderargs import COMMA_LIST, FLAG, Arg, ArgSpec, choice, comma_list, readable_file, yes_no

logger = logging.getLogger(__name__)

_REPO_IN_URL = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/")


def read_repo_names(repos: str | None, repos_file: str | None) -> tuple[list[str], list[str]]:
    """(valid ``owner/name`` in input order without duplicates, rejected entries).

    Accepts ``owner/name``, ``github.com/owner/name`` and ``https://github.com/owner/name(.git)``; blank lines and
    ``#`` comments are skipped in files.
    """
    raw = [r for r in (repos or "").split(",")]
    if repos_file:
        raw += [line.split("#", 1)[0] for line in Path(repos_file).read_text(encoding="utf-8").splitlines()]
    names: list[str] = []
    bad: list[str] = []
    for entry in raw:
        name = _REPO_IN_URL.sub("", entry.strip()).removesuffix(".git").strip("/")
        if not name:
            continue
        if parse.valid_full_name(name):
            names.append(name)
        else:
            bad.append(entry.strip())
    return list(dict.fromkeys(names)), bad


class GithubReposSpider(ChainSpider):
    name = "github_repos"
    arguments = ArgSpec(
        (
            Arg("repos", "repositories to collect", "owner/name or GitHub URLs, " + COMMA_LIST, comma_list),
            Arg("repos_file", "a file of repositories, one per line (# comments)", "a readable file", readable_file),
            Arg(
                "attach",
                "what the repositories are: downstream reuse or PTM sources",
                "reuse, ptm",
                choice("reuse", "ptm"),
            ),
            Arg("clone", "clone the repositories (default: GITHUB_CLONE)", FLAG, yes_no),
        ),
        one_of=(("repos", "repos_file"),),
    )
    progress_keys = ProgressKeys("repositories", "github/repos", "github/repos", "store/github_repos_complete")

    def __init__(
        self,
        repos: str | None = None,
        repos_file: str | None = None,
        attach: str = "reuse",
        clone: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if attach not in ("reuse", "ptm"):
            raise ValueError(f"attach must be reuse or ptm, not {attach!r}")
        self.names, self.rejected = read_repo_names(repos, repos_file)
        if not self.names and not self.rejected:
            raise ValueError("give repositories with -a repos=owner/name,... or -a repos_file=FILE")
        self.attach = attach
        self.clone_arg = clone

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.chain = RepoChain(spider, crawler.settings, spider.attach, spider.clone_arg)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for entry in self.rejected:
            self.crawler.stats.inc_value("github/input_invalid")
            logger.warning("Ignoring %r: not an owner/name repository", entry)
        self.crawler.stats.set_value(TOTAL, len(self.names))
        requests = await self.chain.requests(self.names)
        logger.info(
            "Collecting %d GitHub repositories from %s (%d revalidated with conditional requests)",
            len(self.names),
            self.chain.base,
            sum(1 for request, _ in requests if "github_validator" in request.meta),
        )
        for request, _ in requests:
            yield request
