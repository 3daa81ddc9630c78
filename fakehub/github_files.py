"""Source files of generated downstream repositories: Python files and notebooks that load PTMs.

Each load site follows one signature of reference/signatures.md / mapping/signatures.yaml and one way of writing
it (``literal``, ``constant``, ``alias``, ``wrapper``, ``argparse``, ``keyword``, ``notebook``).  The ground truth
of every site is returned with the files: ``{path, line, literal_line, library, pattern, id}`` (``line`` = the
loading call, ``literal_line`` = where the identifier string is written; for notebooks ``cell`` is the index of
the code cell and lines count inside that cell).  Decoys (calls that load no PTM) are listed separately.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TORCHVISION = ["resnet18", "resnet50", "vgg16", "mobilenet_v3_large", "efficientnet_b0", "vit_b_16", "densenet121"]
TIMM_NAMES = ["resnet50", "efficientnet_b3", "vit_base_patch16_224", "convnext_tiny", "deit_small_patch16_224"]
SPACY = ["en_core_web_sm", "en_core_web_trf", "de_core_news_sm", "fr_core_news_md", "xx_ent_wiki_sm"]
FALLBACK_HF = {
    "transformers": ["fallback-org/bert-tiny-00000", "fallback-org/gpt-mini-00001"],
    "diffusers": ["fallback-org/sd-tiny-00002"],
    "sentence-transformers": ["fallback-org/minilm-emb-00003"],
    "timm": ["fallback-org/vit-tiny-00004"],
}
FILE_NAMES = [
    "train.py",
    "app.py",
    "inference.py",
    "scripts/evaluate.py",
    "demo/server.py",
    "{pkg}/model.py",
    "{pkg}/encoders.py",
    "tools/export.py",
    "predict.py",
    "{pkg}/pipeline.py",
]
HF_TASKS = ["text-classification", "summarization", "question-answering", "image-classification", "ner"]


@dataclass
class Site:
    """One load site: import lines and body lines; ``call``/``literal`` index into ``body``."""

    imports: list[str]
    body: list[str]
    call: int
    literal: int
    library: str
    pattern: str
    id: str


@dataclass
class Pools:
    """Identifiers the generated code may load: HF ids per library (from the fake hub), torch hub loads."""

    hf: dict[str, list[str]]
    torchhub: list[tuple[str, str]] = field(default_factory=list)  # (repo string with optional :ref, entrypoint)

    def hf_id(self, r: random.Random, library: str) -> str:
        ids = self.hf.get(library) or FALLBACK_HF.get(library) or FALLBACK_HF["transformers"]
        return r.choice(ids)


def _transformers(r: random.Random, pools: Pools, var: str) -> Site:
    mid = pools.hf_id(r, "transformers")
    cls = r.choice(["AutoModel", "AutoTokenizer", "AutoModelForSequenceClassification", "AutoModelForCausalLM"])
    style = r.choice(["literal", "literal", "constant", "alias", "wrapper", "argparse", "keyword", "pipeline"])
    imp = [f"from transformers import {cls}"]
    if style == "literal":
        return Site(imp, [f'{var} = {cls}.from_pretrained("{mid}")'], 0, 0, "transformers", style, mid)
    if style == "constant":
        const = var.upper() + "_NAME"
        body = [f'{const} = "{mid}"', "", f"{var} = {cls}.from_pretrained({const})"]
        return Site(imp, body, 2, 0, "transformers", style, mid)
    if style == "alias":
        body = [f'{var} = hf.{cls}.from_pretrained("{mid}", revision="main")']
        return Site(["import transformers as hf"], body, 0, 0, "transformers", style, mid)
    if style == "wrapper":
        fn = f"load_{var}"
        body = [f"def {fn}(name, **kwargs):", f"    return {cls}.from_pretrained(name, **kwargs)", "", ""]
        body.append(f'{var} = {fn}("{mid}")')
        return Site(imp, body, 1, 4, "transformers", style, mid)
    if style == "argparse":
        body = [
            "parser = argparse.ArgumentParser()",
            f'parser.add_argument("--{var}-name", default="{mid}")',
            "args, _ = parser.parse_known_args()",
            f"{var} = {cls}.from_pretrained(args.{var}_name)",
        ]
        return Site(["import argparse", *imp], body, 3, 1, "transformers", style, mid)
    if style == "keyword":
        body = [f'{var} = {cls}.from_pretrained(pretrained_model_name_or_path="{mid}", trust_remote_code=False)']
        return Site(imp, body, 0, 0, "transformers", style, mid)
    task = r.choice(HF_TASKS)
    body = [f'{var} = pipeline("{task}", model="{mid}")']
    return Site(["from transformers import pipeline"], body, 0, 0, "transformers", "pipeline", mid)


def _diffusers(r: random.Random, pools: Pools, var: str) -> Site:
    mid = pools.hf_id(r, "diffusers")
    body = [f'{var} = DiffusionPipeline.from_pretrained("{mid}", torch_dtype=torch.float16)']
    return Site(["import torch", "from diffusers import DiffusionPipeline"], body, 0, 0, "diffusers", "literal", mid)


def _sbert(r: random.Random, pools: Pools, var: str) -> Site:
    mid = pools.hf_id(r, "sentence-transformers")
    body = [f'{var} = SentenceTransformer("{mid}", device="cpu")']
    imp = ["from sentence_transformers import SentenceTransformer"]
    return Site(imp, body, 0, 0, "sentence_transformers", "literal", mid)


def _hub_download(r: random.Random, pools: Pools, var: str) -> Site:
    mid = pools.hf_id(r, r.choice(["transformers", "timm"]))
    body = [f'{var}_path = hf_hub_download(repo_id="{mid}", filename="config.json")']
    return Site(["from huggingface_hub import hf_hub_download"], body, 0, 0, "huggingface_hub", "keyword", mid)


def _timm(r: random.Random, pools: Pools, var: str) -> Site:
    if r.random() < 0.5:
        mid = pools.hf_id(r, "timm")
        body = [f'{var} = timm.create_model("hf_hub:{mid}", pretrained=True)']
        return Site(["import timm"], body, 0, 0, "timm", "literal", mid)
    name = r.choice(TIMM_NAMES)
    body = [f'{var} = timm.create_model("{name}", pretrained=True, num_classes=10)']
    return Site(["import timm"], body, 0, 0, "timm", "literal", f"timm:{name}")


def _torchvision(r: random.Random, pools: Pools, var: str) -> Site:
    name = r.choice(TORCHVISION)
    if r.random() < 0.5:
        body = [f"{var} = models.{name}(weights=models.get_model_weights('{name}').DEFAULT)"]
        return Site(["from torchvision import models"], body, 0, 0, "torchvision", "alias", f"torchvision:{name}")
    body = [f"{var} = torchvision.models.{name}(pretrained=True)"]
    return Site(["import torchvision"], body, 0, 0, "torchvision", "literal", f"torchvision:{name}")


def _torchhub(r: random.Random, pools: Pools, var: str) -> Site:
    if not pools.torchhub:
        return _torchvision(r, pools, var)
    repo, entry = r.choice(pools.torchhub)
    tid = f"{repo}:{entry}"
    if r.random() < 0.5:
        body = [f'{var} = torch.hub.load("{repo}", "{entry}", pretrained=True)']
        return Site(["import torch"], body, 0, 0, "torch", "literal", tid)
    body = [f'{var} = torch.hub.load(repo_or_dir="{repo}", model="{entry}", trust_repo=True)']
    return Site(["import torch"], body, 0, 0, "torch", "keyword", tid)


def _spacy(r: random.Random, pools: Pools, var: str) -> Site:
    name = r.choice(SPACY)
    return Site(["import spacy"], [f'{var} = spacy.load("{name}")'], 0, 0, "spacy", "literal", name)


MAKERS: list[tuple[Callable[[random.Random, Pools, str], Site], int]] = [
    (_transformers, 40),
    (_diffusers, 8),
    (_sbert, 10),
    (_hub_download, 6),
    (_timm, 8),
    (_torchvision, 10),
    (_torchhub, 12),
    (_spacy, 6),
]
DECOYS = [
    (["import torch"], 'local = torch.hub.load("./third_party/repo", "custom", source="local")', "torch.hub local"),
    (["import torchvision"], "scratch = torchvision.models.resnet18()", "torchvision without weights"),
    (["import json"], 'settings = json.load(open("settings.json"))', "json.load"),
    ([], '# model = AutoModel.from_pretrained("commented-out/model")', "comment"),
]
VARS = ["model", "tokenizer", "encoder", "backbone", "classifier", "generator", "nlp", "net", "pipe", "embedder"]


def _filler(r: random.Random, target: int) -> list[str]:
    """Plain helper functions so that file sizes spread over 0.3-40 KB (search ``size:`` shards)."""
    lines: list[str] = []
    size = 0
    k = 0
    while size < target:
        k += 1
        block = [
            "",
            "",
            f"def helper_{k}(values, scale={r.randint(1, 9)}):",
            f'    """Rescale and clip a batch (step {k})."""',
            "    out = []",
            "    for value in values:",
            f"        out.append(min(max(value * scale, -{k}), {k}))",
            "    return out",
        ]
        lines += block
        size += sum(len(x) + 1 for x in block)
    return lines


def python_file(r: random.Random, pools: Pools, n_sites: int, path: str) -> tuple[bytes, list[dict], list[dict]]:
    """A module with ``n_sites`` load sites (and maybe a decoy); returns bytes, loads, decoys."""
    sites: list[Site] = []
    makers, weights = zip(*MAKERS, strict=True)
    used_vars = r.sample(VARS, k=min(len(VARS), n_sites))
    for var in used_vars:
        sites.append(r.choices(makers, weights)[0](r, pools, var))
    decoy = DECOYS[r.randrange(len(DECOYS))] if r.random() < 0.3 else None
    imports = sorted({imp for s in sites for imp in s.imports} | set(decoy[0] if decoy else []))
    lines = [f'"""{path}: generated downstream code."""', "", *imports, ""]
    loads: list[dict] = []
    decoys: list[dict] = []
    for site in sites:
        lines += ["", ""]
        start = len(lines)
        lines += site.body
        loads.append(
            {
                "path": path,
                "line": start + site.call + 1,
                "literal_line": start + site.literal + 1,
                "library": site.library,
                "pattern": site.pattern,
                "id": site.id,
            }
        )
    if decoy:
        lines += ["", ""]
        decoys.append({"path": path, "line": len(lines) + 1, "what": decoy[2]})
        lines.append(decoy[1])
    lines += _filler(r, int(300 * 130 ** r.random()))
    return ("\n".join(lines) + "\n").encode(), loads, decoys


def notebook(r: random.Random, pools: Pools, path: str) -> tuple[bytes, list[dict]]:
    """nbformat 4 notebook whose second code cell loads one PTM (as in many demo notebooks)."""
    site = (_transformers if r.random() < 0.6 else _sbert)(r, pools, "model")
    cells: list[dict[str, Any]] = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n", "Load a pre-trained model and run it."]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ["!pip install -q torch"]},
    ]
    src = [*site.imports, "", *site.body]
    offset = len(site.imports) + 1
    cells.append(
        {
            "cell_type": "code",
            "execution_count": 2,
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["Some weights were not used\n"]}],
            "source": [line + "\n" for line in src[:-1]] + [src[-1]],
        }
    )
    doc = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    load = {
        "path": path,
        "cell": 2,
        "line": offset + site.call + 1,
        "literal_line": offset + site.literal + 1,
        "library": site.library,
        "pattern": "notebook",
        "id": site.id,
    }
    return (json.dumps(doc, indent=1) + "\n").encode(), [load]


def downstream_files(
    r: random.Random, pools: Pools, owner: str, name: str, license_text: bytes | None
) -> tuple[dict[str, bytes], list[tuple[str, list[str]]], list[dict], list[dict]]:
    """Files, commit history (message, paths), loads and decoys of one downstream repository."""
    pkg = name.replace("-", "_").replace(".", "_").lower()
    files: dict[str, bytes] = {}
    loads: list[dict] = []
    decoys: list[dict] = []
    n_py = 1 + int(r.random() ** 1.5 * 5)
    paths = [p.format(pkg=pkg) for p in r.sample(FILE_NAMES, k=n_py)]
    for path in paths:
        n_sites = r.choice([0, 1, 1, 1, 2, 2, 3]) if len(paths) > 1 else r.choice([1, 2, 3])
        data, file_loads, file_decoys = python_file(r, pools, n_sites, path)
        files[path] = data
        loads += file_loads
        decoys += file_decoys
    if any(p.startswith(f"{pkg}/") for p in paths):
        files[f"{pkg}/__init__.py"] = b""
    code_paths = list(files)
    if r.random() < 0.3:
        nb_path = r.choice(["notebooks/demo.ipynb", "Quickstart.ipynb", "examples/colab_demo.ipynb"])
        files[nb_path], nb_loads = notebook(r, pools, nb_path)
        loads += nb_loads
    readme = (
        f"# {name}\n\nExperiments by {owner}.\n\n```bash\npip install -r requirements.txt\npython {paths[0]}\n```\n"
    )
    libs = sorted({load["library"].replace("_", "-") for load in loads} | {"torch"})
    files["README.md"] = readme.encode()
    files["requirements.txt"] = ("\n".join(libs) + "\n").encode()
    first = ["README.md"]
    if license_text is not None:
        files["LICENSE"] = license_text
        first.append("LICENSE")
    history = [("Initial commit", first), ("Add code", ["requirements.txt", *code_paths])]
    rest = [p for p in files if p not in first and p not in code_paths and p != "requirements.txt"]
    if rest:
        history.append(("Add demo notebook", rest))
    history.append(("Update README", ["README.md"]))
    return files, history, loads, decoys
