"""GitHub items: one small typed record per entity, keyed by natural keys (full name, issue/PR URL, login).

Every spider that collects GitHub data (github_repos, github_search, pytorch_hub) yields these; the writers in
crawler/github/writes.py store them. Issues and pull requests attach to an *owner* chosen by ``attach``:

* ``"reuse"``: the downstream repository ``reuse_repository(owner, name)`` (junctions ``reuse_repo_to_issue`` /
  ``reuse_repo_to_pull_request``); the repository row is created if a GithubRepositoryItem did not make it first;
* ``"ptm"``: the PyTorch Hub aggregators ``ptm_issues`` / ``ptm_pull_requests`` with ``repo_url =
  github.com/<repo>`` (junctions ``ptm_issue_to_issue`` / ``ptm_pull_request_to_pull_request``), created on demand.

``repo`` is always the canonical ``owner/name`` (after renames). Users are logins (de-duplicated by the writer),
labels/milestones/reactions are plain dicts (stored per issue/PR, as PeaTMOSS does). Values are stored as
PeaTMOSS stores them: the parsers already upper-case states and keep ISO timestamps as strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Attach = Literal["reuse", "ptm"]

# Shapes of the nested dicts (all keys optional unless noted):
#   label     {name, description, color}
#   milestone {number, title, description, due_on}
#   reaction  {content (GraphQL enum, e.g. THUMBS_UP), total_count}
#   comment   {author, author_association, body, created_at, includes_created_edit, is_minimized,
#              minimized_reason, reactions: [reaction]}
#   review    {author, author_association, body, submitted_at, includes_created_edit, state, reactions}
#   commit    {oid, authored_date, committed_date, message_headline, message_body,
#              authors: [{login, email, name}]}
#   file      {path, additions, deletions}
#   check     {name, status, conclusion, started_at, completed_at, details_url}


@dataclass
class GithubRepositoryItem:
    """A repository as ``GET /repos/{owner}/{repo}`` describes it, with its license.

    ``reuse``: also write the PeaTMOSS ``reuse_repository`` row (+ license junction); False for repositories that
    are not downstream users (PyTorch Hub source repositories only get our ``crawl_github_repo`` row).
    ``requested``: the name the crawl asked for (differs from ``full_name`` after a rename).
    """

    full_name: str
    native_id: int | None = None
    node_id: str | None = None
    requested: str | None = None
    html_url: str | None = None
    clone_url: str | None = None
    default_branch: str | None = None
    description: str | None = None
    language: str | None = None
    topics: list[str] = field(default_factory=list)
    fork: bool | None = None
    archived: bool | None = None
    stargazers_count: int | None = None
    forks_count: int | None = None
    size_kb: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    pushed_at: str | None = None
    license: str | None = None  # license key as GitHub gives it (`mit`, `lgpl-3.0`, `other`), None when none
    license_spdx: str | None = None  # `MIT`, `NOASSERTION`, ...
    reuse: bool = True

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]


@dataclass
class GithubIssueItem:
    """One issue (never a pull request) from the REST issues list. Comments come in a GithubCommentsItem."""

    repo: str
    url: str  # html_url, the natural key
    number: int
    attach: Attach = "reuse"
    title: str | None = None
    body: str | None = None
    state: str | None = None  # OPEN | CLOSED
    state_reason: str | None = None
    closed: bool | None = None
    closed_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    author: str | None = None
    assignees: list[str] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    milestone: dict[str, Any] | None = None
    reactions: list[dict[str, Any]] = field(default_factory=list)
    comments_count: int | None = None
    native_id: int | None = None
    node_id: str | None = None


@dataclass
class GithubCommentsItem:
    """Every comment of one issue (all pages): replaces the comments stored for that issue."""

    issue_url: str
    comments: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GithubPullRequestItem:
    """One pull request with all its children, from the contract's GraphQL query (node fields, snake_case)."""

    repo: str
    url: str  # https://github.com/{owner}/{repo}/pull/{n}, the natural key
    number: int
    attach: Attach = "reuse"
    node_id: str | None = None
    title: str | None = None
    body: str | None = None
    state: str | None = None  # OPEN | CLOSED | MERGED
    is_draft: bool | None = None
    closed: bool | None = None
    closed_at: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    merged_at: str | None = None
    additions: int | None = None
    deletions: int | None = None
    changed_files: int | None = None
    base_ref_name: str | None = None
    head_ref_name: str | None = None
    is_cross_repository: bool | None = None
    maintainer_can_modify: bool | None = None
    merge_state_status: str | None = None
    mergeable: str | None = None
    review_decision: str | None = None
    author: str | None = None
    merged_by: str | None = None
    head_repository: str | None = None  # name only, as PeaTMOSS stores it
    head_repository_owner: str | None = None
    merge_commit: str | None = None  # oid
    potential_merge_commit: str | None = None  # oid
    milestone: dict[str, Any] | None = None
    assignees: list[str] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[dict[str, Any]] = field(default_factory=list)
    review_requests: list[str] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    commits: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class GithubCloneItem:
    """Ask ClonePipeline for ``<SNAPSHOT_STORE>/git/<owner>/<name>``; it fills the ``status`` fields.

    ``refresh``: fetch an existing clone (False: only clone when missing, e.g. for an unchanged repository).
    """

    full_name: str
    clone_url: str
    default_branch: str | None = None
    size_kb: int | None = None
    refresh: bool = True
    # Filled by ClonePipeline.
    status: str | None = None  # cloned | fetched | present | too_large | failed | refused | disabled
    head: str | None = None
    path: str | None = None
    reason: str | None = None


@dataclass
class GithubRepoDoneItem:
    """The last item of a repository's chain: records how far the crawl got.

    When ``complete``, the writer stores the repository's HTTP validator and the ``since`` marks, so the next crawl
    revalidates it with a conditional request (a 304 costs no quota) and asks only for what changed since
    ``issues_since`` / ``prs_since``. When not complete, nothing is recorded: the next crawl fetches it again.
    """

    full_name: str
    requested: str | None = None
    complete: bool = True
    unchanged: bool = False  # answered 304: only the last-seen marks move
    validator_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    issues_since: str | None = None
    prs_since: str | None = None


GITHUB_ITEMS = (
    GithubRepositoryItem,
    GithubIssueItem,
    GithubCommentsItem,
    GithubPullRequestItem,
    GithubCloneItem,
    GithubRepoDoneItem,
)
