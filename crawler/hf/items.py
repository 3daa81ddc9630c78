"""Items: one small typed record per entity, keyed by natural keys (never database ids).

Spiders fill the raw fields; NormalisePipeline fills the derived ones (the PeaTMOSS lookup buckets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class HfModelItem:
    """One Hugging Face model as listed by /api/models (full, cardData, config)."""

    context_id: str
    sha: str | None = None
    downloads: int | None = None
    likes: int | None = None
    native_id: str | None = None
    author: str | None = None
    pipeline_tag: str | None = None
    library_name: str | None = None
    created_at: str | None = None
    last_modified: str | None = None
    gated: str | None = None  # "false", "auto" or "manual": a string on the API, never coerced to bool
    private: bool | None = None
    disabled: bool | None = None
    tags: list[str] = field(default_factory=list)
    card_data: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    siblings: list[str] = field(default_factory=list)
    # Derived by NormalisePipeline.
    authors: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    architectures: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)
    free_tags: list[str] = field(default_factory=list)
    base_models: list[dict[str, str | None]] = field(default_factory=list)  # {name, relation}


@dataclass
class HfCommitsItem:
    """One page of a model's commit history (newest first)."""

    context_id: str
    commits: list[dict[str, Any]] = field(default_factory=list)  # {commit_id, created_at, title, message, authors}


@dataclass
class HfRefsItem:
    """A model's branches and tags."""

    context_id: str
    branches: list[dict[str, str]] = field(default_factory=list)  # {name, ref, target_commit}
    tags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class HfDiscussionItem:
    """One Community discussion or pull request with its events."""

    context_id: str
    num: int
    title: str | None = None
    status: str | None = None
    is_pull_request: bool = False
    created_at: str | None = None
    author: str | None = None
    target_branch: str | None = None
    merge_commit_oid: str | None = None
    diff: str | None = None
    conflicting_files: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    endpoint: str | None = None


@dataclass
class HfSnapshotItem:
    """The last item of a model's detail chain: its files at one revision.

    ``files`` entries: {path, url, size, lfs_sha256, git_oid, action ("fetch"|"skip"|"reject"), reason}.
    SnapshotPipeline downloads the "fetch" ones and adds sha256/status/stored_path to each entry; StorePipeline
    writes the manifest and, when ``complete``, marks the model's details as done for ``revision``.
    """

    context_id: str
    revision: str
    files: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True  # False when a step of the chain failed transiently: fetch again next crawl
    problems: list[str] = field(default_factory=list)  # why it is not complete (crawl_model_state.detail_error)
    card_text: str | None = None
    card_sha256: str | None = None
    card_size: int | None = None
