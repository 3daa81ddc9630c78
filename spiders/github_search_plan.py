"""What ``github_search`` asks GitHub code search: one query per PTM-loading signature, sharded by file size.

Signatures are those of reference/signatures.md §2 (the 27 libraries' loading calls). GitHub code search ANDs the
words of a query and ignores punctuation, so a signature is "import identifier + call name". The 162 model
builder / bundle names of torchvision, torchtext and torchaudio are covered by one query on the library's model
namespace each (162 more queries would cost 16 minutes of the 10/min code_search bucket before any sharding).

A search answers at most 1,000 results, so each query runs over file-size ranges (``size:lo..hi``, bytes). A range
whose first page reports more than 1,000 results is split in two until every shard is under the cap; a range of one
byte that still exceeds it is collected up to the cap and counted. File sizes are skewed towards small files, so
ranges are split at their geometric midpoint rather than the arithmetic one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crawler.constants import GITHUB_SEARCH_RESULT_CAP

SEARCH_CAP = GITHUB_SEARCH_RESULT_CAP
PER_PAGE = 100  # the maximum page size
MAX_INDEXED_SIZE = 384 * 1024  # code search indexes files smaller than 384 KB

# (library, words of the query). One entry per loading call of reference/signatures.md §2.
SIGNATURES: tuple[tuple[str, str], ...] = (
    ("spacy", "spacy load"),
    ("transformers", "transformers from_pretrained"),
    ("transformers", "transformers pipeline"),
    ("allennlp", "allennlp from_path"),
    ("asteroid", "asteroid from_pretrained"),
    ("espnet2", "espnet2 from_pretrained"),
    ("nemo", "nemo from_pretrained"),
    ("paddlenlp", "paddlenlp from_pretrained"),
    ("pyannote", "pyannote from_pretrained"),
    ("sentence_transformers", "sentence_transformers SentenceTransformer"),
    ("speechbrain", "speechbrain from_hparams"),
    ("tensorflow_tts", "tensorflow_tts from_pretrained"),
    ("timm", "timm create_model"),
    ("stanza", "stanza download"),
    ("stanza", "stanza Pipeline"),
    ("fairseq", "fairseq load"),
    ("flair", "flair load"),
    ("huggingface_hub", "huggingface_hub from_pretrained_keras"),
    ("huggingface_hub", "huggingface_hub from_pretrained_fastai"),
    ("huggingface_hub", "huggingface_hub hf_hub_download"),
    ("bertopic", "bertopic load"),
    ("diffusers", "diffusers from_pretrained"),
    ("open_clip", "open_clip create_model_and_transforms"),
    ("open_clip", "open_clip get_tokenizer"),
    ("peft", "peft from_pretrained"),
    ("span_marker", "span_marker from_pretrained"),
    ("huggingface_sb3", "huggingface_sb3 load_from_hub"),
    ("pythae", "pythae load_from_hf_hub"),
    ("torch", "torch.hub.load"),
    ("torchvision", "torchvision models"),
    ("torchtext", "torchtext models"),
    ("torchaudio", "torchaudio pipelines"),
)

# File kinds searched for every signature: Python files and notebooks.
DEFAULT_SCOPES = ("language:python", "extension:ipynb")


@dataclass(frozen=True)
class Shard:
    """One query restricted to files of ``lo``..``hi`` bytes (both included)."""

    text: str  # words and qualifiers, without the size qualifier
    lo: int
    hi: int

    @property
    def q(self) -> str:
        return f"{self.text} size:{self.lo}..{self.hi}"

    @property
    def splittable(self) -> bool:
        return self.hi > self.lo

    def split(self) -> tuple[Shard, Shard]:
        """Two shards covering this one, cut at the geometric midpoint of the range."""
        if not self.splittable:
            raise ValueError(f"cannot split {self.q}")
        mid = int(math.sqrt((self.lo + 1) * (self.hi + 1))) - 1
        mid = min(max(mid, self.lo), self.hi - 1)
        return Shard(self.text, self.lo, mid), Shard(self.text, mid + 1, self.hi)

    def as_meta(self) -> dict[str, object]:
        return {"text": self.text, "lo": self.lo, "hi": self.hi}

    @classmethod
    def from_meta(cls, meta: dict[str, object]) -> Shard:
        return cls(str(meta["text"]), int(meta["lo"]), int(meta["hi"]))  # type: ignore[call-overload]


def queries(
    libraries: list[str] | None = None, scopes: tuple[str, ...] = DEFAULT_SCOPES, extra: list[str] | None = None
) -> list[tuple[str, str]]:
    """(library, query text) for the chosen libraries (all by default) in every scope, plus ``extra`` queries."""
    wanted = {lib.lower() for lib in libraries} if libraries else None
    unknown = (wanted or set()) - {lib for lib, _ in SIGNATURES}
    if unknown:
        raise ValueError(f"unknown libraries: {', '.join(sorted(unknown))}")
    out = [
        (lib, f"{words} {scope}".strip())
        for lib, words in SIGNATURES
        if wanted is None or lib in wanted
        for scope in scopes or ("",)
    ]
    out.extend(("custom", q) for q in extra or [])
    return out


def initial_shard(text: str, max_size: int = MAX_INDEXED_SIZE) -> Shard:
    return Shard(text, 0, max_size)


def pages_needed(total_count: int, cap: int = SEARCH_CAP) -> int:
    """Pages of PER_PAGE results a shard of ``total_count`` results takes, within the cap."""
    return max(1, math.ceil(min(total_count, cap) / PER_PAGE))


def over_cap(total_count: int, cap: int = SEARCH_CAP) -> bool:
    return total_count > cap
