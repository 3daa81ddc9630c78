"""The spider loader imports only the module named after the spider a command runs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.settings import Settings

from crawler.spiderloader import NamedModuleSpiderLoader

SPIDER = """
import scrapy
class {cls}(scrapy.Spider):
    name = "{name}"
    allowed_domains = ["{name}.example"]
"""


@pytest.fixture
def package(tmp_path: Path) -> Iterator[str]:
    """A spider package ``fakespiders``: alpha and beta in modules of their names, gamma in ``misc``."""
    root = tmp_path / "fakespiders"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for module, cls, name in (("alpha", "Alpha", "alpha"), ("beta", "Beta", "beta"), ("misc", "Gamma", "gamma")):
        (root / f"{module}.py").write_text(SPIDER.format(cls=cls, name=name))
    sys.path.insert(0, str(tmp_path))
    yield "fakespiders"
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == "fakespiders" or m.startswith("fakespiders.")]:
        del sys.modules[name]


def _loader(package: str) -> NamedModuleSpiderLoader:
    return NamedModuleSpiderLoader.from_settings(Settings({"SPIDER_MODULES": [package]}))


def test_load_imports_the_named_module_only(package: str) -> None:
    assert _loader(package).load("alpha").__name__ == "Alpha"
    assert "fakespiders.alpha" in sys.modules
    assert "fakespiders.beta" not in sys.modules
    assert "fakespiders.misc" not in sys.modules


def test_other_layouts_and_listing_walk_every_module(package: str) -> None:
    loader = _loader(package)
    assert loader.load("gamma").__name__ == "Gamma"  # not in a module of its name: found by the walk
    assert sorted(loader.list()) == ["alpha", "beta", "gamma"]
    assert _loader(package).find_by_request(Request("https://beta.example/x")) == ["beta"]


def test_unknown_spider_is_a_key_error(package: str) -> None:
    with pytest.raises(KeyError, match="Spider not found: nope"):
        _loader(package).load("nope")
    with pytest.raises(KeyError):
        _loader(package).load("../alpha")


def test_project_spiders_all_listed() -> None:
    from crawler import settings

    names = NamedModuleSpiderLoader.from_settings(Settings({"SPIDER_MODULES": settings.SPIDER_MODULES})).list()
    assert {"hf_models", "hf_spaces", "hf_datasets", "github_repos", "github_search", "pytorch_hub"} <= set(names)
