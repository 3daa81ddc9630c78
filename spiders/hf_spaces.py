"""``scrapy crawl hf_spaces``: every Space of the Hub, the models and datasets it declares, and its small files.

Listing and incremental rules: crawler/hf_repos/spider.py. Per page, the declared models we neither store nor
asked about are fetched once from /api/models/{id} (a ``model`` row with its listing fields); the answer (the
canonical id, which may differ in case or after a rename, or the refusal of a private, disabled or nonexistent
model) goes to ``hf_declared_model`` so that no later crawl asks again. Per changed Space: its info with file
sizes, then its README.md, app.py, requirements.txt and ``*.py`` files (up to SNAPSHOT_MAX_FILE_SIZE) into the
snapshot store.

Arguments (``-a name=value``): limit, author, search, sort, snapshot (none|small|all).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.hf import parse as hf_parse
from crawler.hf_repos import parse, state
from crawler.hf_repos.items import HfDeclaredModelItem, HfSpaceItem, SpaceSnapshotItem
from crawler.hf_repos.spider import HubRepoSpider, repo_arguments
from crawler.spiderutil import failed_request, http_error

logger = logging.getLogger(__name__)


class HfSpacesSpider(HubRepoSpider):
    name = "hf_spaces"
    repo_type = "space"
    api_path = "spaces"
    expand = parse.SPACE_EXPAND
    stat_prefix = "hf_spaces"
    listed_stat = "hf_spaces/listed"
    unit = "Spaces"
    arguments = repo_arguments(("likes", "lastModified", "createdAt", "trendingScore"))  # Spaces count no downloads

    def parse_entry(self, entry: Any) -> HfSpaceItem | None:
        return parse.space_item(entry)

    def key(self, item: HfSpaceItem) -> str:
        return item.space_id

    async def page_requests(self, items: list[HfSpaceItem]) -> list[scrapy.Request]:
        declared = {name for item in items for name in item.models}
        unknown = await asyncio.to_thread(state.unknown_models, self.engine, declared)
        self.crawler.stats.inc_value("hf_spaces/unknown_models", len(unknown))
        return [
            scrapy.Request(
                f"{self.endpoint}/api/models/{name}",
                callback=self.parse_model,
                errback=self.on_model_error,
                meta={"model": name},
            )
            for name in sorted(unknown)
        ]

    def parse_model(self, response: Response) -> Iterator[Any]:
        body = self._json(response, "model")
        item = hf_parse.model_item(body)
        if item is None:
            retry = self._retry_bad_json(response, "model")
            if retry is not None:
                yield retry
            return
        self.crawler.stats.inc_value("hf_spaces/models_added")
        yield item
        yield HfDeclaredModelItem(name=response.meta["model"], status=200, canonical_id=item.context_id)

    def on_model_error(self, failure: Failure) -> Iterator[Any]:
        name = failed_request(failure).meta["model"]
        status, code = http_error(failure)
        if status in (401, 403, 404):  # private, disabled or nonexistent: an answer, recorded, not asked again
            self.crawler.stats.inc_value(f"hf_spaces/models_missing/{status}")
            logger.info("Declared model %s is not visible (%s %s)", name, status, code or "")
            yield HfDeclaredModelItem(name=name, status=status, error_code=code)
        else:  # transient: the model stays unknown and is asked for again next crawl
            self.crawler.stats.inc_value("hf_spaces/model_failed")
            logger.warning("Declared model %s could not be fetched: %s %s", name, status, code)

    def details(self, item: HfSpaceItem) -> Iterator[scrapy.Request]:
        assert item.sha is not None
        yield scrapy.Request(
            f"{self.endpoint}/api/spaces/{item.space_id}/revision/{quote(item.sha, safe='')}?blobs=true",
            callback=self.parse_info,
            errback=self.on_info_error,
            meta={"space": item.space_id, "sha": item.sha},
        )

    def parse_info(self, response: Response) -> Iterator[Any]:
        space, sha = response.meta["space"], response.meta["sha"]
        files = self.repo_files(response, space)
        if not isinstance(files, list):
            if files is not None:
                yield files  # the retry of a malformed reply
            return
        siblings = [s for s in files if parse.wanted_space_file(s.rfilename)]
        yield SpaceSnapshotItem(context_id=space, revision=sha, files=self.plan_repo(space, sha, siblings))

    def on_info_error(self, failure: Failure) -> None:
        status, code = http_error(failure)
        self.crawler.stats.inc_value(f"hf_spaces/info_error/{status or code}")
        logger.warning("No files for Space %s: %s %s", failed_request(failure).meta.get("space"), status, code or "")
