"""The counted years as the history page and the yearly report show them: results, radar, numbers."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlite_utils import Database

from .. import charts, history
from ..content import Content
from ..formatting import format_number
from ..i18n import current_lang
from ..state import content_at
from ..storage import history as store
from ..storage.rows import AssessmentRow


def position_texts() -> dict[str | None, str]:
    """The path positions in words (None: not known): the page never relies on colour alone."""
    return {
        "ahead": _("Ahead of the path"),
        "on_track": _("On track"),
        "behind": _("Behind the path"),
        None: _("Not known"),
    }


def line_chart_labels() -> dict[str, str]:
    """The texts of the maturity index chart over the years (history_charts.index_over_years)."""
    return {
        "year": _("Year"),
        "index": _("Maturity index (0–5)"),
        "target": _("Target: {area}"),
        "targets": _("Target stage"),
        "version_changed": _("Content version changed"),
    }


def year_results(
    db: Database, counted: Mapping[int, AssessmentRow]
) -> tuple[dict[str, Content], dict[int, dict], list[history.YearResult]]:
    """For the assessments that count per year: the content versions they were answered on,
    their results by assessment id, and each year's result as history.YearResult."""
    contents = {v: content_at(v) for v in {row["content_version"] for row in counted.values()}}
    found = store.final_results(db, counted.values(), lambda v: contents[v])
    agreed = store.agreed_stages(db, [a["id"] for a in counted.values()])
    years = []
    for row in counted.values():
        questionnaire = contents[row["content_version"]].questionnaire(row["questionnaire"])
        asked = questionnaire.items if questionnaire else ()
        years.append(history.year_result(row, found[row["id"]], agreed[row["id"]], asked))
    return contents, found, years


def year_radar(
    result: history.YearResult,
    earlier: history.YearResult | None,
    areas: list[str],
    labels: Mapping[str, str],
    targets: Mapping[str, int],
    lang: str,
) -> dict:
    """The radar of a year's maturity index per area, with an earlier year's and the year's
    targets beside it when there are any (the history comparison, the yearly report)."""
    return charts.radar(
        [labels[a] for a in areas],
        [_index(result, a) for a in areas],
        name=str(result.year),
        lang=lang,
        compare=(str(earlier.year), [_index(earlier, a) for a in areas]) if earlier else None,
        target=(_("Targets %(year)d", year=result.year), [targets.get(a) for a in areas])
        if targets
        else None,
        missing=_("not enough answers"),
    )


def _index(result: history.YearResult, area: str) -> float | None:
    value = result.areas.get(area)
    return value.index if value else None


def number_text(value: float | None, *, signed: bool = False, decimals: int | None = 2) -> str:
    """An index or change the way the reader's language writes it ("2,45", "+0,50");
    decimals=None drops trailing zeros (item values: "3", "2,5")."""
    if value is None:
        return "–"
    return format_number(value, current_lang(), decimals=decimals, signed=signed)
