"""The whole product on the fake registry: HF models, PyTorch Hub, GitHub repositories with clones, then `scrapy map`.

After these four commands every researcher query of reference/peatmoss-queries.sql returns rows, and the PTM ->
downstream mapping recovers the loads the fake wrote into its generated repositories.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from fakehub import FakeHub
from fakehub.client import fetch
from tests.crawl import REPO, crawl_env, rows, run_crawl

QUERIES = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "peatmoss-queries.sql"
TOKEN = "ghp_endTOKENtoEND"


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-3000:]
    return result.stdout


def test_crawl_github_map_and_researcher_queries(tmp_path) -> None:
    if not QUERIES.exists():
        pytest.skip(f"{QUERIES} not found: ../shared is not beside the clone")
    with FakeHub(models=400, seed=4, github_repos=12, pytorch_pages=3, github_tokens=TOKEN) as hub:
        gh = {"GITHUB_API_URL": hub.info["github_api_url"], "GITHUB_TOKEN": TOKEN}
        world = fetch(hub.info["github_api_url"] + "/_fake/github/world").json()
        _ok(run_crawl(tmp_path, hub.hf_endpoint, args={"min_downloads": 10**9}))
        _ok(run_crawl(tmp_path, hub.hf_endpoint, spider="pytorch_hub", **gh))
        downstream = [r for r in world["repositories"] if r["kind"] == "downstream" and r["status"] == "ok"]
        names = tmp_path / "repos.txt"
        names.write_text("\n".join(r["full_name"] for r in downstream) + "\n")
        _ok(run_crawl(tmp_path, hub.hf_endpoint, spider="github_repos", args={"repos_file": names}, **gh))
    mapped = subprocess.run(
        [sys.executable, "-m", "scrapy", "map"],
        cwd=REPO,
        env=crawl_env(tmp_path, hub.hf_endpoint),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert mapped.returncode == 0, mapped.stderr[-3000:]
    db = tmp_path / "peatmoss.db"

    # Every researcher query runs unchanged and returns rows.
    text = QUERIES.read_text()
    queries = {m.group(1): m.group(2) for m in re.finditer(r"-- name: (\w+)\n((?:--.*\n)*[^-][\s\S]*?;)", text)}
    assert len(queries) >= 6
    # demo_model_reuse_links asks about the placeholder model id 1: ask about a model the mapping linked instead.
    linked = rows(db, "SELECT min(model_id) FROM model_to_reuse_repository")[0][0]
    demo = queries["demo_model_reuse_links"]
    queries["demo_model_reuse_links"] = demo.replace("model_id = 1", f"model_id = {linked}")
    empty = [name for name, sql in queries.items() if not rows(db, sql)]
    assert not empty, f"queries without rows: {empty}"

    # The mapping finds the loads the fake planted, for models that are on the fake hub.
    hub_ids = {cid for (cid,) in rows(db, "SELECT context_id FROM model WHERE model_hub_id = 1")}
    planted = {
        (r["full_name"], load["id"]) for r in downstream for load in r.get("loads", []) if load.get("id") in hub_ids
    }
    found = set(
        rows(
            db,
            "SELECT rr.owner || '/' || rr.name, m.context_id FROM model_to_reuse_repository j "
            "JOIN reuse_repository rr ON rr.id = j.reuse_repository_id JOIN model m ON m.id = j.model_id "
            "WHERE m.model_hub_id = 1",
        )
    )
    assert planted, "the fake should plant loads of hub models"
    recall = len(planted & found) / len(planted)
    assert recall >= 0.9, sorted(planted - found)[:10]
