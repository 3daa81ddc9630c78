"""The numbers behind each figure as ``DIR/data/<name>.csv``: header row first, exactly the columns below."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

COLUMNS: dict[str, tuple[str, ...]] = {
    "metadata_availability": ("field", "models", "with_value", "share"),
    "domains_by_hub": ("hub", "domain", "models", "share"),
    "reuse_by_domain": ("hub", "domain", "repositories", "share"),
    "created_by_domain": ("month", "domain", "models"),
    "median_parameters": ("month", "domain", "median_parameters", "models"),
    "license_flows": ("ptm_license", "repository_license", "pairs", "compatibility"),
    "popularity_by_run": (
        "run_id",
        "finished_at",
        "models",
        "top10pct_models",
        "top10pct_downloads",
        "all_downloads",
    ),
    "lineage": ("base_model", "relation", "derived_models"),
    "models_by_spaces": ("declaring_spaces", "models", "share"),
    "downstream_by_domain": ("downstream", "domain", "repositories", "share"),
    "license_incompatible": ("model", "repository", "ptm_license", "repository_license"),
}


def cell(value: Any) -> Any:
    """Plain CSV values, the same from SQLite and PostgreSQL: integral floats as integers (an AVG of 200.0, a share
    of 1.0), other floats rounded to 6 places, NULL as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 6)
    return value


def write_csv(folder: Path, name: str, rows: Iterable[Sequence[Any]]) -> Path:
    """Write ``folder/<name>.csv`` with the header of :data:`COLUMNS`; returns its path."""
    columns = COLUMNS[name]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(f"{name}: row {row!r} does not match columns {columns}")
            writer.writerow([cell(v) for v in row])
    return path
