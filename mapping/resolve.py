"""Match identifiers found in code to the models of the database.

Strategies, in order: exact ``context_id``; case-insensitive; ``hf_hub:`` prefixes; legacy ids without
an owner (``bert-base-uncased`` -> ``google-bert/bert-base-uncased``); the library's default owner
(``all-MiniLM-L6-v2`` -> ``sentence-transformers/all-MiniLM-L6-v2``, spaCy -> ``spacy/<package>``);
torch.hub ``owner/repo:entrypoint`` and torchvision builders to PyTorch Hub models; a few known
aliases (OpenAI CLIP names). What matches nothing stays unresolved (kept and flagged by the caller).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mapping.identifiers import strip_hf_prefix

HF_HUB_ID, TORCH_HUB_ID = 1, 2
# Owners that took over the historical owner-less ids when the Hub moved them (canonical first).
LEGACY_OWNERS = (
    "google-bert",
    "openai-community",
    "FacebookAI",
    "distilbert",
    "google-t5",
    "albert",
    "microsoft",
    "facebook",
    "google",
)
DEFAULT_OWNERS = {
    "sentence_transformers": "sentence-transformers",
    "spacy": "spacy",
    "timm": "timm",
    "langchain": "sentence-transformers",
    "bertopic": "sentence-transformers",
    "flair": "flair",
    "speechbrain": "speechbrain",
    "pyannote": "pyannote",
}
OPENAI_CLIP = {
    "ViT-B/32": "openai/clip-vit-base-patch32",
    "ViT-B/16": "openai/clip-vit-base-patch16",
    "ViT-L/14": "openai/clip-vit-large-patch14",
    "ViT-L/14@336px": "openai/clip-vit-large-patch14-336",
}


@dataclass(frozen=True)
class ModelRow:
    id: int
    context_id: str
    hub_id: int | None
    repo_url: str | None
    downloads: int | None


@dataclass(frozen=True)
class Resolution:
    model_id: int | None
    how: str  # exact | case | legacy | owner | prefix | torchhub | alias | unresolved
    context_id: str | None = None


UNRESOLVED = Resolution(None, "unresolved")


class Resolver:
    """An in-memory index of the model table (context ids only; a few MB for 300k models)."""

    def __init__(self, models: Iterable[ModelRow]) -> None:
        self.exact: dict[str, ModelRow] = {}
        self.lower: dict[str, list[ModelRow]] = defaultdict(list)
        self.by_name: dict[str, list[ModelRow]] = defaultdict(list)
        self.by_repo_url: dict[str, list[ModelRow]] = defaultdict(list)
        self._sorted: list[str] | None = None
        for m in models:
            ctx = str(m.context_id)
            self.exact[ctx] = m
            self.lower[ctx.lower()].append(m)
            self.by_name[ctx.rsplit("/", 1)[-1].lower()].append(m)
            if m.repo_url:
                url = m.repo_url.lower().removeprefix("https://").removeprefix("http://").rstrip("/")
                self.by_repo_url[url.removesuffix(".git")].append(m)

    def _prefixed(self, prefix: str) -> list[ModelRow]:
        if self._sorted is None:
            self._sorted = sorted(self.lower)
        i = bisect.bisect_left(self._sorted, prefix)
        out: list[ModelRow] = []
        while i < len(self._sorted) and self._sorted[i].startswith(prefix):
            out += self.lower[self._sorted[i]]
            i += 1
        return out

    @classmethod
    def from_connection(cls, conn) -> Resolver:  # type: ignore[no-untyped-def]
        from sqlalchemy import select

        from crawler.db.schema import model as t

        rows = conn.execute(select(t.c.id, t.c.context_id, t.c.model_hub_id, t.c.repo_url, t.c.downloads))
        return cls(ModelRow(r[0], str(r[1]), r[2], r[3], r[4]) for r in rows)

    # -- strategies ----------------------------------------------------------------------------
    def _hf(self, ident: str, library: str | None) -> Resolution:
        if ident in self.exact:
            return Resolution(self.exact[ident].id, "exact", ident)
        hits = self.lower.get(ident.lower(), [])
        if hits:
            best = _best(hits)
            return Resolution(best.id, "case", best.context_id)
        owner = DEFAULT_OWNERS.get(library or "")
        if owner and "/" not in ident:
            res = self._hf(f"{owner}/{ident}", None)
            if res.model_id is not None:
                return Resolution(res.model_id, "owner", res.context_id)
        if "/" not in ident:
            cands = [m for m in self.by_name.get(ident.lower(), []) if m.hub_id in (None, HF_HUB_ID)]
            for legacy_owner in LEGACY_OWNERS:
                for m in cands:
                    if m.context_id.lower() == f"{legacy_owner.lower()}/{ident.lower()}":
                        return Resolution(m.id, "legacy", m.context_id)
        return UNRESOLVED

    def _torchhub(self, repo: str, entry: str) -> Resolution:
        for form in (f"{repo}/{entry}", f"{repo}:{entry}"):
            hits = self.lower.get(form.lower())
            if hits:
                return Resolution(hits[0].id, "torchhub", hits[0].context_id)
        for m in self.by_repo_url.get(f"github.com/{repo}".lower(), []):
            if m.context_id.lower().rsplit("/", 1)[-1] == entry.lower():
                return Resolution(m.id, "torchhub", m.context_id)
        hub_models = [m for m in self.by_repo_url.get(f"github.com/{repo}".lower(), []) if m.hub_id == TORCH_HUB_ID]
        if len(hub_models) == 1:  # PyTorch Hub pages that cover one repository
            return Resolution(hub_models[0].id, "torchhub", hub_models[0].context_id)
        return UNRESOLVED

    def resolve(self, ptm: str | None, library: str | None = None) -> Resolution:
        """The model row ``ptm`` (an identifier from :mod:`mapping.analyzer`) refers to."""
        if not ptm:
            return UNRESOLVED
        inner = strip_hf_prefix(ptm)
        if inner:
            res = self._hf(inner, library)
            return Resolution(res.model_id, "prefix", res.context_id) if res.model_id else res
        if ptm.startswith("torchvision:"):
            return self._torchhub("pytorch/vision", ptm.split(":", 1)[1])
        if ptm.startswith("openai-clip:"):
            alias = OPENAI_CLIP.get(ptm.split(":", 1)[1])
            res = self._hf(alias, None) if alias else UNRESOLVED
            return Resolution(res.model_id, "alias", res.context_id) if res.model_id else UNRESOLVED
        if ptm.startswith("timm:"):
            name = ptm.split(":", 1)[1]
            res = self._hf(f"timm/{name}", None)
            if res.model_id is not None:
                return Resolution(res.model_id, "owner", res.context_id)
            cands = self._prefixed(f"timm/{name.lower()}.")
            if cands:
                best = _best(cands)
                return Resolution(best.id, "prefix", best.context_id)
            return UNRESOLVED
        if ptm.startswith(("torchaudio:", "torchtext:", "open_clip:")):
            return UNRESOLVED
        if library == "torch" and ":" in ptm:
            repo, entry = ptm.rsplit(":", 1)
            return self._torchhub(repo, entry)
        return self._hf(ptm, library)


def _best(rows: list[ModelRow]) -> ModelRow:
    return max(rows, key=lambda m: (m.downloads or 0, -m.id))
