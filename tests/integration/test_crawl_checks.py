"""Bad spider arguments and settings are refused before the first request: one line, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from crawler.settingchecks import SettingError, check_redis_url, hide_password
from crawler.spiderargs import ArgumentError, spec_of
from fakehub import FakeHub
from spiders.github_repos import GithubReposSpider
from spiders.github_search import GithubSearchSpider
from spiders.hf_datasets import HfDatasetsSpider
from spiders.hf_models import HfModelsSpider
from spiders.hf_spaces import HfSpacesSpider
from spiders.pytorch_hub import PyTorchHubSpider
from tests.crawl import REPO, crawl_command, crawl_env

READ_ONLY = "/etc/hostname/snapshots"  # under a file: not writable even by root

# (spider, -a arguments, extra environment, what the one error line must contain)
CASES = [
    ("hf_models", {"limt": "5"}, {}, "unknown argument -a limt (valid: limit, min_downloads,"),
    ("hf_models", {"sort": "bogus"}, {}, "-a sort='bogus' is invalid: not a known value (allowed: downloads,"),
    ("hf_models", {"limit": "abc"}, {}, "-a limit='abc' is invalid: not a whole number (allowed: a whole number >= 1)"),
    ("hf_models", {"min_downloads": "-1"}, {}, "-a min_downloads='-1' is invalid: less than 0"),
    (
        "hf_models",
        {"snapshot": "bogus"},
        {},
        "-a snapshot='bogus' is invalid: not a known value (allowed: none, small, all)",
    ),
    (
        "hf_models",
        {"allow_patterns": "*.json,,*.md"},
        {},
        "-a allow_patterns='*.json,,*.md' is invalid: an empty entry",
    ),
    ("pytorch_hub", {"hub_repo": "nothing"}, {}, "-a hub_repo='nothing' is invalid: not owner/name"),
    ("hf_spaces", {"sort": "downloads"}, {}, "-a sort='downloads' is invalid: not a known value (allowed: likes,"),
    ("hf_datasets", {"filter": "x"}, {}, "unknown argument -a filter (valid: limit, author, search, sort, snapshot;"),
    ("github_repos", {}, {}, "github_repos: give one of -a repos=..., -a repos_file=..."),
    (
        "github_search",
        {"libraries": "transformerz"},
        {},
        "-a libraries='transformerz' is invalid: unknown transformerz",
    ),
    (
        "hf_models",
        {},
        {"DATABASE_URL": "postgresql://peat:s3cret@127.0.0.1:1/x"},
        "DATABASE_URL 'postgresql+psycopg://peat:***@127.0.0.1:1/x' cannot be opened",
    ),
    (
        "hf_models",
        {},
        {"DATABASE_URL": "not a url"},
        "DATABASE_URL 'not a url' is not a database URL (allowed: sqlite:///PATH",
    ),
    ("hf_models", {}, {"SNAPSHOT_STORE": READ_ONLY}, f"SNAPSHOT_STORE '{READ_ONLY}' is not writable: Not a directory"),
    (
        "hf_models",
        {},
        {"REDIS_URL": "redis://:pw@host:port/0"},
        "REDIS_URL 'redis://:***@host:port/0' is malformed: Port",
    ),
]


def test_bad_arguments_and_settings_are_refused_before_any_request(tmp_path: Path) -> None:
    with FakeHub(models=5, seed=1) as hub:
        env_extra = {"GITHUB_API_URL": hub.github_api_url, "GITHUB_TOKEN": "t"}
        # Started together: each is a Scrapy start-up (seconds), and none of them may reach the fake.
        procs = [
            subprocess.Popen(
                crawl_command(spider, args),
                cwd=REPO,
                env=crawl_env(tmp_path / str(i), hub.hf_endpoint, **env_extra, **env),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i, (spider, args, env, _) in enumerate(CASES)
        ]
        results = [(proc.wait(timeout=120), *proc.communicate()) for proc in procs]
        requests = [r for r in hub.requests() if not r["path"].startswith("/_fake")]
    for (spider, args, env, expected), (code, out, err) in zip(CASES, results, strict=True):
        assert code == 2, (spider, args, env, err[-2000:])
        # Nothing else: no traceback, not even Scrapy's start-up banner.
        assert err.startswith("Error: ") and err.count("\n") == 1 and expected in err, (expected, err[-2000:])
        assert "s3cret" not in err + out
    assert requests == []


def test_help_lists_every_argument_and_exits_0(tmp_path: Path) -> None:
    result = subprocess.run(
        crawl_command("hf_models", {"help": "1"}),
        cwd=REPO,
        env=crawl_env(tmp_path, "http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for name in spec_of(HfModelsSpider).names:
        assert f"  {name} " in result.stdout
    assert "downloads, likes, lastModified, createdAt, trendingScore" in result.stdout


@pytest.mark.parametrize(
    "spidercls",
    [HfModelsSpider, HfSpacesSpider, HfDatasetsSpider, PyTorchHubSpider, GithubReposSpider, GithubSearchSpider],
)
def test_every_spider_declares_the_arguments_its_constructor_takes(spidercls: type) -> None:
    import inspect

    taken = [p for p in inspect.signature(spidercls.__init__).parameters if p not in ("self", "kwargs")]
    assert spec_of(spidercls).names == taken


def test_good_values_pass() -> None:
    spec_of(HfModelsSpider).check("hf_models", {"limit": "5", "sort": "likes", "filter": "a,b", "snapshot": "none"})
    spec_of(GithubSearchSpider).check("github_search", {"libraries": "Transformers,timm", "collect": "no"})
    with pytest.raises(ArgumentError, match="collect='maybe' is invalid: not a yes/no value"):
        spec_of(GithubSearchSpider).check("github_search", {"collect": "maybe"})


def test_redis_url_checks_and_password_hiding() -> None:
    check_redis_url("redis://127.0.0.1:6379/0")
    check_redis_url("unix:///run/redis.sock")
    with pytest.raises(SettingError, match="database 'x'"):
        check_redis_url("redis://127.0.0.1:6379/x")
    with pytest.raises(SettingError, match="no host"):
        check_redis_url("redis://")
    assert hide_password("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"
