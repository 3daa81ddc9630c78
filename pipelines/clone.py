"""Clones repositories into ``<SNAPSHOT_STORE>/git/<owner>/<name>`` with GitPython, off the reactor thread.

For each GithubCloneItem: the default branch with its full history (``GITHUB_CLONE_DEPTH`` > 0 for a shallow
clone), no submodules unless ``GITHUB_CLONE_SUBMODULES``, repositories larger than ``GITHUB_CLONE_MAX_KB`` (API
``size``, then measured on disk) refused, every git command killed after ``GITHUB_CLONE_TIMEOUT`` seconds. An
existing clone is fetched and moved to the fetched head instead of cloned again.

Hooks never run: clones use an empty template (no sample hooks copied) and ``core.hooksPath`` pointing at an empty
folder, for the clone and for every later command. Only https/http/file URLs are accepted (``ext::`` and the like
run commands); a new clone is made in a ``.partial`` folder and renamed when complete, so the store never holds
half a clone. Nothing cloned is executed or imported.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

from crawler.github.items import GithubCloneItem
from crawler.github.parse import valid_full_name

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("https", "http", "file")


class CloneError(Exception):
    pass


def clone_root(store: str) -> Path | None:
    """``<store>/git`` for a local store (a path or file:// URI); None for remote stores (s3://, gs://)."""
    parts = urlsplit(store)
    if parts.scheme in ("", "file"):
        return Path(parts.path if parts.scheme else store) / "git"
    if len(parts.scheme) == 1:  # a Windows drive letter
        return Path(store) / "git"
    return None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_ALLOW_PROTOCOL=":".join(ALLOWED_SCHEMES),
        GIT_LFS_SKIP_SMUDGE="1",
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def _tree_kb(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) // 1024


class Cloner:
    """The git side, synchronous (runs in a worker thread)."""

    def __init__(self, root: Path, depth: int, submodules: bool, max_kb: int, timeout: float) -> None:
        self.root = root
        self.depth, self.submodules, self.max_kb, self.timeout = depth, submodules, max_kb, timeout
        self.empty = root / ".empty"  # template and hooks folder: nothing in it, ever

    def _git(self, args: list[str], cwd: Path | None = None) -> str:
        import git  # GitPython: imported by the first clone, not by every crawl's start-up

        command = ["git", "-c", f"core.hooksPath={self.empty}", "-c", "submodule.recurse=false", *args]
        try:
            return git.Git(str(cwd) if cwd else None).execute(
                command, kill_after_timeout=self.timeout, env=_env(), with_extended_output=False
            )
        except git.GitCommandError as exc:
            raise CloneError(f"git {args[0]} failed ({exc.status}): {str(exc.stderr).strip()[-300:]}") from exc

    def run(self, item: GithubCloneItem) -> None:
        """Clone or fetch ``item``; fills status, head, path and reason."""
        import git

        if not valid_full_name(item.full_name):
            item.status, item.reason = "refused", "bad repository name"
            return
        scheme = urlsplit(item.clone_url or "").scheme
        if scheme not in ALLOWED_SCHEMES:
            item.status, item.reason = "refused", f"clone URL scheme {scheme!r} not allowed"
            return
        if item.size_kb is not None and item.size_kb > self.max_kb:
            item.status, item.reason = "too_large", f"API size {item.size_kb} KB > {self.max_kb} KB"
            return
        self.empty.mkdir(parents=True, exist_ok=True)
        dest = self.root / item.full_name
        item.path = str(dest.relative_to(self.root.parent))
        try:
            if (dest / ".git").is_dir():
                if not item.refresh:
                    item.status = "present"
                else:
                    self._fetch(dest, item.default_branch)
                    item.status = "fetched"
            else:
                self._clone(item.clone_url or "", dest, item.default_branch)
                item.status = "cloned"
            size = _tree_kb(dest)
            if size > self.max_kb:
                shutil.rmtree(dest, ignore_errors=True)
                item.status, item.reason, item.path = "too_large", f"{size} KB on disk > {self.max_kb} KB", None
                return
            item.head = git.Repo(dest).head.commit.hexsha
        except (CloneError, git.GitError, OSError, ValueError) as exc:
            item.status, item.reason = "failed", str(exc)[-500:]

    def _clone(self, url: str, dest: Path, branch: str | None) -> None:
        partial = dest.with_name(dest.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.parent.mkdir(parents=True, exist_ok=True)
        args = ["clone", "--single-branch", f"--template={self.empty}"]
        args.append("--recurse-submodules" if self.submodules else "--no-recurse-submodules")
        if branch:
            args += ["--branch", branch]
        if self.depth > 0:
            args += ["--depth", str(self.depth)]
        try:
            self._git([*args, "--", url, str(partial)])
            self._git(["config", "core.hooksPath", str(self.empty)], cwd=partial)
            shutil.rmtree(dest, ignore_errors=True)
            partial.rename(dest)
        finally:
            shutil.rmtree(partial, ignore_errors=True)

    def _fetch(self, dest: Path, branch: str | None) -> None:
        args = ["fetch", "--no-recurse-submodules", "--no-tags", "origin"]
        if self.depth > 0:
            args += ["--depth", str(self.depth)]
        if branch:
            args.append(branch)
        self._git(args, cwd=dest)
        self._git(["reset", "--hard", "--quiet", "FETCH_HEAD"], cwd=dest)


class ClonePipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.enabled = settings.getbool("GITHUB_CLONE")
        root = clone_root(settings.get("SNAPSHOT_STORE"))
        self.cloner = (
            Cloner(
                root,
                depth=settings.getint("GITHUB_CLONE_DEPTH"),
                submodules=settings.getbool("GITHUB_CLONE_SUBMODULES"),
                max_kb=settings.getint("GITHUB_CLONE_MAX_KB"),
                timeout=settings.getfloat("GITHUB_CLONE_TIMEOUT"),
            )
            if root is not None
            else None
        )
        self.slots = asyncio.Semaphore(max(1, settings.getint("GITHUB_CLONE_CONCURRENCY")))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClonePipeline:
        return cls(crawler)

    async def process_item(self, item: object) -> object:
        if not isinstance(item, GithubCloneItem):
            return item
        if not self.enabled or self.cloner is None:
            item.status = "disabled"
            item.reason = None if self.enabled else "GITHUB_CLONE is off"
            return item
        async with self.slots:
            await asyncio.to_thread(self.cloner.run, item)
        self.crawler.stats.inc_value(f"github/clone/{item.status}")
        if item.status in ("failed", "refused", "too_large"):
            logger.warning("Clone of %s not stored (%s): %s", item.full_name, item.status, item.reason)
        else:
            logger.info("Clone of %s %s at %s", item.full_name, item.status, (item.head or "")[:12])
        return item
