"""The benchmark page's figure (pure: no Flask): per area, the middle half of the group's
maturity indices (Q1-Q3) as a bar, the median as a mark and the own organisation as a
diamond. Built as a plain dict, like assess.history_charts, so the page stays fast.
Hidden figures (the privacy rule) leave their area empty; the table beside the chart says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .benchmark import AreaRow
from .charts import BLUE, CURRENT_COLOUR, FONT, ORANGE, separators

MAX_INDEX = 5


def index_spread(
    rows: Sequence[AreaRow], area_labels: Mapping[str, str], labels: Mapping[str, str], *, lang: str = "fi"
) -> dict:
    """``labels``: "middle" (the Q1-Q3 bar), "median", "own" and "index" (axis title)."""
    y = [area_labels.get(r.area, r.area) for r in rows]
    shown = [r.figure for r in rows]
    q1 = [f.index.q1 if f else None for f in shown]
    width = [round(f.index.q3 - f.index.q1, 6) if f else None for f in shown]
    median = [f.index.median if f else None for f in shown]
    own = [r.own.index if r.own and r.figure else None for r in rows]
    data: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": labels["middle"],
            "y": y,
            "x": width,
            "base": q1,
            "marker": {"color": "rgba(0, 114, 178, 0.35)", "line": {"color": BLUE, "width": 1}},
            "hovertemplate": "%{y}: %{base:.2f}–%{x:.2f}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": labels["median"],
            "y": y,
            "x": median,
            "marker": {
                "symbol": "line-ns-open",
                "size": 22,
                "color": "#1f2328",
                "line": {"width": 3, "color": "#1f2328"},
            },
            "hovertemplate": "%{y}: %{x:.2f}<extra>" + labels["median"] + "</extra>",
        },
    ]
    if any(v is not None for v in own):
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": labels["own"],
                "y": y,
                "x": own,
                "marker": {
                    "symbol": "diamond",
                    "size": 13,
                    "color": ORANGE,
                    "line": {"width": 1.5, "color": CURRENT_COLOUR},
                },
                "hovertemplate": "%{y}: %{x:.2f}<extra>" + labels["own"] + "</extra>",
            }
        )
    # plotly draws a bar's "x" from its base: hover shows the width, so give the end too.
    data[0]["customdata"] = [
        [a + b if a is not None and b is not None else None] for a, b in zip(q1, width, strict=True)
    ]
    data[0]["hovertemplate"] = "%{y}: %{base:.2f}–%{customdata[0]:.2f}<extra></extra>"
    return {
        "data": data,
        "layout": {
            "template": "none",
            "font": FONT,
            "separators": separators(lang),
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "barmode": "overlay",
            "xaxis": {
                "title": {"text": labels["index"]},
                "range": [-0.1, MAX_INDEX + 0.15],
                "tickvals": list(range(MAX_INDEX + 1)),
                "gridcolor": "#c8cdd0",
                "fixedrange": True,
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
            "legend": {"orientation": "h", "y": -0.25},
            "height": 120 + 40 * len(rows),
            "margin": {"l": 10, "r": 20, "t": 20, "b": 50},
            "hovermode": "closest",
        },
    }
