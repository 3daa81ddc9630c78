"""Datasette plugin of ``scrapy browse`` (``--plugins-dir``): ``model.context_id`` links to the hub page."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from publish.about import hub_page_url


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None) -> Markup | None:
    if table != "model" or column != "context_id" or value is None:
        return None
    keys = row.keys()
    url = hub_page_url(
        row["model_hub_id"] if "model_hub_id" in keys else None,
        str(value),
        row["repo_url"] if "repo_url" in keys else None,
    )
    if not url:
        return None
    return Markup(f'<a href="{escape(url)}" rel="nofollow">{escape(value)}</a>')
