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

COLUMNS = 2  # panels side by side; charts.js stacks them on a narrow screen
PANEL_HEIGHT = 190
FONT_SIZE = 16  # legend, ticks and panel titles readable from the back of a room
MAX_TICKS = 6  # year labels per panel before every other one is left out
LINE_COLOUR = "#00357a"  # the app's brand blue, 11:1 on white
TARGET_COLOUR = "#8a5100"  # dark orange, 6:1 on white, apart from the line in hue and shape


def index_over_years(
    series: Mapping[str, Sequence[SeriesPoint]],
    area_labels: Mapping[str, str],
    version_changes: Sequence[VersionChange],
    labels: Mapping[str, str],
    *,
    lang: str = "fi",
    columns: int = COLUMNS,
) -> dict:
    """Index per area over the years as small multiples: one panel per area (its title above
    it), the same 0-5 scale in each, the year's targets as marks and a vertical line where
    the content version changed. Eight lines in one plot cannot be told apart on a
    projector; eight panels can, and the type is projector-sized (``FONT_SIZE``).

    ``labels``: "year", "index", "target" (a format with {area}), "targets" (the legend
    entry of the marks) and "version_changed". static/js/charts.js lays the panels out in
    one column on a narrow screen (``layout.grid``).
    """
    areas = list(series)
    rows = max(1, -(-len(areas) // columns))
    data: list[dict] = []
    years = sorted({p.year for points in series.values() for p in points})
    ticks = years if len(years) <= MAX_TICKS else years[:: -(-len(years) // MAX_TICKS)]
    layout_axes: dict[str, dict] = {}
    shapes: list[dict] = []
    annotations: list[dict] = []
    font = {**FONT, "size": FONT_SIZE}
    for n, area in enumerate(areas):
        suffix = "" if n == 0 else str(n + 1)
        x_ref, y_ref = f"x{suffix}", f"y{suffix}"
        points = series[area]
        name = plain_text(area_labels.get(area, area))
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": plain_text(labels["index"]),
                "legendgroup": "index",
                "showlegend": n == 0,
                "xaxis": x_ref,
                "yaxis": y_ref,
                "x": [p.year for p in points],
                "y": [p.index for p in points],
                "line": {"color": LINE_COLOUR, "width": 3},
                "marker": {"symbol": "circle", "size": 9, "color": LINE_COLOUR},
                "connectgaps": False,
                "hovertemplate": f"{name} %{{x}}: %{{y:.2f}}<extra></extra>",
            }
        )
        targeted = [p for p in points if p.target is not None]
        if targeted:
            target_name = plain_text(labels["target"]).replace("{area}", name)
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": plain_text(labels["targets"]),
                    "legendgroup": "target",
                    "showlegend": not any(t.get("legendgroup") == "target" for t in data),
                    "xaxis": x_ref,
                    "yaxis": y_ref,
                    "x": [p.year for p in targeted],
                    "y": [p.target for p in targeted],
                    "marker": {
                        "symbol": "line-ew-open",
                        "size": 20,
                        "color": TARGET_COLOUR,
                        "line": {"width": 3, "color": TARGET_COLOUR},
                    },
                    "hovertemplate": f"{target_name} %{{x}}: %{{y}}<extra></extra>",
                }
            )
        first_column = n % columns == 0
        layout_axes[f"xaxis{suffix}"] = {
            "tickmode": "array",
            "tickvals": ticks,
            "ticktext": [str(y) for y in ticks],
            "range": _year_range(years),
            "fixedrange": True,
            "tickfont": {"size": FONT_SIZE},
            "gridcolor": "#d6dadd",
        }
        layout_axes[f"yaxis{suffix}"] = {
            "range": [0, MAX_STAGE + 0.3],
            "dtick": 1,
            "zeroline": False,
            "fixedrange": True,
            "tickfont": {"size": FONT_SIZE},
            "gridcolor": "#d6dadd",
            "showticklabels": True,
            **(
                {"title": {"text": plain_text(labels["index"]), "font": {"size": FONT_SIZE}}}
                if first_column and len(areas) == 1
                else {}
            ),
        }
        annotations.append(
            {
                "xref": f"{x_ref} domain",
                "yref": f"{y_ref} domain",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "text": name,
                "showarrow": False,
                "font": {"size": FONT_SIZE, "color": "#1f2328"},
            }
        )
        for change in version_changes:
            x = change.year - 0.5
            shapes.append(
                {
                    "type": "line",
                    "xref": x_ref,
                    "yref": f"{y_ref} domain",
                    "x0": x,
                    "x1": x,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#5f6b7a", "dash": "dot", "width": 2},
                }
            )
    if version_changes and areas:
        # Named once, above the panels: the dotted line means the same in every panel.
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1,
                "yshift": 26,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "text": plain_text(labels["version_changed"]),
                "font": {"size": FONT_SIZE, "color": "#3d4652"},
            }
        )
    return {
        "data": data,
        "layout": {
            "template": "none",
            "font": font,
            "separators": separators(lang),
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "grid": {
                "rows": rows,
                "columns": columns,
                "pattern": "independent",
                "roworder": "top to bottom",
                "xgap": 0.12,
                "ygap": 0.45,
            },
            **layout_axes,
            "height": PANEL_HEIGHT * rows + 110,
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 1,
                "yanchor": "top",
                "yref": "container",
                "font": {"size": FONT_SIZE},
            },
            "margin": {"l": 40, "r": 20, "t": 100, "b": 30},
            "shapes": shapes,
            "annotations": annotations,
            "hovermode": "closest",
        },
    }


def _year_range(years: Sequence[int]) -> list[float]:
    if not years:
        return [0, 1]
    return [min(years) - 0.5, max(years) + 0.5]
