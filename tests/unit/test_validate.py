"""Invalid items are dropped with a counter, before they can write a wrong or partial row."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.hf.items import HfDiscussionItem, HfModelItem, HfSnapshotItem
from pipelines.validate import ValidatePipeline


@pytest.fixture
def pipeline() -> ValidatePipeline:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return ValidatePipeline.from_crawler(crawler)


@pytest.mark.parametrize(
    "item",
    [
        HfModelItem(context_id="../../etc/passwd"),
        HfModelItem(context_id="a/b", sha="not-a-sha"),
        HfModelItem(context_id="a/b", downloads=-3),
        HfModelItem(context_id="a/b", likes=True),
        HfSnapshotItem(context_id="a/b", revision="main"),
        HfDiscussionItem(context_id="a/b", num=0),
        {"context_id": "a/b"},  # a type the store has no writer for
    ],
)
def test_invalid_items_are_dropped_and_counted(pipeline: ValidatePipeline, item) -> None:
    with pytest.raises(DropItem):
        pipeline.process_item(item)
    assert pipeline.crawler.stats.get_value(f"item_invalid/{type(item).__name__}") == 1


def test_valid_items_pass_unchanged(pipeline: ValidatePipeline) -> None:
    item = HfModelItem(context_id="google-bert/bert-base-uncased", sha="8" * 40, downloads=0, likes=None)
    assert pipeline.process_item(item) is item
    legacy = HfModelItem(context_id="bert-base-uncased")
    assert pipeline.process_item(legacy) is legacy
