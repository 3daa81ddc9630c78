"""Fills the derived fields of items (e.g. a Hugging Face model's PeaTMOSS lookup buckets, crawler/hf/normalise.py).

Each registry declares its normalisers; item types without one pass through unchanged. A bundle's members
(crawler/itembundle.py) are normalised one by one.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.itembundle import each_member
from crawler.registries import normalisers

NORMALISERS = normalisers()


def normalised(item: Any) -> Any:
    normalise = NORMALISERS.get(type(item))
    return normalise(item) if normalise is not None else item


class NormalisePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalisePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return each_member(self.crawler, item, normalised)
