"""Every registry folder has the same shape, and the generic components know every registry through it."""

from __future__ import annotations

import importlib
from pathlib import Path

from scrapy.http import Response
from scrapy.settings import Settings

from crawler.registries import REGISTRIES, Classifier, checkers, writers

REQUIRED = ("items", "parse", "state", "limits", "checks", "writes")
ROOT = Path(__file__).resolve().parents[2]


def test_every_registry_folder_has_the_required_modules() -> None:
    names = [registry.name for registry in REGISTRIES]
    assert names == ["hf", "hf_repos", "github", "pytorch_hub"]
    # a folder with items is a registry: it must be listed, or the pipelines would refuse its items
    assert {p.parent.name for p in (ROOT / "crawler").glob("*/items.py")} == set(names)
    for name in names:
        folder = ROOT / "crawler" / name
        missing = [module for module in REQUIRED if not (folder / f"{module}.py").is_file()]
        assert not missing, f"crawler/{name}/ lacks {missing} (docs/adding-a-registry.md)"
        checks = importlib.import_module(f"crawler.{name}.checks")
        writes = importlib.import_module(f"crawler.{name}.writes")
        limits = importlib.import_module(f"crawler.{name}.limits")
        assert isinstance(checks.CHECKERS, dict) and isinstance(writes.WRITERS, tuple)
        assert isinstance(writes.FINISHERS, tuple) and hasattr(limits, "LIMITS")


def test_the_guide_lists_exactly_the_required_modules() -> None:
    guide = (ROOT / "docs" / "adding-a-registry.md").read_text(encoding="utf-8")
    for module in REQUIRED:
        assert f"crawler/<registry>/{module}.py" in guide


def test_every_item_type_has_a_checker_and_a_writer() -> None:
    checked, written = set(checkers()), {kind for kind, _ in writers()}
    assert checked == written
    for name in ("hf", "github", "pytorch_hub"):
        items = importlib.import_module(f"crawler.{name}.items")
        declared = {v for v in vars(items).values() if isinstance(v, type) and v.__module__ == items.__name__}
        assert declared <= checked, f"{name}: {declared - checked} have no checker"


def test_the_registries_classify_urls_and_read_their_own_headers() -> None:
    hf, gh = "http://127.0.0.1:9/hf", "http://127.0.0.1:9/gh"
    classifier = Classifier(Settings({"HF_ENDPOINT": hf, "GITHUB_API_URL": gh}))
    found = classifier.limits_of(f"{gh}/search/code?q=x")
    assert found is not None and (found[0].registry, found[1]) == ("github", "code_search")
    hf_limits = classifier.limits_of(f"{hf}/api/models")[0]
    quota = hf_limits.quota(Response(hf, headers={"RateLimit-Policy": '"fixed window";"api";q=1000;w=300'}))
    assert (quota.limit, quota.window, quota.remaining) == (1000, 300.0, None)
    spent = hf_limits.quota(Response(hf, headers={"RateLimit": '"resolvers";r=0;t=42'}))
    assert spent.spent and (spent.resource, spent.reset) == ("resolvers", 42.0)
    assert classifier.limits_of("http://cdn.test/file") is None
