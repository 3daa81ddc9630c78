"""The test tiers: every collected test carries its folder's marker, and the unit tier stays in-process."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TESTS_DIR, TIERS


def test_every_collected_test_is_marked_with_its_tier_folder(request: pytest.FixtureRequest) -> None:
    for item in request.session.items:
        tier = Path(item.path).resolve().relative_to(TESTS_DIR).parts[0]
        assert tier in TIERS, item.nodeid
        assert [m.name for m in item.iter_markers() if m.name in TIERS] == [tier], item.nodeid


def test_a_unit_test_cannot_start_a_process() -> None:
    with pytest.raises(AssertionError, match="belongs in tests/integration"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)


def test_a_unit_test_cannot_connect_over_the_network() -> None:
    with socket.socket() as sock, pytest.raises(AssertionError, match="connected to"):
        sock.connect(("127.0.0.1", 9))
