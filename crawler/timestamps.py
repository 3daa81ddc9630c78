"""Our timestamps: ISO-8601 UTC with a Z, second precision (what every ``*_at`` column of ours holds)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
