"""A small database from real crawls of the fake registry, for the publish tests (export-parquet, browse).

Hugging Face models with their details, PyTorch Hub, a few downstream GitHub repositories with issues and pull
requests, then ``scrapy map``: every researcher query has rows to show.
"""

from __future__ import annotations

from pathlib import Path

from fakehub import FakeHub
from tests.crawl import run_crawl, run_scrapy
from tests.fakehub.client import fetch

TOKEN = "ghp_publishTESTtoken"


def build_crawled_db(workdir: Path) -> Path:
    """Crawl the fake registry into ``workdir/peatmoss.db`` as a user would; the database's path."""
    with FakeHub(models=60, seed=5, github_repos=4, pytorch_pages=2, github_tokens=TOKEN) as hub:
        github = {"GITHUB_API_URL": hub.github_api_url, "GITHUB_TOKEN": TOKEN}
        world = fetch(hub.github_api_url + "/_fake/github/world").json()
        names = workdir / "repos.txt"
        names.write_text(
            "".join(
                f"{r['full_name']}\n"
                for r in world["repositories"]
                if r["kind"] == "downstream" and r["status"] == "ok"
            )
        )
        for spider, args, env in (
            ("hf_models", {"min_downloads": 0, "snapshot": "none"}, {}),
            ("pytorch_hub", None, github),
            ("github_repos", {"repos_file": names}, github),
        ):
            result = run_crawl(workdir, hub.hf_endpoint, spider=spider, args=args, **env)
            assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-3000:]
        mapped = run_scrapy(workdir, hub.hf_endpoint, "map")
    assert mapped.returncode == 0, mapped.stderr[-3000:]
    return workdir / "peatmoss.db"
