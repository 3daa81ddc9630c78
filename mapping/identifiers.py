"""Decide whether a string passed to a loader names a hub model, a local path or a placeholder.

Everything here is a pure function of the string (plus the repository's directory names), so it is
easy to test and to reason about. The reasons returned are reported to users verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Collection

HF_PREFIXES = ("hf_hub:", "hf-hub:", "hf://")
_HF_URL = re.compile(
    r"^https?://(?:www\.)?(?:huggingface\.co|hf\.co)/(?!datasets/|spaces/|docs/|api/|blog/)"
    r"([A-Za-z0-9][\w.-]*)(?:/([A-Za-z0-9][\w.-]*))?(?:/|$|\?|#)"
)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
# A Hub repo id: an optional owner, then a name; at most 96 characters per part.
_HUB_ID = re.compile(r"^(?:[A-Za-z0-9][\w.-]{0,95}/)?[A-Za-z0-9][\w.-]{0,95}$")
_FILE_EXT = re.compile(
    r"\.(pt|pth|bin|ckpt|safetensors|h5|hdf5|onnx|pkl|pickle|json|ya?ml|zip|gz|tar|tgz|npz|npy|pb|"
    r"tflite|txt|cfg|msgpack|joblib|keras|params|th|model|index|meta|csv|tsv|py|ipynb|mlmodel|engine|"
    r"trt|gguf|ggml|nemo|mar|pdparams|caffemodel)$",
    re.I,
)
_LOCAL_DIRS = frozenset(
    """checkpoints checkpoint ckpt ckpts output outputs models model saved_models saved_model save saves
    saved weights pretrained pretrained_models pretrained_model pretrain runs results result data dataset
    datasets cache caches logs log tmp temp exp exps experiments local assets resources artifacts
    trained_models trained_model finetuned fine_tuned finetuned_models out src lib ckp storage work
    workdir work_dir mnt home root content drive""".split()
)
_PLACEHOLDER_WORDS = frozenset(
    """model models name model_name model_path model_dir model_id modelname path dir checkpoint
    checkpoints pretrained pretrained_model none null nil default base test tests foo bar baz xxx xx
    yyy tmp temp output outputs your_model my_model my-model mymodel your-model example sample demo
    dummy placeholder todo fixme tbd unknown string str model_name_or_path pretrained_model_name_or_path
    repo_id hub_model_id model-name model_type model_checkpoint ckpt weights local custom""".split()
)
_PLACEHOLDER_PARTS = (
    "path/to",
    "path_to",
    "your_",
    "your-",
    "yourname",
    "your/",
    "username/",
    "user-name/",
    "user_name/",
    "<",
    ">",
    "xxx",
    "placeholder",
    "insert_",
    "insert-",
    "my_username",
    "my-username",
    "org/model",
    "owner/",
    "organization/",
    "repo_name",
    "repo-name",
    "model_id_here",
)


def strip_hf_prefix(value: str) -> str | None:
    """The Hub id inside an ``hf_hub:``/``hf-hub:``/``hf://`` name, else None."""
    for prefix in HF_PREFIXES:
        if value.startswith(prefix):
            rest = value[len(prefix) :].strip("/")
            return rest or None
    return None


def hub_id_from_url(value: str) -> str | None:
    """``https://huggingface.co/owner/name/...`` -> ``owner/name``."""
    m = _HF_URL.match(value)
    if not m:
        return None
    owner, name = m.group(1), m.group(2)
    if name in {None, "resolve", "blob", "tree", "raw"}:
        return owner
    return f"{owner}/{name}"


def looks_like_url(value: str) -> bool:
    return bool(_URL.match(value)) or value.startswith("www.")


