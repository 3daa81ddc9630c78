"""The SQL behind every figure: aggregation runs in the database (GROUP BY, window functions), on SQLite and
PostgreSQL alike, so a report never loads a whole table into Python.

Each figure has one query whose result rows are the figure's CSV rows (license flows: before normalisation, see
:mod:`report.licenses`). The text is what the page shows under "SQL". ``since`` (an ISO date) restricts the
time-based figures: models created, and crawl runs finished, on or after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

from crawler.constants import HF_HUB_ID


@dataclass(frozen=True)
class Query:
    """One figure's SQL and its bind parameters."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)

    def rows(self, conn: Connection) -> list[tuple[Any, ...]]:
        return [tuple(_number(v) for v in r) for r in conn.execute(text(self.sql), self.params)]


def _number(value: Any) -> Any:
    """PostgreSQL's SUM, AVG and 1.0 * x / y give Decimal; SQLite's give int and float: make both int/float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _since(column: str, since: str | None) -> str:
    return f"\n  AND {column} >= :since" if since else ""


def _params(since: str | None) -> dict[str, Any]:
    return {"since": since} if since else {}


# field -> enriched models with a value (provenance rows are written for the fields that hold one; '_none' marks a
# card that was processed and gave nothing).
METADATA_AVAILABILITY = """\
SELECT p.field,
       (SELECT COUNT(DISTINCT model_id) FROM enrich_field_provenance) AS models,
       COUNT(*) AS with_value
