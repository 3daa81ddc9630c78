"""Our additions to the PeaTMOSS schema: trailing columns, idempotency indexes and crawl bookkeeping tables.

PeaTMOSS columns are never reordered or renamed; what we add is appended (trailing columns) or lives in new
``crawl_*`` tables. Timestamps we write are ISO-8601 UTC strings; JSON goes into TEXT columns.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from crawler.db.schema import (
    discussion,
    discussion_event,
    file_path,
    github_issue,
    github_pull_request,
    hf_commit,
    hf_git_ref,
    hf_git_ref_info,
    metadata,
    model_to_base_model,
)

# --- trailing columns on PeaTMOSS tables -------------------------------------------------------------------------

# finetune / adapter / quantized / merge, or NULL when unknown.
model_to_base_model.append_column(Column("relation", Text))
# PeaTMOSS does not de-duplicate ref infos; tying each row to its model makes re-crawls idempotent.
hf_git_ref_info.append_column(Column("model_id", Integer, ForeignKey("model.id")))
# GitHub's own ids (PeaTMOSS keeps only URLs) and the REST state_reason (completed / not_planned / reopened).
github_issue.append_column(Column("native_id", BigInteger))
github_issue.append_column(Column("node_id", String))
github_issue.append_column(Column("state_reason", String))
github_pull_request.append_column(Column("node_id", String))

# --- unique indexes that make re-crawls idempotent (ON CONFLICT targets) -----------------------------------------

Index("uq_model_to_base_model_name", model_to_base_model.c.model_id, model_to_base_model.c.base_model_name, unique=True)
Index("uq_hf_git_ref_info_model_id_ref", hf_git_ref_info.c.model_id, hf_git_ref_info.c.ref, unique=True)
Index("uq_hf_commit_model_id_commit_id", hf_commit.c.model_id, hf_commit.c.commit_id, unique=True)
Index("uq_hf_git_ref_model_id", hf_git_ref.c.model_id, unique=True)
Index("uq_discussion_model_id_num", discussion.c.model_id, discussion.c.num, unique=True)
Index(
    "uq_discussion_event_discussion_id_event_id",
    discussion_event.c.discussion_id,
    discussion_event.c.event_id,
    unique=True,
)
Index("uq_file_path_discussion_id_path", file_path.c.discussion_id, file_path.c.path, unique=True)

# --- crawl bookkeeping -------------------------------------------------------------------------------------------

crawl_run = Table(
    "crawl_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("spider", String),
    Column("node", String),
    Column("started_at", String),
    Column("finished_at", String),
    Column("status", String),
    Column("args", Text),  # JSON
    Column("stats", Text),  # JSON
    Column("pid", Integer),  # with `node` (the host): tells whether a `running` row's process is still alive
    Column("heartbeat_at", String),  # refreshed while the crawl runs; a stale one means the process is gone
    sqlite_autoincrement=True,
)

# Dead letters: items the store could not write, even alone in their transaction (crawler.runs, pipelines/store).
crawl_rejected_item = Table(
    "crawl_rejected_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("crawl_run.id")),
    Column("rejected_at", String),
    Column("item_type", String),
    Column("natural_key", Text),
    Column("error", Text),
    Column("item", Text),  # JSON
    sqlite_autoincrement=True,
)

# What the Hub told us about a model beyond the PeaTMOSS columns, and how far our crawl of it got.
crawl_model_state = Table(
    "crawl_model_state",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True, autoincrement=False),
    Column("native_id", String),  # the Hub's `_id`
    Column("author", String),
    Column("pipeline_tag", String),
    Column("library_name", String),
    Column("created_at", String),
    Column("last_modified", String),
    Column("gated", String),  # 'false' | 'auto' | 'manual'
    Column("private", Integer),
    Column("disabled", Integer),
    Column("first_seen_at", String),
    Column("last_seen_at", String),
    Column("first_seen_run_id", Integer, ForeignKey("crawl_run.id")),
    Column("last_seen_run_id", Integer, ForeignKey("crawl_run.id")),
    Column("detail_sha", String),  # sha whose details + snapshot are complete
    Column("detail_fetched_at", String),
    Column("card_sha256", String),
    # Why the last detail chain could not complete (malformed replies after retries, failed steps); NULL once complete.
    Column("detail_error", Text),
)

# downloads/likes over time: one row per model and run.
crawl_model_observation = Table(
    "crawl_model_observation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    Column("run_id", Integer, ForeignKey("crawl_run.id")),
    Column("observed_at", String),
    Column("downloads", Integer),
    Column("likes", Integer),
    Column("sha", String),
    UniqueConstraint("model_id", "run_id", name="uq_crawl_model_observation_model_id_run_id"),
)

crawl_model_card = Table(
    "crawl_model_card",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True, autoincrement=False),
    Column("revision", String),
    Column("sha256", String),
    Column("size", Integer),
    Column("text", Text),
    Column("fetched_at", String),
)

# Per model revision: the manifest of snapshotted files (path -> content digest).
crawl_snapshot_file = Table(
    "crawl_snapshot_file",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("revision", String, primary_key=True),
    Column("path", String, primary_key=True),
    Column("sha256", String),
    Column("size", Integer),
    Column("git_oid", String),
    Column("lfs", Integer),
    Column("status", String),  # 'stored' | 'skipped' | 'failed' | 'rejected'
    Column("stored_path", String),
)

# Validators for conditional requests (If-None-Match / If-Modified-Since).
crawl_http_validator = Table(
    "crawl_http_validator",
    metadata,
    Column("url", String, primary_key=True),
    Column("etag", String),
    Column("last_modified", String),
    Column("status", Integer),
    Column("checked_at", String),
)

# One row per GitHub repository a crawl collected (downstream or PyTorch Hub source): what the API said beyond the
# PeaTMOSS columns, how far the crawl got (the `since` marks of the next incremental crawl) and its clone.
crawl_github_repo = Table(
    "crawl_github_repo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", String, nullable=False, unique=True),  # canonical owner/name (after renames)
    Column("native_id", BigInteger, unique=True),
    Column("node_id", String),
    Column("requested_name", String),  # the name the last crawl asked for (an old name after a rename)
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id")),
    Column("html_url", String),
    Column("clone_url", String),
    Column("default_branch", String),
    Column("description", Text),
    Column("language", String),
    Column("topics", Text),  # JSON list
    Column("fork", Integer),
    Column("archived", Integer),
    Column("stargazers_count", Integer),
    Column("forks_count", Integer),
    Column("size_kb", Integer),
    Column("created_at", String),
    Column("updated_at", String),
    Column("pushed_at", String),
    Column("license_key", String),
    Column("license_spdx", String),
    Column("first_seen_at", String),
    Column("last_seen_at", String),
    Column("last_seen_run_id", Integer, ForeignKey("crawl_run.id")),
    Column("issues_since", String),  # issues updated at or after this were not fetched yet
    Column("prs_since", String),
    Column("complete_at", String),
    Column("clone_status", String),  # cloned | fetched | present | too_large | failed | refused | disabled
    Column("clone_head", String),
    Column("clone_path", String),
    Column("clone_reason", Text),
    Column("cloned_at", String),
    sqlite_autoincrement=True,
)
Index("ix_crawl_github_repo_requested_name", crawl_github_repo.c.requested_name)
