"""Records of the fake GitHub world (plain data; JSON bodies are built by github_views / github_graphql)."""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

EPOCH0 = 1748736000  # 2025-06-01T00:00:00Z: "now" of generation 0 (same origin as the fake HF hub)
WEEK = 7 * 86400
REACTIONS = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")
GRAPHQL_REACTIONS = ("THUMBS_UP", "THUMBS_DOWN", "LAUGH", "HOORAY", "CONFUSED", "HEART", "ROCKET", "EYES")


def iso(ts: float | None) -> str | None:
    """GitHub timestamp: ``2024-09-16T14:19:35Z`` (None stays None)."""
    return None if ts is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def http_date(ts: float) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(int(ts)))


def node_id(prefix: str, *parts: object) -> str:
    """Opaque modern node id such as ``PR_kwDOADYVqs57oSc6``."""
    digest = hashlib.sha1(":".join(map(str, parts)).encode()).digest()[:12]
    return f"{prefix}_kwDO" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass(slots=True)
class User:
    login: str
    id: int
    type: str = "User"  # User | Bot | Organization

    @property
    def node_id(self) -> str:
        return node_id({"User": "U", "Bot": "BOT", "Organization": "O"}[self.type], "user", self.id)


@dataclass(slots=True)
class Label:
    id: int
    name: str
    color: str
    description: str | None
    default: bool


@dataclass(slots=True)
class Milestone:
    id: int
    number: int
    title: str
    description: str | None
    state: str  # open | closed
    due_ts: int | None
    created_ts: int
    creator: User


@dataclass(slots=True)
class Comment:
    id: int
    user: User
    body: str
    created_ts: int
    updated_ts: int
    association: str
    reactions: dict[str, int]
    minimized: str | None = None  # minimizedReason, e.g. "outdated"
    born_gen: int = 0


@dataclass(slots=True)
class Review:
    id: int
    user: User
    body: str
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED
    submitted_ts: int
    association: str
    reactions: dict[str, int]
    edited: bool = False


@dataclass(slots=True)
class PrCommit:
    oid: str
    authored_ts: int
    committed_ts: int
    headline: str
    body: str
    authors: list[tuple[str, str, str | None]]  # (email, name, login or None)


@dataclass(slots=True)
class CheckRun:
    name: str
    status: str
    conclusion: str | None
    started_ts: int
    completed_ts: int | None
    details_url: str


@dataclass(slots=True)
class PullInfo:
    draft: bool
    merged_ts: int | None
    merged_by: User | None
    additions: int
    deletions: int
    base_ref: str
    head_ref: str
    head_owner: User | None  # None: the head repository was deleted
    head_repo: str | None
    cross_repo: bool
    maintainer_can_modify: bool
    merge_state: str
    mergeable: str
    review_decision: str | None
    merge_oid: str | None
    potential_oid: str | None
    review_requests: list[User]
    reviews: list[Review]
    commits: list[PrCommit]
    files: list[tuple[str, int, int]]
    checks: list[CheckRun] | None  # None: no status check rollup on the head commit


@dataclass(slots=True)
class Issue:
    number: int
    id: int
    node_id: str
    title: str
    body: str | None
    user: User
    association: str
    labels: list[Label]
    assignees: list[User]
    milestone: Milestone | None
    state: str  # open | closed
    state_reason: str | None
    created_ts: int
    base_updated_ts: int
    closed_ts: int | None
    closed_by: User | None
    locked: bool
    reactions: dict[str, int]
    comments: list[Comment]
    pull: PullInfo | None = None
    born_gen: int = 0

    def visible_comments(self, gen: int) -> list[Comment]:
        return [c for c in self.comments if c.born_gen <= gen]

    def updated_ts(self, gen: int) -> int:
        return max([self.base_updated_ts, *(c.created_ts for c in self.visible_comments(gen))])


@dataclass
class Repo:
    key: int
    kind: str  # downstream | hub | source
    id: int
    owner: User
    name: str
    description: str | None
    created_ts: int
    pushed_ts: int
    default_branch: str = "main"
    fork_of: Repo | None = None
    archived: bool = False
    status: str = "ok"  # ok | renamed | deleted | private
    old_owner: str | None = None
    old_name: str | None = None
    stars: int = 0
    forks: int = 0
    subscribers: int = 0
    license: str | None = None  # spdx-ish key ("mit", "other") or None
    license_path: str = "LICENSE"
    topics: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    history: list[tuple[str, list[str]]] = field(default_factory=list)  # (commit message, paths added/changed)
    refs: list[str] = field(default_factory=list)  # extra branches / tags the hub pages use ("v0.10.0")
    loads: list[dict[str, Any]] = field(default_factory=list)  # ground truth of the PTM loads in `files`
    decoys: list[dict[str, Any]] = field(default_factory=list)  # look-alike calls that load no PTM
    issues: list[Issue] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    change_gens: list[int] = field(default_factory=list)
    head_sha: str = ""
    clone_path: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def old_full_name(self) -> str | None:
        return f"{self.old_owner}/{self.old_name}" if self.old_name else None

    @property
    def node_id(self) -> str:
        return node_id("R", "repo", self.id).replace("_kwDO", "_kgDO")

    def updated_ts(self, gen: int) -> int:
        changes = [EPOCH0 + (g - 1) * WEEK + 3600 for g in self.change_gens if g <= gen]
        return max([self.pushed_ts, *changes])

    def visible_issues(self, gen: int) -> list[Issue]:
        return [i for i in self.issues if i.born_gen <= gen]
