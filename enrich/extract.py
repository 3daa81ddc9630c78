"""The rules of every declared field run on one card (`enrich.fields.FIELDS`, each rule in `enrich.rules`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from enrich.fields import REGISTRY, CardRecord, Registry
from enrich.markdown import Card, parse_card
from enrich.rules import HubInfo

# A rule that trips over an odd card yields nothing for its field; the card's other fields are still extracted.
_RULE_ERRORS = (ValueError, TypeError, KeyError, AttributeError, RecursionError)


@dataclass
class Extraction:
    fields: CardRecord
    sources: dict[str, str]  # field -> name of the rule that produced it


def extract(text: str, hub: HubInfo | None = None, registry: Registry = REGISTRY) -> Extraction:
    """All fields of one card, with the rule behind each value."""
    hub = hub or HubInfo()
    card = parse_card(text)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name in registry.names:
        _run(registry, name, card, hub, values, sources)
    return Extraction(fields=registry.record(**values), sources=sources)


def _run(
    registry: Registry, name: str, card: Card, hub: HubInfo, values: dict[str, Any], sources: dict[str, str]
) -> Any:
    """The field's rule, after the rules of the fields it needs (each runs once)."""
    if name in values:
        return values[name]
    spec = registry.by_name[name]
    needed = [_run(registry, n, card, hub, values, sources) or [] for n in spec.needs]
    try:
        value, how = spec.rule(card, hub, *needed)
    except _RULE_ERRORS:
        value, how = None, ""
    values[name] = value if value not in ([], {}, "") else None
    if values[name] is not None and how:
        sources[name] = how
    return values[name]
