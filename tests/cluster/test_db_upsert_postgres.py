"""The bulk-upsert tests of tests/unit/test_db_upsert.py, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection

from tests.unit import test_db_upsert as on_sqlite


@pytest.fixture
def conn(postgres_url: str) -> Iterator[Connection]:
    with on_sqlite.rolled_back(postgres_url) as connection:
        yield connection


# The same test functions, collected here once more: they use this module's `conn`.
globals().update({name: test for name, test in vars(on_sqlite).items() if name.startswith("test_")})
