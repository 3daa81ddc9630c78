"""Scoring helpers for this labelled corpus: labels, a literal-argument grep baseline, precision/recall."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent
_MARK = re.compile(r"#\s*expect:\s*(.+?)\s*$")


@dataclass
class Labels:
    sites: set[tuple[str, str, int, str]]  # (repo, path, line, ptm)
    null_sites: set[tuple[str, str, int]]  # load calls whose identifier is unknowable

    @property
    def repo_models(self) -> set[tuple[str, str]]:
        return {(r, m) for r, _, _, m in self.sites}


def repos(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_dir())


def load_labels(corpus: Path = CORPUS) -> Labels:
    sites: set[tuple[str, str, int, str]] = set()
    nulls: set[tuple[str, str, int]] = set()
    for repo in repos(corpus):
        for f in sorted(repo.rglob("*.py")):
            rel = f.relative_to(repo).as_posix()
            for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                m = _MARK.search(line)
                if not m:
                    continue
                ids = [x.strip() for x in m.group(1).split(",") if x.strip()]
                if ids == ["-"]:
                    nulls.add((repo.name, rel, i))
                else:
                    sites.update((repo.name, rel, i, x) for x in ids)
    extra = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8")) or {}
    for repo, entries in extra.items():
        for e in entries:
            sites.add((repo, e["path"], int(e["line"]), e["ptm"]))
    return Labels(sites, nulls)


# What a literal-argument grep finds: a string literal as the first argument (or model=/repo_id=) of a
# call whose name is a known loading method, anywhere in the text (comments and docstrings included).
_LOADER_NAMES = (
    "from_pretrained|pipeline|SentenceTransformer|CrossEncoder|hf_hub_download|snapshot_download|create_model|"
    "create_model_and_transforms|from_hparams|load_from_hub|load_from_hf_hub|from_pretrained_keras|load|"
    "load_model_ensemble_and_task_from_hf_hub|from_path|Pipeline|download|load_lora_weights"
)
_GREP = re.compile(
    r"\b(" + _LOADER_NAMES + r")\s*\(\s*(?:[\w.]+\s*,\s*)?(?:(?:model|repo_id|model_name|source)\s*=\s*)?"
    r"[rbf]?([\"'])([^\"'\n]+)\2"
)
_HUB = re.compile(
    r"\bhub\.load\(\s*(?:repo_or_dir\s*=\s*)?([\"'])([^\"']+)\1\s*,\s*(?:model\s*=\s*)?([\"'])([^\"']+)\3"
)


def grep_baseline(corpus: Path = CORPUS) -> set[tuple[str, str, int, str]]:
    found: set[tuple[str, str, int, str]] = set()
    for repo in repos(corpus):
        for f in sorted([*repo.rglob("*.py"), *repo.rglob("*.ipynb")]):
            rel = f.relative_to(repo).as_posix()
            for i, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                for m in _HUB.finditer(line):
                    found.add((repo.name, rel, i, f"{m.group(2).split(':')[0]}:{m.group(4)}"))
                for m in _GREP.finditer(line):
                    if m.group(1) == "load" and "hub.load" in line:
                        continue
                    value = m.group(3)
                    if m.group(1) == "create_model":
                        value = value[7:] if value.startswith("hf_hub:") else f"timm:{value}"
                    found.add((repo.name, rel, i, value))
    return found


def precision_recall(predicted: set, truth: set) -> tuple[float, float]:
    hit = len(predicted & truth)
    p = hit / len(predicted) if predicted else 1.0
    r = hit / len(truth) if truth else 1.0
    return p, r
