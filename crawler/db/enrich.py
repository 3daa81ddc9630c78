"""Our tables for the enrichment pass: provenance of every enhanced-metadata value, the LLM answer cache,
the per-call token/cost ledger and the review list (low-confidence or rejected LLM values)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, Text

from crawler.db.schema import metadata

# One row per model and field: where the value in the PeaTMOSS enhanced tables came from.
enrich_field_provenance = Table(
    "enrich_field_provenance",
    metadata,
    Column("model_id", Integer, ForeignKey("model.id"), primary_key=True, autoincrement=False),
    Column("field", String, primary_key=True),
    Column("source", String),  # 'rule' | 'llm'
    Column("rule", String),  # rule name, for source = 'rule'
    Column("llm_model", String),
    Column("mode", String),  # 'cheap' | 'accurate'
    Column("version", String),  # rules version or prompt version
    Column("confidence", Float),
    Column("card_sha256", String),
    Column("value", Text),  # JSON
    Column("extracted_at", String),
)

# LLM answers keyed by (card sha256, model, mode, prompt version): a card is never paid for twice.
enrich_llm_cache = Table(
    "enrich_llm_cache",
    metadata,
    Column("card_sha256", String, primary_key=True),
    Column("llm_model", String, primary_key=True),
    Column("mode", String, primary_key=True),
    Column("prompt_version", String, primary_key=True),
    Column("answers", Text),  # JSON {field: {value, confidence, evidence}}
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("cost_usd", Float),
    Column("created_at", String),
)

# One row per LLM request made (or answered from the cache) in a run.
enrich_llm_call = Table(
    "enrich_llm_call",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String),
    Column("card", String),  # model context id or card file id
    Column("llm_model", String),
    Column("mode", String),
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("cost_usd", Float),
    Column("cached", Integer),
    Column("status", String),
    Column("attempts", Integer),
    Column("at", String),
)

# Values kept out of the enhanced tables: below the confidence threshold, or rejected by validation.
enrich_review = Table(
    "enrich_review",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String),
    Column("card", String),
    Column("field", String),
    Column("kind", String),  # 'low_confidence' | 'rejected' | 'error' (the card itself failed: value = the reason)
    Column("value", Text),  # JSON, or the number of rejected values
    Column("confidence", Float),
    Column("at", String),
)
