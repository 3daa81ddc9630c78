"""docker-compose.yml: Redis with persistence, PostgreSQL, and a crawler service that scales."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_file_describes_a_scalable_cluster() -> None:
    services = compose()["services"]
    assert set(services) >= {"redis", "postgres", "crawler"}
    assert "--appendonly" in services["redis"]["command"]
    crawler = services["crawler"]
    env = crawler["environment"]
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["DATABASE_URL"].startswith("postgresql://") and "@postgres:" in env["DATABASE_URL"]
    # scaling needs: no fixed container name, no published port
    assert "container_name" not in crawler and "ports" not in crawler
    assert crawler["stop_signal"] == "SIGINT"  # graceful stop: in-flight requests finish, leases go back
    assert set(crawler["depends_on"]) == {"redis", "postgres"}
    dockerfile = (REPO / "Dockerfile").read_text()
    assert "[postgres,cluster]" in dockerfile and 'ENTRYPOINT ["scrapy"]' in dockerfile
