"""Rules first, then the LLM for what is still missing, then validation and merging with provenance."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.timelimit import TimeLimitExceeded, time_limit
from enrich.defaults import CARD_TIMEOUT
from enrich.extract import extract
from enrich.fields import REGISTRY, CardFields, CardRecord
from enrich.llm import PROMPT_VERSION, LLMExtractor, card_sha256
from enrich.rules import RULES_VERSION, HubInfo, demo_snippet
from enrich.validate import validate_answers

logger = logging.getLogger(__name__)


@dataclass
class CardJob:
    key: str  # card id (file name) or model context id
    text: str
    hub: HubInfo | None = None
    model_id: int | None = None  # database id, when known


@dataclass
class CardOutcome:
    key: str
    fields: CardRecord
    provenance: dict[str, dict[str, Any]]
    rejected: Counter = field(default_factory=Counter)
    review: list[dict[str, Any]] = field(default_factory=list)
    model_id: int | None = None
    card_sha256: str = ""
    error: str | None = None  # why this card has no values (its rules failed or ran out of time)
    demo: str | None = None  # the card's first usage snippet, when it has one (stored in `demo`)


def _failure(exc: BaseException, seconds: float | None, step: str = "rules") -> str:
    if isinstance(exc, TimeLimitExceeded):
        return f"timeout: {step} took longer than {seconds:g} s"
    return f"error: {type(exc).__name__}: {exc}"[:300]


def run_rules(job: CardJob, timeout: float | None = CARD_TIMEOUT) -> CardOutcome:
    """The rules on one card, in isolation: an exception or a timeout becomes the outcome's `error`."""
    sha = card_sha256(job.text)
    try:
        with time_limit(timeout):
            result = extract(job.text, job.hub)
            demo = demo_snippet(job.text) if result.fields.demonstration else None
    except (Exception, TimeLimitExceeded) as exc:  # one hostile card must never stop a run of thousands
        reason = _failure(exc, timeout)
        logger.warning("card %s: %s", job.key, reason)
        return CardOutcome(job.key, CardFields(), {}, model_id=job.model_id, card_sha256=sha, error=reason)
    provenance = {
        name: {"source": "rule", "rule": how, "version": RULES_VERSION, "confidence": 1.0}
        for name, how in result.sources.items()
    }
    return CardOutcome(job.key, result.fields, provenance, model_id=job.model_id, card_sha256=sha, demo=demo)


def missing_fields(outcome: CardOutcome) -> list[str]:
    return REGISTRY.asked(outcome.fields.present())


def enrich_cards(
    jobs: list[CardJob], llm: LLMExtractor | None = None, card_timeout: float | None = CARD_TIMEOUT
) -> list[CardOutcome]:
    """Extract every card; with an LLM, fill the fields the rules left empty with validated answers.

    A card whose rules fail is not sent to the LLM (its text already broke the parser once)."""
    outcomes = [run_rules(job, card_timeout) for job in jobs]
    if llm is None:
        return outcomes
    by_key = {job.key: job for job in jobs}
    asks = [
        (o.key, by_key[o.key].text, missing_fields(o), by_key[o.key].hub.model_id if by_key[o.key].hub else None)
        for o in outcomes
        if o.error is None
    ]
    answers = llm.extract_many([a for a in asks if a[2]])
    s = llm.settings
    for outcome in outcomes:
        answer = answers.get(outcome.key)
        if answer is None:
            continue
        try:
            with time_limit(card_timeout):
                verdict = validate_answers(answer.answers, by_key[outcome.key].text, s.min_confidence)
        except (Exception, TimeLimitExceeded) as exc:  # the rules' values stay; the LLM's are dropped for this card
            reason = _failure(exc, card_timeout, "validation")
            logger.warning("card %s: LLM answer not validated: %s", outcome.key, reason)
            outcome.rejected["llm_answer_unvalidated"] += 1
            continue
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
