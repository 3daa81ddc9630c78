"""Runs a report: the figure queries in the database, license verdicts, CSVs, figures and the page.

``build_report(url, output, since)`` is what ``scrapy report`` calls.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url

from report.deps import require_report_extra

logger = logging.getLogger(__name__)

MONTH = re.compile(r"\d{4}-\d{2}")
ENRICHED_MODELS = "SELECT COUNT(DISTINCT model_id) FROM enrich_field_provenance"


@dataclass
class FigureResult:
    """One figure: its CSV rows, the SQL it ran and the counts the page states."""

    name: str
    rows: list[tuple[Any, ...]]
    sql: str
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class LicenseSummary:
    total_pairs: int
    by_verdict: dict[str, int]
    identical: int
    incompatible_links: int

    def share(self, count: int) -> float:
        return 100 * count / self.total_pairs if self.total_pairs else 0.0

    def headlines(self) -> dict[str, float]:
        """Ours, in the paper's terms: not analysed = no verdict (unknown) or no repository license."""
        not_analysed = self.by_verdict.get("unknown", 0) + self.by_verdict.get("no-license", 0)
        return {
            "identical": self.share(self.identical),
            "incompatible": self.share(self.by_verdict.get("incompatible", 0)),
            "not analysed": self.share(not_analysed),
        }


@dataclass
class Findings:
    """Everything the queries found: the figures' rows, the license summary, the incompatible links (model,
    repository, PTM license, repository license), the crawl runs covered and the models per hub."""

    figures: list[FigureResult]
    licenses: LicenseSummary
    incompatible: list[tuple[Any, ...]]
    runs: list[tuple[Any, ...]]
    hubs: list[tuple[Any, ...]]


@dataclass
class Report:
    output: Path
    since: str | None
    database: str  # URL without its password
    findings: Findings
    written: list[Path] = field(default_factory=list)


def open_database(url: str) -> Engine:
    """A read engine for ``url``; a SQLite file that does not exist is an error, not a new empty database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database not in ("", ":memory:") and not Path(database).expanduser().exists():
            raise FileNotFoundError(f"no database at {database} (set DATABASE_URL to the crawl's database)")
    from crawler.db.engine import open_engine

    return open_engine(url)  # brings an older schema to head (additive), so every table the queries use exists


def _license_flows(conn: Any, pairs: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], LicenseSummary, list[Any]]:
    from report import licenses, queries

    flows: dict[tuple[str, str], int] = {}
    verdicts: dict[tuple[str, str], str] = {}
    incompatible_raw: list[tuple[str, str]] = []
    identical = 0
    for ptm, repo, n in pairs:
        key = (licenses.normalise(ptm).label, licenses.normalise(repo).label)
        verdicts[key] = licenses.verdict(ptm, repo)
        flows[key] = flows.get(key, 0) + n
        identical += n if licenses.identical(ptm, repo) else 0
        if verdicts[key] == licenses.INCOMPATIBLE:
            incompatible_raw.append((ptm, repo))
    rows = [(p, r, n, verdicts[(p, r)]) for (p, r), n in sorted(flows.items(), key=lambda kv: (-kv[1], kv[0]))]
    details = queries.license_pair_details(incompatible_raw).rows(conn) if incompatible_raw else []
    incompatible = [(m, repo, licenses.normalise(p).label, licenses.normalise(r).label) for m, repo, p, r in details]
    by_verdict = {v: sum(row[2] for row in rows if row[3] == v) for v in licenses.VERDICTS}
    summary = LicenseSummary(sum(flows.values()), by_verdict, identical, len(incompatible))
    return rows, summary, incompatible


def _counts(name: str, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    if name == "metadata_availability":
        return {"enriched models": rows[0][1] if rows else 0}
    if name in ("domains_by_hub", "created_by_domain"):
        return {"model-domain rows": sum(r[2] for r in rows), "groups": len(rows)}
    if name == "reuse_by_domain":
        return {"repository-domain rows": sum(r[2] for r in rows), "groups": len(rows)}
    if name == "median_parameters":
        return {"models with a parameter count": sum(r[3] for r in rows), "groups": len(rows)}
    if name == "license_flows":
        return {"license pairs": sum(r[2] for r in rows), "distinct pairs": len(rows)}
    if name == "models_by_spaces":
        declared = [r for r in rows if r[0]]
        return {
            "Hugging Face models": sum(r[1] for r in rows),
            "models declared by at least one Space": sum(r[1] for r in declared),
            "Space -> model declarations": sum(r[0] * r[1] for r in declared),
        }
    if name == "downstream_by_domain":
        from report.queries import DOWNSTREAM

        per_kind = {f"repository-domain rows ({kind})": sum(r[2] for r in rows if r[0] == kind) for kind in DOWNSTREAM}
        return per_kind | {"groups": len(rows)}
    if name == "popularity_by_run":
        return {"crawl runs": len(rows), "observations": sum(r[2] for r in rows)}
    return {"derived-model links": sum(r[2] for r in rows), "base models": len({r[0] for r in rows})}


def _availability(conn: Any, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Every one of the 20 fields, in the enrichment's order, with zero for fields no model has."""
    from enrich.fields import FIELD_NAMES

    found = {r[0]: r[2] for r in rows}
    enriched = rows[0][1] if rows else conn.exec_driver_sql(ENRICHED_MODELS).scalar_one()
    return [(f, enriched, found.get(f, 0), found.get(f, 0) / enriched if enriched else 0.0) for f in FIELD_NAMES]


