"""Cluster building blocks that need no Redis: the bucket classifier, requests as JSON, the addon's switch."""

from __future__ import annotations

import time

import pytest
import scrapy
from scrapy.settings import Settings

from crawler.cluster.addon import ClusterAddon
from crawler.cluster.serialize import NotJsonSafe, request_from_json, request_to_json
from crawler.registries import Classifier
from spiders.hf_models import HfModelsSpider

HF = "http://hub.test"
GH = "http://hub.test/gh"


def test_classifier_buckets() -> None:
    c = Classifier(Settings({"HF_ENDPOINT": HF, "GITHUB_API_URL": GH}))
    names = {
        f"{HF}/api/models?limit=1": ("hf", "api"),
        f"{HF}/org/m/resolve/abc/config.json": ("hf", "resolvers"),
        f"{HF}/org/m": ("hf", "pages"),
        f"{GH}/repos/a/b/issues": ("github", "core"),
        f"{GH}/search/code?q=x": ("github", "code_search"),
        f"{GH}/search/repositories?q=x": ("github", "search"),
    }
    for url, expected in names.items():
        bucket = c.classify(url)
        assert bucket is not None and (bucket.registry, bucket.bucket) == expected, url
    assert c.classify("http://cdn.test/file") is None


def test_spider_requests_survive_json_without_credentials() -> None:
    spider = HfModelsSpider()
    spider.endpoint = HF
    chain = {"repo_id": "a/b", "sha": "1" * 40, "files": [{"path": "x", "size": 1}], "complete": True}
    original = spider._step(chain, f"{HF}/api/models/a/b/refs", "refs")
    original.headers["Authorization"] = "Bearer hf_secret"
    text = request_to_json(original, spider)
    assert "hf_secret" not in text
    again = request_from_json(text, spider)
    assert (again.url, again.meta, again.callback, again.errback) == (
        original.url,
        original.meta,
        spider.parse_refs,
        spider.on_step_error,
    )
    assert b"Authorization" not in again.headers
    with pytest.raises(NotJsonSafe, match=r"meta\['when'\]"):
        request_to_json(scrapy.Request(HF, meta={"when": time}), spider)
    with pytest.raises(ValueError, match="refusing"):
        request_from_json(text.replace('"url"', '"_class":"os.system","url"'), spider)


def test_cluster_mode_is_switched_on_by_redis_url_only() -> None:
    plain = Settings({"SCHEDULER": "scrapy.core.scheduler.Scheduler"})
    ClusterAddon().update_settings(plain)
    assert plain.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert "crawler.cluster.extension.ClusterExtension" not in plain.getdict("EXTENSIONS")
    cluster = Settings({"REDIS_URL": "redis://127.0.0.1:6379/0", "DATABASE_URL": "postgresql://x/y"})
    ClusterAddon().update_settings(cluster)
    assert cluster.get("SCHEDULER") == "crawler.cluster.scheduler.ClusterScheduler"
    assert cluster.getbool("SCHEDULER_PERSIST")
    assert cluster.get("RATE_BUDGET_STORE") == "crawler.cluster.budget.RedisStore"
    assert "crawler.cluster.seeding.SeedOnceMiddleware" in cluster.getdict("SPIDER_MIDDLEWARES")
