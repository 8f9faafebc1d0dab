"""Plotly figures for the results, the history and the plan (pure: no Flask, no SQL).

Every function returns the figure as a plain dict ({"data": [...], "layout": {...}}), ready
for ``|tojson`` in a ``<script type="application/json">`` block that static/js/charts.js
draws with the plotly.js the app serves itself. Labels and trace names come from the caller
already translated, so this module needs no request. Colours are colour-blind safe: the
Okabe-Ito palette for categories and the Cividis scale for fulfilment. Each chart has a
table equivalent in its template; the charts are for seeing, the tables for reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go

from .formatting import chart_separators, format_fulfilment

MAX_INDEX = 5

FONT = {"family": '"Source Sans 3", "Source Sans Pro", system-ui, sans-serif', "size": 14, "color": "#1f2328"}
# Okabe & Ito (2008): distinguishable with every common colour vision deficiency.
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072b2", "#e69f00", "#009e73", "#d55e00", "#6b7280"
CURRENT_COLOUR = "#00357a"  # the app's own brand blue for "this assessment"
STATUS_COLOURS = {"planned": BLUE, "in_progress": ORANGE, "done": GREEN, "dropped": GREY}
# The Cividis scale (Nuñez et al. 2018), as in plotly: for the HTML key beside the heatmap.
CIVIDIS = (
    "#00224e",
    "#123570",
    "#3b496c",
    "#575d6d",
    "#707173",
    "#8a8678",
    "#a59c74",
    "#c3b369",
    "#e1cc55",
    "#fee838",
)
REACHED_MARK = "✓"

# plotly.js reads a subset of HTML in every text it draws (<a href>, <span style>, <b>…) and
# "%{…}" in hover templates. Text from users and content is written as entities, which
# plotly shows as the characters themselves: plain text, never markup or a link.
_PLAIN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;", "\n": " "})


def plain_text(text: str) -> str:
    """Text as plotly shows it literally."""
    return str(text).translate(_PLAIN)


MISSING_MARK = "–"


def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: Finnish "1 234,5", English "1,234.5"."""
    return chart_separators(lang)


def _layout(lang: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": "none",
        "font": FONT,
        "separators": separators(lang),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 40, "r": 40, "t": 30, "b": 40},
        "hoverlabel": {"font": {"family": FONT["family"]}},
    }
    layout.update(extra)
    return layout


# An index reads with two decimals in a chart too (the separators come from the layout).
INDEX_HOVER = "%{theta}: %{r:.2f}<extra>%{fullData.name}</extra>"


def _closed(values: Sequence[Any]) -> list[Any]:
    """A radar line returns to its first point."""
    return [*values, values[0]] if values else []


def radar(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    name: str,
    lang: str = "fi",
    compare: tuple[str, Sequence[float | None]] | None = None,
    target: tuple[str, Sequence[float | None]] | None = None,
    missing: str | None = None,
) -> dict[str, Any]:
    """The maturity indices (0-5) per area on a radar; ``None`` leaves a gap.

    ``compare`` (name, values) adds another year as a dashed line, ``target`` (name, stages)
    the targets as a dotted line; both in the order of ``labels``. An area without a value
    keeps its place and label on the circle (the angular axis lists every label), and with
    ``missing`` (the legend text, e.g. "not enough answers") it gets a hollow grey cross at
    the centre, so a gap reads as "not assessed" rather than as a missing area.
    """
    if len(values) != len(labels):
        raise ValueError("one value per label")
    plain_labels = [plain_text(x) for x in labels]
    theta = _closed(plain_labels)
    fig = go.Figure()
    if compare is not None:
        fig.add_trace(
            go.Scatterpolar(
                r=_closed(list(compare[1])),
                theta=theta,
                name=plain_text(compare[0]),
                mode="lines+markers",
                hovertemplate=INDEX_HOVER,
                line={"color": ORANGE, "dash": "dash", "width": 2},
                marker={"symbol": "square"},
            )
        )
    fig.add_trace(
        go.Scatterpolar(
            # A gap (an area without an index) would make the filled shape misleading.
            r=_closed(list(values)),
            theta=theta,
            name=plain_text(name),
            mode="lines+markers",
            hovertemplate=INDEX_HOVER,
            fill="toself" if None not in values else "none",
            fillcolor="rgba(0, 53, 122, 0.15)",
            line={"color": CURRENT_COLOUR, "width": 3},
            marker={"size": 8},
        )
    )
    gaps = [label for label, value in zip(plain_labels, values, strict=True) if value is None]
    if missing is not None and gaps:
        fig.add_trace(
            go.Scatterpolar(
                r=[0] * len(gaps),
                theta=gaps,
                name=plain_text(missing),
                mode="markers",
                marker={
                    "symbol": "x-thin-open",
                    "size": 14,
                    "color": GREY,
                    "line": {"width": 3, "color": GREY},
                },
                hovertemplate="%{theta}: " + plain_text(missing) + "<extra></extra>",
            )
        )
    if target is not None:
        fig.add_trace(
            go.Scatterpolar(
                r=_closed(list(target[1])),
                theta=theta,
                name=plain_text(target[0]),
                mode="lines+markers",
                line={"color": GREEN, "dash": "dot", "width": 2},
                marker={"symbol": "diamond"},
            )
        )
    fig.update_layout(
        **_layout(
            lang,
            polar={
                "radialaxis": {
                    "range": [0, MAX_INDEX],
                    "tickvals": list(range(MAX_INDEX + 1)),
                    "angle": 90,
                    "tickangle": 90,
                    "gridcolor": "#c8cdd0",
                },
                # Every area keeps its label, also one whose value is a gap.
                "angularaxis": {
                    "direction": "clockwise",
                    "rotation": 90,
                    "gridcolor": "#c8cdd0",
                    "type": "category",
                    "categoryorder": "array",
                    "categoryarray": plain_labels,
                },
            },
            showlegend=compare is not None or target is not None or (missing is not None and bool(gaps)),
            legend={"orientation": "h", "y": -0.1},
            margin={"l": 90, "r": 90, "t": 40, "b": 40},
        )
    )
    return fig.to_plotly_json()


