"""The figures, drawn with matplotlib (Agg) from the rows of :mod:`report.queries`, saved as PNG and SVG.

Each function takes the figure's CSV rows and returns a matplotlib ``Figure``. Scales follow the paper: counts of
models and repositories on log axes, parameter counts on a log axis. An empty result still gives a figure that
says so, so every figure of the page exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: figures are files

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import EngFormatter, FuncFormatter, LogLocator, MaxNLocator  # noqa: E402

Rows = Sequence[Sequence[Any]]

VERDICT_COLOURS = {
    "compatible": "#2a9d4b",
    "incompatible": "#d62728",
    "unknown": "#9a9a9a",
    "no-license": "#f2a93b",
}
TOP_N = 20  # bars shown in the long-tailed figures (the CSV keeps every row)


def _t(value: Any) -> str:
    """A name from the database as plain text: an unescaped '$' would start TeX (mathtext) and can fail to draw."""
    return str(value).replace("$", r"\$")


def _figure(title: str, height: float = 4.8) -> tuple[Figure, Any]:
    fig, ax = plt.subplots(figsize=(9, height), layout="constrained")
    ax.set_title(title)
    return fig, ax


def _empty(fig: Figure, ax: Any, what: str) -> Figure:
    ax.text(0.5, 0.5, f"No {what} in this database", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _log_counts(axis: Any, set_lim: Callable[..., Any], top: float) -> None:
    """A log axis of counts up to ``top``: plain labels (1, 10, 1,000; 2 and 5 too over less than two decades,
    where the powers of ten alone are too few) and its origin at 0.5, so a bar of 1 shows."""
    plain = FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else "")
    axis.set_major_formatter(plain)
    axis.set_minor_locator(LogLocator(base=10, subs=(2, 5)))
    axis.set_minor_formatter(plain if top < 100 else FuncFormatter(lambda v, _: ""))
    set_lim(0.5)


def _month(value: str) -> date:
    year, month = value.split("-")[:2]
    return date(int(year), int(month), 1)


def metadata_availability(rows: Rows) -> Figure:
    fig, ax = _figure("Enhanced metadata: share of enriched models with a value", 6)
    if not rows or not rows[0][1]:
        return _empty(fig, ax, "enriched models")
    ordered = sorted(rows, key=lambda r: r[3])
    ax.barh([_t(r[0]) for r in ordered], [100 * float(r[3]) for r in ordered], color="#3b75af")
    ax.set_xlabel(f"models with a value (% of {rows[0][1]:,} enriched models)")
    ax.set_xlim(0, 100)
    return fig


def _grouped_barh(ax: Any, groups: list[str], categories: list[str], value: Callable[[str, str], float]) -> list[Any]:
    """One row of bars per category (top to bottom), one bar per group in it; returns each group's bars."""
    height = 0.8 / len(groups)
    bars = []
    for i, group in enumerate(groups):
        ys = [j + i * height for j in range(len(categories))]
        bars.append(ax.barh(ys, [value(group, c) for c in categories], height=height, label=_t(group)))
    ax.set_yticks([j + height * (len(groups) - 1) / 2 for j in range(len(categories))], [_t(c) for c in categories])
    ax.invert_yaxis()
    return bars


