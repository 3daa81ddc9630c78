"""``scrapy crawl hf_spaces`` / ``hf_datasets`` and ``scrapy map`` against the fake Hub, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from fakehub import FakeHub
from tests.crawl import REPO, crawl_env, rows, run_crawl, stat

# models=200, seed=0: the fake Hub's first models include a private and a disabled one for Spaces to declare.
HUB = {"models": 200, "seed": 0, "spaces": 10, "datasets": 6, "big_file_size": 20_000}
SETTINGS = {"HF_PAGE_SIZE": "4", "SNAPSHOT_MAX_FILE_SIZE": "10000"}


def listing(endpoint: str, kind: str) -> dict[str, dict[str, Any]]:
    """The fake's own listing, every field, walked with urllib: what a crawl must reproduce."""
    url: str | None = f"{endpoint}/api/{kind}?full=true&limit=3"
    out: dict[str, dict[str, Any]] = {}
    while url:
        with urllib.request.urlopen(url, timeout=30) as resp:
            out.update((entry["id"], entry) for entry in json.load(resp))
            link = resp.headers.get("Link") or ""
        url = link[1 : link.index(">")] if 'rel="next"' in link else None
    return out


def truth(hub: FakeHub) -> dict[str, Any]:
    with urllib.request.urlopen(hub.url + "/_fake/hub-repos/truth", timeout=30) as resp:
        return json.load(resp)


def crawl(workdir: Path, hub: FakeHub, spider: str, **settings: str) -> str:
    result = run_crawl(workdir, hub.hf_endpoint, spider=spider, settings={**SETTINGS, **settings}, timeout=300)
    assert result.returncode == 0 and "Spider closed (finished)" in result.stdout, result.stdout[-3000:]
    return result.stdout


def manifest(workdir: Path, space: str, revision: str) -> dict[str, Any]:
    return json.loads((workdir / "snapshots" / "manifests" / "spaces" / space / f"{revision}.json").read_text())


def test_every_space_and_dataset_stored_once_with_every_declared_link(tmp_path: Path) -> None:
    with FakeHub(**HUB) as hub:
        spaces, datasets, fake = listing(hub.hf_endpoint, "spaces"), listing(hub.hf_endpoint, "datasets"), truth(hub)
        crawl(tmp_path, hub, "hf_datasets")
        log = crawl(tmp_path, hub, "hf_spaces")
        readme = {
            s: urllib.request.urlopen(f"{hub.hf_endpoint}/spaces/{s}/resolve/main/README.md").read().decode()
            for s in spaces
        }
    db = tmp_path / "peatmoss.db"
    assert "Ignoring unsafe file paths" in log and stat(log, "hf_spaces/unsafe_path") == 1
    got = rows(db, "SELECT space_id, sha, sdk, runtime_stage, likes, license, title FROM hf_space ORDER BY space_id")
    assert got == sorted(
        (s, e["sha"], e["sdk"], e["runtime"]["stage"], e["likes"], e["cardData"]["license"], e["cardData"]["title"])
        for s, e in spaces.items()
    )
    # Every declared link, once; counts equal the listing's.
    declared_models = {(s, m) for s, e in spaces.items() for m in e["models"]}
    declared_datasets = {(s, d) for s, e in spaces.items() for d in e["datasets"]}
    links = rows(db, "SELECT s.space_id, l.model_name FROM hf_space_to_model l JOIN hf_space s ON s.id = l.space_id")
    assert len(links) == len(declared_models) and set(links) == declared_models
    links = rows(
        db, "SELECT s.space_id, l.dataset_name FROM hf_space_to_dataset l JOIN hf_space s ON s.id = l.space_id"
    )
    assert len(links) == len(declared_datasets) and set(links) == declared_datasets
    # Models the Spaces declare: public ones became model rows (hub 1) the links point at; the others are recorded.
    missing = {fake["private_model"]: 401, fake["disabled_model"]: 403, fake["ghost_model"]: 401}
    assert all(missing) and {m for _, m in declared_models} >= set(missing)
    assert dict(rows(db, "SELECT name, status FROM hf_declared_model WHERE status != 200")) == missing
    # A declaration in another case than the model's id: the Hub's canonical id is recorded and the link resolved.
    other_case = rows(db, "SELECT name, canonical_id FROM hf_declared_model WHERE name != canonical_id")
    assert other_case and all(name == canonical.upper() for name, canonical in other_case)
    resolved = rows(
        db,
        "SELECT l.model_name, m.context_id, m.model_hub_id, m.sha IS NOT NULL FROM hf_space_to_model l "
        "LEFT JOIN model m ON m.id = l.model_id",
    )
    for name, context_id, hub_id, has_sha in resolved:
        if name in missing:
            assert context_id is None
        else:
            assert (context_id.lower(), hub_id, has_sha) == (name.lower(), 1, 1)
    # Datasets: declared links reach the crawled dataset; only the nonexistent one stays unresolved.
    unresolved = rows(db, "SELECT DISTINCT dataset_name FROM hf_space_to_dataset WHERE hf_dataset_id IS NULL")
    assert unresolved == [("ghost-org/no-such-dataset",)]
    assert rows(db, "SELECT count(*) FROM hf_dataset")[0][0] == len(datasets)
    for dataset_id, task, sizes, licenses, card_text in rows(
        db, "SELECT dataset_id, task_categories, size_categories, licenses, card_text FROM hf_dataset"
    ):
        entry = datasets[dataset_id]
        tags = entry["tags"]
        assert f"task_categories:{json.loads(task)[0]}" in tags and f"size_categories:{json.loads(sizes)[0]}" in tags
        assert f"license:{json.loads(licenses)[0]}" in tags
        assert (card_text is not None) == fake["datasets"][dataset_id]["card"]
        assert card_text is None or card_text.startswith("---\nlicense:")
    # PeaTMOSS `dataset` rows naming a Hub dataset reach its metadata.
    linked = rows(
        db,
        "SELECT d.name, h.dataset_id FROM dataset_to_hf_dataset x JOIN dataset d ON d.id = x.dataset_id "
        "JOIN hf_dataset h ON h.id = x.hf_dataset_id",
    )
    named = {name for (name,) in rows(db, "SELECT name FROM dataset")} & set(datasets)
    assert named and sorted(linked) == sorted((n, n) for n in named)
    # Space files: the app, requirements, Python modules under the size limit, the card; nothing else.
    for space, card_text, revision in rows(db, "SELECT space_id, card_text, detail_sha FROM hf_space"):
        assert revision == spaces[space]["sha"] and card_text == readme[space]
        assert set(manifest(tmp_path, space, revision)["files"]) == {
            "README.md",
            "app.py",
            "requirements.txt",
            "utils/helpers.py",
        }


