"""Sorts a model's Hub tags and card metadata into the PeaTMOSS lookup buckets.

The buckets follow the PeaTMOSS loader (peatmoss-schema.md §4): `license:` tags and the card's license ->
license; `dataset:` tags and card datasets -> dataset; language tags and card language -> language;
`arxiv:` tags -> paper (as the arXiv abstract URL); `library_name` and library tags -> library; config
architectures -> architecture; `base_model:[relation:]id` tags and the card's base_model -> model tree. What falls
in none of the dataset/language/library/license buckets, plus `pipeline_tag`, stays a free tag, since the paper's
plots group on task names in `tag`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from crawler.hf.items import HfModelItem
from crawler.vocab import BASE_MODEL_RELATIONS, classify_tag


def _strings(value: Any) -> list[str]:
    """A card field that may be a string, a list of strings, or junk -> clean list of strings."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def arxiv_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def normalise_model(item: HfModelItem) -> HfModelItem:
    card = item.card_data if isinstance(item.card_data, dict) else {}
    licenses = _strings(card.get("license"))
    datasets = _strings(card.get("datasets"))
    languages = [lang.lower() for lang in _strings(card.get("language"))]
    libraries = _strings(item.library_name)
    papers: list[str] = []
    frameworks: list[str] = []
    free: list[str] = []
    base: dict[str, str | None] = {}
    for tag in item.tags:
        if not isinstance(tag, str) or not tag:
            continue
        prefix, sep, rest = tag.partition(":")
        if sep:
            if prefix == "license" and rest:
                licenses.append(rest)
            elif prefix == "dataset" and rest:
                datasets.append(rest)
            elif prefix == "arxiv" and rest:
                papers.append(arxiv_url(rest))
            elif prefix == "base_model" and rest:
                relation, sep2, name = rest.partition(":")
                if sep2 and relation in BASE_MODEL_RELATIONS and name:
                    base[name] = relation
                else:
                    base.setdefault(rest, None)
            continue  # other prefixed tags (region:us, doi:, ...) are not PeaTMOSS values
        kind = classify_tag(tag).kind
        if kind == "library":
            libraries.append(tag)
        elif kind == "language":
            languages.append(tag.lower())
        else:
            if kind == "framework":
                frameworks.append(tag)
            free.append(tag)
    relation = card.get("base_model_relation")
    for name in _strings(card.get("base_model")):
        if base.get(name) is None:
            base[name] = relation if relation in BASE_MODEL_RELATIONS else base.get(name)
    if item.pipeline_tag:
        free.append(item.pipeline_tag)
    config = item.config if isinstance(item.config, dict) else {}
    item.architectures = _unique(_strings(config.get("architectures")))
    author = item.author or (item.context_id.split("/", 1)[0] if "/" in item.context_id else None)
    item.authors = [author] if author else []
    item.licenses = _unique(licenses)
    item.datasets = _unique(datasets)
    item.languages = _unique(languages)
    item.libraries = _unique(libraries)
    item.papers = _unique(papers)
    item.frameworks = _unique(frameworks)
    item.free_tags = _unique(free)
    item.base_models = [{"name": name, "relation": rel} for name, rel in base.items() if name != item.context_id]
    return item


# Item type -> normaliser (pipelines.normalise dispatches through crawler.registries).
NORMALISERS: dict[type, Callable[[Any], Any]] = {HfModelItem: normalise_model}