def _by_hub(rows: Rows, title: str, unit: str) -> Figure:
    fig, ax = _figure(title)
    if not rows:
        return _empty(fig, ax, unit)
    domains = sorted({r[1] for r in rows}, key=lambda d: -sum(r[2] for r in rows if r[1] == d))
    count = {(r[0], r[1]): r[2] for r in rows}
    _grouped_barh(ax, sorted({r[0] for r in rows}), domains, lambda hub, d: count.get((hub, d), 0))
    ax.set_xscale("log")
    _log_counts(ax.xaxis, ax.set_xlim, max(r[2] for r in rows))
    ax.set_xlabel(f"{unit} (log scale)")
    ax.legend(title="hub", loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the bars, never over one
    return fig


def domains_by_hub(rows: Rows) -> Figure:
    return _by_hub(rows, "Models per domain and hub", "models")


def reuse_by_domain(rows: Rows) -> Figure:
    return _by_hub(rows, "Downstream repositories reusing PTMs of each domain", "repositories")


def _monthly(rows: Rows, title: str, ylabel: str, value: int, units: bool = False) -> Figure:
    fig, ax = _figure(title)
    if not rows:
        return _empty(fig, ax, "dated models")
    series: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for r in rows:
        series[r[1]].append((_month(r[0]), float(r[value])))
    for domain, points in sorted(series.items()):
        points.sort()
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3, label=_t(domain))
    locator = mdates.AutoDateLocator(maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel("month created")
    ax.set_yscale("log")
    if units:  # 100M, 1G rather than 10^8, 10^9; 200M and 500M labelled too, so a narrow range still has labels
        ax.yaxis.set_major_formatter(EngFormatter(sep=""))
        ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(2, 5)))
        ax.yaxis.set_minor_formatter(EngFormatter(sep=""))
    ax.set_ylabel(ylabel)
    ax.legend(title="domain", fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the lines
    return fig


def created_by_domain(rows: Rows) -> Figure:
    return _monthly(rows, "Hugging Face models created per month, by domain", "models created (log scale)", 2)


def median_parameters(rows: Rows) -> Figure:
    return _monthly(rows, "Median parameter count per month, by domain", "median parameters (log scale)", 2, units=True)


def license_flows(rows: Rows) -> Figure:
    """Static companion of the Sankey: pairs per PTM license, split by verdict."""
    fig, ax = _figure("PTM license -> license of the reusing repository", 6)
    if not rows:
        return _empty(fig, ax, "PTM -> repository links")
    totals: dict[str, int] = defaultdict(int)
    split: dict[tuple[str, str], int] = defaultdict(int)
    for ptm, _repo, pairs, verdict in rows:
        totals[ptm] += pairs
        split[(ptm, verdict)] += pairs
    licenses = sorted(totals, key=lambda k: -totals[k])[:TOP_N]
    left = [0] * len(licenses)
    for verdict, colour in VERDICT_COLOURS.items():
        widths = [split.get((lic, verdict), 0) for lic in licenses]
        ax.barh([_t(x) for x in licenses], widths, left=left, color=colour, label=verdict)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("(PTM, repository) license pairs")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("PTM license")
    ax.legend(title="compatibility")
    return fig


def popularity_by_run(rows: Rows) -> Figure:
    fig, ax = _figure("Share of downloads held by the top 10 % of models, per crawl run")
    if not rows:
        return _empty(fig, ax, "crawl runs with observations")
    labels = [_t(f"run {r[0]}\n{(r[1] or '')[:10]}") for r in rows]
    shares = [100 * r[4] / r[5] if r[5] else 0 for r in rows]
    bars = ax.bar(labels, shares, color="#3b75af")
    ax.bar_label(bars, [f"{s:.1f} %" for s in shares])
    ax.set_ylim(0, 105)
    ax.set_ylabel("downloads of the top 10 % of models (% of all)")
    ax.set_xlabel("crawl run (finished)")
    if len(rows) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    return fig


def lineage(rows: Rows) -> Figure:
    fig, ax = _figure(f"Largest model families (top {TOP_N} base models)", 6)
    if not rows:
        return _empty(fig, ax, "base model links")
    totals: dict[str, int] = defaultdict(int)
    for base, _relation, n in rows:
        totals[base] += n
    bases = sorted(totals, key=lambda b: (-totals[b], b))[:TOP_N]
    relations = sorted({r[1] for r in rows if r[0] in bases})
    count = {(r[0], r[1]): r[2] for r in rows}
    left = [0] * len(bases)
    for relation in relations:
        widths = [count.get((b, relation), 0) for b in bases]
        ax.barh([_t(b) for b in bases], widths, left=left, label=_t(relation))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize="small")
    ax.set_xlabel("derived models")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title="relation")
    return fig