def test_recrawls_cost_list_pages_pick_up_changes_and_map_finds_planted_loads(tmp_path: Path) -> None:
    with FakeHub(**HUB) as hub:
        crawl(tmp_path, hub, "hf_spaces")
        crawl(tmp_path, hub, "hf_datasets")
        hub.clear_requests()
        crawl(tmp_path, hub, "hf_spaces")
        crawl(tmp_path, hub, "hf_datasets")
        assert {r["path"] for r in hub.requests(clear=True)} == {"/api/spaces", "/api/datasets"}

        before = listing(hub.hf_endpoint, "spaces")
        hub.set_generation(1)
        after = listing(hub.hf_endpoint, "spaces")
        log = crawl(tmp_path, hub, "hf_spaces")
        requests = hub.requests()
        fake = truth(hub)
    changed = {s for s, e in after.items() if s not in before or before[s]["sha"] != e["sha"]}
    assert changed and set(after) - set(before)
    infos = {
        r["path"].split("/revision/")[0].removeprefix("/api/spaces/") for r in requests if "/revision/" in r["path"]
    }
    assert infos == changed and stat(log, "hf_spaces/details_unchanged") == len(after) - len(changed)
    db = tmp_path / "peatmoss.db"
    assert dict(rows(db, "SELECT space_id, detail_sha FROM hf_space")) == {s: e["sha"] for s, e in after.items()}
    assert rows(db, "SELECT count(*), count(DISTINCT space_id) FROM hf_space") == [(len(after), len(after))]
    for space in changed & set(before):  # the changed app.py is stored, next to the previous revision's
        old, new = manifest(tmp_path, space, before[space]["sha"]), manifest(tmp_path, space, after[space]["sha"])
        assert old["files"]["app.py"]["sha256"] != new["files"]["app.py"]["sha256"]
    # `scrapy map` reads the snapshotted revision of every Space, changed ones included.
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "map", "-j", "1"],
        cwd=REPO,
        env=crawl_env(tmp_path, "http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    planted = sum(len(s["planted"]) for s in fake["spaces"].values())
    assert f"{len(fake['spaces'])} Spaces mapped: {planted} loads of models they do not declare" in result.stderr
    found = rows(
        db,
        "SELECT s.space_id, c.path, c.ptm, c.declared, c.revision = s.detail_sha, c.model_id IS NOT NULL "
        "FROM hf_space_call_site c JOIN hf_space s ON s.id = c.space_id",
    )
    for space, expected in fake["spaces"].items():
        loads = {(ptm, declared) for s, path, ptm, declared, same_revision, _ in found if s == space}
        assert loads == {(expected["models"][0], 1), *((p, 0) for p in expected["planted"])}, space
    assert all(same_revision for *_, same_revision, _ in found)
    # Declared links are untouched by the mapping: they stay what the Spaces declare.
    declared = sum(len(s["models"]) for s in fake["spaces"].values())
    assert rows(db, "SELECT count(*) FROM hf_space_to_model")[0][0] == declared


def test_faults_and_rate_limits_cost_retries_not_rows(tmp_path: Path) -> None:
    faults = {"error_rate": 0.15, "malformed_rate": 0.05, "truncate_rate": 0.03, "rate_limit": 10, "rate_window": 2}
    with FakeHub(**HUB) as clean_hub:
        spaces = listing(clean_hub.hf_endpoint, "spaces")
    with FakeHub(**HUB, **faults) as hub:
        log = crawl(tmp_path, hub, "hf_spaces", RETRY_TIMES="10", RATE_BUDGET_ENABLED="False")  # 429s must come
        requests = hub.requests()
    assert stat(log, "retry/count") > 0
    assert stat(log, "ratelimit/429") > 0 and stat(log, "ratelimit/gave_up") == 0
    assert any(r["status"] == 429 and r["path"].startswith("/spaces/") for r in requests)
    db = tmp_path / "peatmoss.db"
    assert {s for (s,) in rows(db, "SELECT space_id FROM hf_space")} == set(spaces)
    assert rows(db, "SELECT count(*) FROM hf_space_to_model")[0][0] == sum(len(e["models"]) for e in spaces.values())
    assert dict(rows(db, "SELECT space_id, detail_sha FROM hf_space")) == {s: e["sha"] for s, e in spaces.items()}
