"""Plain records describing one fake Hugging Face model (what hf_data builds and hf.py renders)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

SENTINEL_CREATED = "2022-03-02T23:29:04.000Z"


def iso(ts: float) -> str:
    """Hub-style timestamp: ``2024-02-19T11:06:12.000Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(int(ts)))


def hexid(*parts: object, length: int = 40) -> str:
    """Deterministic hex identifier derived from ``parts``."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:length]


@dataclass(slots=True)
class FileSpec:
    """One file of a repository; bytes are produced by hf_files from (model, path, version)."""

    path: str
    kind: str  # gitattributes, readme, config, json, text, safetensors, binary
    lfs: bool = False
    size_hint: int = 0


@dataclass(slots=True)
class Commit:
    id: str
    title: str
    message: str
    author: str
    ts: int
    version: int  # number of post-generation-0 changes included at this commit


@dataclass(slots=True)
class Event:
    id: str
    type: str  # comment, status-change, commit, title-change
    ts: int
    author: str
    data: dict[str, Any]


@dataclass(slots=True)
class Discussion:
    num: int
    title: str
    status: str  # open, closed, merged, draft
    author: str
    ts: int
    is_pr: bool
    pinned: bool
    events: list[Event]
    head_commit: str = ""
    merge_commit: str | None = None
    conflicts: list[str] = field(default_factory=list)
    diff: str = ""


@dataclass
class Model:
    key: int
    id: str
    object_id: str
    author: str
    created_at: str
    created_ts: int
    private: bool = False
    gated: bool | str = False
    disabled: bool = False
    downloads: int = 0
    downloads_all_time: int = 0
    likes: int = 0
    trending: int = 0
    library: str | None = None
    pipeline_tag: str | None = None
    tags: list[str] = field(default_factory=list)
    config: dict[str, Any] | None = None
    card_data: dict[str, Any] | None = None
    model_index: list[Any] | None = None
    transformers_info: dict[str, Any] | None = None
    mask_token: str | None = None
    widget_data: list[dict[str, Any]] | None = None
    inference: str | None = None
    spaces: list[str] = field(default_factory=list)
    files: list[FileSpec] = field(default_factory=list)
    commits_fn: Callable[[], list[Commit]] = list  # newest first; built lazily (listing rarely needs them)
    head: tuple[str, int] | None = None  # (sha, timestamp) of main, when known without building the commits
    tag_refs: list[tuple[str, str]] = field(default_factory=list)
    discussions_fn: Callable[[], list[Discussion]] = list
    legacy_id: str | None = None
    base_model: tuple[str, str] | None = None  # (relation, id)
    children: int = 0
    discussions_disabled: bool = False
    extra_info: dict[str, Any] = field(default_factory=dict)  # unknown keys appended to info/list bodies
    list_omit: frozenset[str] = frozenset()  # keys missing from list entries (trap)
    overrides: dict[str, bytes] = field(default_factory=dict)  # path -> fixed content (traps)
    real_info: dict[str, Any] | None = None  # recorded body (real fixtures)

    @cached_property
    def commits(self) -> list[Commit]:
        return self.commits_fn()

    @cached_property
    def discussions(self) -> list[Discussion]:
        return self.discussions_fn()

    @property
    def sha(self) -> str:
        return self.head[0] if self.head else self.commits[0].id

    @property
    def head_ts(self) -> int:
        return self.head[1] if self.head else self.commits[0].ts

    @property
    def last_modified(self) -> str:
        return iso(self.head_ts)

    def file(self, path: str) -> FileSpec | None:
        for spec in self.files:
            if spec.path == path:
                return spec
        return None

    def commit(self, rev: str) -> Commit | None:
        """Resolve a revision (branch, tag, PR ref or commit id) to a commit of this model."""
        if rev in ("main", "refs/heads/main"):
            return self.commits[0]
        for name, target in self.tag_refs:
            if rev in (name, f"refs/tags/{name}"):
                return self._by_id(target)
        if rev.startswith("refs/pr/"):
            num = rev[len("refs/pr/") :]
            for disc in self.discussions:
                if disc.is_pr and str(disc.num) == num:
                    return Commit(disc.head_commit, disc.title, "", disc.author, disc.ts, self.commits[0].version)
            return None
        if len(rev) == 40:
            return self._by_id(rev)
        return None

    def _by_id(self, sha: str) -> Commit | None:
        for commit in self.commits:
            if commit.id == sha:
                return commit
        return None