FROM enrich_field_provenance p
WHERE p.field <> '_none'
GROUP BY p.field
ORDER BY p.field"""

_BY_HUB_DOMAIN = """\
WITH per AS (
  SELECT h.name AS hub, d.name AS domain, COUNT(DISTINCT {count}) AS n
  FROM model_to_domain md
  JOIN domain d ON d.id = md.domain_id
  JOIN model m ON m.id = md.model_id
  JOIN model_hub h ON h.id = m.model_hub_id{join}
  GROUP BY h.name, d.name
), total AS (
  SELECT h.name AS hub, COUNT(DISTINCT {count}) AS n
  FROM model_to_domain md
  JOIN model m ON m.id = md.model_id
  JOIN model_hub h ON h.id = m.model_hub_id{join}
  GROUP BY h.name
)
SELECT per.hub, per.domain, per.n AS {label}, 1.0 * per.n / total.n AS share
FROM per JOIN total ON total.hub = per.hub
ORDER BY per.hub, per.n DESC, per.domain"""

# share = the domain's models / the hub's models that have a domain.
DOMAINS_BY_HUB = _BY_HUB_DOMAIN.format(count="md.model_id", join="", label="models")
# share = repositories reusing the domain's PTMs / repositories reusing any of the hub's PTMs with a domain.
REUSE_BY_DOMAIN = _BY_HUB_DOMAIN.format(
    count="j.reuse_repository_id",
    join="\n  JOIN model_to_reuse_repository j ON j.model_id = md.model_id",
    label="repositories",
)


# Hugging Face models by how many Spaces declare them (0 included: the models no Space declares). A Space that
# declares a model twice (two spellings of one id) counts once.
MODELS_BY_SPACES = f"""\
WITH per_model AS (
  SELECT m.id, COUNT(DISTINCT l.space_id) AS spaces
  FROM model m
  LEFT JOIN hf_space_to_model l ON l.model_id = m.id
  WHERE m.model_hub_id = {HF_HUB_ID}
  GROUP BY m.id
)
SELECT spaces AS declaring_spaces, COUNT(*) AS models, 1.0 * COUNT(*) / (SELECT COUNT(*) FROM per_model) AS share
FROM per_model
GROUP BY spaces
ORDER BY spaces"""

# Space -> model declarations of a name no stored model has (a private, disabled or nonexistent model).
UNRESOLVED_DECLARATIONS = "SELECT COUNT(*) FROM hf_space_to_model WHERE model_id IS NULL"

# Downstream users of each domain's PTMs: GitHub repositories (the mapping's model_to_reuse_repository) and Spaces
# (the models a Space declares, and those scrapy map found its files load). share = the domain's users over the
# users of any PTM with a domain, within the same kind of downstream repository.
DOWNSTREAM = ("GitHub", "Spaces")  # the values of downstream_by_domain's `downstream` column
_DOWNSTREAM_USES = f"""\
  SELECT '{DOWNSTREAM[0]}' AS downstream, reuse_repository_id AS user_id, model_id FROM model_to_reuse_repository
  UNION
  SELECT '{DOWNSTREAM[1]}', space_id, model_id FROM hf_space_to_model WHERE model_id IS NOT NULL
  UNION
  SELECT '{DOWNSTREAM[1]}', space_id, model_id FROM hf_space_call_site WHERE model_id IS NOT NULL"""
DOWNSTREAM_BY_DOMAIN = f"""\
WITH uses AS (
{_DOWNSTREAM_USES}
), per AS (
  SELECT u.downstream, d.name AS domain, COUNT(DISTINCT u.user_id) AS n
  FROM uses u
  JOIN model_to_domain md ON md.model_id = u.model_id
  JOIN domain d ON d.id = md.domain_id
  GROUP BY u.downstream, d.name
), total AS (
  SELECT u.downstream, COUNT(DISTINCT u.user_id) AS n
  FROM uses u
  JOIN model_to_domain md ON md.model_id = u.model_id
  GROUP BY u.downstream
)
SELECT per.downstream, per.domain, per.n AS repositories, 1.0 * per.n / total.n AS share
FROM per JOIN total ON total.downstream = per.downstream
ORDER BY per.downstream, per.n DESC, per.domain"""


def created_by_domain(since: str | None) -> Query:
    """Hugging Face models created per month and domain (the Hub's createdAt, kept in crawl_model_state)."""
    sql = f"""\
SELECT substr(s.created_at, 1, 7) AS month, d.name AS domain, COUNT(DISTINCT s.model_id) AS models
FROM crawl_model_state s
JOIN model_to_domain md ON md.model_id = s.model_id
JOIN domain d ON d.id = md.domain_id
WHERE s.created_at IS NOT NULL{_since("s.created_at", since)}
GROUP BY substr(s.created_at, 1, 7), d.name
ORDER BY month, domain"""
    return Query(sql, _params(since))


def median_parameters(since: str | None) -> Query:
    """Median parameter count per month and domain: the middle one (or two) rows by row_number within a group."""
    sql = f"""\
WITH per_model AS (
  SELECT substr(s.created_at, 1, 7) AS month, d.name AS domain, pc.model_id, MAX(pc.count) AS n
  FROM parameter_count pc
  JOIN crawl_model_state s ON s.model_id = pc.model_id
  JOIN model_to_domain md ON md.model_id = pc.model_id
  JOIN domain d ON d.id = md.domain_id
  WHERE s.created_at IS NOT NULL{_since("s.created_at", since)}
  GROUP BY substr(s.created_at, 1, 7), d.name, pc.model_id
), ranked AS (
  SELECT month, domain, n,
         ROW_NUMBER() OVER (PARTITION BY month, domain ORDER BY n) AS rn,
         COUNT(*) OVER (PARTITION BY month, domain) AS c
  FROM per_model
)
SELECT month, domain, AVG(n) AS median_parameters, MAX(c) AS models
FROM ranked
WHERE rn IN ((c + 1) / 2, (c + 2) / 2)
GROUP BY month, domain
ORDER BY month, domain"""
    return Query(sql, _params(since))


# Every (PTM license, repository license) pair over the model -> downstream repository links; NULL = none declared.
LICENSE_PAIRS = """\
SELECT ml.name AS ptm_license, rl.name AS repository_license, COUNT(*) AS pairs
FROM model_to_reuse_repository j
LEFT JOIN model_to_license mtl ON mtl.model_id = j.model_id
LEFT JOIN license ml ON ml.id = mtl.license_id
LEFT JOIN reuse_repository_to_license rtl ON rtl.reuse_repository_id = j.reuse_repository_id
LEFT JOIN license rl ON rl.id = rtl.license_id
GROUP BY ml.name, rl.name
ORDER BY pairs DESC"""


def license_pair_details(pairs: list[tuple[str, str]]) -> Query:
    """The links behind the given (PTM license name, repository license name) pairs, for the incompatible list."""
    conditions = " OR ".join(f"(ml.name = :p{i} AND rl.name = :r{i})" for i in range(len(pairs)))
    sql = f"""\
SELECT m.context_id AS model, rr.owner || '/' || rr.name AS repository, ml.name, rl.name
FROM model_to_reuse_repository j
JOIN model m ON m.id = j.model_id
JOIN reuse_repository rr ON rr.id = j.reuse_repository_id
JOIN model_to_license mtl ON mtl.model_id = j.model_id
JOIN license ml ON ml.id = mtl.license_id
JOIN reuse_repository_to_license rtl ON rtl.reuse_repository_id = j.reuse_repository_id
JOIN license rl ON rl.id = rtl.license_id
WHERE {conditions or "1 = 0"}
ORDER BY model, repository"""
    params = {f"p{i}": p for i, (p, _) in enumerate(pairs)} | {f"r{i}": r for i, (_, r) in enumerate(pairs)}
    return Query(sql, params)


def popularity_by_run(since: str | None) -> Query:
    """Per crawl run: models observed, the top 10 % of them by downloads (rounded up) and their downloads."""
    sql = f"""\
WITH ranked AS (
  SELECT o.run_id, COALESCE(o.downloads, 0) AS downloads,
         ROW_NUMBER() OVER (PARTITION BY o.run_id ORDER BY COALESCE(o.downloads, 0) DESC) AS rn,
         COUNT(*) OVER (PARTITION BY o.run_id) AS c
  FROM crawl_model_observation o
  JOIN crawl_run r ON r.id = o.run_id
  WHERE 1 = 1{_since("r.finished_at", since)}
)
SELECT r.id AS run_id, r.finished_at, COUNT(*) AS models,
       SUM(CASE WHEN ranked.rn <= (ranked.c + 9) / 10 THEN 1 ELSE 0 END) AS top10pct_models,
       SUM(CASE WHEN ranked.rn <= (ranked.c + 9) / 10 THEN ranked.downloads ELSE 0 END) AS top10pct_downloads,
       SUM(ranked.downloads) AS all_downloads
FROM ranked JOIN crawl_run r ON r.id = ranked.run_id
GROUP BY r.id, r.finished_at
ORDER BY r.id"""
    return Query(sql, _params(since))


LINEAGE = """\
SELECT base_model_name AS base_model, COALESCE(relation, 'unknown') AS relation,
       COUNT(DISTINCT model_id) AS derived_models
FROM model_to_base_model
GROUP BY base_model_name, COALESCE(relation, 'unknown')
ORDER BY derived_models DESC, base_model, relation"""


def crawl_runs(since: str | None) -> Query:
    """The crawl runs the report covers (listed on the page)."""
    sql = f"""\
SELECT id, spider, started_at, finished_at, status
FROM crawl_run
WHERE 1 = 1{_since("finished_at", since)}
ORDER BY id"""
    return Query(sql, _params(since))


# What the page states a figure rests on, beside its own rows.
HUB_TOTALS = """\
SELECT h.name AS hub, COUNT(*) AS models
FROM model m JOIN model_hub h ON h.id = m.model_hub_id
GROUP BY h.name
ORDER BY h.name"""


def figure_queries(since: str | None) -> dict[str, Query]:
    """name -> the query whose rows feed that figure (license_flows: pairs before normalisation)."""
    return {
        "metadata_availability": Query(METADATA_AVAILABILITY),
        "domains_by_hub": Query(DOMAINS_BY_HUB),
        "reuse_by_domain": Query(REUSE_BY_DOMAIN),
        "created_by_domain": created_by_domain(since),
        "median_parameters": median_parameters(since),
        "license_flows": Query(LICENSE_PAIRS),
        "popularity_by_run": popularity_by_run(since),
        "lineage": Query(LINEAGE),
        "models_by_spaces": Query(MODELS_BY_SPACES),
        "downstream_by_domain": Query(DOWNSTREAM_BY_DOMAIN),
    }
