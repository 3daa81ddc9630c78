"""Every LLM value is checked against the card it came from; what the card does not support is dropped.

Numbers must occur in the card (with their scale or unit), names, repositories and arXiv ids must occur in it,
licences must be known ids, free text needs a verbatim evidence quote. A card that tries to inject instructions can
therefore only produce values that are literally in the card, or rejected ones.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.vocab import DOMAINS, FRAMEWORK_TAGS, normalize_task
from enrich import vocab
from enrich.fields import FIELDS
from enrich.rules import DOMAIN_HINTS, HP_CANONICAL, canonical_hardware
from enrich.values import EvalResult, is_empty
from enrich.vocab import alnum

_NUM_RE = re.compile(r"(?<![\w.])[-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?(?:\s*(k|m|mn|b|bn|t|thousand|million|billion))?",
                     re.I)  # fmt: skip
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
          "t": 1e12}  # fmt: skip
_FREE_TEXT = frozenset(f.name for f in FIELDS if f.free_text)


@dataclass
class CardEvidence:
    """What the validator knows about a card: its text in a few normal forms and the numbers in it."""

    text: str
    lower: str = ""
    squashed: str = ""
    words: str = ""
    numbers: list[float] = field(default_factory=list)
    scaled: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lower = self.text.lower()
        self.squashed = alnum(self.text)
        self.words = " ".join(self.lower.split())
        for m in _NUM_RE.finditer(self.text):
            raw = m.group(0)
            digits = re.match(r"[-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?", raw, re.I)
            if not digits:
                continue
            try:
                num = float(digits.group(0).replace(",", ""))
            except ValueError:
                continue
            self.numbers.append(num)
            if m.group(1):
                self.scaled.append(num * _SCALE[m.group(1).lower()])

    def has_number(self, value: float, factors: tuple[float, ...] = (1.0,), rel: float = 1e-6) -> bool:
        for n in self.numbers:
            for f in factors:
                if abs(n * f - value) <= rel * max(1.0, abs(value)):
                    return True
        return False

    def has_name(self, name: str) -> bool:
        """A dataset/model/library name occurs (whole, or its part after the org) in the card."""
        key = alnum(name)
        tail = alnum(str(name).rsplit("/", 1)[-1])
        return bool(key) and (key in self.squashed or (len(tail) >= 3 and tail in self.squashed))

    def has_quote(self, quote: str) -> bool:
        q = " ".join(str(quote).lower().split())
        return len(q) >= 8 and q in self.words


@dataclass
class Verdict:
    """Outcome of validating one LLM answer."""

    accepted: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    rejected: Counter = field(default_factory=Counter)  # field -> values dropped
    review: list[dict[str, Any]] = field(default_factory=list)  # low-confidence values kept aside


def _check_list(name: str, values: list, card: CardEvidence) -> tuple[list, int]:
    kept, dropped = [], 0
    for v in values:
        ok = False
        s = str(v).strip()
        if not s:
            continue
        if name == "papers":
            m = re.search(r"\d{4}\.\d{4,5}", s)
            ok = bool(m) and m.group(0) in card.text
            s = m.group(0) if m else s
        elif name == "github_repo":
            s = re.sub(r"^(https?://)?(www\.)?github\.com/", "", s).strip("/")
            ok = bool(re.fullmatch(r"[\w.-]+/[\w.-]+", s)) and f"github.com/{s.lower()}" in card.lower
        elif name == "languages":
            code = vocab.normalize_language(s)
            names = [n for n, c in vocab.LANGUAGE_NAMES.items() if c == code]
            ok = bool(code) and (
                re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", card.lower) is not None
                or any(n in card.lower for n in names)
            )
            s = code or s
        elif name == "frameworks":
            fw = FRAMEWORK_TAGS.get(s.lower())
            spellings = {"pytorch": ("pytorch", "torch"), "tensorflow": ("tensorflow", "tf"), "jax": ("jax", "flax")}
            ok = bool(fw) and any(re.search(rf"\b{w}\b", card.lower) for w in spellings[fw])
            s = fw or s
        elif name == "hardware":
            ok = (
                bool(canonical_hardware(s))
                and any(alnum(h) in card.squashed for h in canonical_hardware(s) if h != "gpu")
                or (canonical_hardware(s) == ["gpu"] and "gpu" in card.lower)
            )
        elif name == "model_tasks":
            words = [w for w in re.split(r"[-_ ]+", s.lower()) if w not in ("to", "and", "of")]
            ok = card.has_name(s) or (normalize_task(s) is not None and all(w in card.lower for w in words))
        else:  # datasets, base_models, libraries
            ok = card.has_name(s)
        if ok:
            kept.append(s)
        else:
            dropped += 1
    return kept, dropped


def _check_hyperparameters(values: Any, card: CardEvidence) -> tuple[dict[str, Any], int]:
    items = values.items() if isinstance(values, dict) else [(d.get("name"), d.get("value")) for d in values or []]
    kept: dict[str, Any] = {}
    dropped = 0
    for key, value in items:
        if not key or is_empty(value):
            continue
        num = _number(value)
        ok = card.has_number(num) if num is not None else card.has_name(str(value))
        if ok and (alnum(key) in card.squashed or HP_CANONICAL.get(alnum(key))):
            kept[HP_CANONICAL.get(alnum(key), str(key))] = num if num is not None else value
        else:
            dropped += 1
    return kept, dropped


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"\s*([-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?)\s*%?\s*", str(value), re.I)
    return float(m.group(1).replace(",", "")) if m else None


def _check_evaluation(values: list, card: CardEvidence) -> tuple[list[dict], int]:
    kept, dropped = [], 0
    for item in values or []:
        if not isinstance(item, dict):
            dropped += 1
            continue
        num = _number(item.get("value"))
        ds = item.get("dataset")
        ok = (
            num is not None
            and card.has_number(num, (1.0, 100.0, 0.01), rel=1e-4)
            and bool(item.get("metric"))
            and (is_empty(ds) or card.has_name(str(ds)))
        )
        if ok:
            kept.append(EvalResult(metric=str(item["metric"]).lower(), value=num, dataset=ds or None).model_dump())
        else:
            dropped += 1
    return kept, dropped


def check_field(name: str, value: Any, evidence: str, card: CardEvidence) -> tuple[Any, int]:
    """(accepted value or None, number of values dropped) for one field."""
    if is_empty(value):
        return None, 0
    if name == "domain":
        hints = dict(DOMAIN_HINTS)
        ok = value in DOMAINS and (value not in hints or re.search(hints[value], card.lower) is not None)
        return (value, 0) if ok else (None, 1)
    if name == "license":
        lic = vocab.normalize_license(value)
        return (lic, 0) if lic and (lic == "other" or card.has_name(lic) or card.has_name(str(value))) else (None, 1)
    if name == "parameter_count":
        num = _number(value)
        ok = num is not None and (card.has_number(num) or any(abs(s - num) <= 0.01 * num for s in card.scaled if num))
        return (int(num), 0) if ok else (None, 1)
    if name == "carbon_emitted_kg":
        num = _number(value)
        ok = num is not None and card.has_number(num, (1.0, 0.001, 1000.0), rel=1e-3)
        return (num, 0) if ok else (None, 1)
    if name == "demonstration":
        has_code = "```" in card.text or "curl " in card.lower
        return (bool(value), 0) if (not value or has_code) else (None, 1)
    if name in _FREE_TEXT:
        return (str(value), 0) if card.has_quote(evidence) else (None, 1)
    if name == "hyperparameters":
        params, dropped = _check_hyperparameters(value, card)
        return (params or None), dropped
    if name == "evaluation":
        results, dropped = _check_evaluation(value if isinstance(value, list) else [value], card)
        return (results or None), dropped
    kept, dropped = _check_list(name, value if isinstance(value, list) else [value], card)
    return (kept or None), dropped


def validate_answers(answers: dict[str, dict], card_text: str, min_confidence: float = 0.5) -> Verdict:
    """Check each `{value, confidence, evidence}` answer; keep supported values above the confidence threshold."""
    card = CardEvidence(card_text)
    verdict = Verdict()
    for name, answer in answers.items():
        if not isinstance(answer, dict):
            continue
        try:
            value, dropped = check_field(name, answer.get("value"), str(answer.get("evidence") or ""), card)
            conf = float(answer.get("confidence") or 0.0)
        except (TypeError, ValueError, AttributeError, KeyError):  # a value of the wrong shape is one rejected value
            value, dropped, conf = None, 1, 0.0
        if dropped:
            verdict.rejected[name] += dropped
        if value is None:
            continue
        if conf < min_confidence:
            verdict.review.append({"field": name, "value": value, "confidence": conf})
            continue
        verdict.accepted[name] = value
        verdict.confidence[name] = conf
    return verdict
