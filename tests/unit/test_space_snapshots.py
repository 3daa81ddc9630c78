"""``scrapy map``'s Space input: snapshotted files laid out as checkouts, hostile manifests contained."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from mapping.runner import space_snapshots
from pipelines.snapshot import object_path

REV = "0123456789abcdef0123456789abcdef01234567"


def store_file(store: Path, body: bytes) -> str:
    sha = hashlib.sha256(body).hexdigest()
    path = store / object_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return sha


def write_manifest(store: Path, space: str, files: dict[str, str]) -> None:
    path = store / "manifests" / "spaces" / space / f"{REV}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"repo_id": space, "revision": REV, "files": {p: {"sha256": s} for p, s in files.items()}})
    )


def test_space_files_become_a_checkout_and_hostile_entries_are_left_out(tmp_path: Path) -> None:
    store, work = tmp_path / "store", tmp_path / "work"
    app = store_file(store, b"from transformers import AutoModel\n")
    helper = store_file(store, b"X = 1\n")
    write_manifest(
        store,
        "acme/demo",
        {"app.py": app, "pkg/helper.py": helper, "../../escape.py": app, "/abs.py": app, "gone.py": "f" * 64},
    )
    tasks = space_snapshots(store, {"acme/demo": REV, "acme/not-snapshotted": REV, "../evil": REV}, work)
    assert list(tasks) == ["acme/demo"]
    root = Path(tasks["acme/demo"].root)
    assert tasks["acme/demo"].name == "spaces/acme/demo" and root == (work / "acme" / "demo").resolve()
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == ["app.py", "pkg/helper.py"]
    assert (root / "app.py").read_bytes() == b"from transformers import AutoModel\n"
    assert not (tmp_path / "escape.py").exists() and not (work / "escape.py").exists()
