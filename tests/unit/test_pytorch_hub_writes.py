"""The PyTorch Hub writers: PeaTMOSS model rows, lookups, aggregators, our page and entrypoint tables, re-runs."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from sqlalchemy import text

from crawler.batch import Batch
from crawler.db.engine import forget_engine, open_engine
from crawler.pytorch_hub import writes as pytorch_writes
from crawler.pytorch_hub.items import PyTorchHubModelItem, PyTorchHubPageItem, PyTorchHubSourceItem


class _Crawler:
    spider = None
    settings = Settings()


def _write(url: str, *items: object) -> None:
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO crawl_run (spider, status) VALUES ('pytorch_hub', 'running')"))
        run_id = conn.execute(text("SELECT max(id) FROM crawl_run")).scalar_one()
        batch = Batch(conn, run_id, MemoryStatsCollector(_Crawler()))
        for kind, write in pytorch_writes.WRITERS:
            chosen = [i for i in items if type(i) is kind]
            if chosen:
                write(batch, chosen)


def _rows(url: str, query: str) -> list[tuple]:
    with open_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


SOURCE = PyTorchHubSourceItem(
    repo="pytorch/vision",
    ref="v0.10.0",
    requested="pytorch/vision",
    hubconf_sha="a" * 40,
    dependencies=["torch"],
    entrypoints=[
        {"name": "resnet18", "kind": "function", "line": 10, "source": None, "doc": "ResNet-18"},
        {"name": "get_weight", "kind": "imported", "line": 3, "source": "torchvision.models.get_weight", "doc": None},
    ],
)


def _model(entry: str, license_key: str | None = "bsd-3-clause") -> PyTorchHubModelItem:
    return PyTorchHubModelItem(
        repo="pytorch/vision",
        entrypoint=entry,
        ref="v0.10.0",
        page="pytorch_vision_resnet.md",
        author="Pytorch Team",
        tags=["vision", "scriptable", "researchers", "cuda-optional"],
        licenses=[license_key] if license_key else [],
    )


def test_models_are_written_as_peatmoss_wrote_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    try:
        page = PyTorchHubPageItem(path="pytorch_vision_resnet.md", title="ResNet", tags=["vision"], loads=[{"x": 1}])
        _write(url, page, SOURCE, _model("resnet18"), _model("resnet34"))
        _write(url, page, SOURCE, _model("resnet18"), _model("resnet34"))  # a re-run changes nothing
        models = _rows(
            url,
            "SELECT m.context_id, m.model_hub_id, m.sha, m.repo_url, m.downloads, m.has_snapshot, i.repo_url, "
            "p.repo_url "
            "FROM model m JOIN ptm_issues i ON i.id = m.ptm_issues_id "
            "JOIN ptm_pull_requests p ON p.id = m.ptm_pull_requests_id ORDER BY m.context_id",
        )
        assert models == [
            ("pytorch/vision/resnet18", 2, None, "github.com/pytorch/vision", None, 1, "github.com/pytorch/vision",
             "github.com/pytorch/vision"),
            ("pytorch/vision/resnet34", 2, None, "github.com/pytorch/vision", None, 1, "github.com/pytorch/vision",
             "github.com/pytorch/vision"),
        ]  # fmt: skip
        for kind in ("tag", "author", "license", "library"):
            names = _rows(
                url,
                f"SELECT l.name FROM {kind} l JOIN model_to_{kind} j ON j.{kind}_id = l.id "
                "JOIN model m ON m.id = j.model_id WHERE m.context_id = 'pytorch/vision/resnet18' ORDER BY l.name",
            )
            expected = {
                "tag": ["cuda-optional", "researchers", "scriptable", "vision"],
                "author": ["Pytorch Team"],
                "license": ["bsd-3-clause"],
                "library": ["pytorch"],
            }[kind]
            assert [n for (n,) in names] == expected
        entries = _rows(
            url,
            "SELECT e.name, e.kind, e.in_hubconf, m.context_id FROM pytorch_hub_entrypoint e "
            "LEFT JOIN model m ON m.id = e.model_id ORDER BY e.name",
        )
        assert entries == [
            ("get_weight", "imported", 1, None),
            ("resnet18", "function", 1, "pytorch/vision/resnet18"),
            ("resnet34", "page", 0, "pytorch/vision/resnet34"),  # loaded by a page, not found in hubconf.py
        ]
        assert _rows(url, "SELECT path, title, tags FROM pytorch_hub_page") == [
            ("pytorch_vision_resnet.md", "ResNet", json.dumps(["vision"]))
        ]
        assert _rows(url, "SELECT repo, ref, dependencies FROM pytorch_hub_source") == [
            ("pytorch/vision", "v0.10.0", '["torch"]')
        ]
    finally:
        forget_engine(url)


def test_a_changed_license_and_a_removed_entrypoint_are_followed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    try:
        _write(url, SOURCE, _model("resnet18"))
        shrunk = PyTorchHubSourceItem(repo="pytorch/vision", ref="v0.10.0", entrypoints=[SOURCE.entrypoints[0]])
        _write(url, shrunk, _model("resnet18", license_key=None))
        assert _rows(url, "SELECT name FROM pytorch_hub_entrypoint") == [("resnet18",)]
        assert _rows(url, "SELECT count(*) FROM model_to_license") == [(0,)]
        # hubconf.py unreadable this time: the stored entrypoint list is kept.
        _write(url, PyTorchHubSourceItem(repo="pytorch/vision", ref="v0.10.0", listed=False, error="404"))
        assert _rows(url, "SELECT name, in_hubconf FROM pytorch_hub_entrypoint") == [("resnet18", 1)]
        assert _rows(url, "SELECT error FROM pytorch_hub_source") == [("404",)]
    finally:
        forget_engine(url)


def _tagged(entry: str, tags: list[str]) -> PyTorchHubModelItem:
    return PyTorchHubModelItem(repo="pytorch/vision", entrypoint=entry, tags=tags)


def test_each_model_gets_the_domain_the_paper_gave_it_from_its_tags(tmp_path: Path) -> None:
    """Fig. 8 of the paper (Plots/fig8.ipynb): one domain tag gives that domain, two give multimodal, none other."""
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    query = (
        "SELECT m.context_id, d.name FROM model_to_domain j JOIN model m ON m.id = j.model_id "
        "JOIN domain d ON d.id = j.domain_id ORDER BY m.context_id"
    )
    try:
        _write(
            url,
            _tagged("cv", ["vision", "scriptable", "researchers", "cuda-optional"]),
            _tagged("gen", ["generative", "researchers"]),
            _tagged("text", ["nlp", "researchers", "cuda"]),
            _tagged("speech", ["audio"]),
            _tagged("both", ["nlp", "vision", "researchers"]),
            _tagged("none", ["scriptable", "researchers", "cuda-optional"]),
        )
        assert _rows(url, query) == [
            ("pytorch/vision/both", "multimodal"),
            ("pytorch/vision/cv", "computer-vision"),
            ("pytorch/vision/gen", "computer-vision"),
            ("pytorch/vision/none", "other"),
            ("pytorch/vision/speech", "audio"),
            ("pytorch/vision/text", "natural-language-processing"),
        ]
        # A page whose tags changed: the model's one row follows them (replaced, not added).
        _write(url, _tagged("cv", ["audio", "researchers"]))
        assert ("pytorch/vision/cv", "audio") in _rows(url, query) and len(_rows(url, query)) == 6
        assert _rows(url, "SELECT count(*), count(DISTINCT name) FROM domain") == [(5, 5)]
    finally:
        forget_engine(url)
