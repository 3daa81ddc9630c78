"""Validation of hostile values (issue 13.8): whole-string matches, length bounds, integer ranges, NUL removed."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from crawler.hf.items import HfCommitsItem, HfModelItem, HfSnapshotItem
from crawler.validation import clean, plain
from pipelines.validate import InvalidItem, ValidatePipeline, problems

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    "item",
    [
        HfModelItem(context_id="org/name\n"),
        HfModelItem(context_id=f"org/{'x' * 300}"),
        HfModelItem(context_id="org/name", sha=SHA + "\n"),
        HfModelItem(context_id="org/name", downloads=10**30),
        HfModelItem(context_id="org/name", likes=2**31),
        HfSnapshotItem(context_id="org/name", revision=SHA + "\n"),
        HfCommitsItem(context_id="org/name", commits=[{"commit_id": SHA, "size": 10**20}]),
    ],
)
def test_refused(item) -> None:
    assert problems(item)
    with pytest.raises(InvalidItem):
        ValidatePipeline(get_crawler()).process_item(item)


def test_accepted_at_the_bounds() -> None:
    assert problems(HfModelItem(context_id=f"org/{'x' * 96}", sha=SHA, downloads=2**31 - 1, likes=0)) == []


def test_nul_removed_everywhere() -> None:
    item = HfModelItem(
        context_id="org/name", author="a\x00b", tags=["t\x00"], card_data={"k\x00": ["v\x00"]}, config={"n": 1}
    )
    assert clean(item)
    assert (item.author, item.tags, item.card_data, item.config) == ("ab", ["t"], {"k": ["v"]}, {"n": 1})
    assert not clean(item)


def test_only_items_that_may_need_the_walks_get_them() -> None:
    assert plain(HfModelItem(context_id="org/name", card_data={"k": [1, "v", None, 2.5, True]}))
    for value in ("a\x00", {"k\x00": 1}, 2**53, -(2**53), 10**30, {1: "a non-string key"}, "\ud800", "\\u0000"):
        assert not plain(HfModelItem(context_id="org/name", card_data={"v": value})), value
    assert not clean(HfModelItem(context_id="org/name", card_data={"v": "\\u0000"}))  # text, not a NUL
    assert problems(HfModelItem(context_id="org/name", sha=SHA, card_data={"n": 2**60})) == []  # beyond 53 bits
