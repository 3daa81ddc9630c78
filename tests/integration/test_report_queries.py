"""The report's SQL on a small hand-built database, on SQLite and on PostgreSQL: every figure's rows as computed by hand
(medians of odd and even groups, top 10 % rounded up, shares, license verdicts, ``--since``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, text

from crawler.db import enrich, hub_repos, mapping, ours, schema  # noqa: F401  (every table registered)
from crawler.db.engine import forget_engine, open_engine
from crawler.db.enrich import enrich_field_provenance
from crawler.db.hub_repos import hf_space, hf_space_call_site, hf_space_to_model
from crawler.db.ours import crawl_model_observation, crawl_model_state, crawl_run
from crawler.db.schema import (
    domain,
    license,
    model,
    model_to_base_model,
    model_to_domain,
    model_to_license,
    model_to_reuse_repository,
    parameter_count,
    reuse_repository,
    reuse_repository_to_license,
)
from report.build import build_report, collect

# id -> (hub, context id, domain, created_at, license)
MODELS = {
    1: (1, "org/m1", "natural-language-processing", "2023-01-05T10:00:00Z", "apache-2.0"),
    2: (1, "org/m2", "natural-language-processing", "2023-01-20T10:00:00Z", "gpl-3.0"),
    3: (1, "org/m3", "natural-language-processing", "2023-01-25T10:00:00Z", None),
    4: (1, "org/m4", "computer-vision", "2023-02-01T10:00:00Z", "openrail"),
    5: (1, "org/m5", "computer-vision", "2023-02-11T10:00:00Z", None),
    6: (1, "org/m6", "audio", "2022-12-31T23:00:00Z", "mit"),
    7: (2, "pytorch/vision/resnet18", "computer-vision", None, "gpl-3.0"),
}
PARAMETERS = [(1, 100), (2, 300), (3, 200), (4, 10), (5, 30), (5, 5)]  # m5 twice: its largest count counts
REPOS = {1: ("a", "x", "mit"), 2: ("b", "y", "mit"), 3: ("c", "z", None)}
LINKS = [(1, 1), (1, 2), (4, 2), (7, 3), (2, 3), (2, 1), (6, 1)]
RUNS = {1: "2023-01-01T00:00:00Z", 2: "2023-03-01T00:00:00Z"}
DOWNLOADS = {1: [100, 50, 10, 5, 0, None], 2: [1, 2, 3, 4, 5, 6]}  # per run, models 1..6
BASES = [(2, "org/base", "finetune"), (3, "org/base", "finetune"), (4, "org/base", "adapter"), (5, "other/base", None)]
PROVENANCE = [(1, "domain"), (1, "license"), (2, "domain"), (3, "_none")]
# Space -> declared model name, resolved model id: space 1 declares m1 twice (two spellings), space 3 a missing model.
DECLARED = [(1, "org/m1", 1), (1, "ORG/M1", 1), (2, "org/m1", 1), (2, "org/m4", 4), (3, "ghost/none", None)]
SPACE_LOADS = [(1, 1), (3, 6)]  # (space, model) loads scrapy map found in the Spaces' files


def fill(engine: Engine) -> None:
    domains = sorted({m[2] for m in MODELS.values()})
    licenses = sorted({m[4] for m in MODELS.values() if m[4]} | {r[2] for r in REPOS.values() if r[2]})
    dom_id = {d: i + 1 for i, d in enumerate(domains)}
    lic_id = {name: i + 1 for i, name in enumerate(licenses)}
    with engine.begin() as conn:
        conn.execute(domain.insert(), [{"id": i, "name": d} for d, i in dom_id.items()])
        conn.execute(license.insert(), [{"id": i, "name": n} for n, i in lic_id.items()])
        conn.execute(model.insert(), [{"id": i, "model_hub_id": m[0], "context_id": m[1]} for i, m in MODELS.items()])
        conn.execute(model_to_domain.insert(), [{"model_id": i, "domain_id": dom_id[m[2]]} for i, m in MODELS.items()])
        conn.execute(
            model_to_license.insert(),
            [{"model_id": i, "license_id": lic_id[m[4]]} for i, m in MODELS.items() if m[4]],
        )
        conn.execute(
            crawl_model_state.insert(), [{"model_id": i, "created_at": m[3]} for i, m in MODELS.items() if m[0] == 1]
        )
        conn.execute(parameter_count.insert(), [{"model_id": i, "count": n} for i, n in PARAMETERS])
        conn.execute(
            reuse_repository.insert(),
            [{"id": i, "owner": o, "name": n, "url": f"https://github.com/{o}/{n}"} for i, (o, n, _) in REPOS.items()],
        )
        conn.execute(
            reuse_repository_to_license.insert(),
            [{"reuse_repository_id": i, "license_id": lic_id[r[2]]} for i, r in REPOS.items() if r[2]],
        )
        conn.execute(model_to_reuse_repository.insert(), [{"model_id": m, "reuse_repository_id": r} for m, r in LINKS])
        conn.execute(
            crawl_run.insert(),
            [{"id": i, "spider": "hf_models", "status": "finished", "finished_at": f} for i, f in RUNS.items()],
        )
        conn.execute(
            crawl_model_observation.insert(),
            [
                {"run_id": run, "model_id": i + 1, "downloads": d}
                for run, values in DOWNLOADS.items()
                for i, d in enumerate(values)
            ],
        )
        conn.execute(
            model_to_base_model.insert(),
            [{"model_id": m, "base_model_name": b, "relation": r} for m, b, r in BASES],
        )
        conn.execute(enrich_field_provenance.insert(), [{"model_id": m, "field": f} for m, f in PROVENANCE])
        conn.execute(hf_space.insert(), [{"id": i, "space_id": f"org/space{i}"} for i in (1, 2, 3)])
        conn.execute(
            hf_space_to_model.insert(), [{"space_id": s, "model_name": n, "model_id": m} for s, n, m in DECLARED]
        )
        conn.execute(
            hf_space_call_site.insert(),
            [
                {"space_id": s, "model_id": m, "revision": "r", "path": "app.py", "line": 1, "col": 0}
                | {"library": "transformers", "callee": "pipeline"}
                for s, m in SPACE_LOADS
            ],
        )


def plain(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Shares compared to 6 places; no Decimal reaches the report (PostgreSQL's are converted)."""
    assert not any(isinstance(v, Decimal) for r in rows for v in r)
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows]


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'hand.db'}"
    engine = open_engine(url)
    fill(engine)
    yield engine
    forget_engine(url)


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """A schema of this test's own (the session schema is shared with other tests' rows)."""
    import psycopg

    base = postgres_url.split("?")[0]
    schema_name = f"report_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema_name}"')
    url = f"{base}?options=-csearch_path%3D{schema_name}"
    try:
        engine = open_engine(url)
        fill(engine)
        yield engine
    finally:
        forget_engine(url)
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema_name}" CASCADE')


