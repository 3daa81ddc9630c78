"""Real bare git repositories of the fake GitHub world, written with ``git fast-import`` at start-up.

One ``git init --bare`` makes a template that is copied per repository, then one ``git fast-import`` per repository
writes its commits (``Repo.history``; a file also changed by a later commit first holds only its first line) and
extra refs (``v*`` = tags, others = branches).  About 10 ms per repository.  The folder is removed at exit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .github_model import Repo

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def fast_import_stream(repo: Repo) -> bytes:
    """The fast-import commands that write ``repo``'s history on its default branch."""
    out: list[bytes] = []
    n = len(repo.history)
    span = max(1, repo.pushed_ts - repo.created_ts)
    author = f"{repo.owner.login} <{repo.owner.id}+{repo.owner.login}@users.noreply.github.com>".encode()
    for k, (message, paths) in enumerate(repo.history):
        ts = repo.created_ts + span * k // max(1, n - 1) if n > 1 else repo.pushed_ts
        out.append(b"commit refs/heads/%s\nmark :%d\n" % (repo.default_branch.encode(), k + 1))
        out.append(b"author %s %d +0000\ncommitter %s %d +0000\n" % (author, ts, author, ts))
        out.append(_data(message.encode() + b"\n"))
        if k:
            out.append(b"from :%d\n" % k)
        for path in paths:
            content = repo.files.get(path)
            if content is None:
                continue
            later = any(path in p for _, p in repo.history[k + 1 :])
            if later:
                content = content.split(b"\n", 1)[0] + b"\n"
            out.append(b"M 100644 inline %s\n" % path.encode())
            out.append(_data(content))
        out.append(b"\n")
    for ref in repo.refs:
        kind = "tags" if ref[:1] == "v" and ref[1:2].isdigit() else "heads"
        out.append(b"reset refs/%s/%s\nfrom :%d\n\n" % (kind.encode(), ref.encode(), n))
    return b"".join(out)


class GitStore:
    """A temporary folder of bare repositories ``<owner>/<name>.git`` (removed at interpreter exit)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fakehub-github-"))
        atexit.register(self.remove)
        self._template = self.root / ".template.git"
        subprocess.run(
            ["git", "init", "--bare", "-q", str(self._template)], check=True, env=GIT_ENV, capture_output=True
        )

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def build(self, repos: list[Repo], workers: int = 4) -> None:
        """Write every repository; sets ``repo.clone_path`` and ``repo.head_sha``."""
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(self._build_one, repos))

    def _build_one(self, repo: Repo) -> None:
        path = self.root / repo.owner.login / f"{repo.name}.git"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self._template, path)
        (path / "HEAD").write_text(f"ref: refs/heads/{repo.default_branch}\n")
        marks = path / "fakehub-marks"
        subprocess.run(
            ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks}"],
            input=fast_import_stream(repo) + b"done\n",
            cwd=path,
            check=True,
            env={**GIT_ENV, "GIT_DIR": str(path)},
            capture_output=True,
        )
        shas = dict(line.split() for line in marks.read_text().splitlines() if line.strip())
        repo.head_sha = shas.get(f":{len(repo.history)}", "")
        marks.unlink()
        repo.clone_path = str(path)
