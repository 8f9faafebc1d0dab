"""Text a user typed is drawn as plain text in the charts, never as markup or a link."""

from __future__ import annotations

import json

from assess import charts, history_charts
from assess.history import SeriesPoint
from tests.conftest import LEAD, login, soup

EVIL = '<a href="https://evil.example/">klikkaa</a><span style="font-size:90px">iso</span>%{x}'


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def no_markup(figure: dict, *, templates_ok: bool = True) -> None:
    for text in strings(figure["data"]) + strings(figure["layout"]):
        assert "<a" not in text and "<span" not in text and 'evil.example/">' not in text, text
    # The user's text is still there, written so that plotly shows it literally.
    assert any("&lt;a href=" in t for t in strings(figure))


def test_a_plan_entry_with_markup_is_plain_text_in_the_timeline():
    figure = charts.timeline(
        [{"label": EVIL, "year": 2026, "quarter": 2, "status": "planned", "schedule_text": EVIL}],
        {"planned": "Suunniteltu"},
    )
    no_markup(figure)
    assert figure["layout"]["yaxis"]["categoryarray"] == [charts.plain_text(EVIL)]
    assert "%{x}" not in json.dumps(figure["data"][0]["y"])


def test_radar_and_history_names_are_plain_text():
    no_markup(charts.radar([EVIL, "b", "c"], [1, 2, 3], name=EVIL, compare=(EVIL, [1, 1, 1])))
    no_markup(charts.radar([EVIL, "b", "c"], [None, 2, 3], name="x", missing=EVIL))
    figure = history_charts.index_over_years(
        {
            "a": [
                SeriesPoint(
                    year=2025,
                    assessment_id=1,
                    stage=2,
                    index=2.0,
                    agreed=None,
                    expected=None,
                    position=None,
                    target=3,
                )
            ]
        },
        {"a": EVIL},
        [],
        {
            "year": "Vuosi",
            "index": "Indeksi",
            "target": "Tavoite: {area}",
            "targets": EVIL,
            "version_changed": EVIL,
        },
    )
    no_markup(figure)
    # The hover template keeps its own %{x}, but the typed "%{x}" is no template.
    hover = figure["data"][0]["hovertemplate"]
    assert hover.count("%{x}") == 1 and "&#37;{x}" in hover


def test_the_plan_page_carries_plain_text_to_plotly(client, db, seeded):
    from assess.storage import plan

    org = seeded["org"]["id"]
    plan.add_entry(db, org, text=EVIL, step=None, goal=None, schedule_year=2026)
    login(client, LEAD)
    page = soup(client.get(f"/orgs/{org}/plan"))
    blocks = [json.loads(s.string) for s in page.find_all("script", type="application/json")]
    figures = [b for b in blocks if isinstance(b, dict) and "data" in b]
    assert figures, "no chart on the plan page"
    for figure in figures:
        for text in strings(figure):
            assert "<a href" not in text and "<span style" not in text