def _dated(name: str, rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], int]:
    """Rows whose month reads as YYYY-MM, and how many did not (a created_at the Hub sent in another shape)."""
    good = [r for r in rows if isinstance(r[0], str) and MONTH.fullmatch(r[0])]
    if len(good) < len(rows):
        logger.warning("report: %s: %d groups without a readable YYYY-MM month left out", name, len(rows) - len(good))
    return good, len(rows) - len(good)


def collect(engine: Engine, since: str | None) -> Findings:
    """Run every query of the report."""
    from report import queries

    figures: list[FigureResult] = []
    summary = LicenseSummary(0, {}, 0, 0)
    incompatible: list[tuple[Any, ...]] = []
    with engine.connect() as conn:
        for name, query in queries.figure_queries(since).items():
            rows = query.rows(conn)
            if name == "metadata_availability":
                rows = _availability(conn, rows)
            if name == "license_flows":
                rows, summary, incompatible = _license_flows(conn, rows)
            counts = {}
            if name == "models_by_spaces":
                unresolved = conn.exec_driver_sql(queries.UNRESOLVED_DECLARATIONS).scalar_one()
                counts = {"declared names matching no stored model": unresolved}
            if name in ("created_by_domain", "median_parameters"):
                rows, unreadable = _dated(name, rows)
                counts = {"groups left out (unreadable creation date)": unreadable} if unreadable else {}
            figures.append(FigureResult(name, rows, query.sql, _counts(name, rows) | counts))
        runs = queries.crawl_runs(since).rows(conn)
        hubs = queries.Query(queries.HUB_TOTALS).rows(conn)
    return Findings(figures, summary, incompatible, runs, hubs)


def build_report(url: str, output: Path, since: str | None = None) -> Report:
    """Write ``output/index.html``, ``output/figures/*.png|svg`` and ``output/data/*.csv`` for the database."""
    require_report_extra()
    from report import csvdata, figures, page

    engine = open_database(url)
    findings = collect(engine, since)
    report = Report(output, since, make_url(url).render_as_string(hide_password=True), findings)
    data, figs = output / "data", output / "figures"
    for result in findings.figures:
        report.written.append(csvdata.write_csv(data, result.name, result.rows))
        report.written.extend(figures.save(result.name, result.rows, figs))
    report.written.append(csvdata.write_csv(data, "license_incompatible", findings.incompatible))
    report.written.append(page.write_page(report))
    return report
