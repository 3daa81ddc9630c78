"""The license-flow Sankey (paper Fig. 12) as a plotly ``<div>``, and plotly's JavaScript to inline in the page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from report.figures import TOP_N, VERDICT_COLOURS

SANKEY_DIV_ID = "license-sankey"
OTHERS = "(other licenses)"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def sankey_div(rows: Sequence[Sequence[Any]]) -> str:
    """``rows``: (ptm_license, repository_license, pairs, compatibility). Licenses beyond the top ones per side
    are merged into one node so the labels stay readable; the CSV keeps every pair."""
    import plotly.graph_objects as go

    def top(index: int) -> set[str]:
        totals: dict[str, int] = {}
        for r in rows:
            totals[r[index]] = totals.get(r[index], 0) + r[2]
        return set(sorted(totals, key=lambda k: -totals[k])[:TOP_N])

    keep_ptm, keep_repo = top(0), top(1)
    links: dict[tuple[str, str, str], int] = {}
    for ptm, repo, pairs, verdict in rows:
        key = (ptm if ptm in keep_ptm else OTHERS, repo if repo in keep_repo else OTHERS, verdict)
        links[key] = links.get(key, 0) + pairs
    left = sorted({k[0] for k in links})
    right = sorted({k[1] for k in links})
    labels = [f"PTM: {x}" for x in left] + [f"repo: {x}" for x in right]
    index = {("l", x): i for i, x in enumerate(left)} | {("r", x): len(left) + i for i, x in enumerate(right)}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": labels, "pad": 12, "thickness": 14, "color": "#5a7fa8"},
            link={
                "source": [index[("l", k[0])] for k in links],
                "target": [index[("r", k[1])] for k in links],
                "value": list(links.values()),
                "color": [_rgba(VERDICT_COLOURS[k[2]], 0.55) for k in links],
                "customdata": [k[2] for k in links],
                "hovertemplate": "%{source.label} -> %{target.label}<br>%{value} pairs: %{customdata}<extra></extra>",
            },
        )
    )
    fig.update_layout(
        title_text="PTM license (left) -> license of the repository that reuses it (right)",
        height=max(420, 26 * max(len(left), len(right))),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font_size=12,
    )
    return str(fig.to_html(full_html=False, include_plotlyjs=False, div_id=SANKEY_DIV_ID))


def plotly_js() -> str:
    """plotly.js itself, to inline: the page must open offline."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())
