"""Run the mapping over many checkouts in parallel processes, with per-file time and size limits.

One task = one repository (the analysis follows imports and call sites across its files). Workers
are separate processes (``spawn``), so a pathological file can only cost its own time budget: a
per-file ``SIGALRM`` timer interrupts it, the file is counted and skipped, the repository goes on.
Only regular files are read (a FIFO named ``x.py`` is refused, not waited on). Every file that could not
be analysed is reported with its reason (``RunSummary.file_errors``; ``scrapy map --errors FILE``).
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

from crawler.timelimit import TimeLimitExceeded, time_limit
from mapping.analyzer import Analyzer
from mapping.project import MAX_FILE_BYTES, Project
from mapping.records import CallSite
from mapping.signatures import Signatures, default_signatures, load_signatures

DEFAULT_FILE_TIMEOUT = 20.0


@dataclass(frozen=True)
class RepoTask:
    """A checkout to analyse and the name to report it under."""

    root: str
    name: str


@dataclass
class RepoResult:
    task: RepoTask
    records: list[CallSite]
    stats: Counter[str] = field(default_factory=Counter)
    error: str | None = None
    file_errors: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def repo_name_from_git(root: Path) -> str | None:
    """``owner/name`` from the checkout's ``origin`` remote (read from .git/config, git never runs)."""
    config = root / ".git" / "config"
    if not config.is_file():
        return None
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string(config.read_text(encoding="utf-8", errors="replace"))
    except configparser.Error:
        return None
    sections = [s for s in parser.sections() if s.startswith("remote")]
    sections.sort(key=lambda s: s != 'remote "origin"')
    for section in sections:
        url = parser.get(section, "url", fallback="")
        m = re.search(r"[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", url.strip())
        if m:
            return f"{m.group(1)}/{m.group(2)}"
    return None


def task_for(path: str | Path, name: str | None = None) -> RepoTask:
    root = Path(path).resolve()
    return RepoTask(str(root), name or repo_name_from_git(root) or root.name)


@contextmanager
def _file_timer(project: Project, rel: str, seconds: float) -> Iterator[None]:
    """Stop the analysis of one file after ``seconds``; the file is reported and the repository goes on."""
    try:
        with time_limit(seconds):
            yield
    except TimeLimitExceeded:
        project.fail(rel, "files_timed_out", f"timed out after {seconds:g} s")


def _clear_astroid_caches() -> None:
    from astroid.context import _invalidate_cache
    from astroid.inference_tip import clear_inference_tip_cache

    clear_inference_tip_cache()
    _invalidate_cache()


def analyse_repo(
    task: RepoTask,
    signatures: Signatures | None = None,
    file_timeout: float = DEFAULT_FILE_TIMEOUT,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> RepoResult:
    """Analyse one checkout (in the calling process)."""
    sig = signatures or default_signatures()
    project = Project(task.root, sig, name=task.name, max_file_bytes=max_file_bytes)
    try:
        records = Analyzer(project).analyse(lambda rel: _file_timer(project, rel, file_timeout))
    except Exception as exc:  # one broken repository must not stop a run of thousands
        return RepoResult(task, [], project.stats, f"{type(exc).__name__}: {exc}", project.file_errors)
    finally:
        project.release()
        _clear_astroid_caches()
    stats = Counter(project.stats)
    stats["files"] += len(project.files)
    return RepoResult(task, records, stats, file_errors=project.file_errors)


_worker_signatures: Signatures | None = None


def _init_worker(signatures_path: str | None) -> None:
    global _worker_signatures
    _worker_signatures = load_signatures(signatures_path) if signatures_path else default_signatures()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4000))


def _work(task: RepoTask, file_timeout: float, max_file_bytes: int) -> RepoResult:
    return analyse_repo(task, _worker_signatures, file_timeout, max_file_bytes)


@dataclass
class RunSummary:
    repos: int = 0
    seconds: float = 0.0
    stats: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    file_errors: list[dict[str, str]] = field(default_factory=list)  # {"repo", "file", "reason"}

    def line(self) -> str:
        s = self.stats
        rate = s["files"] / self.seconds if self.seconds else 0.0
        return (
            f"mapped {self.repos} repositories, {s['files']} files ({s['parsed']} parsed, "
            f"{s['unparsable']} unparsable, {s['too_large']} too large, {s['files_timed_out']} timed out, "
            f"{s['vendored_dirs_skipped']} vendored dirs skipped), {s['call_sites']} call sites, "
            f"{s['with_ptm']} with a model id, {rate:.0f} files/s"
        )


