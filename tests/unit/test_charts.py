"""Tests for the figure dicts of assess.charts: what plotly.js will draw."""

from __future__ import annotations

import json
from datetime import date

import pytest

from assess import charts

AREAS = [f"Alue {n}" for n in range(1, 9)]
STEPS = [f"{n}" for n in range(1, 6)]


def grid() -> tuple[list[list[float | None]], list[list[bool]]]:
    fulfilment: list[list[float | None]] = [[1.0, 0.8, 0.5, None, None] for _ in AREAS]
    fulfilment[7] = [None] * 5
    reached = [[v is not None and v >= 0.75 for v in row] for row in fulfilment]
    return fulfilment, reached


def test_radar_has_eight_points_closed_on_a_0_to_5_axis() -> None:
    values = [1.5, 2.0, None, 3.25, 0.0, 5.0, 4.0, 1.0]
    figure = charts.radar(AREAS, values, name="2025")
    assert len(figure["data"]) == 1
    trace = figure["data"][0]
    assert trace["type"] == "scatterpolar"
    # Eight areas, the first repeated to close the shape.
    assert list(trace["r"]) == [*values, 1.5]
    assert list(trace["theta"]) == [*AREAS, AREAS[0]]
    assert list(figure["layout"]["polar"]["radialaxis"]["range"]) == [0, 5]
    json.dumps(figure)  # serialisable as is


def test_radar_comparison_and_target_traces() -> None:
    figure = charts.radar(
        AREAS, [1] * 8, name="2025", compare=("2024", [0.5] * 8), target=("Tavoite", [2] * 8)
    )
    names = [t["name"] for t in figure["data"]]
    assert names == ["2024", "2025", "Tavoite"]
    assert figure["data"][0]["line"]["dash"] == "dash"
    assert figure["data"][2]["line"]["dash"] == "dot"
    assert figure["layout"]["showlegend"] is True


def test_radar_keeps_an_area_without_a_value_as_a_labelled_gap() -> None:
    values = [1.5, 2.0, None, 3.25, 0.0, 5.0, 4.0, 1.0]
    figure = charts.radar(AREAS, values, name="2025", missing="ei riittävästi vastauksia")
    line, gap = figure["data"]
    assert list(line["r"])[2] is None and line["fill"] == "none"  # a gap, not a zero
    # The area keeps its place and label on the circle even though its value is missing.
    axis = figure["layout"]["polar"]["angularaxis"]
    assert axis["categoryorder"] == "array" and list(axis["categoryarray"]) == AREAS
    # ...and a grey mark at the centre named in the legend says why it is empty.
    assert list(gap["theta"]) == ["Alue 3"] and list(gap["r"]) == [0]
    assert gap["name"] == "ei riittävästi vastauksia" and gap["mode"] == "markers"
    assert figure["layout"]["showlegend"] is True
    # Without a gap there is nothing to explain.
    full = charts.radar(AREAS, [1.0] * 8, name="2025", missing="ei riittävästi vastauksia")
    assert len(full["data"]) == 1 and full["layout"]["showlegend"] is False


def test_radar_needs_one_value_per_label() -> None:
    with pytest.raises(ValueError):
        charts.radar(AREAS, [1, 2], name="x")


def test_heatmap_is_8_by_5_with_gaps_and_marks() -> None:
    fulfilment, reached = grid()
    figure = charts.heatmap(AREAS, STEPS, fulfilment, reached)
    trace = figure["data"][0]
    assert trace["type"] == "heatmap"
    z = [list(row) for row in trace["z"]]
    assert len(z) == 8 and all(len(row) == 5 for row in z)
    assert z[0] == [1.0, 0.8, 0.5, None, None]
    assert z[7] == [None] * 5
    text = [list(row) for row in trace["text"]]
    assert text[0] == ["✓", "✓", "", "–", "–"]
    assert text[7] == ["–"] * 5
    assert (trace["zmin"], trace["zmax"]) == (0, 1)
    assert trace["colorscale"]  # a named sequential scale, resolved by plotly
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"  # first area on top


def test_heatmap_refuses_a_ragged_grid() -> None:
    fulfilment, reached = grid()
    with pytest.raises(ValueError):
        charts.heatmap(AREAS, STEPS[:4], fulfilment, reached)
    with pytest.raises(ValueError):
        charts.heatmap(AREAS[:7], STEPS, fulfilment, reached)


def test_period_of_year_and_quarters() -> None:
    assert charts.period(2025, None) == (date(2025, 1, 1), date(2026, 1, 1))
    assert charts.period(2025, 1) == (date(2025, 1, 1), date(2025, 4, 1))
    assert charts.period(2025, 4) == (date(2025, 10, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        charts.period(2025, 5)


def test_timeline_bars_by_status_and_unscheduled_left_out() -> None:
    entries = [
        {"label": "1. Hankintastrategia", "year": 2025, "quarter": 2, "status": "planned"},
        {"label": "2. Koulutus", "year": 2025, "quarter": None, "status": "done"},
        {"label": "3. Aikatauluton", "year": None, "quarter": None, "status": "planned"},
    ]
    labels = {"planned": "Suunniteltu", "done": "Tehty"}
    figure = charts.timeline(entries, labels)
    traces = {t["name"]: t for t in figure["data"]}
    assert set(traces) == {"Suunniteltu", "Tehty"}
    planned = traces["Suunniteltu"]
    assert planned["orientation"] == "h"
    assert list(planned["y"]) == ["1. Hankintastrategia"]
    assert list(planned["base"]) == ["2025-04-01"]
    assert list(planned["x"]) == [91 * charts.MS_PER_DAY]
    assert list(traces["Tehty"]["x"]) == [365 * charts.MS_PER_DAY]
    assert figure["layout"]["xaxis"]["type"] == "date"
    assert list(figure["layout"]["yaxis"]["categoryarray"]) == ["1. Hankintastrategia", "2. Koulutus"]


def test_separators_follow_the_language() -> None:
    assert charts.radar(AREAS, [1] * 8, name="x", lang="fi")["layout"]["separators"] == ",\u00a0"
    assert charts.radar(AREAS, [1] * 8, name="x", lang="en")["layout"]["separators"] == ".,"
