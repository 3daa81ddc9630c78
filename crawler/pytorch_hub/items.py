"""PyTorch Hub items: model pages, source repositories with their hubconf entrypoints, and models.

Keys are natural: the page's path in ``pytorch/hub``, the source repository's canonical ``owner/name`` (after
renames) with the ref the pages load, and the model's ``context_id`` ``owner/repo/entrypoint``. The source
repositories' issues and pull requests travel as GitHub items (crawler/github/items.py) with ``attach="ptm"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PyTorchHubPageItem:
    """One markdown file of ``pytorch/hub`` that has front matter, and what its python blocks load."""

    path: str
    sha: str | None = None
    title: str | None = None
    summary: str | None = None
    category: str | None = None
    author: str | None = None
    github_id: str | None = None
    tags: list[str] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    strict_yaml: bool = True
    loads: list[dict[str, Any]] = field(default_factory=list)  # {owner, repo, ref, entrypoint, line, commented}
    broken_blocks: int = 0


@dataclass
class PyTorchHubSourceItem:
    """A source repository's ``hubconf.py`` at the ref the pages load, listed statically.

    ``entrypoints``: {name, kind, line, source, doc}; ``listed`` is False when hubconf.py could not be read or
    parsed (then the stored entrypoint list is left as it was).
    """

    repo: str  # canonical owner/name
    ref: str = ""  # "" = the default branch
    requested: str | None = None  # owner/name as the pages spell it
    hubconf_sha: str | None = None
    listed: bool = True
    error: str | None = None
    dependencies: list[str] = field(default_factory=list)
    star_imports: list[str] = field(default_factory=list)
    entrypoints: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PyTorchHubModelItem:
    """One PeaTMOSS ``model`` row: an entrypoint a page loads, from its source repository."""

    repo: str  # canonical owner/name
    entrypoint: str
    ref: str = ""
    page: str | None = None  # path of the page that loads it
    author: str | None = None
    tags: list[str] = field(default_factory=list)  # front-matter tags + category + accelerator
    licenses: list[str] = field(default_factory=list)  # the source repository's license key
    libraries: list[str] = field(default_factory=lambda: ["pytorch"])

    @property
    def context_id(self) -> str:
        return f"{self.repo}/{self.entrypoint}"

    @property
    def repo_url(self) -> str:
        return f"github.com/{self.repo}"


PYTORCH_ITEMS = (PyTorchHubPageItem, PyTorchHubSourceItem, PyTorchHubModelItem)
