"""The one question pytorch_hub asks the store: which model pages it already holds, at which blob sha."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, select

from crawler.db import pytorch_hub as hub_tables


def stored_pages(engine: Engine, paths: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{path: pytorch_hub_page row}`` (JSON columns decoded) for the given pages we hold."""
    wanted = list(dict.fromkeys(paths))
    page = hub_tables.pytorch_hub_page
    out: dict[str, dict[str, Any]] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            for row in conn.execute(select(page).where(page.c.path.in_(wanted[start : start + 500]))):
                data = dict(row._mapping)
                for column in ("tags", "front_matter", "loads"):
                    try:
                        data[column] = json.loads(data[column]) if data[column] else None
                    except ValueError:
                        data[column] = None
                out[data["path"]] = data
    return out