def check(engine: Engine) -> None:
    found = collect(engine, None)
    licenses, incompatible, runs, hubs = found.licenses, found.incompatible, found.runs, found.hubs
    got = {f.name: plain(f.rows) for f in found.figures}
    availability = {r[0]: r[1:] for r in got["metadata_availability"]}
    assert len(availability) == 20
    assert availability["domain"] == (3, 2, round(2 / 3, 6))
    assert availability["license"] == (3, 1, round(1 / 3, 6))
    assert availability["parameter_count"] == (3, 0, 0.0)
    assert got["domains_by_hub"] == [
        ("HuggingFace", "natural-language-processing", 3, 0.5),
        ("HuggingFace", "computer-vision", 2, round(1 / 3, 6)),
        ("HuggingFace", "audio", 1, round(1 / 6, 6)),
        ("PyTorch", "computer-vision", 1, 1.0),
    ]
    assert got["reuse_by_domain"] == [
        ("HuggingFace", "natural-language-processing", 3, 1.0),
        ("HuggingFace", "audio", 1, round(1 / 3, 6)),
        ("HuggingFace", "computer-vision", 1, round(1 / 3, 6)),
        ("PyTorch", "computer-vision", 1, 1.0),
    ]
    assert got["created_by_domain"] == [
        ("2022-12", "audio", 1),
        ("2023-01", "natural-language-processing", 3),
        ("2023-02", "computer-vision", 2),
    ]
    # Jan nlp: 100, 200, 300 -> 200; Feb cv: 10 and max(30, 5) -> (10 + 30) / 2.
    assert got["median_parameters"] == [
        ("2023-01", "natural-language-processing", 200.0, 3),
        ("2023-02", "computer-vision", 20.0, 2),
    ]
    assert got["license_flows"] == [
        ("Apache-2.0", "MIT", 2, "compatible"),
        ("GPL-3.0-only", "none", 2, "no-license"),
        ("GPL-3.0-only", "MIT", 1, "incompatible"),
        ("MIT", "MIT", 1, "compatible"),
        ("openrail", "MIT", 1, "unknown"),
    ]
    assert incompatible == [("org/m2", "a/x", "GPL-3.0-only", "MIT")]
    assert licenses.total_pairs == 7 and licenses.identical == 1
    assert licenses.headlines() == pytest.approx(
        {"identical": 100 / 7, "incompatible": 100 / 7, "not analysed": 300 / 7}
    )
    # run 1: 6 models, top 10 % = 1 model (rounded up) holding 100 of 165; run 2: 6 of 21.
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in got["popularity_by_run"]] == [(1, 6, 1, 100, 165), (2, 6, 1, 6, 21)]
    assert got["lineage"] == [("org/base", "finetune", 2), ("org/base", "adapter", 1), ("other/base", "unknown", 1)]
    # m1: Spaces 1 and 2 (space 1's two spellings count once), m4: Space 2, the other four HF models: none.
    assert got["models_by_spaces"] == [(0, 4, round(4 / 6, 6)), (1, 1, round(1 / 6, 6)), (2, 1, round(1 / 6, 6))]
    # GitHub: repositories 1-3 use nlp (m1, m2), 2-3 cv (m4, PyTorch m7), 1 audio (m6). Spaces: 1-2 declare nlp
    # (m1), 2 cv (m4), 3 loads audio (m6) undeclared.
    assert got["downstream_by_domain"] == [
        ("GitHub", "natural-language-processing", 3, 1.0),
        ("GitHub", "computer-vision", 2, round(2 / 3, 6)),
        ("GitHub", "audio", 1, round(1 / 3, 6)),
        ("Spaces", "natural-language-processing", 2, round(2 / 3, 6)),
        ("Spaces", "audio", 1, round(1 / 3, 6)),
        ("Spaces", "computer-vision", 1, round(1 / 3, 6)),
    ]
    counts = {f.name: f.counts for f in found.figures}
    assert counts["models_by_spaces"]["declared names matching no stored model"] == 1
    assert counts["models_by_spaces"]["Space -> model declarations"] == 3
    assert [r[0] for r in runs] == [1, 2]
    assert hubs == [("HuggingFace", 6), ("PyTorch", 1)]

    found = collect(engine, "2023-01-10")
    runs = found.runs
    got = {f.name: plain(f.rows) for f in found.figures}
    assert got["created_by_domain"] == [
        ("2023-01", "natural-language-processing", 2),
        ("2023-02", "computer-vision", 2),
    ]
    assert got["median_parameters"] == [
        ("2023-01", "natural-language-processing", 250.0, 2),
        ("2023-02", "computer-vision", 20.0, 2),
    ]
    assert [r[0] for r in got["popularity_by_run"]] == [2]
    assert [r[0] for r in runs] == [2]


