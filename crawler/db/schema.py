"""The 76 tables of the distributed PeaTMOSS database (peatmoss-schema.md section 4), in DDL order.

Table names, column names, column order and declared types match the distributed ``PeaTMOSS.db``, so
existing PeaTMOSS queries, scripts and ``PeaTMOSS.py`` ORM code run unchanged. Tables 1-56 are the
SQLAlchemy-generated published tables; 57-76 are the hand-written "enhanced metadata" tables.

Deliberate deviations, all invisible to SQLite consumers:

- ``model.context_id`` uses :class:`ContextId` (``INTEGER`` on SQLite, ``VARCHAR`` on PostgreSQL).
- ``paper.name`` is a trailing generated column (= ``title``) so ``Paper.name`` of ``PeaTMOSS.py`` works.
- ``github_commit.pull_request_id`` is created with ``ALTER`` where the dialect supports it: it closes
  the FK cycle github_pull_request -> github_merge_commit -> github_commit -> github_pull_request.
- ``model_to_base_model`` keeps its composite primary key (with a nullable ``base_model_id``) on SQLite
  only: PostgreSQL forbids NULL in a primary key, so there the unique index
  ``uq_model_to_base_model_name`` (crawler.db.ours) is the table's key.

Our own additions (trailing columns, indexes, crawl tables) live in :mod:`crawler.db.ours`.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Computed,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from crawler.db.types import ContextId

metadata = MetaData()

# 1. ptm_issues
ptm_issues = Table(
    "ptm_issues",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("repo_url", String, unique=True),
)

# 2. ptm_pull_requests
ptm_pull_requests = Table(
    "ptm_pull_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("repo_url", String, unique=True),
)

# 3. hf_git_ref_info
hf_git_ref_info = Table(
    "hf_git_ref_info",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("ref", String),
    Column("target_commit", String),
)

# 4. model_hub
model_hub = Table(
    "model_hub",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
    Column("url", String, unique=True),
)

# 5. architecture
architecture = Table(
    "architecture",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)

# 6. author
author = Table(
    "author",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)

# 7. dataset
dataset = Table(
    "dataset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
    Column("url", Text),
)

# 8. framework
framework = Table(
    "framework",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)

# 9. language
language = Table(
    "language",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
    Column("abbreviation", String, unique=True),
)

# 10. library
library = Table(
    "library",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)

# 11. license
license = Table(
    "license",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)

# 12. paper
paper = Table(
    "paper",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String, unique=True),
    Column("url", Text),
    Column("name", String, Computed("title", persisted=True)),
)

# 13. tag
tag = Table(
    "tag",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String, unique=True),
)

# 14. reuse_repository
reuse_repository = Table(
    "reuse_repository",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String),
    Column("name", String),
    Column("url", String),
    UniqueConstraint("owner", "name", name="unique_owner_name"),
)

# 15. github_pull_request
github_pull_request = Table(
    "github_pull_request",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("additions", Integer),
    Column("author_id", Integer, ForeignKey("github_user.id")),
    Column("base_ref_name", String),
    Column("body", String),
    Column("changed_files", Integer),
    Column("closed", Integer),
    Column("closed_at", String),
    Column("created_at", String),
    Column("deletions", Integer),
    Column("head_ref_name", String),
    Column("head_repository_id", Integer, ForeignKey("github_repository.id")),
    Column("head_repository_owner_id", Integer, ForeignKey("github_user.id")),
    Column("is_cross_repository", Integer),
    Column("is_draft", Integer),
    Column("maintainer_can_modify", Integer),
    Column("merge_commit_id", Integer, ForeignKey("github_merge_commit.id")),
    Column("merge_state_status", String),
    Column("mergeable", String),
    Column("merged_at", String),
    Column("merged_by_id", Integer, ForeignKey("github_user.id")),
    Column("milestone_id", Integer, ForeignKey("github_milestone.id")),
    Column("number", Integer),
    Column("potential_merge_commit_id", Integer, ForeignKey("github_merge_commit.id")),
    Column("project_cards", String),
    Column("review_decision", String),
    Column("state", String),
    Column("title", String),
    Column("updated_at", String),
    Column("url", String, unique=True),
)

# 16. github_commit
github_commit = Table(
    "github_commit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("authored_date", String),
    Column("committed_date", String),
    Column("message_body", String),
    Column("message_headline", String),
    Column("oid", String),
    Column(
        "pull_request_id",
        Integer,
        ForeignKey("github_pull_request.id", use_alter=True, name="fk_github_commit_pull_request_id"),
    ),
)

# 17. github_merge_commit
github_merge_commit = Table(
    "github_merge_commit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commit_id", Integer, ForeignKey("github_commit.id")),
)

# 18. github_milestone
github_milestone = Table(
    "github_milestone",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", Integer),
    Column("title", String),
    Column("description", String),
    Column("due_on", String),
)

# 19. github_repository
github_repository = Table(
    "github_repository",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("url", String),
)

# 20. github_user
github_user = Table(
    "github_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String, unique=True),
    Column("email", String),
    Column("name", String),
)

# 21. model
model = Table(
    "model",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("context_id", ContextId(), unique=True),
    Column("model_hub_id", Integer, ForeignKey("model_hub.id")),
    Column("sha", String),
    Column("repo_url", String),
    Column("downloads", Integer),
    Column("likes", Integer),
    Column("has_snapshot", Integer),
    Column("ptm_issues_id", Integer, ForeignKey("ptm_issues.id")),
    Column("ptm_pull_requests_id", Integer, ForeignKey("ptm_pull_requests.id")),
)

# 22. ptm_pull_request_to_pull_request
ptm_pull_request_to_pull_request = Table(
    "ptm_pull_request_to_pull_request",
    metadata,
    Column("ptm_pull_request_id", Integer, ForeignKey("ptm_pull_requests.id"), primary_key=True),
    Column("github_pull_request_id", Integer, ForeignKey("github_pull_request.id"), primary_key=True),
)

# 23. reuse_repo_to_pull_request
reuse_repo_to_pull_request = Table(
    "reuse_repo_to_pull_request",
    metadata,
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id"), primary_key=True),
    Column("github_pull_request_id", Integer, ForeignKey("github_pull_request.id"), primary_key=True),
)

# 24. github_issue
github_issue = Table(
    "github_issue",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("author_id", Integer, ForeignKey("github_user.id")),
    Column("body", String),
    Column("closed", Integer),
    Column("closed_at", String),
    Column("created_at", String),
    Column("comment_id", String),
    Column("milestone_id", Integer, ForeignKey("github_milestone.id")),
    Column("number", Integer),
    Column("project_cards", String),
    Column("state", String),
    Column("title", String),
    Column("updated_at", String),
    Column("url", String, unique=True),
)

# 25. github_pull_request_file
github_pull_request_file = Table(
    "github_pull_request_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String),
    Column("additions", Integer),
    Column("deletions", Integer),
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id")),
)

# 26. pull_request_to_assignee
pull_request_to_assignee = Table(
    "pull_request_to_assignee",
    metadata,
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id"), primary_key=True),
    Column("assignee_id", Integer, ForeignKey("github_user.id"), primary_key=True),
)

# 27. pull_request_to_review_requests
pull_request_to_review_requests = Table(
    "pull_request_to_review_requests",
    metadata,
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id"), primary_key=True),
    Column("review_request_id", Integer, ForeignKey("github_user.id"), primary_key=True),
)

# 28. commit_to_author
commit_to_author = Table(
    "commit_to_author",
    metadata,
    Column("commit_id", Integer, ForeignKey("github_commit.id"), primary_key=True),
    Column("author_id", Integer, ForeignKey("github_user.id"), primary_key=True),
)

# 29. github_review
github_review = Table(
    "github_review",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("author_id", Integer, ForeignKey("github_user.id")),
    Column("author_association", String),
    Column("body", String),
    Column("submitted_at", String),
    Column("includes_created_edit", Integer),
    Column("state", String),
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id")),
)

# 30. github_status_check_rollup
github_status_check_rollup = Table(
    "github_status_check_rollup",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("status", String),
    Column("conclusion", String),
    Column("started_at", String),
    Column("completed_at", String),
    Column("details_url", String),
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id")),
)

# 31. ptm_issue_to_issue
ptm_issue_to_issue = Table(
    "ptm_issue_to_issue",
    metadata,
    Column("ptm_issue_id", Integer, ForeignKey("ptm_issues.id"), primary_key=True),
    Column("github_issue_id", Integer, ForeignKey("github_issue.id"), primary_key=True),
)

# 32. hf_commit
hf_commit = Table(
    "hf_commit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("commit_id", String),
    Column("created_at", String),
    Column("title", String),
    Column("message", String),
    Column("model_id", Integer, ForeignKey("model.id")),
)

# 33. hf_git_ref
hf_git_ref = Table(
    "hf_git_ref",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("model_id", Integer, ForeignKey("model.id")),
)

# 34. model_to_architecture
model_to_architecture = Table(
    "model_to_architecture",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("architecture_id", Integer, ForeignKey("architecture.id"), primary_key=True),
)

# 35. model_to_author
model_to_author = Table(
    "model_to_author",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("author_id", Integer, ForeignKey("author.id"), primary_key=True),
)

# 36. model_to_dataset
model_to_dataset = Table(
    "model_to_dataset",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("dataset_id", Integer, ForeignKey("dataset.id"), primary_key=True),
)

# 37. model_to_framework
model_to_framework = Table(
    "model_to_framework",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("framework_id", Integer, ForeignKey("framework.id"), primary_key=True),
)

# 38. model_to_language
model_to_language = Table(
    "model_to_language",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("language_id", Integer, ForeignKey("language.id"), primary_key=True),
)

# 39. model_to_library
model_to_library = Table(
    "model_to_library",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("library_id", Integer, ForeignKey("library.id"), primary_key=True),
)

# 40. model_to_license
model_to_license = Table(
    "model_to_license",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("license_id", Integer, ForeignKey("license.id"), primary_key=True),
)

# 41. model_to_paper
model_to_paper = Table(
    "model_to_paper",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("paper_id", Integer, ForeignKey("paper.id"), primary_key=True),
)

# 42. model_to_tag
model_to_tag = Table(
    "model_to_tag",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tag.id"), primary_key=True),
)

# 43. discussion
discussion = Table(
    "discussion",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String),
    Column("status", String),
    Column("num", Integer),
    Column("repo_id", String),
    Column("repo_type", String),
    Column("is_pull_request", Integer),
    Column("created_at", String),
    Column("endpoint", String),
    Column("target_branch", String),
    Column("merge_commit_oid", String),
    Column("diff", String),
    Column("model_id", Integer, ForeignKey("model.id")),
)

# 44. reuse_repo_to_issue
reuse_repo_to_issue = Table(
    "reuse_repo_to_issue",
    metadata,
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id"), primary_key=True),
    Column("github_issue_id", Integer, ForeignKey("github_issue.id"), primary_key=True),
)

# 45. reuse_file
reuse_file = Table(
    "reuse_file",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String),
    Column("model_id", Integer, ForeignKey("model.id")),
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id")),
    UniqueConstraint("path", "model_id", name="unique_path_model_id"),
)

# 46. model_to_reuse_repository
model_to_reuse_repository = Table(
    "model_to_reuse_repository",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id"), primary_key=True),
)

# 47. issue_to_assignee
issue_to_assignee = Table(
    "issue_to_assignee",
    metadata,
    Column("issue_id", Integer, ForeignKey("github_issue.id"), primary_key=True),
    Column("assignee_id", Integer, ForeignKey("github_user.id"), primary_key=True),
)

# 48. github_comment
github_comment = Table(
    "github_comment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("author_id", Integer, ForeignKey("github_user.id")),
    Column("author_association", String),
    Column("body", String),
    Column("created_at", String),
    Column("includes_created_edit", Integer),
    Column("is_minimized", Integer),
    Column("minimized_reason", String),
    Column("issue_id", Integer, ForeignKey("github_issue.id")),
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id")),
)

# 49. github_label
github_label = Table(
    "github_label",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("description", String),
    Column("color", String),
    Column("issue_id", Integer, ForeignKey("github_issue.id")),
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id")),
)

# 50. hf_commit_to_author
hf_commit_to_author = Table(
    "hf_commit_to_author",
    metadata,
    Column("hf_commit_id", Integer, ForeignKey("hf_commit.id"), primary_key=True),
    Column("author_id", Integer, ForeignKey("author.id"), primary_key=True),
)

# 51. hf_git_ref_to_branch
hf_git_ref_to_branch = Table(
    "hf_git_ref_to_branch",
    metadata,
    Column("hf_git_ref_id", Integer, ForeignKey("hf_git_ref.id"), primary_key=True),
    Column("hf_git_ref_info_id", Integer, ForeignKey("hf_git_ref_info.id"), primary_key=True),
)

# 52. hf_git_ref_to_tag
hf_git_ref_to_tag = Table(
    "hf_git_ref_to_tag",
    metadata,
    Column("hf_git_ref_id", Integer, ForeignKey("hf_git_ref.id"), primary_key=True),
    Column("hf_git_ref_info_id", Integer, ForeignKey("hf_git_ref_info.id"), primary_key=True),
)

# 53. discussion_to_author
discussion_to_author = Table(
    "discussion_to_author",
    metadata,
    Column("discussion_id", Integer, ForeignKey("discussion.id"), primary_key=True),
    Column("author_id", Integer, ForeignKey("author.id"), primary_key=True),
)

# 54. file_path
file_path = Table(
    "file_path",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String),
    Column("discussion_id", Integer, ForeignKey("discussion.id")),
)

# 55. discussion_event
discussion_event = Table(
    "discussion_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String),
    Column("type", String),
    Column("created_at", String),
    Column("author", String),
    Column("content", String),
    Column("edited", Integer),
    Column("hidden", Integer),
    Column("new_status", String),
    Column("summary", String),
    Column("oid", String),
    Column("old_title", String),
    Column("new_title", String),
    Column("discussion_id", Integer, ForeignKey("discussion.id")),
)

# 56. github_reaction_group
github_reaction_group = Table(
    "github_reaction_group",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content", String),
    Column("total_count", Integer),
    Column("issue_id", Integer, ForeignKey("github_issue.id")),
    Column("pull_request_id", Integer, ForeignKey("github_pull_request.id")),
    Column("github_comment_id", Integer, ForeignKey("github_comment.id")),
    Column("review_id", Integer, ForeignKey("github_review.id")),
)

# 57. reuse_repository_to_license
reuse_repository_to_license = Table(
    "reuse_repository_to_license",
    metadata,
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id"), primary_key=True),
    Column("license_id", Integer, ForeignKey("license.id"), primary_key=True),
    sqlite_autoincrement=True,
)

# 58. domain
domain = Table(
    "domain",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    sqlite_autoincrement=True,
)

# 59. model_to_domain
model_to_domain = Table(
    "model_to_domain",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    Column("domain_id", Integer, ForeignKey("domain.id"), nullable=False),
    sqlite_autoincrement=True,
)

# 60. model_task
model_task = Table(
    "model_task",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    sqlite_autoincrement=True,
)

# 61. model_to_model_task
model_to_model_task = Table(
    "model_to_model_task",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    Column("model_task_id", Integer, ForeignKey("model_task.id"), nullable=False),
    sqlite_autoincrement=True,
)

# 62. github_repo
github_repo = Table(
    "github_repo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("owner", "name", "url", "model_id"),
    sqlite_autoincrement=True,
)

# 63. model_to_base_model
model_to_base_model = Table(
    "model_to_base_model",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("base_model_name", Text, nullable=False),
    Column("base_model_url", Text),
    Column("base_model_id", Integer, ForeignKey("model.id"), primary_key=True, nullable=True),
    sqlite_autoincrement=True,
)

# 64. evaluation_link
evaluation_link = Table(
    "evaluation_link",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("url", "model_id"),
    sqlite_autoincrement=True,
)

# 65. evaluation_metric
evaluation_metric = Table(
    "evaluation_metric",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("test", Text, nullable=False),
    Column("dataset_id", Integer, ForeignKey("dataset.id"), nullable=False),
    Column("result", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("test", "dataset_id", "result", "model_id"),
    sqlite_autoincrement=True,
)

# 66. demo
demo = Table(
    "demo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("demo", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("demo", "model_id"),
    sqlite_autoincrement=True,
)

# 67. model_to_grant
model_to_grant = Table(
    "model_to_grant",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    Column("grant_id", Integer, ForeignKey("grant.id"), nullable=False),
    UniqueConstraint("model_id", "grant_id"),
    sqlite_autoincrement=True,
)

# 68. grant
grant = Table(
    "grant",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    sqlite_autoincrement=True,
)

# 69. input_format
input_format = Table(
    "input_format",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("format", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("format", "model_id"),
    sqlite_autoincrement=True,
)

# 70. output_format
output_format = Table(
    "output_format",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("format", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("format", "model_id"),
    sqlite_autoincrement=True,
)

# 71. parameter_count
parameter_count = Table(
    "parameter_count",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("count", "model_id"),
    sqlite_autoincrement=True,
)

# 72. hardware
hardware = Table(
    "hardware",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    sqlite_autoincrement=True,
)

# 73. model_to_hardware
model_to_hardware = Table(
    "model_to_hardware",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True),
    Column("hardware_id", Integer, ForeignKey("hardware.id"), primary_key=True),
    Column("hours_used", Integer),
    Column("cloud_provider", Text),
    Column("compute_region", Text),
    sqlite_autoincrement=True,
)

# 74. carbon_emitted
carbon_emitted = Table(
    "carbon_emitted",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("value", "model_id"),
    sqlite_autoincrement=True,
)

# 75. hyper_parameters
hyper_parameters = Table(
    "hyper_parameters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("value", "model_id"),
    sqlite_autoincrement=True,
)

# 76. limitation_and_bias
limitation_and_bias = Table(
    "limitation_and_bias",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Text, nullable=False),
    Column("model_id", Integer, ForeignKey("model.id"), nullable=False),
    UniqueConstraint("value", "model_id"),
    sqlite_autoincrement=True,
)

# PostgreSQL cannot hold NULL in a primary key column; see the module docstring.
model_to_base_model.primary_key.ddl_if(dialect="sqlite")
