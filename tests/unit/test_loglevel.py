"""Loggers below LOG_LEVEL build no records: Scrapy's DEBUG lines cost a record each before the handler dropped them."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.loglevel import LogLevel


@pytest.fixture
def scrapy_levels() -> Iterator[None]:
    """Scrapy's own logging set-up (its logger at DEBUG, the root unset), restored afterwards."""
    saved = {name: logging.getLogger(name).level for name in ("", "scrapy")}
    logging.getLogger("scrapy").setLevel(logging.DEBUG)
    logging.getLogger().setLevel(logging.NOTSET)
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def test_debug_records_are_not_built_at_info(scrapy_levels: None) -> None:
    LogLevel.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "INFO"}))
    for name in ("scrapy.core.scraper", "scrapy.pipelines.files", "pipelines.snapshot", "crawler.budget"):
        logger = logging.getLogger(name)
        assert not logger.isEnabledFor(logging.DEBUG) and logger.isEnabledFor(logging.INFO), name


def test_debug_level_and_bad_levels(scrapy_levels: None) -> None:
    LogLevel.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "DEBUG"}))
    assert logging.getLogger("scrapy.core.scraper").isEnabledFor(logging.DEBUG)  # nothing raised
    LogLevel.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": logging.WARNING}))
    assert not logging.getLogger("pipelines.store").isEnabledFor(logging.INFO)
    with pytest.raises(NotConfigured, match="LOG_LEVEL 'LOUD'"):
        LogLevel.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": "LOUD"}))
