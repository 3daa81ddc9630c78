"""PyTorch Hub answers -> items: pure functions (text or JSON in, items out), no IO.

The page text itself is analysed by crawler/pytorch_hub/frontmatter.py (front matter) and loads.py
(``torch.hub.load`` calls); hubconf.py lists a source repository's entrypoints.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict
from typing import Any

from crawler.pytorch_hub.frontmatter import FrontMatter
from crawler.pytorch_hub.items import PyTorchHubPageItem
from crawler.pytorch_hub.loads import HubLoad

_LOAD_FIELDS = ("owner", "repo", "ref", "entrypoint", "line", "commented")


def decode_contents(body: Any) -> tuple[str | None, str | None]:
    """(text, blob sha) of a contents-API file answer; text None when it is not a base64 file."""
    if not isinstance(body, dict) or body.get("type") not in (None, "file"):
        return None, None
    content, sha = body.get("content"), body.get("sha") if isinstance(body.get("sha"), str) else None
    if not isinstance(content, str):
        return None, sha
    if body.get("encoding", "base64") != "base64":
        return content, sha
    try:
        return base64.b64decode(content, validate=False).decode("utf-8", errors="replace"), sha
    except (binascii.Error, ValueError):
        return None, sha


def page_item(path: str, sha: str | None, front: FrontMatter, loads: list[HubLoad], broken: int) -> PyTorchHubPageItem:
    """A model page, from its parsed front matter and the loads of its python blocks."""
    return PyTorchHubPageItem(
        path=path,
        sha=sha,
        title=front.title,
        summary=front.summary,
        category=front.category,
        author=front.author,
        github_id=front.github_id,
        tags=front.peatmoss_tags,
        front_matter=front.raw,
        strict_yaml=front.strict_yaml,
        loads=[asdict(ld) for ld in loads],
        broken_blocks=broken,
    )


def stored_page(row: dict[str, Any]) -> tuple[PyTorchHubPageItem, list[HubLoad]]:
    """An unchanged page as the store holds it (crawler/pytorch_hub/state.py): its item again, and its loads."""
    loads = [HubLoad(**{k: ld.get(k) for k in _LOAD_FIELDS}) for ld in row["loads"] if isinstance(ld, dict)]
    tags = row.get("tags") if isinstance(row.get("tags"), list) else []
    item = PyTorchHubPageItem(
        path=row["path"],
        sha=row["sha"],
        title=row.get("title"),
        summary=row.get("summary"),
        category=row.get("category"),
        author=row.get("author"),
        github_id=row.get("github_id"),
        tags=tags,
        front_matter=row.get("front_matter") or {},
        strict_yaml=bool(row.get("strict_yaml")),
        loads=[asdict(ld) for ld in loads],
        broken_blocks=row.get("broken_blocks") or 0,
    )
    return item, loads
