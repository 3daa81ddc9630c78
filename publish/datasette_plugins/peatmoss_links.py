"""Datasette plugin of ``scrapy browse`` (``--plugins-dir``): ``model.context_id`` links to the hub page."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

HF_HUB_ID = 1


def hub_page_url(hub_id: int | None, context_id: str, repo_url: str | None) -> str | None:
    """The model's page: ``huggingface.co/<id>`` on Hugging Face; on PyTorch Hub its source repository (``repo_url``,
    ``github.com/owner/repo`` without a scheme in PeaTMOSS), where its ``hubconf.py`` and README live."""
    if hub_id == HF_HUB_ID:
        return f"https://huggingface.co/{context_id}"
    if repo_url:
        return repo_url if "://" in repo_url else f"https://{repo_url}"
    return None


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
