"""Which files of a model revision the snapshot keeps, and which repository paths are safe to record at all."""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import quote

from huggingface_hub.utils import filter_repo_objects

POLICIES = ("none", "small", "all")

# Weight and other large binary formats: fetched only with policy "all" or an explicit allow pattern.
WEIGHT_SUFFIXES = (
    ".bin", ".safetensors", ".pt", ".pth", ".ckpt", ".h5", ".msgpack", ".onnx", ".ot", ".gguf", ".ggml",
    ".tflite", ".mlmodel", ".pb", ".npz", ".npy", ".pkl", ".pickle", ".joblib", ".keras", ".weights",
    ".mar", ".nemo", ".engine", ".plan", ".zip", ".tar", ".gz", ".7z",
)  # fmt: skip


def safe_repo_path(path: Any) -> bool:
    """A sibling path we may store: relative, normalised, no ``..``, no backslashes or control characters."""
    if not isinstance(path, str) or not path or len(path) > 1024:
        return False
    if path.startswith(("/", "~")) or "\\" in path or any(ord(c) < 32 for c in path):
        return False
    parts = path.split("/")
    return ".." not in parts and "." not in parts and "" not in parts and posixpath.normpath(path) == path


def plan_files(
    siblings: list[Any],
    *,
    endpoint: str,
    repo_id: str,
    revision: str,
    policy: str = "small",
    max_size: int = 10 * 1024 * 1024,
    allow_patterns: list[str] | None = None,
    ignore_patterns: list[str] | None = None,
) -> list[dict[str, Any]]:
    """One entry per sibling (``crawler.hf.parse.Sibling``, or huggingface_hub's ``RepoSibling``: the same fields)
    with the action to take and why.

    Patterns follow huggingface_hub's ``snapshot_download`` (fnmatch, through its ``filter_repo_objects``). An
    explicit ``allow_patterns`` match is fetched whatever the policy's size and weight rules say.
    """
    names = [s.rfilename for s in siblings]
    allowed = set(filter_repo_objects(names, allow_patterns=allow_patterns, ignore_patterns=ignore_patterns))
    explicitly_allowed = set(filter_repo_objects(names, allow_patterns=allow_patterns)) if allow_patterns else set()
    plan = []
    for sibling in siblings:
        path = sibling.rfilename
        lfs = sibling.lfs
        entry: dict[str, Any] = {
            "path": path,
            "size": sibling.size,
            "git_oid": sibling.blob_id,
            "lfs_sha256": lfs.sha256 if lfs else None,
            "url": f"{endpoint}/{repo_id}/resolve/{revision}/{quote(path)}",
        }
        if not safe_repo_path(path):
            entry.update(action="reject", reason="unsafe path", url=None)
        elif path not in allowed:
            entry.update(action="skip", reason="pattern")
        elif path in explicitly_allowed or policy == "all":
            entry.update(action="fetch", reason=None)
        elif policy == "none":
            entry.update(action="skip", reason="policy none")
        elif path.lower().endswith(WEIGHT_SUFFIXES):
            entry.update(action="skip", reason="weights")
        elif sibling.size is not None and sibling.size > max_size:
            entry.update(action="skip", reason="size")
        else:
            entry.update(action="fetch", reason=None)
        plan.append(entry)
    return plan