def is_local_path(value: str, local_dirs: Collection[str] = ()) -> bool:
    """True for strings that name a file or directory rather than a hub model."""
    v = value.strip()
    if v in {".", ".."} or v.startswith(("./", "../", "/", "~", ".\\", "..\\", "\\", "$")):
        return True
    if "\\" in v or re.match(r"^[A-Za-z]:[\\/]", v):
        return True
    if _FILE_EXT.search(v.rstrip("/")):
        return True
    parts = [p for p in v.split("/")]
    if len(parts) > 2 or (len(parts) == 2 and not parts[1]):
        return True
    if len(parts) == 2 and parts[0].lower() in _LOCAL_DIRS:
        return True
    return v.rstrip("/") in local_dirs or parts[0] in local_dirs and len(parts) == 2


def is_placeholder(value: str) -> bool:
    """Empty strings, template holes and obvious stand-ins such as ``path/to/model``."""
    v = value.strip()
    if not v:
        return True
    low = v.lower()
    if any(c in v for c in "{}$%*?|,;'\"`") or re.search(r"\s", v):
        return True
    if low in _PLACEHOLDER_WORDS or low.strip("_-.") in _PLACEHOLDER_WORDS:
        return True
    if any(part in low for part in _PLACEHOLDER_PARTS):
        return True
    if re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", v) and "_" in v:
        return True  # an environment-variable or constant name written as a string
    return bool(re.fullmatch(r"\.+|-+|_+", v))


def classify_hub_id(value: str, local_dirs: Collection[str] = ()) -> tuple[str | None, str | None]:
    """(identifier, None) for a Hub repo id, (None, reason) otherwise."""
    v = value.strip()
    if not v:
        return None, "empty string"
    inner = strip_hf_prefix(v)
    if inner is not None:
        v = inner
    elif looks_like_url(v):
        hub = hub_id_from_url(v)
        if hub and _HUB_ID.match(hub):
            return hub, None
        return None, "URL outside the Hugging Face Hub"
    if is_local_path(v, local_dirs):
        return None, "local path"
    if is_placeholder(v):
        return None, "placeholder"
    v = v.rstrip("/")
    pinned = re.fullmatch(r"([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)@[\w.\-]+", v)
    if pinned:  # pyannote-style "owner/name@revision"
        v = pinned.group(1)
    if not _HUB_ID.match(v) or ".." in v or "--" in v or v.endswith((".", "-")):
        return None, "not a model identifier"
    return v, None


def classify_name(
    value: str, valid: re.Pattern[str] | None = None, local_dirs: Collection[str] = ()
) -> tuple[str | None, str | None]:
    """Registry names (timm, spaCy, torchvision builders, CLIP names): a token, not a path."""
    v = value.strip()
    if not v:
        return None, "empty string"
    if looks_like_url(v):
        return None, "URL, not a registry name"
    if (
        v.startswith(("./", "../", "/", "~", "\\"))
        or "\\" in v
        or _FILE_EXT.search(v)
        or v.count("/") > 1
        or v.rstrip("/") in local_dirs
    ):
        return None, "local path"
    if valid is not None:
        if not valid.fullmatch(v):
            return None, "not a known name for this library"
        return v, None
    if is_placeholder(v):
        return None, "placeholder"
    if not re.fullmatch(r"[A-Za-z0-9][\w.\-/@:+]*", v):
        return None, "not a model identifier"
    return v, None


def split_torchhub_repo(value: str, local_dirs: Collection[str] = ()) -> tuple[str | None, str | None]:
    """``owner/repo[:ref]`` -> (``owner/repo``, None); paths and junk -> (None, reason)."""
    v = value.strip()
    if not v:
        return None, "empty string"
    if looks_like_url(v):
        m = re.match(r"^https?://(?:www\.)?github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", v)
        if m:
            return f"{m.group(1)}/{m.group(2)}", None
        return None, "URL, not a torch.hub repository"
    if v.startswith(("./", "../", "/", "~", "\\", ".")) or "\\" in v or v.rstrip("/") in local_dirs:
        return None, "local path"
    repo = v.split(":", 1)[0]
    if not re.fullmatch(r"[A-Za-z0-9][\w.-]*/[A-Za-z0-9_.-]+", repo):
        return None, "local path" if "/" in repo or repo in local_dirs else "not a torch.hub repository"
    if is_placeholder(repo):
        return None, "placeholder"
    return repo, None
