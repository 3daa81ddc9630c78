"""Hostile-values models added by ``--hostile``: values a database refuses or a file system cannot hold.

All under ``fake-hostile/``; each is a normal popular model (files, commits, discussions) except for:

- ``fake-hostile/nul-text``: NUL characters in ``author``, a tag, a ``cardData`` value and a commit title.
- ``fake-hostile/huge-downloads``: ``downloads`` = 10**30 (no integer column holds it).
- ``fake-hostile/huge-likes``: ``likes`` = 2**40 (fits SQLite's INTEGER, not PostgreSQL's).
- ``fake-hostile/trailing-newline\\n``: an id that ends with a newline (a ``$`` regex accepts it).
- ``fake-hostile/xxx...`` (5,000 characters): an id longer than any file name.

:data:`VALID` names the models a crawler can store; :data:`INVALID` the ones it must reject.
"""

from __future__ import annotations

from .hf_model import Commit, Model, hexid
from .hf_traps import _model

ORG = "fake-hostile"
NUL_ID = f"{ORG}/nul-text"
VALID = (NUL_ID,)
INVALID = (f"{ORG}/huge-downloads", f"{ORG}/huge-likes", f"{ORG}/trailing-newline\n", f"{ORG}/{'x' * 4987}")


def _hostile(seed: int, name: str, number: int, **fields: object) -> Model:
    model = _model(seed, name, number, **fields)
    model.id = f"{ORG}/{name}"
    model.author = ORG
    model.downloads = max(model.downloads, 1000)  # popular: details are fetched
    return model


def hostile_models(seed: int) -> list[Model]:
    nul = _hostile(seed, "nul-text", 101)
    nul.author = f"{ORG}\x00evil"
    nul.tags = [*nul.tags, "bad\x00tag"]
    nul.card_data = {**(nul.card_data or {}), "license": "mit\x00"}
    commits = [
        Commit(hexid(seed, nul.id, "commit", 1), "Upload\x00 with a NUL", "body\x00", ORG, 1700000000 + 7200, 0),
        Commit(hexid(seed, nul.id, "commit", 0), "initial commit", "", ORG, 1700000000, 0),
    ]
    nul.commits_fn = lambda: list(commits)
    huge_downloads = _hostile(seed, "huge-downloads", 102)
    huge_downloads.downloads = 10**30
    huge_likes = _hostile(seed, "huge-likes", 103)
    huge_likes.likes = 2**40
    newline = _hostile(seed, "trailing-newline\n", 104)
    long_id = _hostile(seed, "x" * 4987, 105)
    assert len(long_id.id) == 5000
    return [nul, huge_downloads, huge_likes, newline, long_id]
