"""One checked-out repository as the analyzer sees it: its files, modules and import resolution.

Files are read and parsed lazily (most files of a repository never need an AST). Module names are
derived from paths and prefixed with a per-project token, so two repositories that both have a
``config.py`` never meet in astroid's module cache.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from astroid import nodes
from astroid.builder import AstroidBuilder
from astroid.exceptions import AstroidError
from astroid.manager import AstroidManager

from mapping.notebooks import notebook_code
from mapping.signatures import Signatures

MAX_FILE_BYTES = 1_000_000
MAX_NOTEBOOK_BYTES = 20_000_000
_counter = itertools.count()

# Directories that hold environments, caches or build copies, never the project's own usage.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "site-packages",
        "dist-packages",
        "node_modules",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ipynb_checkpoints",
        ".eggs",
        "build",
        "dist",
        ".cache",
    }
)


def _is_venv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file() or (path / "bin" / "activate").is_file()


def _is_vendored_library(path: Path, name: str, signatures: Signatures) -> bool:
    """A copy of a library's own sources (``transformers/`` with an ``__init__.py``) is not usage."""
    return name in signatures.import_names and (path / "__init__.py").is_file()


def list_source_files(root: Path, signatures: Signatures) -> tuple[list[str], list[str], int]:
    """(.py/.ipynb files, directories, vendored directories skipped), as sorted relative posix paths."""
    files: list[str] = []
    dirs: list[str] = []
    vendored = 0
    root = Path(root)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            sub = here / d
            if d in SKIP_DIRS or d.endswith(".egg-info") or sub.is_symlink():
                continue
            if _is_venv(sub):
                continue
            if _is_vendored_library(sub, d, signatures):
                vendored += 1
                continue
            keep.append(d)
            dirs.append(sub.relative_to(root).as_posix())
        dirnames[:] = keep
        for f in filenames:
            if f.endswith((".py", ".ipynb")):
                p = here / f
                if not p.is_symlink():  # FIFOs and devices stay listed: Project.text refuses them with a reason
                    files.append(p.relative_to(root).as_posix())
    return sorted(files), sorted(dirs), vendored


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; OSError (with the reason) for anything else.

    Opened without blocking and without following a symlink, then checked on the open descriptor: a FIFO named
    `x.py` would otherwise block the reader forever, before any timer runs."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file (mode {stat.filemode(info.st_mode)})")
        if info.st_size > limit:
            raise FileTooLarge(f"{info.st_size} bytes, over the {limit}-byte limit")
        return fh.read(limit + 1)


class FileTooLarge(OSError):
    pass


def dotted_name(rel: str) -> str:
    """``pkg/sub/mod.py`` -> ``pkg.sub.mod``; ``pkg/__init__.py`` -> ``pkg``; notebooks keep a suffix."""
    if rel.endswith(".ipynb"):
        return rel[: -len(".ipynb")].replace("/", ".") + "_ipynb"
    stem = rel[: -len(".py")] if rel.endswith(".py") else rel
    parts = stem.split("/")
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


