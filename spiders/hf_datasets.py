"""``scrapy crawl hf_datasets``: every dataset of the Hub with its metadata and card text.

Listing and incremental rules: crawler/hf_repos/spider.py. Per changed dataset: its README.md (the card) into the
snapshot store and ``hf_dataset.card_text``; a dataset without a card is done without a request. At the end of the
crawl, PeaTMOSS ``dataset`` rows that name a crawled dataset are linked to it (``dataset_to_hf_dataset``).

Arguments (``-a name=value``): limit, author, search, sort, snapshot (none|small|all).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler.hf.parse import Sibling
from crawler.hf_repos import parse
from crawler.hf_repos.items import DatasetSnapshotItem, HfDatasetItem
from crawler.hf_repos.spider import HubRepoSpider, repo_arguments


class HfDatasetsSpider(HubRepoSpider):
    name = "hf_datasets"
    repo_type = "dataset"
    api_path = "datasets"
    expand = parse.DATASET_EXPAND
    stat_prefix = "hf_datasets"
    listed_stat = "hf_datasets/listed"
    unit = "datasets"
    arguments = repo_arguments(("downloads", "likes", "lastModified", "createdAt", "trendingScore"))

    def parse_entry(self, entry: Any) -> HfDatasetItem | None:
        return parse.dataset_item(entry)

    def key(self, item: HfDatasetItem) -> str:
        return item.dataset_id

    def details(self, item: HfDatasetItem) -> Iterator[DatasetSnapshotItem]:
        assert item.sha is not None
        card = [Sibling(parse.CARD_PATH)] if parse.CARD_PATH in item.siblings else []
        files = self.plan_repo(item.dataset_id, item.sha, card)
        yield DatasetSnapshotItem(context_id=item.dataset_id, revision=item.sha, files=files)
