"""Rate limits, injected faults and the command line of the fake registry."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys

import pytest

from fakehub import REPO_ROOT, FakeHub
from fakehub.client import fetch
from fakehub.hf_data import HubData

RATE = re.compile(r'^"(\w+)";r=(\d+);t=(\d+)$')


def _rate(reply_headers: http.client.HTTPMessage) -> tuple[str, int, int]:
    match = RATE.match(reply_headers["RateLimit"])
    assert match, reply_headers["RateLimit"]
    return match.group(1), int(match.group(2)), int(match.group(3))


def test_fixed_window_rate_limit_per_bucket() -> None:
    model_id = HubData(1, 5).model(0).id  # type: ignore[union-attr]
    with FakeHub(models=5, seed=1, rate_limit=4, rate_window=120) as hub:
        remaining = []
        for _ in range(4):
            reply = fetch(hub.hf_endpoint + "/api/models")
            assert reply.status == 200
            remaining.append(_rate(reply.headers)[1])
            assert reply.headers["RateLimit-Policy"] == '"fixed window";"api";q=4;w=120'
        assert remaining == [3, 2, 1, 0]
        limited = fetch(hub.hf_endpoint + "/api/models")
        bucket, left, reset = _rate(limited.headers)
        assert limited.status == 429 and (bucket, left) == ("api", 0) and 0 < reset <= 120
        assert "error" in limited.json()
        # The resolvers bucket is counted apart: files still download.
        got = fetch(f"{hub.hf_endpoint}/{model_id}/resolve/main/.gitattributes")
        assert got.status == 200 and _rate(got.headers)[:2] == ("resolvers", 3)
        assert [r["status"] for r in hub.requests()] == [200, 200, 200, 200, 429, 200]


def test_without_a_rate_limit_headers_announce_a_generous_quota() -> None:
    with FakeHub(models=5, seed=1) as hub:
        for _ in range(20):
            reply = fetch(hub.hf_endpoint + "/api/models")
            assert reply.status == 200
        bucket, remaining, _ = _rate(reply.headers)
        assert bucket == "api" and remaining >= 10_000


def _statuses(seed: int) -> list[int]:
    with FakeHub(models=5, seed=seed, error_rate=0.4) as hub:
        statuses = [fetch(hub.hf_endpoint + "/api/models?limit=1").status for _ in range(30)]
        assert [r["status"] for r in hub.requests()] == statuses  # control endpoints are never faulted
    return statuses


def test_injected_errors_are_seeded_and_deterministic() -> None:
    first, again, other = _statuses(4), _statuses(4), _statuses(5)
    assert first == again != other
    assert set(first) - {200} and set(first) - {200} <= {500, 502, 503} and 200 in first


def test_malformed_bodies_only_on_api_json() -> None:
    with FakeHub(models=5, seed=1, malformed_rate=1.0) as hub:
        reply = fetch(hub.hf_endpoint + "/api/models")
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("application/json")
        with pytest.raises(ValueError):
            json.loads(reply.body)
        model_id = HubData(1, 5).model(0).id  # type: ignore[union-attr]
        config = fetch(f"{hub.hf_endpoint}/{model_id}/resolve/main/config.json")
        assert config.status == 200 and isinstance(config.json(), dict)


def test_truncated_bodies_announce_their_full_length() -> None:
    with FakeHub(models=5, seed=1, truncate_rate=1.0) as hub:
        with pytest.raises(http.client.IncompleteRead):
            fetch(hub.hf_endpoint + "/api/models")
        assert hub.requests()[0]["status"] == 200


def test_latency_and_token_knobs_keep_the_api_working() -> None:
    with FakeHub(models=3, seed=1, latency=20, token="t0k") as hub:
        assert fetch(hub.hf_endpoint + "/api/models", headers={"Authorization": "Bearer t0k"}).status == 200
        assert fetch(hub.hf_endpoint + "/api/models", headers={"Authorization": "Bearer nope"}).status == 401


@pytest.mark.parametrize("module", ["fakehub", "tests.fakehub"])  # the package, and its old name kept as an alias
def test_cli_prints_one_json_line_and_exits_cleanly_on_sigterm(module: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", "--models", "10", "--seed", "3"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert {"hf_endpoint", "pid"} <= set(info) and info["pid"] == proc.pid
        assert re.match(r"^http://127\.0\.0\.1:\d+$", info["hf_endpoint"])
        assert fetch(info["hf_endpoint"] + "/_fake/info").json()["hf_endpoint"] == info["hf_endpoint"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    with FakeHub(models=2, seed=1) as hub:
        pass
    assert hub.returncode == 0
