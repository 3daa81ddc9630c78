"""Model cards read from a folder: flat (`DIR/<id>.md`) or in the Hub's layout (`DIR/<org>/<model>/README.md`)."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

from enrich.pipeline import CardJob

logger = logging.getLogger(__name__)

MAX_CARD_BYTES = 5_000_000  # the Hub's largest READMEs are far below this


def card_id(folder: Path, path: Path) -> str | None:
    """`org/model` for a README.md below the top, the stem for a top-level `*.md`, None for anything else.

    A README.md at the top describes the folder itself (the evaluation set has one), not a model."""
    rel = path.relative_to(folder)
    if path.name.lower() == "readme.md":
        return rel.parent.as_posix() if len(rel.parts) > 1 else None
    return path.stem if len(rel.parts) == 1 else None


def read_cards(folder: Path) -> list[CardJob]:
    """Every card under `folder`, sorted by id; only regular files are read (never a FIFO or a device)."""
    jobs: dict[str, CardJob] = {}
    for path in sorted(folder.rglob("*")):
        key = card_id(folder, path) if path.suffix.lower() == ".md" else None
        if key is None:
            continue
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CARD_BYTES:
                logger.warning("card %s skipped: not a regular file or larger than %d bytes", path, MAX_CARD_BYTES)
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            logger.warning("card %s unreadable: %s", path, exc)
            continue
        jobs.setdefault(key, CardJob(key, text))
    return list(jobs.values())
