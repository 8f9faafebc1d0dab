"""The history page (templates/history/show.html): the organisation's counted years, the index
over the years, and two years compared, gathered by one function into one object."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .. import clock, history, history_charts
from ..content import Content
from ..formatting import content_version_labels
from ..progress import expected_step
from ..state import content
from ..storage import content_store
from ..storage import history as store
from ..storage import metrics as metrics_store
from ..storage.rows import AssessmentRow, OrganisationRow
from .context import PageContext
from .years import line_chart_labels, number_text, position_texts, year_radar, year_results


@dataclass
class Yearly:
    """The organisation's final assessments by year, the one that counts per year, the
    content versions they were answered on, and their results as history.YearResult."""

    grouped: dict[int, list[AssessmentRow]]
    counted: dict[int, AssessmentRow]
    contents: dict[str, Content]
    years: list[history.YearResult]


def yearly(db: Database, org_id: int) -> Yearly:
    final = store.final_assessments(db, org_id)
    counted = store.counting(db, org_id)
    contents, _found, years = year_results(db, counted)
    return Yearly(store.by_year(final), counted, contents, years)


def _area_of(current: Mapping[str, Any], others: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Id -> area of the items (or steps) of every content version involved, in the current
    roadmap order; ids only older versions have come after."""
    result = {ident: thing.area for ident, thing in current.items()}
    for other in others:
        for ident, thing in other.items():
            result.setdefault(ident, thing.area)
    return result


def _item_text(item_id: str, contents: list[Content], lang: str) -> str:
    for c in contents:
        if item_id in c.items:
            return c.items[item_id].claim(lang)
    return item_id


@dataclass
class HistoryPage(PageContext):
    """What the history page shows; the template reads the fields by name."""

    org: OrganisationRow
    years: list[history.YearResult]
    counted: dict[int, AssessmentRow]
    grouped: dict[int, list[AssessmentRow]]
    series: Any
    areas: list[str]
    area_labels: dict[str, str]
    start_year: int | None
    this_year: int
    targets: dict
    expected: dict[int, int | None]
    version_changes: dict[int, Any]
    version_labels: dict[str, str]
    form: Any
    """The form choosing the two years to compare (a GET form, built by the route)."""
    comparison: Any
    radar: dict[str, Any] | None
    lines: dict[str, Any] | None
    counts_forms: dict[int, Any]
    """Per year with more than one candidate, the form choosing the one that counts."""
    compare_args: dict[str, str]
    positions: dict
    num: Callable[..., str]
    item_text: Callable[[str], str]


def build(
    db: Database,
    org: OrganisationRow,
    lang: str,
    found: Yearly,
    *,
    compared: tuple[int | None, int | None],
    form: Any,
    counts_forms: dict[int, Any],
    compare_args: dict[str, str],
) -> HistoryPage:
    """The page for ``found`` (yearly()), comparing the two ``compared`` years when both are given."""
    current = content()
    years = found.years
    areas = [a.id for a in current.areas]
    area_labels = {a.id: a.title.get(lang) for a in current.areas}
    start_year = org["path_start_year"]
    targets = metrics_store.all_targets(db, org["id"])
    series = history.area_series(years, areas, start_year=start_year, targets=targets)
    changes = history.version_changes(years)
    lines = (
        history_charts.index_over_years(series, area_labels, changes, line_chart_labels(), lang=lang)
        if years
        else None
    )
    others = [c for c in found.contents.values() if c is not current]
    comparison = radar = None
    before_year, after_year = compared
    if before_year is not None and after_year is not None:
        by_year = {r.year: r for r in years}
        before, after = by_year[before_year], by_year[after_year]
        comparison = history.compare(
            before,
            after,
            areas,
            item_area=_area_of(current.items, [c.items for c in others]),
            step_area=_area_of(current.steps, [c.steps for c in others]),
            plan_entries=store.plan_entries(db, org["id"]),
            start_year=start_year,
        )
        radar = year_radar(after, before, areas, area_labels, targets.get(after_year, {}), lang)
    all_contents = [current, *others]
    return HistoryPage(
        org=org,
        years=years,
        counted=found.counted,
        grouped=found.grouped,
        series=series,
        areas=areas,
        area_labels=area_labels,
        start_year=start_year,
        this_year=clock.today().year,
        targets=targets,
        expected={r.year: expected_step(start_year, r.year) for r in years},
        version_changes={c.year: c for c in changes},
        version_labels=content_version_labels(content_store.first_used(db), lang),
        form=form,
        comparison=comparison,
        radar=radar,
        lines=lines,
        counts_forms=counts_forms,
        num=number_text,
        item_text=lambda item: _item_text(item, all_contents, lang),
        compare_args=compare_args,
        positions=position_texts(),
    )
