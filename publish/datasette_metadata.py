"""Datasette metadata for the crawled database: title, license, source, descriptions, facets, canned queries."""

from __future__ import annotations

from typing import Any

from crawler.db import metadata
from publish import about
from publish.descriptions import column_description, table_description
from publish.queries import canned_queries

# Facets a researcher starts from: hub, license, domain, library, task (PeaTMOSS keeps HF tasks as tags too).
FACETS: dict[str, list[str]] = {
    "model": ["model_hub_id", "has_snapshot"],
    "model_to_license": ["license_id"],
    "model_to_domain": ["domain_id"],
    "model_to_library": ["library_id"],
    "model_to_model_task": ["model_task_id"],
    "model_to_tag": ["tag_id"],
    "reuse_repository_to_license": ["license_id"],
    "crawl_model_state": ["pipeline_tag", "library_name", "gated"],
}


def datasette_metadata(database: str) -> dict[str, Any]:
    """Metadata for the database Datasette names ``database`` (the SQLite file's name without ``.db``)."""
    tables: dict[str, Any] = {}
    for table in metadata.sorted_tables:
        entry: dict[str, Any] = {
            "description": table_description(table),
            "columns": {column.name: column_description(table, column) for column in table.columns},
        }
        if table.name in FACETS:
            entry["facets"] = FACETS[table.name]
        label = next((name for name in ("name", "title") if name in table.columns), None)
        if label and "id" in table.columns:
            entry["label_column"] = label  # foreign keys to this table show the name, facets too
        tables[table.name] = entry
    queries = {q.name: {"title": q.title, "description": q.description, "sql": q.sql} for q in canned_queries()}
    return {
        "title": about.TITLE,
        "description": about.DESCRIPTION,
        "license": about.LICENSE_NOTE,
        "source": about.SOURCE,
        "source_url": about.SOURCE_URL,
        "databases": {database: {"tables": tables, "queries": queries}},
    }