def _spaces_bin(n: int) -> tuple[int, str]:
    """A Space count's bar: 0, 1, then 2-4, 5-9, 10-19, 20-49, ... (1-2-5 steps), so a model declared by
    thousands of Spaces does not make thousands of bars."""
    if n < 2:
        return n, str(n)
    decade = 10 ** (len(str(n)) - 1)
    step = 5 if n >= 5 * decade else 2 if n >= 2 * decade else 1
    low, high = step * decade, {1: 2, 2: 5, 5: 10}[step] * decade - 1
    return low, f"{low:,}-{high:,}"


def models_by_spaces(rows: Rows) -> Figure:
    fig, ax = _figure("Hugging Face models by the number of Spaces that declare them")
    if not rows:
        return _empty(fig, ax, "Hugging Face models")
    bins: dict[tuple[int, str], int] = defaultdict(int)
    for spaces, models, _share in rows:
        bins[_spaces_bin(int(spaces))] += int(models)
    ordered = sorted(bins)
    bars = ax.bar([label for _, label in ordered], [bins[b] for b in ordered], color="#3b75af")
    ax.bar_label(bars, [f"{bins[b]:,}" for b in ordered], fontsize="small")
    ax.set_yscale("log")
    _log_counts(ax.yaxis, ax.set_ylim, max(bins.values()))
    ax.set_ylabel("models (log scale)")
    ax.set_xlabel("Spaces declaring the model")
    if len(bins) > 8:
        ax.tick_params(axis="x", labelrotation=45)
    return fig


def downstream_by_domain(rows: Rows) -> Figure:
    fig, ax = _figure("Downstream use per domain: GitHub repositories vs Spaces")
    if not rows:
        return _empty(fig, ax, "downstream uses of PTMs with a domain")
    kinds = sorted({r[0] for r in rows})
    domains = sorted({r[1] for r in rows}, key=lambda d: (-sum(float(r[3]) for r in rows if r[1] == d), d))
    found = {(r[0], r[1]): (r[2], float(r[3])) for r in rows}
    bars = _grouped_barh(ax, kinds, domains, lambda kind, d: 100 * found.get((kind, d), (0, 0.0))[1])
    for kind, kind_bars in zip(kinds, bars, strict=True):
        counts = [found.get((kind, d), (0, 0.0))[0] for d in domains]
        ax.bar_label(kind_bars, [f"{n:,}" if n else "" for n in counts], fontsize="small", padding=2)
    ax.set_xlim(0, 108)  # room for the count labels beside a 100 % bar
    ax.set_xlabel("repositories using a PTM of the domain (% of that kind's users of PTMs with a domain)")
    ax.legend(title="downstream", loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig


DRAW: dict[str, Callable[[Rows], Figure]] = {
    "metadata_availability": metadata_availability,
    "domains_by_hub": domains_by_hub,
    "reuse_by_domain": reuse_by_domain,
    "created_by_domain": created_by_domain,
    "median_parameters": median_parameters,
    "license_flows": license_flows,
    "popularity_by_run": popularity_by_run,
    "lineage": lineage,
    "models_by_spaces": models_by_spaces,
    "downstream_by_domain": downstream_by_domain,
}


def save(name: str, rows: Rows, folder: Path) -> tuple[Path, Path]:
    """Draw figure ``name`` and write ``folder/<name>.png`` and ``.svg``."""
    folder.mkdir(parents=True, exist_ok=True)
    fig = DRAW[name](rows)
    try:
        png, svg = folder / f"{name}.png", folder / f"{name}.svg"
        fig.savefig(png, dpi=110)
        fig.savefig(svg)
    finally:
        plt.close(fig)
    return png, svg
