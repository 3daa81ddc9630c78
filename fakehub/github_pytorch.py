"""The fake ``pytorch/hub`` repository (model pages) and the source repositories with their ``hubconf.py``.

Traps (reference/api-shapes.md §2.2 and §5 items 13-14), each on at least one page of the default 12:
typographic quotes around ``accelerator``, trailing spaces after values, missing optional keys
(``featured_image_1``, ``order``, ``demo-model-link``), ``github-id`` whose casing differs from the load string,
a load string using the repository's old name (the API answers 301), refs only in the body (``:v0.10.0``,
``:torchhub``, ``:hub``), keyword and simple-variable ``torch.hub.load`` calls, a commented-out call, a
``torch.hub.list`` call that loads nothing, file names that do not follow ``<owner>_<repo>_<title>.md``.
hubconf.py: optional ``dependencies``, public functions, imported helpers (entrypoints too), ``_private`` helpers,
a module import and a constant (not entrypoints).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# (owner, name, old name or None, ref, load-string casing, entrypoints defined, imported helpers, branch)
SOURCES: list[tuple[str, str, str | None, str | None, str, list[str], list[str], str]] = [
    (
        "visionlab",
        "vision",
        None,
        "v0.10.0",
        "same",
        ["resnet18", "resnet50", "alexnet", "vgg16"],
        ["get_weight"],
        "main",
    ),
    ("DeepSeg", "YOLOP-Lite", None, None, "lower", ["yolop_lite"], [], "main"),
    ("speechco", "silero-voices", None, None, "same", ["silero_stt", "silero_tts"], ["read_audio"], "master"),
    ("nlphouse", "transformers", "pytorch-transformers", None, "old", ["model", "tokenizer", "config"], [], "main"),
    ("ganlab", "pytorch_GAN_zoo", None, "hub", "same", ["DCGAN", "PGAN"], [], "main"),
    (
        "NVLabs",
        "DeepLearningExamples",
        None,
        "torchhub",
        "same",
        ["nvidia_resnet50", "nvidia_ssd"],
        ["processing_utils"],
        "master",
    ),
    ("depth-org", "MiDaS", None, None, "same", ["DPT_Large", "MiDaS_small"], ["transforms"], "master"),
    ("sigsep", "open-unmix-pytorch", None, None, "same", ["umxhq", "umxl"], [], "master"),
]
# (source index, title, entrypoints loaded, file name override, form of the first call)
PAGES: list[tuple[int, str, list[str], str | None, str]] = [
    (0, "resnet", ["resnet18", "resnet50"], None, "positional"),
    (0, "alexnet", ["alexnet"], None, "positional"),
    (1, "yolop", ["yolop_lite"], None, "positional"),
    (2, "stt", ["silero_stt"], None, "keyword"),
    (3, "bert", ["model", "tokenizer"], "nlphouse_pytorch-transformers.md", "positional"),
    (4, "dcgan", ["DCGAN"], None, "variable"),
    (5, "resnet50", ["nvidia_resnet50"], None, "positional"),
    (5, "ssd", ["nvidia_ssd"], None, "positional"),
    (6, "midas", ["DPT_Large", "MiDaS_small"], None, "positional"),
    (7, "umx", ["umxhq"], None, "positional"),
    (0, "vgg", ["vgg16"], "simplevgg.md", "positional"),
    (2, "tts", ["silero_tts"], None, "keyword"),
]
TAGS = ["vision", "nlp", "generative", "audio", "scriptable"]


@dataclass
class Source:
    owner: str
    name: str
    old_name: str | None
    ref: str | None
    casing: str
    defined: list[str]
    imported: list[str]
    branch: str
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def load_repo(self) -> str:
        """The ``owner/repo`` the pages write in ``torch.hub.load`` (may differ from the canonical name)."""
        if self.casing == "lower":
            return self.full_name.lower()
        if self.casing == "old" and self.old_name:
            return f"{self.owner}/{self.old_name}"
        return self.full_name

    @property
    def entrypoints(self) -> list[str]:
        return sorted(self.defined + self.imported)


def sources(n_pages: int) -> list[Source]:
    """Source repositories for ``n_pages`` pages: the 8 templates (fewer for few pages), more generated after."""
    n_src = max(1, round(n_pages * len(SOURCES) / len(PAGES)))
    out = [Source(*spec) for spec in SOURCES[:n_src]]
    for k in range(len(out), n_src):
        out.append(
            Source(f"hubsrc{k}", f"models{k}", None, None, "same", [f"net{k}_small", f"net{k}_large"], [], "main")
        )
    return out


def hubconf(src: Source, r: random.Random) -> bytes:
    pkg = src.name.lower().replace("-", "_").replace(".", "_")
    lines = [f'"""torch.hub entry points of {src.full_name}."""', ""]
    if src.defined != ["yolop_lite"]:  # one repository has no dependencies list (it is optional)
        deps = ["torch"] + (["yaml"] if r.random() < 0.5 else [])
        lines += [f"dependencies = {deps!r}", ""]
    lines += ["import torch", ""]
    if src.imported:
        lines += [f"from {pkg}.utils import {', '.join(src.imported)}", ""]
    lines += [f'MODEL_URLS = {{"default": "https://example.invalid/{pkg}/weights.pth"}}', "", ""]
    lines += [
        "def _build(arch, pretrained=True, **kwargs):",
        f"    from {pkg}.models import build",
        "",
        "    model = build(arch, **kwargs)",
        "    if pretrained:",
        '        state = torch.hub.load_state_dict_from_url(MODEL_URLS["default"], progress=False)',
        "        model.load_state_dict(state)",
        "    return model",
    ]
    for entry in src.defined:
        lines += [
            "",
            "",
            f"def {entry}(pretrained=True, **kwargs):",
            f'    """{entry} from {src.full_name}; ``pretrained`` loads the published weights."""',
            f'    return _build("{entry}", pretrained, **kwargs)',
        ]
    return ("\n".join(lines) + "\n").encode()


def source_files(src: Source, r: random.Random, license_text: bytes | None) -> dict[str, bytes]:
    pkg = src.name.lower().replace("-", "_").replace(".", "_")
    files = {
        "hubconf.py": hubconf(src, r),
        "README.md": f"# {src.name}\n\nModels published on PyTorch Hub.\n".encode(),
        f"{pkg}/__init__.py": b"",
        f"{pkg}/models.py": b"import torch.nn as nn\n\n\ndef build(arch, **kwargs):\n    return nn.Identity()\n",
    }
    if src.imported:
        body = ["import torch", ""]
        for name in src.imported:
            body += ["", f"def {name}(*args, **kwargs):", f'    """Helper {name}."""', "    return None", ""]
        files[f"{pkg}/utils.py"] = ("\n".join(body) + "\n").encode()
    if license_text is not None:
        files["LICENSE"] = license_text
    return files


@dataclass
class Page:
    file: str
    title: str
    github_id: str
    source: Source
    loads: list[dict]  # {repo, ref, entrypoint, form}
    commented: list[dict]
    text: bytes = b""


def _front_matter(r: random.Random, page_no: int, title: str, github_id: str, src: Source) -> list[str]:
    image = f"{title.lower()}.png"
    tags = r.sample(TAGS, k=1 + page_no % 2)
    keys: list[tuple[str, str]] = [
        ("layout", "hub_detail"),
        ("background-class", "hub-background"),
        ("body-class", "hub"),
        ("title", title.upper() if len(title) <= 4 else title.capitalize()),
        ("summary", f"Pre-trained {title} models from {src.name}"),
        ("category", "researchers"),
        ("image", image + ("  " if page_no % 4 == 1 else "")),  # trailing spaces
        ("author", f"{src.owner} team"),
        ("tags", "[" + ", ".join(tags) + "]"),
        ("github-link", f"https://github.com/{src.full_name}/blob/{src.branch}/hubconf.py"),
        ("github-id", github_id),
        ("featured_image_1", image),
        ("featured_image_2", "no-image"),
        (
            "accelerator",
            "\u201ccuda-optional\u201d" if page_no % 5 == 3 else ("cuda" if page_no % 3 == 0 else "cuda-optional"),
        ),
        ("order", "10"),
        ("demo-model-link", f"https://huggingface.co/spaces/{src.owner}/{title}"),
    ]
    drop = {0: set(), 1: {"featured_image_1"}, 2: {"order"}, 3: {"demo-model-link", "order"}}[page_no % 4]
    return ["---", *(f"{k}: {v}" for k, v in keys if k not in drop), "---"]


def _call(form: str, repo: str, entry: str) -> list[str]:
    if form == "keyword":
        return [f"model = torch.hub.load(repo_or_dir='{repo}', model='{entry}', pretrained=True)"]
    if form == "variable":
        return [f"hub_repo = '{repo}'", f"model = torch.hub.load(hub_repo, '{entry}', pretrained=True, useGPU=False)"]
    return [f"model = torch.hub.load('{repo}', '{entry}', pretrained=True)"]


def pages(n_pages: int, srcs: list[Source], seed: int) -> list[Page]:
    out: list[Page] = []
    for no in range(n_pages):
        if no < len(PAGES) and PAGES[no][0] < len(srcs):
            s_idx, title, entries, file_name, form = PAGES[no]
        else:
            s_idx = no % len(srcs)
            title, entries, file_name, form = f"model{no}", srcs[s_idx].defined[:1], None, "positional"
        src = srcs[s_idx]
        r = random.Random(f"gh-page:{seed}:{no}")
        github_id = src.full_name
        repo = src.load_repo + (f":{src.ref}" if src.ref else "")
        file = file_name or f"{src.owner.lower()}_{src.name.lower()}_{title}.md"
        body = ["", "```python", "import torch"]
        loads = []
        for i, entry in enumerate(entries):
            f = form if i == 0 else "positional"
            body += _call(f, repo, entry)
            loads.append({"repo": src.load_repo, "ref": src.ref, "entrypoint": entry, "form": f})
        commented = []
        if no == 1:
            other = next((e for e in src.entrypoints if e not in entries and e in src.defined), src.defined[0])
            body.append(f"# model = torch.hub.load('{repo}', '{other}', pretrained=True)")
            commented.append({"repo": src.load_repo, "ref": src.ref, "entrypoint": other})
        if no == 0:
            body.append(f"print(torch.hub.list('{repo}'))")
        body += ["model.eval()", "```", ""]
        text = [
            *_front_matter(r, no, title, github_id, src),
            "",
            "### Model Description",
            "",
            f"{title} models trained by {src.owner}. See the [repository](https://github.com/{github_id}).",
            *body,
            "### Example",
            "",
            "```python",
            "import urllib",
            "filename = 'dog.jpg'",
            "```",
            "",
        ]
        page = Page(file, title, github_id, src, loads, commented, ("\n".join(text)).encode())
        out.append(page)
    return out


def hub_files(pg: list[Page]) -> dict[str, bytes]:
    files = {p.file: p.text for p in pg}
    files["README.md"] = b"# PyTorch Hub\n\nModel pages are the markdown files at the root of this repository.\n"
    files["CONTRIBUTING.md"] = b"# Contributing\n\nAdd one markdown file per model family (docs/template.md).\n"
    files["CODE_OF_CONDUCT.md"] = b"# Code of Conduct\n\nBe kind.\n"
    files["docs/template.md"] = (
        b"---\nlayout: hub_detail\nbackground-class: hub-background\nbody-class: hub\n"
        b"title: <REQUIRED: short model name>\n"
        b"summary: <REQUIRED: 1-2 sentences>\ncategory: <REQUIRED: researchers, developers>\nimage: <REQUIRED>\n"
        b"author: <REQUIRED>\ntags: <REQUIRED: [tag1, tag2, ...]>\ngithub-link: <REQUIRED>\ngithub-id: <REQUIRED>\n"
        b"featured_image_1: <OPTIONAL>\nfeatured_image_2: <OPTIONAL>\naccelerator: <OPTIONAL: cuda, cuda-optional>\n"
        b"---\n\n```python\nimport torch\nmodel = torch.hub.load('owner/repo', 'entrypoint')\n```\n"
    )
    files["scripts/tags.py"] = b'valid_tags = ["vision", "nlp", "generative", "audio", "scriptable"]\n'
    return files
