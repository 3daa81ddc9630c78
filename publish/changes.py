"""What the previous export of a folder holds: ``export-manifest.json``, one entry per exported table.

Re-exporting compares each table's content hash (rows in key order, plus the file format version) with the
manifest's, so only the tables that changed since are rewritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "export-manifest.json"


@dataclass
class FileEntry:
    path: str  # relative to the export folder
    rows: int
    content_sha256: str
    file_sha256: str
    bytes: int
    exported_at: str


@dataclass
class Manifest:
    source: str = ""
    exported_at: str = ""
    tables: dict[str, FileEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """The manifest in ``folder``, or an empty one (first export, or an unreadable file)."""
        try:
            data: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            tables = {name: FileEntry(**entry) for name, entry in data.get("tables", {}).items()}
        except (OSError, ValueError, TypeError):
            return cls()
        return cls(source=data.get("source", ""), exported_at=data.get("exported_at", ""), tables=tables)

    def previous_hash(self, folder: Path, table: str) -> str | None:
        """The content hash of ``table``'s last export, if its file is still there."""
        entry = self.tables.get(table)
        return entry.content_sha256 if entry and (folder / entry.path).exists() else None

    def save(self, folder: Path) -> None:
        data = {"source": self.source, "exported_at": self.exported_at}
        data["tables"] = {name: asdict(entry) for name, entry in sorted(self.tables.items())}  # type: ignore[assignment]
        partial = folder / f".{MANIFEST}.partial"
        partial.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        partial.replace(folder / MANIFEST)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
