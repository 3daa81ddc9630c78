"""Benchmark of the mapping pass: files per second and peak memory on N worker processes.

    python bench/bench_mapping.py [--files 5000] [--workers 2] [--no-doc]

Generates a corpus of small repositories (plain Python, ML code with loads through constants,
wrappers, argparse and dict lookups, and notebooks), runs mapping.runner.run over it, prints the
figures and replaces the "Mapping" section of docs/benchmarks.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mapping.runner import RunSummary, run, task_for  # noqa: E402

FILES_PER_REPO = 40
MODELS = ["bert-base-uncased", "gpt2", "roberta-base", "t5-small", "facebook/bart-large-cnn", "openai/whisper-tiny"]

PLAIN = '''\
"""Utility module {i}."""
import os
import json
from collections import defaultdict


class Store{i}:
    def __init__(self, root="data/{i}"):
        self.root = root
        self.index = defaultdict(list)

    def add(self, key, value):
        self.index[key].append(value)
        return len(self.index[key])

    def save(self):
        with open(os.path.join(self.root, "index.json"), "w") as f:
            json.dump(self.index, f)


def helper_{i}(xs):
    total = 0
    for x in xs:
        if x % 2:
            total += x * {i}
        else:
            total -= x
    return [total, {{k: v for k, v in enumerate(xs)}}]
'''

ML = """\
import argparse
import torch
from transformers import AutoModel, AutoTokenizer, pipeline

MODEL = "{m1}"
CHOICES = {{"a": "{m2}", "b": "{m3}"}}


def load(name=MODEL):
    tok = AutoTokenizer.from_pretrained(name)
    return tok, AutoModel.from_pretrained(name)


class Trainer{i}:
    def __init__(self, args):
        self.args = args
        self.model = AutoModel.from_pretrained(CHOICES[args.variant])

    def step(self, batch):
        out = self.model(**batch)
        loss = out.last_hidden_state.mean()
        loss.backward()
        return float(loss)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="{m3}")
    args = p.parse_args()
    clf = pipeline("text-classification", model=args.model)
    hub = torch.hub.load("pytorch/vision", "resnet18", pretrained=True)
    return load(), clf, hub
"""


def notebook(i: int, model: str) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [f"# Experiment {i}\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["!pip install transformers\n", "from transformers import AutoModel\n", f"name = '{model}'"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2,
         "source": ["model = AutoModel.from_pretrained(name)\n", "print(model)"]},
    ]  # fmt: skip
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def generate(root: Path, files: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    repos = []
    for r in range((files + FILES_PER_REPO - 1) // FILES_PER_REPO):
        repo = root / f"repo{r:04d}"
        (repo / "pkg").mkdir(parents=True)
        for i in range(FILES_PER_REPO):
            kind = rng.random()
            m1, m2, m3 = rng.sample(MODELS, 3)
            if kind < 0.3:
                (repo / "pkg" / f"train_{i}.py").write_text(ML.format(i=i, m1=m1, m2=m2, m3=m3))
            elif kind < 0.35:
                (repo / f"nb_{i}.ipynb").write_text(notebook(i, m1))
            else:
                (repo / "pkg" / f"util_{i}.py").write_text(PLAIN.format(i=i))
        repos.append(repo)
    return repos


def write_doc(section: str) -> Path:
    doc = ROOT / "docs" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    start = text.find("\n## Mapping")
    if start != -1:
        end = text.find("\n## ", start + 1)
        text = text[:start] + ("" if end == -1 else text[end:])
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
    return doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-doc", action="store_true")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-mapping-") as tmp:
        repos = generate(Path(tmp), opts.files)
        tasks = [task_for(p) for p in repos]
        summary = RunSummary()
        start = time.perf_counter()
        sites = sum(len(res.records) for res in run(tasks, opts.workers, progress=None, summary=summary))
        seconds = time.perf_counter() - start
    files = summary.stats["files"]
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = files / seconds
    print(f"files: {files} in {len(tasks)} repositories ({summary.stats['parsed']} parsed)")
    print(f"call sites: {sites}")
    print(f"time: {seconds:.1f} s on {opts.workers} worker processes -> {rate:.0f} files/s")
    print(f"peak RSS: {child_mb:.0f} MB per worker (max), {self_mb:.0f} MB parent")
    if not opts.no_doc:
        section = (
            "## Mapping (`scrapy map`)\n\n"
            f"Command: `python bench/bench_mapping.py --files {opts.files} --workers {opts.workers}`\n\n"
            "| files | repositories | workers | seconds | files/s | call sites | peak RSS per worker |\n"
            "|---|---|---|---|---|---|---|\n"
            f"| {files} | {len(tasks)} | {opts.workers} | {seconds:.1f} | {rate:.0f} | {sites} "
            f"| {child_mb:.0f} MB |\n\n"
            f"Corpus: generated repositories of {FILES_PER_REPO} files (65% plain Python, 30% ML code with loads "
            "through constants, wrappers, argparse and dict lookups, 5% notebooks). Machine: "
            f"{platform.machine()}, Python {platform.python_version()}. Files without any library name are "
            "never parsed, so real repositories (mostly non-ML files) run faster than this ML-heavy mix.\n"
        )
        print(f"wrote {write_doc(section)}")


if __name__ == "__main__":
    main()