class Project:
    """The files of one repository and lazily built astroid modules for them."""

    def __init__(
        self,
        root: str | Path,
        signatures: Signatures,
        name: str | None = None,
        files: Iterable[str] | None = None,
        dirs: Iterable[str] | None = None,
        max_file_bytes: int = MAX_FILE_BYTES,
    ) -> None:
        self.root = Path(root).resolve()
        self.name = name or self.root.name
        self.sig = signatures
        self.stats: Counter[str] = Counter()
        self.file_errors: list[tuple[str, str]] = []  # (file, reason) of each file that could not be analysed
        if files is None:
            found, found_dirs, vendored = list_source_files(self.root, signatures)
            self.files = found
            dirs = found_dirs if dirs is None else dirs
            self.stats["vendored_dirs_skipped"] += vendored
        else:
            self.files = sorted(files)
        all_dirs = set(dirs or ())
        self.local_dirs = frozenset(all_dirs | {d.rsplit("/", 1)[-1] for d in all_dirs})
        self.max_file_bytes = max_file_bytes
        self.token = f"__mapping{next(_counter)}__"
        self.by_modname: dict[str, str] = {}
        for rel in self.files:
            if rel.endswith(".py"):
                self.by_modname.setdefault(dotted_name(rel), rel)
        self._texts: dict[str, str | None] = {}
        self._modules: dict[str, nodes.Module | None] = {}
        self._rel_of_file: dict[str, str] = {str(self.root / r): r for r in self.files}
        self.line_maps: dict[str, list[int]] = {}
        self._mentions: dict[str, list[str]] = {}

    # -- files -----------------------------------------------------------------------------------
    def text(self, rel: str) -> str | None:
        if rel not in self._texts:
            path = self.root / rel
            limit = MAX_NOTEBOOK_BYTES if rel.endswith(".ipynb") else self.max_file_bytes
            self._texts[rel] = None
            try:
                self._texts[rel] = read_regular(path, limit).decode("utf-8", errors="replace")
            except FileTooLarge as exc:
                self.fail(rel, "too_large", f"too large: {exc}")
            except OSError as exc:
                self.fail(rel, "unreadable", f"unreadable: {exc.strerror or exc}")
        return self._texts[rel]

    def fail(self, rel: str, kind: str, reason: str) -> None:
        """Count a file that could not be analysed under `kind` and keep its reason."""
        self.stats[kind] += 1
        self.file_errors.append((rel, reason))

    def files_mentioning(self, word: str) -> list[str]:
        """Files whose text contains ``word`` as a whole word (cheap pre-filter before parsing)."""
        if word not in self._mentions:
            rx = re.compile(r"\b" + re.escape(word) + r"\b")
            self._mentions[word] = [r for r in self.files if (t := self.text(r)) and rx.search(t)]
        return self._mentions[word]

    def line_of(self, rel: str, lineno: int) -> int:
        """Line in the raw file (notebooks: the line of the cell source in the .ipynb JSON)."""
        lines = self.line_maps.get(rel)
        if lines is None:
            return lineno
        if 1 <= lineno <= len(lines):
            return lines[lineno - 1]
        return lines[-1] if lines else lineno

    # -- modules ---------------------------------------------------------------------------------
    def module(self, rel: str) -> nodes.Module | None:
        """The astroid module of ``rel`` (None when it cannot be read or parsed)."""
        if rel in self._modules:
            return self._modules[rel]
        self._modules[rel] = None  # guards against import cycles while building
        text = self.text(rel)
        if text is None:
            return None
        if rel.endswith(".ipynb"):
            extracted = notebook_code(text)
            if extracted is None:
                self.fail(rel, "unparsable", "unparsable: not a readable notebook")
                return None
            code, lines = extracted
            self.line_maps[rel] = lines
        else:
            code = text
        modname = f"{self.token}.{dotted_name(rel)}"
        try:
            module = AstroidBuilder(AstroidManager()).string_build(code, modname, str(self.root / rel))
        except (AstroidError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            self.fail(
                rel,
                "unparsable",
                f"unparsable: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300],
            )
            return None
        self.stats["parsed"] += 1
        self._modules[rel] = module
        return module

    def rel_of(self, module: nodes.Module) -> str | None:
        return self._rel_of_file.get(module.file or "")

    def resolve_module(self, name: str, from_rel: str | None = None, level: int = 0) -> str | None:
        """The repository file that an import of ``name`` from ``from_rel`` refers to, if any."""
        if level:
            if from_rel is None:
                return None
            base = dotted_name(from_rel).split(".")
            if not from_rel.endswith("__init__.py"):
                base = base[:-1]
            if level - 1:
                base = base[: -(level - 1)] if level - 1 <= len(base) else []
            full = ".".join([*base, *([name] if name else [])])
            return self.by_modname.get(full)
        if not name or self.sig.is_library_module(name):
            return None
        candidates: list[str] = []
        if from_rel is not None and "/" in from_rel:
            here = from_rel.rsplit("/", 1)[0].split("/")
            candidates += [".".join([*here[:i], name]) for i in range(len(here), 0, -1)]
        candidates += [name, f"src.{name}"]
        for cand in candidates:
            if cand in self.by_modname:
                return self.by_modname[cand]
        suffix = "." + name
        matches = [m for m in self.by_modname if m.endswith(suffix)]
        if matches:
            return self.by_modname[min(matches, key=lambda m: (m.count("."), m))]
        return None

    def astroid_provider(self, modname: str, context_file: str | None) -> nodes.Module | None:
        """Serve astroid's import requests from this repository only (see mapping.sandbox)."""
        if modname.startswith(self.token + "."):
            rel = self.by_modname.get(modname[len(self.token) + 1 :])
        else:
            from_rel = self._rel_of_file.get(context_file or "")
            rel = self.resolve_module(modname, from_rel)
        return self.module(rel) if rel else None

    def release(self) -> None:
        """Drop this project's modules from astroid's process-wide cache."""
        cache = AstroidManager().astroid_cache
        for key in [k for k in cache if k.startswith(self.token)]:
            del cache[key]
        self._modules.clear()
        self._texts.clear()
        self._mentions.clear()
