"""The unit tier runs in-process: starting a process or opening a network connection fails the test."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

MOVE = "belongs in tests/integration (processes, the fake registry) or tests/cluster (Redis, PostgreSQL)"


def _no_process(*args: Any, **kwargs: Any) -> None:
    raise AssertionError(f"a unit test started a process: it {MOVE}")


def _checked(connect: Any) -> Any:
    def guarded(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"a unit test connected to {address!r}: it {MOVE}")
        return connect(sock, address)

    return guarded


@pytest.fixture(scope="package", autouse=True)
def in_process_only() -> Iterator[None]:
    """Package scope, so that module fixtures of the unit tests are guarded too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess.Popen, "_execute_child", _no_process)
        patch.setattr(socket.socket, "connect", _checked(socket.socket.connect))
        patch.setattr(socket.socket, "connect_ex", _checked(socket.socket.connect_ex))
        yield
