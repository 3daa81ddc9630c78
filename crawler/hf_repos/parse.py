"""Hub API JSON -> Spaces and datasets items, defensively: any field may be missing, null or of another type.

Field names follow huggingface_hub's ``SpaceInfo`` / ``DatasetInfo`` parsing of the same endpoints (see
docs/hub-repos.md). Parsed from the dict directly, as ``crawler/hf/parse.model_item`` does: the typed objects
parse card data we do not need.
"""

from __future__ import annotations

import fnmatch
from typing import Any

from crawler.hf_repos.items import HfDatasetItem, HfSpaceItem
from crawler.jsonvalues import as_bool, as_dict, as_int, as_list, as_str

# The fields asked for with `expand`: huggingface_hub's ExpandSpaceProperty_T / ExpandDatasetProperty_T values we
# use. A Space's files come from its info (which has their sizes), a dataset's card from its listed siblings.
SPACE_EXPAND = (
    "author", "cardData", "createdAt", "datasets", "disabled", "lastModified", "likes", "models", "private",
    "runtime", "sdk", "sha", "subdomain", "tags",
)  # fmt: skip
DATASET_EXPAND = (
    "author", "cardData", "createdAt", "disabled", "downloads", "gated", "lastModified", "likes", "private", "sha",
    "siblings", "tags",
)  # fmt: skip

CARD_PATH = "README.md"
# The Space files worth mapping: the app, its requirements and every Python module (size-capped by the policy).
SPACE_FILE_PATTERNS = (CARD_PATH, "requirements.txt", "*.py")


def _str(value: Any) -> str | None:
    return as_str(value) or None


def _strings(value: Any) -> list[str]:
    """A list of non-empty strings from a string or a list (card data allows both)."""
    if isinstance(value, str):
        value = [value]
    return list(dict.fromkeys(v.strip() for v in as_list(value) if isinstance(v, str) and v.strip()))


def _gated(value: Any) -> str | None:
    return value if isinstance(value, str) else ("false" if value is False else None)


def _siblings(entry: dict[str, Any]) -> list[str]:
    return [s["rfilename"] for s in as_list(entry.get("siblings")) if isinstance(as_dict(s).get("rfilename"), str)]


def _tagged(tags: list[str], prefix: str) -> list[str]:
    """Values of ``prefix:value`` tags (``license:mit`` -> ``mit``)."""
    return [t.split(":", 1)[1] for t in tags if t.startswith(f"{prefix}:") and t.split(":", 1)[1]]


def _id(entry: Any) -> tuple[dict[str, Any], str | None]:
    entry = as_dict(entry)
    return entry, _str(entry.get("id"))


def space_item(raw: Any) -> HfSpaceItem | None:
    """A /api/spaces entry or /api/spaces/{id} body -> HfSpaceItem; None without a usable id."""
    entry, space_id = _id(raw)
    if space_id is None:
        return None
    card = as_dict(entry.get("cardData"))
    runtime = as_dict(entry.get("runtime"))
    hardware = as_dict(runtime.get("hardware"))
    tags = _strings(entry.get("tags"))
    licenses = _strings(card.get("license")) or _tagged(tags, "license")
    # `models`/`datasets` are the Hub's resolved declarations; the card's own lists are the fallback.
    models = _strings(entry.get("models")) if "models" in entry else _strings(card.get("models"))
    datasets = _strings(entry.get("datasets")) if "datasets" in entry else _strings(card.get("datasets"))
    return HfSpaceItem(
        space_id=space_id,
        sha=_str(entry.get("sha")),
        native_id=_str(entry.get("_id")),
        author=_str(entry.get("author")),
        sdk=_str(entry.get("sdk")) or _str(card.get("sdk")),
        runtime_stage=_str(runtime.get("stage")),
        hardware=_str(hardware.get("current")),
        requested_hardware=_str(hardware.get("requested")),
        likes=as_int(entry.get("likes")),
        private=as_bool(entry.get("private")),
        disabled=as_bool(entry.get("disabled")),
        gated=_gated(entry.get("gated")),
        subdomain=_str(entry.get("subdomain")),
        created_at=_str(entry.get("createdAt")),
        last_modified=_str(entry.get("lastModified")),
        title=_str(card.get("title")),
        license=licenses[0] if licenses else None,
        tags=tags,
        card_data=card,
        models=models,
        datasets=datasets,
    )


def dataset_item(raw: Any) -> HfDatasetItem | None:
    """A /api/datasets entry -> HfDatasetItem; None without a usable id.

    Categories come from the card when it has them, else from the Hub's ``kind:value`` tags.
    """
    entry, dataset_id = _id(raw)
    if dataset_id is None:
        return None
    card = as_dict(entry.get("cardData"))
    tags = _strings(entry.get("tags"))
    return HfDatasetItem(
        dataset_id=dataset_id,
        sha=_str(entry.get("sha")),
        native_id=_str(entry.get("_id")),
        author=_str(entry.get("author")),
        downloads=as_int(entry.get("downloads")),
        likes=as_int(entry.get("likes")),
        private=as_bool(entry.get("private")),
        disabled=as_bool(entry.get("disabled")),
        gated=_gated(entry.get("gated")),
        created_at=_str(entry.get("createdAt")),
        last_modified=_str(entry.get("lastModified")),
        pretty_name=_str(card.get("pretty_name")),
        tags=tags,
        task_categories=_strings(card.get("task_categories")) or _tagged(tags, "task_categories"),
        size_categories=_strings(card.get("size_categories")) or _tagged(tags, "size_categories"),
        languages=_strings(card.get("language")) or _tagged(tags, "language"),
        licenses=_strings(card.get("license")) or _tagged(tags, "license"),
        card_data=card,
        siblings=_siblings(entry),
    )


def wanted_space_file(path: str) -> bool:
    """A Space file the snapshot keeps (before the size and safety rules of crawler.hf.snapshot_policy)."""
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in SPACE_FILE_PATTERNS)
