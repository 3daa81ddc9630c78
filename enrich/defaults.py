"""Defaults of the enrichment pass, in one light module (the `scrapy enrich` command reads them at start-up).

The names in the comments are the Scrapy settings that override them (`scrapy enrich -s NAME=VALUE`).
"""

from __future__ import annotations

MODES = ("cheap", "accurate")  # ENRICH_LLM_MODE: cheap sends the relevant sections, accurate the whole card
DEFAULT_MODEL = "gpt-4o-mini"  # ENRICH_LLM_MODEL
CARD_TIMEOUT = 10.0  # ENRICH_CARD_TIMEOUT, --card-timeout: seconds of rules (and of validation) per card
LLM_CARD_TIMEOUT = 40.0  # ENRICH_LLM_CARD_TIMEOUT: seconds of LLM requests per card, retries included
LLM_BREAKER = 3  # ENRICH_LLM_BREAKER: cards in a row whose LLM call failed before the endpoint is given up
