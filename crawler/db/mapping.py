"""The mapping pass's call-site table: every load call found in a downstream repository.

PeaTMOSS only keeps (model, repository) and (model, file) pairs; this table keeps the evidence behind
them: where the call is, what it calls, the argument as written, the identifier it resolved to, how
that identifier was matched to a model row, and how sure the analysis is.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from crawler.db.schema import metadata

map_call_site = Table(
    "map_call_site",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reuse_repository_id", Integer, ForeignKey("reuse_repository.id"), nullable=False),
    Column("path", String, nullable=False),  # relative to the repository root
    Column("line", Integer, nullable=False),  # 1-based; for notebooks the line in the raw .ipynb
    Column("col", Integer, nullable=False),
    Column("library", String, nullable=False),  # key in mapping/signatures.yaml
    Column("callee", String, nullable=False),  # qualified name, e.g. transformers.AutoModel.from_pretrained
    Column("argument", Text),  # the identifier argument as written
    Column("ptm", String),  # identifier in the forms of reference/ptm-identifiers.md, NULL if unknown
    Column("model_id", Integer, ForeignKey("model.id")),  # NULL when not (yet) in the database
    Column("resolution", String),  # exact | case | legacy | prefix | torchhub | alias | unresolved
    Column("confidence", Float),
    Column("reason", Text),  # why ptm is NULL
    Column("hub", String),
    Column("mapped_at", String),  # ISO-8601 UTC
    sqlite_autoincrement=True,
)
Index("ix_map_call_site_repo", map_call_site.c.reuse_repository_id)
Index("ix_map_call_site_model", map_call_site.c.model_id)
