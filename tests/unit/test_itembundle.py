"""A list page's items travel the pipelines as one ItemBundle; each member is handled as a lone item would be."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.hf.items import HfModelItem
from crawler.itembundle import ItemBundle
from pipelines.normalise import NormalisePipeline
from pipelines.store import StorePipeline
from pipelines.validate import ValidatePipeline

SHA = "8" * 40


def model(name: str, **fields: Any) -> HfModelItem:
    return HfModelItem(context_id=f"org/{name}", sha=SHA, **fields)


@pytest.fixture
def crawler(tmp_path) -> Crawler:
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}", "STORE_BATCH_SIZE": 4, "STORE_FLUSH_SECONDS": 60}
    crawler = get_crawler(Spider, settings)
    crawler.spider = crawler._create_spider("bundles")
    crawler.stats.open_spider()
    return crawler


def test_an_invalid_member_is_dropped_alone_and_recorded(crawler: Crawler, caplog) -> None:
    store = StorePipeline(crawler)  # listens to item_dropped: the rejected item is recorded with the next batch
    bad = model("b", downloads=-3)
    good = [model("a"), model("c")]
    bundle = ItemBundle([good[0], bad, good[1]])
    with caplog.at_level(logging.WARNING):
        out = ValidatePipeline.from_crawler(crawler).process_item(bundle)
    assert out is bundle and bundle.items == good
    stats = crawler.stats
    assert stats.get_value("item_invalid/HfModelItem") == 1
    assert stats.get_value("item_dropped_count") == 1  # Scrapy's own count, as for a lone dropped item
    assert stats.get_value("item_dropped_reasons_count/InvalidItem") == 1
    assert [item for item, _ in store.invalid] == [bad]
    assert stats.get_value("store/rejected") == 1
    assert caplog.text.count("Dropped invalid HfModelItem: bad downloads -3") == 1
    assert caplog.text.count("Dropped: ") == 1  # Scrapy's line for a dropped item


def test_members_are_normalised(crawler: Crawler) -> None:
    bundle = ItemBundle([model("a", tags=["pytorch", "license:mit"]), model("b", tags=["en"])])
    out = NormalisePipeline.from_crawler(crawler).process_item(bundle)
    assert out is bundle
    assert [m.licenses for m in bundle.items] == [["mit"], []]
    assert [m.authors for m in bundle.items] == [["org"], ["org"]]


def test_lone_items_keep_working(crawler: Crawler) -> None:
    item = model("a", tags=["license:mit"])
    assert NormalisePipeline.from_crawler(crawler).process_item(item) is item
    assert item.licenses == ["mit"]
    assert ValidatePipeline.from_crawler(crawler).process_item(item) is item


def test_the_store_buffers_members(crawler: Crawler) -> None:
    store = StorePipeline(crawler)
    written: list[list[Any]] = []
    store._write_isolated = written.append  # type: ignore[method-assign]  # no database: what would be written
    first = [model("a"), model("b"), model("c")]
    second = [model("d"), model("e")]
    asyncio.run(store.process_item(ItemBundle(first)))
    assert store.buffer == first and written == []  # 3 of STORE_BATCH_SIZE 4: not due yet
    lone = model("f")
    asyncio.run(store.process_item(ItemBundle(second)))
    asyncio.run(store.process_item(lone))
    assert written == [first + second]
    assert store.buffer == [lone]
    assert crawler.stats.get_value("store/items") == 5
