"""`scrapy report` as a user runs it, on a database built by real crawls of the fake registry (Hugging Face, PyTorch
Hub, GitHub, Hugging Face Spaces), `scrapy map` and `scrapy enrich --rules-only`: every file with its columns, every
number equal to an independent count written here, and the page opened in headless Chromium."""

from __future__ import annotations

import csv
import math
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import product
from pathlib import Path
from typing import Any

import pytest

from fakehub import FakeHub
from report.csvdata import COLUMNS
from report.figures import DRAW
from report.licenses import INCOMPATIBLE, normalise, verdict
from tests.browser import open_page
from tests.crawl import REPO, crawl_env, rows, run_crawl
from tests.fakehub.client import fetch

TOKEN = "ghp_reportTOKEN"
HUBS = {1: "HuggingFace", 2: "PyTorch"}


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0 and "Traceback" not in result.stdout + (result.stderr or ""), (
        result.stdout[-3000:] + (result.stderr or "")[-3000:]
    )
    return result.stdout


def _scrapy(workdir: Path, hf_endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=REPO,
        env=crawl_env(workdir, hf_endpoint),
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(database, report folder, report stdout) after crawl -> map -> enrich -> report."""
    work = tmp_path_factory.mktemp("report")
    # 12 Spaces: one model is declared by two of them (tests/fakehub/hf_spaces.py), so the distribution has a tail.
    hub_args = {"github_repos": 12, "pytorch_pages": 3, "github_tokens": TOKEN, "spaces": 12, "datasets": 0}
    with FakeHub(models=120, seed=4, **hub_args) as hub:
        gh = {"GITHUB_API_URL": hub.info["github_api_url"], "GITHUB_TOKEN": TOKEN}
        world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
        _ok(run_crawl(work, hub.hf_endpoint, args={"min_downloads": 0}))
        _ok(run_crawl(work, hub.hf_endpoint, spider="pytorch_hub", **gh))
        downstream = [r for r in world["repositories"] if r["kind"] == "downstream" and r["status"] == "ok"]
        names = work / "repos.txt"
        names.write_text("\n".join(r["full_name"] for r in downstream) + "\n")
        _ok(run_crawl(work, hub.hf_endpoint, spider="github_repos", args={"repos_file": names}, **gh))
        _ok(run_crawl(work, hub.hf_endpoint, spider="hf_spaces"))
    _ok(_scrapy(work, hub.hf_endpoint, "map"))
    _ok(_scrapy(work, hub.hf_endpoint, "enrich", "--rules-only"))
    out = work / "out"
    stdout = _ok(_scrapy(work, hub.hf_endpoint, "report", "--output", str(out)))
    return work / "peatmoss.db", out, stdout


def read_csv(out: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (out / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_every_file_with_its_columns(reported: tuple[Path, Path, str]) -> None:
    db, out, stdout = reported
    assert f"written to {out}" in stdout and "license pairs incompatible:" in stdout
    for name, columns in COLUMNS.items():
        header, _ = read_csv(out, name)
        assert header == list(columns), name
    for name in DRAW:
        assert (out / "figures" / f"{name}.png").read_bytes().startswith(b"\x89PNG"), name
        assert b"<svg" in (out / "figures" / f"{name}.svg").read_bytes()[:2000], name
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link" not in page  # nothing to fetch: plotly.js is inlined
    assert "CC-BY-4.0" in page and "25.61 %" in page and "0.24 %" in page and "47.33 %" in page
    assert page.count('class="report-figure"') == len(DRAW)
    # The crawl runs the report covers are listed.
    for run_id, spider in rows(db, "SELECT id, spider FROM crawl_run"):
        assert f"<td>{spider}</td>" in page, run_id


def _by(rows_: list[dict[str, str]], *keys: str) -> dict[tuple[str, ...], dict[str, str]]:
    return {tuple(r[k] for k in keys): r for r in rows_}


def test_numbers_equal_independent_counts(reported: tuple[Path, Path, str]) -> None:
    db, out, _ = reported

    # Fig. 7: enriched models, and models with a value, counted from the enhanced tables themselves.
    _, avail = read_csv(out, "metadata_availability")
    avail_by = _by(avail, "field")
    enriched = rows(db, "SELECT COUNT(DISTINCT model_id) FROM enrich_field_provenance")[0][0]
    assert enriched > 50 and len(avail) == 20
    assert {int(r["models"]) for r in avail} == {enriched}
    for field, table in (
        ("domain", "model_to_domain"),
        ("model_tasks", "model_to_model_task"),
        ("github_repo", "github_repo"),
        ("evaluation", "evaluation_metric"),
        ("parameter_count", "parameter_count"),
    ):
        # Enriched models only: PyTorch Hub models have a domain from their pages' tags, not from enrichment.
        enriched_only = "WHERE model_id IN (SELECT model_id FROM enrich_field_provenance)"
        expected = rows(db, f"SELECT COUNT(DISTINCT model_id) FROM {table} {enriched_only}")[0][0]
        assert int(avail_by[(field,)]["with_value"]) == expected, field
        assert float(avail_by[(field,)]["share"]) == pytest.approx(expected / enriched, abs=1e-6)

    # Fig. 8 and 9: distinct models / repositories per hub and domain.
    raw = rows(
        db,
        "SELECT m.model_hub_id, d.name, md.model_id FROM model_to_domain md JOIN domain d ON d.id = md.domain_id "
        "JOIN model m ON m.id = md.model_id",
    )
    models: dict[tuple[str, str], set[int]] = defaultdict(set)
    for hub, dom, mid in raw:
        models[(HUBS[hub], dom)].add(mid)
    per_hub = {h: len({m for (hh, _), ms in models.items() if hh == h for m in ms}) for h in HUBS.values()}
    _, domains = read_csv(out, "domains_by_hub")
    assert {(r["hub"], r["domain"]): int(r["models"]) for r in domains} == {k: len(v) for k, v in models.items()}
    assert {r["hub"] for r in domains} == {"HuggingFace", "PyTorch"}  # PyTorch Hub models have their pages' domain
    for r in domains:
        assert float(r["share"]) == pytest.approx(int(r["models"]) / per_hub[r["hub"]], abs=1e-6)
    links = rows(db, "SELECT model_id, reuse_repository_id FROM model_to_reuse_repository")
    assert links, "the mapping should link models to repositories"
    domain_of = defaultdict(set)
    for hub, dom, mid in raw:
        domain_of[mid].add((HUBS[hub], dom))
    repos: dict[tuple[str, str], set[int]] = defaultdict(set)
    for mid, rid in links:
        for key in domain_of[mid]:
            repos[key].add(rid)
    _, reuse = read_csv(out, "reuse_by_domain")
    assert {(r["hub"], r["domain"]): int(r["repositories"]) for r in reuse} == {k: len(v) for k, v in repos.items()}
    for r in reuse:
        total = len({rid for (h, _), rs in repos.items() if h == r["hub"] for rid in rs})
        assert float(r["share"]) == pytest.approx(int(r["repositories"]) / total, abs=1e-6)

    # Spaces: HF models by the number of distinct Spaces declaring them, 0 included.
    hf_models = {m for (m,) in rows(db, "SELECT id FROM model WHERE model_hub_id = 1")}
    declared = rows(db, "SELECT space_id, model_id FROM hf_space_to_model WHERE model_id IS NOT NULL")
    spaces_of: dict[int, set[int]] = defaultdict(set)
    for sid, mid in declared:
        spaces_of[mid].add(sid)
    by_spaces = Counter(len(spaces_of[m]) for m in hf_models)
    _, spaces_csv = read_csv(out, "models_by_spaces")
    assert {int(r["declaring_spaces"]): int(r["models"]) for r in spaces_csv} == dict(by_spaces)
    for r in spaces_csv:
        assert float(r["share"]) == pytest.approx(int(r["models"]) / len(hf_models), abs=1e-6)
    assert max(by_spaces) >= 2 and by_spaces[0] > 0

    # Downstream use per domain: GitHub repositories (mapped links) vs Spaces (declared or loaded in their files).
    loaded = rows(db, "SELECT space_id, model_id FROM hf_space_call_site WHERE model_id IS NOT NULL")
    assert loaded and set(loaded) - set(declared), "scrapy map should find undeclared loads in the Spaces"
    uses = [("GitHub", mid, rid) for mid, rid in links] + [("Spaces", mid, sid) for sid, mid in declared + loaded]
    users: dict[tuple[str, str], set[int]] = defaultdict(set)
    for kind, mid, user in uses:
        for _, dom in domain_of[mid]:
            users[(kind, dom)].add(user)
    _, downstream = read_csv(out, "downstream_by_domain")
    got = {(r["downstream"], r["domain"]): int(r["repositories"]) for r in downstream}
    assert got == {k: len(v) for k, v in users.items()}
    assert {k for k, _ in got} == {"GitHub", "Spaces"}
    for r in downstream:
        total = len({u for (k, _), us in users.items() if k == r["downstream"] for u in us})
        assert float(r["share"]) == pytest.approx(int(r["repositories"]) / total, abs=1e-6)

    # Fig. 10 and 11: by creation month.
    dated = rows(
        db,
        "SELECT s.created_at, d.name, s.model_id FROM crawl_model_state s JOIN model_to_domain md "
        "ON md.model_id = s.model_id JOIN domain d ON d.id = md.domain_id WHERE s.created_at IS NOT NULL",
    )
    created = Counter((c[:7], dom) for c, dom, _ in set(dated))
    _, created_csv = read_csv(out, "created_by_domain")
    assert {(r["month"], r["domain"]): int(r["models"]) for r in created_csv} == dict(created)
    counts = dict(rows(db, "SELECT model_id, MAX(count) FROM parameter_count GROUP BY model_id"))
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for c, dom, mid in set(dated):
        if mid in counts:
            groups[(c[:7], dom)].append(counts[mid])
    _, medians = read_csv(out, "median_parameters")
    assert {(r["month"], r["domain"]): (float(r["median_parameters"]), int(r["models"])) for r in medians} == {
        k: (float(statistics.median(v)), len(v)) for k, v in groups.items()
    }

    # Fig. 12: every (PTM license, repository license) pair over the links.
    model_lic: dict[int, list[str | None]] = defaultdict(list)
    for mid, name in rows(
        db, "SELECT ml.model_id, l.name FROM model_to_license ml JOIN license l ON l.id = ml.license_id"
    ):
        model_lic[mid].append(name)
    repo_lic: dict[int, list[str | None]] = defaultdict(list)
    repo_sql = (
        "SELECT j.reuse_repository_id, l.name FROM reuse_repository_to_license j JOIN license l ON l.id = j.license_id"
    )
    for rid, name in rows(db, repo_sql):
        repo_lic[rid].append(name)
    context = dict(rows(db, "SELECT id, context_id FROM model"))
    repo_name = {i: f"{o}/{n}" for i, o, n in rows(db, "SELECT id, owner, name FROM reuse_repository")}
    pairs: Counter[tuple[str, str]] = Counter()
    bad: set[tuple[Any, ...]] = set()
    for mid, rid in links:
        for p, r in product(model_lic.get(mid) or [None], repo_lic.get(rid) or [None]):
            pairs[(normalise(p).label, normalise(r).label)] += 1
            if verdict(p, r) == INCOMPATIBLE:
                bad.add((str(context[mid]), repo_name[rid], normalise(p).label, normalise(r).label))
    _, flows = read_csv(out, "license_flows")
    assert {(r["ptm_license"], r["repository_license"]): int(r["pairs"]) for r in flows} == dict(pairs)
    assert {r["compatibility"] for r in flows} <= {"compatible", "incompatible", "unknown", "no-license"}
    assert any(r["compatibility"] == "no-license" for r in flows)
    _, incompatible = read_csv(out, "license_incompatible")
    assert {tuple(r.values()) for r in incompatible} == bad
    bad_pairs = {(b[2], b[3]) for b in bad}
    assert all(
        r["compatibility"] == "incompatible" for r in flows if (r["ptm_license"], r["repository_license"]) in bad_pairs
    )

    # Table 1: top 10 % of models by downloads, per run.
    observed: dict[int, list[int]] = defaultdict(list)
    for run_id, downloads in rows(db, "SELECT run_id, COALESCE(downloads, 0) FROM crawl_model_observation"):
        observed[run_id].append(downloads)
    _, popularity = read_csv(out, "popularity_by_run")
    expected_pop = {}
    for run_id, values in observed.items():
        top = math.ceil(len(values) / 10)
        expected_pop[run_id] = (len(values), top, sum(sorted(values, reverse=True)[:top]), sum(values))
    got_pop = {
        int(r["run_id"]): tuple(int(r[k]) for k in ("models", "top10pct_models", "top10pct_downloads", "all_downloads"))
        for r in popularity
    }
    assert got_pop == expected_pop and len(got_pop) >= 1

    # Lineage: derived models per base model and relation.
    lineage = Counter(
        (b, rel or "unknown")
        for _, b, rel in set(rows(db, "SELECT model_id, base_model_name, relation FROM model_to_base_model"))
    )
    _, lineage_csv = read_csv(out, "lineage")
    assert {(r["base_model"], r["relation"]): int(r["derived_models"]) for r in lineage_csv} == dict(lineage)
    sizes = [int(r["derived_models"]) for r in lineage_csv]
    assert sizes == sorted(sizes, reverse=True)


FIGURE_CHECK = """
(() => {
  const figures = Array.from(document.querySelectorAll('img.report-figure'));
  const sankey = document.querySelector('#license-sankey');
  document.getElementById('license_flows').scrollIntoView();
  return {
    figures: figures.map(i => [i.dataset.name, i.complete, i.naturalWidth, i.naturalHeight]),
    sankeyLinks: sankey ? sankey.querySelectorAll('path.sankey-link').length : 0,
    sankeyNodes: sankey ? sankey.querySelectorAll('g.sankey-node').length : 0,
  };
})()
"""


def test_page_opens_in_headless_chromium(reported: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, out, _ = reported
    shot = tmp_path / "report-page.png"
    page = open_page(
        out / "index.html",
        shot,
        ready="!!document.querySelector('#license-sankey svg.main-svg')",
        expression=FIGURE_CHECK,
    )
    assert page.errors == []
    assert page.remote_requests == []
    figures = {name: (complete, w, h) for name, complete, w, h in page.value["figures"]}
    assert set(figures) == set(DRAW)
    assert all(complete and w > 100 and h > 100 for complete, w, h in figures.values()), figures
    _, flows = read_csv(out, "license_flows")
    assert page.value["sankeyLinks"] >= 1 and page.value["sankeyNodes"] >= 2 and flows
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_browser_check_catches_a_broken_page(tmp_path: Path) -> None:
    """The checks above can fail: a page with a JS error, a console error and a remote load is reported."""
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html><body><h1>broken</h1>"
        '<script>console.error("boom"); notAFunction();</script>'
        '<img src="http://example.invalid/figure.png"></body></html>'
    )
    page = open_page(broken, tmp_path / "broken.png")
    assert any("notAFunction is not defined" in e for e in page.errors), page.errors
    assert any("boom" in e for e in page.errors), page.errors
    assert page.remote_requests == ["http://example.invalid/figure.png"]
