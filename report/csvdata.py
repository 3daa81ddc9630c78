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
    "license_incompatible": ("model", "repository", "ptm_license", "repository_license"),
}


def cell(value: Any) -> Any:
    """Plain CSV values: floats rounded to 6 places, integral numbers without a decimal part, NULL as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if not isinstance(value, int | str):  # float or Decimal (PostgreSQL's AVG and 1.0 * x / y)
        number = float(value)
        return int(number) if number.is_integer() and abs(number) >= 1 else round(number, 6)
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
