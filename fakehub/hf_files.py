"""Deterministic file contents of fake models, and the hashes the Hub advertises for them.

Every byte served by ``/resolve/`` comes from here, and so do the ``size`` / ``blobId`` / ``lfs.sha256`` values of
model info and tree listings, so the two can never disagree.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import yaml

from .hf_model import FileSpec, Model

GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in (
        "*.7z",
        "*.bin",
        "*.ckpt",
        "*.h5",
        "*.joblib",
        "*.msgpack",
        "*.onnx",
        "*.ot",
        "*.pkl",
        "*.pt",
        "*.pth",
        "*.safetensors",
        "*.tflite",
        "*.zip",
        "*.gguf",
        "*.mlmodel",
        "*tfevents*",
    )
).encode()

LFS_SUFFIXES = (
    ".bin",
    ".safetensors",
    ".h5",
    ".msgpack",
    ".onnx",
    ".ot",
    ".pt",
    ".pth",
    ".zip",
    ".gguf",
    ".mlmodel",
    ".joblib",
    ".pkl",
    ".ckpt",
    ".tflite",
    ".mp4",
)


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


@dataclass(frozen=True, slots=True)
class FileMeta:
    size: int
    oid: str  # git blob sha1 of what git stores (the content, or the LFS pointer)
    sha256: str | None  # LFS only
    pointer_size: int | None  # LFS only


class _LRU:
    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)


class FileStore:
    """Renders and hashes files; caches hashes generously and bytes sparingly."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._meta = _LRU(200_000)
        self._bytes = _LRU(64)

    def content(self, model: Model, spec: FileSpec, version: int) -> bytes:
        key = (model.id, model.key, spec.path, version)
        data = self._bytes.get(key)
        if data is None:
            data = self._render(model, spec, version)
            self._bytes.put(key, data)
        return data

    def meta(self, model: Model, spec: FileSpec, version: int) -> FileMeta:
        key = (model.id, model.key, spec.path, version)
        meta = self._meta.get(key)
        if meta is None:
            data = self.content(model, spec, version)
            if spec.lfs:
                sha = hashlib.sha256(data).hexdigest()
                pointer = lfs_pointer(sha, len(data))
                meta = FileMeta(len(data), git_blob_sha1(pointer), sha, len(pointer))
            else:
                meta = FileMeta(len(data), git_blob_sha1(data), None, None)
            self._meta.put(key, meta)
        return meta

    def _render(self, model: Model, spec: FileSpec, version: int) -> bytes:
        if spec.path in model.overrides:
            return model.overrides[spec.path]
        rng = random.Random(f"{self.seed}:{model.id}:{spec.path}")
        kind = spec.kind
        if kind == "gitattributes":
            return GITATTRIBUTES
        if kind == "readme":
            return render_readme(model, version).encode()
        if kind == "config":
            return json.dumps(_full_config(model, rng), indent=2).encode() + b"\n"
        if kind == "json":
            return json.dumps(_misc_json(spec.path, rng, spec.size_hint), indent=2).encode() + b"\n"
        if kind == "text":
            words = [f"tok{rng.randrange(10**6)}" for _ in range(max(1, spec.size_hint // 10))]
            return ("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n" + "\n".join(words) + "\n").encode()
        if kind == "safetensors":
            return _safetensors(rng, spec.size_hint)
        return rng.randbytes(max(1, spec.size_hint))


def safetensors_params(size_hint: int) -> int:
    """Number of F32 parameters stored by the generated safetensors file of that size hint."""
    return max(1, (size_hint - 128) // 4)


def _safetensors(rng: random.Random, size_hint: int) -> bytes:
    count = safetensors_params(size_hint)
    tensor = {"dtype": "F32", "shape": [count], "data_offsets": [0, 4 * count]}
    header = json.dumps({"__metadata__": {"format": "pt"}, "weight": tensor}, separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    return len(header).to_bytes(8, "little") + header + rng.randbytes(4 * count)


def _full_config(model: Model, rng: random.Random) -> dict[str, Any]:
    config: dict[str, Any] = dict(model.config or {})
    config.pop("tokenizer_config", None)
    if model.library == "transformers" or "model_type" in config:
        config.update(
            {
                "hidden_size": rng.choice([128, 256, 512, 768, 1024, 2048, 4096]),
                "num_hidden_layers": rng.choice([2, 4, 6, 12, 24, 32]),
                "num_attention_heads": rng.choice([2, 4, 8, 12, 16, 32]),
                "vocab_size": rng.choice([30522, 50265, 32000, 128256, 151936]),
                "torch_dtype": rng.choice(["float32", "float16", "bfloat16"]),
                "transformers_version": f"4.{rng.randrange(20, 50)}.{rng.randrange(0, 3)}",
            }
        )
    elif not config:
        config = {"library_name": model.library, "seed": rng.randrange(1000)}
    return config


def _misc_json(path: str, rng: random.Random, size_hint: int) -> dict[str, Any]:
    name = path.rsplit("/", 1)[-1]
    if name == "tokenizer.json":
        vocab = {f"tok{i}": i for i in range(max(8, size_hint // 14))}
        return {"version": "1.0", "truncation": None, "padding": None, "model": {"type": "WordPiece", "vocab": vocab}}
    if name == "tokenizer_config.json":
        return {"do_lower_case": rng.random() < 0.5, "model_max_length": rng.choice([512, 2048, 4096, 8192])}
    if name == "special_tokens_map.json":
        return {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]"}
    if name == "model_index.json":
        return {
            "_class_name": "StableDiffusionPipeline",
            "_diffusers_version": "0.27.2",
            "unet": ["diffusers", "UNet2DConditionModel"],
            "vae": ["diffusers", "AutoencoderKL"],
            "scheduler": ["diffusers", "PNDMScheduler"],
        }
    if name == "modules.json":
        prefix = "sentence_transformers.models."
        return {
            "modules": [
                {"idx": 0, "name": "0", "path": "", "type": prefix + "Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": prefix + "Pooling"},
            ]
        }
    return {"name": name, "value": rng.randrange(10**6)}


def render_readme(model: Model, version: int) -> str:
    """Model card: YAML front matter (the card data) and a Markdown body."""
    parts: list[str] = []
    if model.card_data:
        parts.append("---\n" + yaml.safe_dump(model.card_data, sort_keys=False, allow_unicode=True) + "---\n")
    name = model.id.split("/")[-1]
    rng = random.Random(model.id)
    base = ""
    if model.base_model:
        parent = model.base_model[1]
        base = f" This model is a fine-tuned version of [{parent}](https://huggingface.co/{parent})."

    task = model.pipeline_tag or "general"
    lr = rng.choice(["2e-05", "5e-05", "3e-04", "1e-04"])
    batch = rng.choice([8, 16, 32, 64])
    epochs = rng.choice([1, 3, 5, 10])
    parts.append(
        f"\n# {name}\n\n{name} is a {task} model shared by {model.author}.{base}\n\n"
        "## Model description\n\nMore information needed\n\n"
        "## Intended uses & limitations\n\nMore information needed\n\n"
        "## Training procedure\n\n### Training hyperparameters\n\n"
        f"The following hyperparameters were used during training:\n- learning_rate: {lr}\n"
        f"- train_batch_size: {batch}\n- seed: {rng.randrange(100)}\n- optimizer: Adam with betas=(0.9,0.999)\n"
        f"- num_epochs: {epochs}\n\n"
        "### Framework versions\n\n"
        f"- Transformers 4.{rng.randrange(20, 50)}.0\n- Pytorch 2.{rng.randrange(0, 5)}.1\n"
        f"- Datasets 2.{rng.randrange(10, 20)}.0\n- Tokenizers 0.{rng.randrange(13, 20)}.1\n\n"
        "## How to use\n\n```python\nfrom transformers import pipeline\n\n"
        f'pipe = pipeline("{task}", model="{model.id}")\nprint(pipe("Hello world"))\n```\n'
    )
    if rng.random() < 0.3:
        parts.append(f"\nCode: https://github.com/{model.author}/{name}\n")
    if version:
        parts.append(f"\n## Changelog\n\n- Revision {version}: updated card.\n")
    return "".join(parts)


def is_lfs_path(path: str) -> bool:
    return path.endswith(LFS_SUFFIXES)
