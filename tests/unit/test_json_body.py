"""API bodies decode to exactly what ``json.loads`` gives, whatever the fast decoder refuses (issue 14)."""

from __future__ import annotations

import json
import math

import pytest
from scrapy.http import JsonResponse, TextResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.jsonvalues import json_body

BODIES = [
    '[{"id": "a/b", "downloads": 3, "tags": ["x", "é"], "cardData": {"k": null}}]',
    '{"big": 123456789012345678901234567890, "neg": -98765432109876543210}',  # beyond 64 bits
    "[12345678901234567890123,\n 1.5e12345678901234567890, 0.12345678901234567890123]",
    "12345678901234567890123",
    '{"sha": "7f9ceb13f948340d3946304082930078628976d3", "n": 12}',  # 19 digits in a string: the fast decoder
    '{"sha": "f12345678901234567890123", "n": 123456789012345678901234}',  # a run in a string, then a number
    '{"score": NaN, "inf": Infinity}',  # not JSON, but json.loads takes them
    '{"lone": "\\ud800 surrogate"}',
    '{"dup": 1, "dup": 2}',
]


def _stats() -> MemoryStatsCollector:
    return MemoryStatsCollector(get_crawler())


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json"])
def test_same_value_as_json_loads(body: str, content_type: str) -> None:
    response = JsonResponse("https://hub/api", body=body.encode(), headers={"Content-Type": content_type})
    got, want = json_body(response, _stats(), "bad"), json.loads(body)
    if "NaN" in body:
        assert math.isnan(got["score"]) and got["inf"] == want["inf"]
    else:
        assert got == want


def test_a_latin1_body_is_decoded_by_its_charset() -> None:
    body = '{"name": "Zoë"}'.encode("latin-1")
    response = TextResponse("https://hub/api", body=body, headers={"Content-Type": "application/json; charset=latin-1"})
    assert json_body(response, _stats(), "bad") == {"name": "Zoë"}


def test_malformed_body_is_none_and_counted() -> None:
    stats = _stats()
    response = JsonResponse("https://hub/api", body=b'[{"id": "a/b"', headers={"Content-Type": "application/json"})
    assert json_body(response, stats, "hf/bad_json/list") is None
    assert stats.get_value("hf/bad_json/list") == 1