def heatmap_text(fulfilment: float | None, reached: bool) -> str:
    """What a heatmap cell says: ✓ when reached, – when nothing was answered."""
    if fulfilment is None:
        return MISSING_MARK
    return REACHED_MARK if reached else ""


def heatmap(
    area_labels: Sequence[str],
    step_labels: Sequence[str],
    fulfilment: Sequence[Sequence[float | None]],
    reached: Sequence[Sequence[bool]],
    *,
    lang: str = "fi",
) -> dict[str, Any]:
    """The areas x steps grid coloured by fulfilment 0-1 (None: no colour), reached cells ✓.

    No colour bar: plotly.js sets an empty inline style on its fills, which our CSP reports;
    the page shows the scale as an HTML key instead (see ``CIVIDIS``).
    """
    if len(fulfilment) != len(area_labels) or len(reached) != len(area_labels):
        raise ValueError("one row per area")
    if any(len(row) != len(step_labels) for row in (*fulfilment, *reached)):
        raise ValueError("one column per step")
    z = [[None if v is None else float(v) for v in row] for row in fulfilment]
    text = [
        [heatmap_text(v, r) for v, r in zip(row, marks, strict=True)]
        for row, marks in zip(fulfilment, reached, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[plain_text(x) for x in step_labels],
            y=[plain_text(y) for y in area_labels],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 18},
            zmin=0,
            zmax=1,
            colorscale=[[n / (len(CIVIDIS) - 1), colour] for n, colour in enumerate(CIVIDIS)],
            xgap=2,
            ygap=2,
            # The percent as the page writes it ("63 %" in Finnish), not plotly's "63%".
            customdata=[[format_fulfilment(v, lang) for v in row] for row in fulfilment],
            hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
            hoverongaps=False,
            showscale=False,
        )
    )
    fig.update_layout(
        **_layout(
            lang,
            xaxis={"side": "top", "fixedrange": True},
            yaxis={"autorange": "reversed", "fixedrange": True, "automargin": True},
            height=80 + 44 * len(area_labels),
            margin={"l": 10, "r": 10, "t": 40, "b": 10},
        )
    )
    return fig.to_plotly_json()


def period(year: int, quarter: int | None) -> tuple[date, date]:
    """A schedule as dates: the whole year, or one quarter; the end is exclusive."""
    if quarter is None:
        return date(year, 1, 1), date(year + 1, 1, 1)
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1-4")
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


MS_PER_DAY = 86_400_000


def timeline(
    entries: Sequence[Mapping[str, Any]], status_labels: Mapping[str, str], *, lang: str = "fi"
) -> dict[str, Any]:
    """Plan entries as bars over their schedule, one row per entry, coloured by status.

    Each entry: {"label", "year", "quarter" (or None), "status"}; entries without a year
    are left out (the table lists them). Rows keep the order given, first at the top.
    """
    scheduled = [e for e in entries if e.get("year")]
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        rows = [e for e in scheduled if e["status"] == status]
        if not rows:
            continue
        spans = [period(e["year"], e.get("quarter")) for e in rows]
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=plain_text(status_labels.get(status, status)),
                y=[plain_text(e["label"]) for e in rows],
                base=[start.isoformat() for start, _end in spans],
                x=[(end - start).days * MS_PER_DAY for start, end in spans],
                marker={"color": colour, "line": {"color": "#1f2328", "width": 1}},
                customdata=[[plain_text(e.get("schedule_text", ""))] for e in rows],
                hovertemplate="%{y}<br>%{customdata[0]}<extra>%{fullData.name}</extra>",
            )
        )
    order = [plain_text(e["label"]) for e in scheduled]
    fig.update_layout(
        **_layout(
            lang,
            barmode="overlay",
            # Years on the axis and a line at every quarter: a month ("04/2027") is not how a
            # plan is scheduled, and a quarter label at every tick would not fit.
            xaxis={
                "type": "date",
                "dtick": "M12",
                "tickformat": "%Y",
                "ticklabelmode": "period",
                "gridcolor": "#8a9196",
                "minor": {"dtick": "M3", "showgrid": True, "gridcolor": "#c8cdd0"},
            },
            yaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": order,
                "autorange": "reversed",
                "automargin": True,
            },
            height=120 + 32 * max(len(scheduled), 1),
            legend={"orientation": "h", "y": -0.15},
            margin={"l": 10, "r": 20, "t": 20, "b": 40},
        )
    )
    return fig.to_plotly_json()
