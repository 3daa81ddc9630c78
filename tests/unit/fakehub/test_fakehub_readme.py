"""fakehub/README.md describes every module of the package and names only files that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "fakehub" / "README.md"


def test_file_table_lists_every_module_and_only_existing_ones() -> None:
    listed = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            listed |= set(re.findall(r"`([\w.]+\.py)`", line.split(" | ")[0]))
    modules = {path.name for path in (ROOT / "fakehub").glob("*.py")}
    assert listed - modules == set(), "named in the README but not in fakehub/"
    assert modules - listed == set(), "modules of fakehub/ missing from the README's file table"


def test_paths_named_in_the_readme_exist() -> None:
    named = re.findall(r"`((?:fakehub|tests)/[\w./]*)`", README.read_text(encoding="utf-8"))
    assert named, "the README names its test folders"
    assert [path for path in named if not (ROOT / path).exists()] == []
