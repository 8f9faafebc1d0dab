"""The history page's own figure: the index per area over the years (pure: no Flask).

The two-year overlay uses assess.charts.radar. Built as a plain dict rather than plotly
graph objects: the history page draws it on every view and graph-object validation would
cost more than the rest of the page. Labels come in translated through ``labels``; the page
also shows the figure as a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assess.charts import FONT, plain_text, separators
from assess.domain import MAX_STAGE
from assess.history import SeriesPoint, VersionChange

# Eight colours with at least 3:1 contrast on white, told apart by line dash and marker too.
COLOURS = ("#00357a", "#b3261e", "#1b7340", "#6a3fb5", "#8a5100", "#0b6a80", "#333333", "#a4286a")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star")


def _style(n: int) -> tuple[str, str, str]:
    return COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)], SYMBOLS[n % len(SYMBOLS)]


def index_over_years(
    series: Mapping[str, Sequence[SeriesPoint]],
    area_labels: Mapping[str, str],
    version_changes: Sequence[VersionChange],
    labels: Mapping[str, str],
    *,
    lang: str = "fi",
) -> dict:
    """Index per area over the years: one line per area, the year's targets as markers,
    and a vertical line where the content version changed.

    ``labels``: "year", "index", "target" (a format with {area}), "version_changed".
    """
    data: list[dict] = []
    years: list[int] = []
    for n, (area, points) in enumerate(series.items()):
        colour, dash, symbol = _style(n)
        years = [p.year for p in points]
        name = plain_text(area_labels.get(area, area))
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": name, "legendgroup": area,
            "x": years, "y": [p.index for p in points],
            "line": {"color": colour, "dash": dash, "width": 2},
            "marker": {"symbol": symbol, "size": 8, "color": colour},
            "connectgaps": False,
            "hovertemplate": f"{name} %{{x}}: %{{y:.2f}}<extra></extra>",
        })
        targeted = [p for p in points if p.target is not None]
        if targeted:
            target_name = plain_text(labels["target"]).replace("{area}", name)
            data.append({
                "type": "scatter", "mode": "markers", "name": target_name, "legendgroup": area,
                "showlegend": False,
                "x": [p.year for p in targeted], "y": [p.target for p in targeted],
                "marker": {"symbol": "line-ew-open", "size": 18, "color": colour,
                           "line": {"width": 3, "color": colour}},
                "hovertemplate": f"{target_name} %{{x}}: %{{y}}<extra></extra>",
            })
    shapes, annotations = [], []
    for change in version_changes:
        x = change.year - 0.5
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x,
                       "y0": 0, "y1": 1, "line": {"color": "#5f6b7a", "dash": "dot", "width": 2}})
        annotations.append({"xref": "x", "yref": "paper", "x": x, "y": 1, "yanchor": "bottom",
                            "text": plain_text(labels["version_changed"]), "showarrow": False,
                            "font": {"size": 12, "color": "#3d4652"}})
    return {
        "data": data,
        "layout": {
            "template": "none",
            "font": FONT,
            "separators": separators(lang),
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "xaxis": {"title": {"text": plain_text(labels["year"])}, "tickmode": "array", "tickvals": years,
                      "ticktext": [str(y) for y in years], "range": _year_range(years)},
            "yaxis": {"title": {"text": plain_text(labels["index"])}, "range": [0, MAX_STAGE + 0.2],
                      "dtick": 1, "zeroline": False},
            "legend": {"orientation": "h", "y": -0.2},
            "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
            "shapes": shapes,
            "annotations": annotations,
            "hovermode": "closest",
        },
    }


def _year_range(years: Sequence[int]) -> list[float]:
    if not years:
        return [0, 1]
    return [min(years) - 0.5, max(years) + 0.5]
