"""Database layer: the PeaTMOSS schema plus our additions, engines, migrations and bulk upserts.

Importing this package registers every table on :data:`metadata`.
"""

from __future__ import annotations

from sqlalchemy import Table

import crawler.db.enrich  # noqa: F401  (enrichment tables)
import crawler.db.hub_repos  # noqa: F401  (Spaces and datasets)
import crawler.db.mapping  # noqa: F401  (mapping call-site table)
import crawler.db.pytorch_hub  # noqa: F401  (PyTorch Hub pages and entrypoints)
from crawler.db import ours, schema  # noqa: F401  (registers the tables)
from crawler.db.schema import metadata

__all__ = ["metadata", "table"]


def table(name: str) -> Table:
    """Return the table called ``name`` (KeyError if there is none)."""
    return metadata.tables[name]
