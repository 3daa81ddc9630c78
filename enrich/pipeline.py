"""Rules first, then the LLM for what is still missing, then validation and merging with provenance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from enrich.fields import FIELD_NAMES, CardFields
from enrich.llm import PROMPT_VERSION, LLMExtractor, card_sha256
from enrich.rules import RULES_VERSION, HubInfo, extract
from enrich.validate import validate_answers

# Fields the rules settle completely: never worth an LLM call.
NOT_ASKED = frozenset({"demonstration"})


@dataclass
class CardJob:
    key: str  # card id (file name) or model context id
    text: str
    hub: HubInfo | None = None
    model_id: int | None = None  # database id, when known


@dataclass
class CardOutcome:
    key: str
    fields: CardFields
    provenance: dict[str, dict[str, Any]]
    rejected: Counter = field(default_factory=Counter)
    review: list[dict[str, Any]] = field(default_factory=list)
    model_id: int | None = None
    card_sha256: str = ""


def run_rules(job: CardJob) -> CardOutcome:
    result = extract(job.text, job.hub)
    provenance = {
        name: {"source": "rule", "rule": how, "version": RULES_VERSION, "confidence": 1.0}
        for name, how in result.sources.items()
    }
    return CardOutcome(job.key, result.fields, provenance, model_id=job.model_id, card_sha256=card_sha256(job.text))


def missing_fields(outcome: CardOutcome) -> list[str]:
    present = outcome.fields.present()
    return [n for n in FIELD_NAMES if n not in present and n not in NOT_ASKED]


def enrich_cards(jobs: list[CardJob], llm: LLMExtractor | None = None) -> list[CardOutcome]:
    """Extract every card; with an LLM, fill the fields the rules left empty with validated answers."""
    outcomes = [run_rules(job) for job in jobs]
    if llm is None:
        return outcomes
    by_key = {job.key: job for job in jobs}
    asks = [
        (o.key, by_key[o.key].text, missing_fields(o), by_key[o.key].hub.model_id if by_key[o.key].hub else None)
        for o in outcomes
    ]
    answers = llm.extract_many([a for a in asks if a[2]])
    s = llm.settings
    for outcome in outcomes:
        answer = answers.get(outcome.key)
        if answer is None:
            continue
        verdict = validate_answers(answer.answers, by_key[outcome.key].text, s.min_confidence)
        outcome.rejected.update(verdict.rejected)
        outcome.review.extend(verdict.review)
        values = outcome.fields.model_dump()
        for name, value in verdict.accepted.items():
            if name in outcome.provenance:  # rules win
                continue
            values[name] = value
            outcome.provenance[name] = {
                "source": "llm",
                "llm_model": s.model,
                "mode": s.mode,
                "version": PROMPT_VERSION,
                "confidence": verdict.confidence.get(name),
            }
        outcome.fields = CardFields(**values)
    return outcomes