def test_report_queries_on_sqlite(sqlite_engine: Engine) -> None:
    check(sqlite_engine)


def test_report_queries_on_postgresql(postgres_engine: Engine, tmp_path) -> None:
    with postgres_engine.connect() as conn:
        assert conn.execute(text("SELECT current_schema()")).scalar_one().startswith("report_")
    check(postgres_engine)
    url = postgres_engine.url.render_as_string(hide_password=False)
    build_report(url, tmp_path / "out")
    popularity = (tmp_path / "out" / "data" / "popularity_by_run.csv").read_text().splitlines()
    assert popularity[1:] == [f"1,{RUNS[1]},6,1,100,165", f"2,{RUNS[2]},6,1,6,21"]
    medians = (tmp_path / "out" / "data" / "median_parameters.csv").read_text().splitlines()
    assert medians[1:] == ["2023-01,natural-language-processing,200,3", "2023-02,computer-vision,20,2"]


def test_hostile_values_do_not_break_the_report(tmp_path) -> None:
    """An unreadable creation date is left out and counted; TeX-like and HTML-like names are drawn as text."""
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    engine = open_engine(url)
    fill(engine)
    with engine.begin() as conn:
        conn.execute(model.insert(), [{"id": 8, "model_hub_id": 1, "context_id": "<b>$\\frac{x$"}])
        conn.execute(crawl_model_state.insert(), [{"model_id": 8, "created_at": "garbage"}])
        conn.execute(model_to_domain.insert(), [{"model_id": 8, "domain_id": 1}])
        conn.execute(model_to_base_model.insert(), [{"model_id": 8, "base_model_name": "$\\frac{x$", "relation": None}])
        conn.execute(license.insert(), [{"id": 99, "name": "(MIT AND"}])
        conn.execute(model_to_license.insert(), [{"model_id": 8, "license_id": 99}])
        conn.execute(model_to_reuse_repository.insert(), [{"model_id": 8, "reuse_repository_id": 1}])
    try:
        report = build_report(url, tmp_path / "out")
    finally:
        forget_engine(url)
    created = (tmp_path / "out" / "data" / "created_by_domain.csv").read_text()
    assert "garba" not in created and "2023-01" in created
    assert "$\\frac{x$,unknown,1" in (tmp_path / "out" / "data" / "lineage.csv").read_text()
    assert "(MIT AND,MIT,1,unknown" in (tmp_path / "out" / "data" / "license_flows.csv").read_text()
    page = (tmp_path / "out" / "index.html").read_text()
    assert "groups left out (unreadable creation date): 1" in page
    assert "<b>$" not in page  # escaped
    assert len(report.written) == 2 * 10 + 10 + 1 + 1  # PNG + SVG and CSV per figure, incompatible links, page


def test_empty_database_gives_every_file_with_headers_only(tmp_path) -> None:
    """A report right after install (or before map / enrich): every file, empty data, no error."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_engine(url)
    try:
        report = build_report(url, tmp_path / "out")
    finally:
        forget_engine(url)
    data = tmp_path / "out" / "data"
    assert (data / "lineage.csv").read_text() == "base_model,relation,derived_models\n"
    assert (data / "metadata_availability.csv").read_text().splitlines()[1] == "domain,0,0,0"
    assert report.findings.licenses.headlines() == {"identical": 0.0, "incompatible": 0.0, "not analysed": 0.0}
    assert "No base model links in this database" in (tmp_path / "out" / "figures" / "lineage.svg").read_text()
    assert (data / "models_by_spaces.csv").read_text() == "declaring_spaces,models,share\n"
    assert (data / "downstream_by_domain.csv").read_text() == "downstream,domain,repositories,share\n"
    figures = tmp_path / "out" / "figures"
    assert "No Hugging Face models in this database" in (figures / "models_by_spaces.svg").read_text()
    assert "No downstream uses of PTMs with a domain" in (figures / "downstream_by_domain.svg").read_text()
