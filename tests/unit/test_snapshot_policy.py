"""Which files a snapshot keeps, and which repository paths are refused."""

from __future__ import annotations

from huggingface_hub.hf_api import BlobLfsInfo, RepoSibling

from crawler.hf.snapshot_policy import plan_files, safe_repo_path


def _sib(name: str, size: int | None = 100, lfs: bool = False) -> RepoSibling:
    info = BlobLfsInfo(size=size, sha256="a" * 64, pointer_size=130) if lfs else None
    return RepoSibling(rfilename=name, size=size, blob_id="b" * 40, lfs=info)


def _plan(siblings: list[RepoSibling], **kwargs) -> dict[str, tuple[str, str | None]]:
    plan = plan_files(siblings, endpoint="http://hub", repo_id="o/m", revision="c" * 40, **kwargs)
    return {p["path"]: (p["action"], p["reason"]) for p in plan}


def test_unsafe_paths_are_rejected() -> None:
    for bad in ["../../etc/passwd", "/abs/path", "a/../../x", "a//b", "./a", "a\\b", "~/x", "a\x00b", ""]:
        assert not safe_repo_path(bad), bad
    for good in ["README.md", "onnx/model.onnx", ".gitattributes", "a/b/c..d.txt"]:
        assert safe_repo_path(good), good
    plan = _plan([_sib("../../etc/passwd"), _sib("README.md")])
    assert plan["../../etc/passwd"] == ("reject", "unsafe path")
    assert plan["README.md"] == ("fetch", None)


def test_small_policy_skips_weights_and_big_files() -> None:
    siblings = [
        _sib("README.md"),
        _sib("config.json"),
        _sib("model.safetensors", 5000, lfs=True),
        _sib("big.txt", 11 * 1024 * 1024),
        _sib("unknown-size.json", None),
    ]
    plan = _plan(siblings)
    assert plan["README.md"][0] == plan["config.json"][0] == plan["unknown-size.json"][0] == "fetch"
    assert plan["model.safetensors"] == ("skip", "weights")
    assert plan["big.txt"] == ("skip", "size")
    assert {a for a, _ in _plan(siblings, policy="none").values()} == {"skip"}
    assert {a for a, _ in _plan(siblings, policy="all").values()} == {"fetch"}


def test_patterns_as_snapshot_download() -> None:
    siblings = [_sib("README.md"), _sib("model.safetensors", 5000, lfs=True), _sib("tokenizer.json")]
    plan = _plan(siblings, allow_patterns=["*.safetensors", "*.md"])
    assert plan["model.safetensors"] == ("fetch", None)  # explicitly asked for: weights and all
    assert plan["tokenizer.json"] == ("skip", "pattern")
    plan = _plan(siblings, ignore_patterns=["*.json"])
    assert plan["tokenizer.json"] == ("skip", "pattern") and plan["README.md"][0] == "fetch"