def run(
    tasks: Iterable[RepoTask],
    workers: int = 2,
    file_timeout: float = DEFAULT_FILE_TIMEOUT,
    max_file_bytes: int = MAX_FILE_BYTES,
    signatures_path: str | None = None,
    progress: TextIO | None = sys.stderr,
    summary: RunSummary | None = None,
) -> Iterator[RepoResult]:
    """Analyse ``tasks``; yield each repository's result as soon as it is done."""
    tasks = list(tasks)
    summary = summary if summary is not None else RunSummary()
    start = time.monotonic()

    def account(result: RepoResult) -> RepoResult:
        summary.repos += 1
        summary.stats.update(result.stats)
        summary.stats["call_sites"] += len(result.records)
        summary.stats["with_ptm"] += sum(1 for r in result.records if r.ptm)
        if result.error:
            summary.errors.append(f"{result.task.name}: {result.error}")
            summary.stats["repos_failed"] += 1
        summary.file_errors += [{"repo": result.task.name, "file": f, "reason": r} for f, r in result.file_errors]
        summary.seconds = time.monotonic() - start
        if progress is not None:
            progress.write(f"[map] {summary.repos}/{len(tasks)} {result.task.name}: {summary.line()}\n")
            progress.flush()
        return result

    if workers <= 1 or len(tasks) <= 1:
        _init_worker(signatures_path)
        for task in tasks:
            yield account(_work(task, file_timeout, max_file_bytes))
        return
    ctx = get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(signatures_path,)
    ) as pool:
        futures = [pool.submit(_work, t, file_timeout, max_file_bytes) for t in tasks]
        for fut in as_completed(futures):
            yield account(fut.result())


def discover_checkouts(paths: Iterable[str | Path]) -> tuple[list[RepoTask], list[str]]:
    """Each PATH is one checkout: (tasks, one "PATH: reason" line per PATH that is not a directory)."""
    out, bad = [], []
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            bad.append(f"{p}: {'not a directory' if path.exists() else 'no such directory'}")
            continue
        out.append(task_for(path))
    return out, bad


def snapshot_checkouts(store: str | Path) -> list[RepoTask]:
    """Clones laid out as ``<store>/git/<owner>/<name>``, reported as ``owner/name``."""
    base = Path(store) / "git"
    if not base.is_dir():
        return []
    out = []
    for owner in sorted(p for p in base.iterdir() if p.is_dir()):
        for repo in sorted(p for p in owner.iterdir() if p.is_dir()):
            out.append(RepoTask(str(repo.resolve()), f"{owner.name}/{repo.name}"))
    return out


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def space_snapshots(store: str | Path, revisions: dict[str, str], workdir: str | Path) -> dict[str, RepoTask]:
    """Space files from the snapshot store laid out as checkouts under ``workdir``: {space id: task}.

    Each Space's manifest (``manifests/spaces/<id>/<revision>.json``) names its stored files by sha256; they are
    copied to ``<workdir>/<id>/<path>`` so the analysis reads them like a clone (imports between modules included).
    A Space whose manifest is missing is left out (its snapshot is not in this store).
    """
    # Imported here: spawned workers import this module, and need neither Scrapy's pipelines nor huggingface_hub.
    from crawler.hf.snapshot_policy import safe_repo_path
    from pipelines.snapshot import object_path

    base, out = Path(store), {}
    for space_id, revision in sorted(revisions.items()):
        manifest = base / "manifests" / "spaces" / space_id / f"{revision}.json"
        if not safe_repo_path(space_id) or not manifest.is_file():
            continue
        root = Path(workdir) / space_id
        for path, entry in json.loads(manifest.read_text(encoding="utf-8")).get("files", {}).items():
            source = base / object_path(str(entry.get("sha256")))
            if safe_repo_path(path) and source.is_file():
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, root / path)
        root.mkdir(parents=True, exist_ok=True)
        out[space_id] = RepoTask(str(root.resolve()), f"spaces/{space_id}")
    return out
