"""Finds a spider without importing every spider module (setting ``SPIDER_LOADER_CLASS``).

Scrapy's loader imports every module under ``SPIDER_MODULES`` on every command, so ``scrapy crawl hf_models`` paid
for the GitHub and PyTorch Hub spiders' imports too (about 0.1 s of a one-model crawl's start-up,
bench/bench_startup.py). Here each spider lives in the module named after it (``spiders/hf_models.py`` holds
``hf_models``): ``load`` imports that module alone, and falls back to Scrapy's full walk for any other layout and for
``list`` and ``find_by_request``, which need every spider.
"""

from __future__ import annotations

import importlib
import importlib.util

from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.spider import iter_spider_classes


class NamedModuleSpiderLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings) -> None:
        self._walked = False
        super().__init__(settings)  # its walk of every module is deferred (_load_all_spiders below)

    def _load_all_spiders(self) -> None:
        if self._walked:
            super()._load_all_spiders()

    def _walk(self) -> None:
        if not self._walked:
            self._walked = True
            self._load_all_spiders()

    def _by_module_name(self, spider_name: str) -> type[Spider] | None:
        for package in self.spider_modules:
            module_name = f"{package}.{spider_name}"
            try:
                found = importlib.util.find_spec(module_name)
            except (ImportError, ValueError):  # the package itself is missing: the walk reports it
                return None
            if found is None:
                continue
            for spider in iter_spider_classes(importlib.import_module(module_name)):
                if spider.name == spider_name:
                    self._spiders[spider_name] = spider
                    return spider
        return None

    def load(self, spider_name: str) -> type[Spider]:
        if spider_name in self._spiders:
            return self._spiders[spider_name]
        if not self._walked and spider_name.isidentifier() and (spider := self._by_module_name(spider_name)):
            return spider
        self._walk()
        return super().load(spider_name)

    def find_by_request(self, request: Request) -> list[str]:
        self._walk()
        return super().find_by_request(request)

    def list(self) -> list[str]:
        self._walk()
        return super().list()
