"""Our tables for the Hub's other repository types: Spaces (the apps that run models) and datasets.

PeaTMOSS has neither. ``hf_space`` and ``hf_dataset`` hold one row per repository (natural key: its Hub id);
``hf_space_to_model`` / ``hf_space_to_dataset`` hold what each Space declares (every declared name, resolved to
our row when we have one); ``dataset_to_hf_dataset`` links PeaTMOSS ``dataset`` lookup rows to the Hub dataset
they name; ``hf_declared_model`` records what the Hub answered about a declared model we did not hold (its
canonical id, or that it is private, disabled or nonexistent);
``hf_space_call_site`` holds the loads ``scrapy map`` found in a Space's files, apart from the declared links.
Field sources: docs/hub-repos.md.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from crawler.db.schema import metadata


def _seen() -> list[Column]:
    return [
        Column("first_seen_at", String),
        Column("first_seen_run_id", Integer, ForeignKey("crawl_run.id")),
        Column("last_seen_at", String),
        Column("last_seen_run_id", Integer, ForeignKey("crawl_run.id")),
    ]


hf_space = Table(
    "hf_space",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("space_id", String, nullable=False),  # "owner/name" on the Hub
    Column("native_id", String),  # the Hub's _id
    Column("author", String),
    Column("sha", String),  # head commit when listed
    Column("sdk", String),  # gradio | streamlit | docker | static
    Column("runtime_stage", String),  # RUNNING, SLEEPING, RUNTIME_ERROR, ... (runtime.stage)
    Column("hardware", String),  # runtime.hardware.current
    Column("requested_hardware", String),  # runtime.hardware.requested
    Column("likes", Integer),
    Column("private", Integer),
    Column("disabled", Integer),
    Column("gated", String),
    Column("subdomain", String),
    Column("created_at", String),
    Column("last_modified", String),
    Column("title", Text),  # cardData.title
    Column("license", String),  # cardData.license, else a license:* tag
    Column("tags", Text),  # JSON list
    Column("card_data", Text),  # JSON object: the card's YAML header as the API returns it
    Column("card_text", Text),  # README.md of the snapshotted revision
    Column("card_sha256", String),
    Column("detail_sha", String),  # revision whose files are in the snapshot store (None: not yet, or failed)
    Column("detail_fetched_at", String),
    *_seen(),
    UniqueConstraint("space_id", name="uq_hf_space_space_id"),
    sqlite_autoincrement=True,
)

hf_dataset = Table(
    "hf_dataset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", String, nullable=False),  # "owner/name" or a legacy canonical name
    Column("native_id", String),
    Column("author", String),
    Column("sha", String),
    Column("downloads", Integer),
    Column("likes", Integer),
    Column("private", Integer),
    Column("disabled", Integer),
    Column("gated", String),
    Column("created_at", String),
    Column("last_modified", String),
    Column("pretty_name", Text),
    Column("tags", Text),  # JSON list, every tag
    Column("task_categories", Text),  # JSON lists, from cardData, else from the tags of that kind
    Column("size_categories", Text),
    Column("languages", Text),
    Column("licenses", Text),
    Column("card_data", Text),  # JSON object
    Column("card_text", Text),  # README.md (None: the dataset has no card)
    Column("card_sha256", String),
    Column("detail_sha", String),
    Column("detail_fetched_at", String),
    *_seen(),
    UniqueConstraint("dataset_id", name="uq_hf_dataset_dataset_id"),
    sqlite_autoincrement=True,
)

hf_space_to_model = Table(
    "hf_space_to_model",
    metadata,
    Column("space_id", Integer, ForeignKey("hf_space.id"), primary_key=True),
    Column("model_name", String, primary_key=True),  # as the Space declares it
    Column("model_id", Integer, ForeignKey("model.id")),  # None until the model is stored (or if it is missing)
)
Index("ix_hf_space_to_model_model", hf_space_to_model.c.model_id)

hf_space_to_dataset = Table(
    "hf_space_to_dataset",
    metadata,
    Column("space_id", Integer, ForeignKey("hf_space.id"), primary_key=True),
    Column("dataset_name", String, primary_key=True),
    Column("hf_dataset_id", Integer, ForeignKey("hf_dataset.id")),  # None until the dataset is crawled
)

# PeaTMOSS `dataset` lookup rows (names from model cards) -> the Hub dataset of that name.
dataset_to_hf_dataset = Table(
    "dataset_to_hf_dataset",
    metadata,
    Column("dataset_id", Integer, ForeignKey("dataset.id"), primary_key=True),
    Column("hf_dataset_id", Integer, ForeignKey("hf_dataset.id"), nullable=False),
)

hf_declared_model = Table(
    "hf_declared_model",
    metadata,
    Column("name", String, primary_key=True),  # as a Space declares it
    Column("status", Integer),  # HTTP status of /api/models/{name}: 200, or 401/403/404 (private, disabled, missing)
    Column("error_code", String),  # the Hub's X-Error-Code, when given
    Column("canonical_id", String),  # the id the Hub answered with (case or rename differs from `name`), on 200
    Column("checked_at", String),
    Column("checked_run_id", Integer, ForeignKey("crawl_run.id")),
)

hf_space_call_site = Table(
    "hf_space_call_site",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("space_id", Integer, ForeignKey("hf_space.id"), nullable=False),
    Column("revision", String, nullable=False),  # the snapshotted revision the file comes from
    Column("path", String, nullable=False),
    Column("line", Integer, nullable=False),
    Column("col", Integer, nullable=False),
    Column("library", String, nullable=False),
    Column("callee", String, nullable=False),
    Column("argument", Text),
    Column("ptm", String),
    Column("model_id", Integer, ForeignKey("model.id")),
    Column("resolution", String),
    Column("confidence", Float),
    Column("reason", Text),
    Column("hub", String),
    Column("declared", Integer),  # 1 when the Space also declares this model (hf_space_to_model)
    Column("mapped_at", String),
    sqlite_autoincrement=True,
)
Index("ix_hf_space_call_site_space", hf_space_call_site.c.space_id)
