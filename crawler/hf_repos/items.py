"""Items of the Spaces and datasets crawls (natural keys only: Hub ids, never database ids)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from crawler.hf.items import HfSnapshotItem


@dataclass
class HfSpaceItem:
    """One Space as listed by /api/spaces with the expanded fields of ``parse.SPACE_EXPAND``."""

    space_id: str
    sha: str | None = None
    native_id: str | None = None
    author: str | None = None
    sdk: str | None = None
    runtime_stage: str | None = None
    hardware: str | None = None
    requested_hardware: str | None = None
    likes: int | None = None
    private: bool | None = None
    disabled: bool | None = None
    gated: str | None = None
    subdomain: str | None = None
    created_at: str | None = None
    last_modified: str | None = None
    title: str | None = None
    license: str | None = None
    tags: list[str] = field(default_factory=list)
    card_data: dict[str, Any] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)  # declared model ids
    datasets: list[str] = field(default_factory=list)  # declared dataset ids


@dataclass
class HfDatasetItem:
    """One dataset as listed by /api/datasets with the expanded fields of ``parse.DATASET_EXPAND``."""

    dataset_id: str
    sha: str | None = None
    native_id: str | None = None
    author: str | None = None
    downloads: int | None = None
    likes: int | None = None
    private: bool | None = None
    disabled: bool | None = None
    gated: str | None = None
    created_at: str | None = None
    last_modified: str | None = None
    pretty_name: str | None = None
    tags: list[str] = field(default_factory=list)
    task_categories: list[str] = field(default_factory=list)
    size_categories: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    licenses: list[str] = field(default_factory=list)
    card_data: dict[str, Any] = field(default_factory=dict)
    siblings: list[str] = field(default_factory=list)


@dataclass
class HfDeclaredModelItem:
    """What the Hub answered about a model a Space declares and we did not hold: its id, or a refusal."""

    name: str  # as declared
    status: int | None = None  # 200, or 401/403/404: private, disabled or nonexistent
    error_code: str | None = None
    canonical_id: str | None = None  # the model's id on the Hub, when it answered


@dataclass
class SpaceSnapshotItem(HfSnapshotItem):
    """A Space's small files at one revision (``context_id`` is the Space id).

    A HfSnapshotItem, so SnapshotPipeline stores its files and reads README.md as the card; its manifests live
    under ``manifests/spaces/`` since a Space and a model may share an id.
    """

    manifest_prefix: ClassVar[str] = "spaces/"


@dataclass
class DatasetSnapshotItem(HfSnapshotItem):
    """A dataset's card (README.md) at one revision (``context_id`` is the dataset id)."""

    manifest_prefix: ClassVar[str] = "datasets/"
