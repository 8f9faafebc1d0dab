"""The yearly report's page (templates/exports/report.html): everything it shows, gathered by
one function into one object, so the route stays a few lines and the page's queries are here.

The summary is said in plain sentences; the charts are drawn at a fixed width for A4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlite_utils import Database

from .. import clock, history, history_charts, report
from ..benchmark import ALL_QUESTIONNAIRES
from ..benchmark_privacy import K
from ..export import data as export_data
from ..export import tables as exports
from ..state import content
from ..storage import metrics as metrics_store
from ..storage.rows import AssessmentRow, OrganisationRow
from . import benchmark_data
from .context import PageContext
from .metric_pages import follow_columns, follow_tree, with_values_only
from .years import line_chart_labels, number_text, year_radar

REPORT_CHART_WIDTH = 640
LINES_HEIGHT = 700  # eight small panels in four rows, still one A4 page with its heading
"""Report charts are drawn at a fixed width (px) that fits an A4 page between 18 mm margins
(174 mm is about 658 px), so what prints is what the screen shows."""


def position_text(position: str | None) -> str:
    """The path position in words: the report never relies on colour alone."""
    label = exports.POSITION_LABELS.get(position or "")
    return _(label) if label else _("Not known")


def _names(areas: tuple[str, ...] | list[str], labels: dict[str, str]) -> str:
    return ", ".join(labels[a] for a in areas)


def summary_sentences(s: report.Summary, labels: dict[str, str], start_year: int | None) -> list[str]:
    """The summary in plain language, one sentence per fact."""
    sentences = []
    if s.expected is not None and start_year is not None:
        sentences.append(
            _(
                "%(year)d is year %(path_year)d of the organisation's path, so the "
                "expected step is %(step)d.",
                year=s.year,
                path_year=s.year - start_year + 1,
                step=s.expected,
            )
        )
    if s.level is not None:
        sentences.append(
            ngettext(
                "The organisation is at stage %(level)d or further in %(num)d area of %(areas)d.",
                "The organisation is at stage %(level)d or further in %(num)d areas of %(areas)d.",
                s.at_level,
                level=s.level,
                areas=s.areas,
            )
            if s.at_level
            else _("No area is at stage %(level)d or further yet.", level=s.level)
        )
    if s.expected is not None:
        sentences.append(
            _("Behind the path: %(areas)s.", areas=_names(s.behind, labels))
            if s.behind
            else _("No area is behind the path.")
        )
    if s.insufficient:
        sentences.append(
            _("Not enough answers for a stage: %(areas)s.", areas=_names(s.insufficient, labels))
        )
    if s.previous_year is None:
        sentences.append(_("There is no earlier counted assessment to compare with."))
        return sentences
    sentences.append(_change_sentence(s))
    if s.best:
        sentences.append(
            _(
                "Most progress: %(area)s (%(delta)s).",
                area=labels[s.best.area],
                delta=number_text(s.best.delta, signed=True, decimals=None),
            )
        )
    if s.worst:
        sentences.append(
            _(
                "Largest fall: %(area)s (%(delta)s).",
                area=labels[s.worst.area],
                delta=number_text(s.worst.delta, signed=True, decimals=None),
            )
        )
    if s.stage_up:
        sentences.append(_("The stage rose in: %(areas)s.", areas=_names(s.stage_up, labels)))
    if s.stage_down:
        sentences.append(_("The stage fell in: %(areas)s.", areas=_names(s.stage_down, labels)))
    return sentences


def _change_sentence(s: report.Summary) -> str:
    """How many areas rose and fell since the previous counted year, without a clause that
    says nothing ("fell in 0 areas")."""
    if s.rose and s.fell:
        return _(
            "Compared with %(previous)d, the maturity index rose in %(rose)d of %(areas)d "
            "areas and fell in %(fell)d.",
            previous=s.previous_year,
            rose=s.rose,
            areas=s.areas,
            fell=s.fell,
        )
    if s.rose:
        return _(
            "Compared with %(previous)d, the maturity index rose in %(rose)d of %(areas)d areas.",
            previous=s.previous_year,
            rose=s.rose,
            areas=s.areas,
        )
    if s.fell:
        return _(
            "Compared with %(previous)d, the maturity index fell in %(fell)d of %(areas)d areas.",
            previous=s.previous_year,
            fell=s.fell,
            areas=s.areas,
        )
    return _(
        "Compared with %(previous)d, the maturity index neither rose nor fell in any area.",
        previous=s.previous_year,
    )


def _fixed_width(figure: dict[str, Any], height: int) -> dict[str, Any]:
    figure["layout"].update(width=REPORT_CHART_WIDTH, height=height)
    return figure


def _metric_tree(db: Any, org_id: int, year: int, lang: str) -> tuple[list, list[int], int]:
    """The programme tree of metrics that have a value in the report's year columns, the
    columns, and how many metrics have none."""
    columns = follow_columns(metrics_store.years_with_values(db, org_id), year)
    tree = follow_tree(content(), lang, values=metrics_store.all_values(db, org_id), columns=columns, plan={})
    kept, empty = with_values_only(tree)
    return kept, columns, empty


@dataclass
class ReportPage(PageContext):
    """What the report of one counted year shows; the template reads the fields by name."""

    org: OrganisationRow
    year: int
    previous: int | None
    """The previous counted year, if any."""
    assessment: AssessmentRow
    """The assessment that counts for the year."""
    summary: report.Summary
    sentences: list[str]
    areas: list[str]
    labels: dict[str, str]
    points: dict[str, Any]
    """Per area the year's point of the index series."""
    changes: dict[str, Any]
    series: dict[str, list]
    shown_years: list[int]
    radar: dict[str, Any]
    lines: dict[str, Any] | None
    """The index over the years; None with a single year."""
    behind: list
    behind_areas: tuple[str, ...]
    next_actions: Any
    plan_columns: list[str]
    plan_groups: Any
    metric_tree: list
    metric_columns: list[int]
    metrics_without: int
    today: date
    benchmark_groups: Any
    q_labels: dict[str, str]
    k: int
    positions: dict[str | None, str]
    num: Callable[..., str]
    position_text: Callable[[str | None], str]
    hidden_text: Callable[[Any], str]
    questionnaire_parts: Callable[[Any], Any]


def build(db: Database, org: OrganisationRow, year: int, lang: str) -> ReportPage | None:
    """The report of ``year``; None when no assessment counts for that year."""
    data = export_data.counted_years(db, org, lang)
    if year not in data.counted:
        return None
    by_year = {r.year: r for r in data.years}
    this = by_year[year]
    previous = report.previous_year(list(by_year), year)
    start_year = org["path_start_year"]
    areas, labels = data.areas, data.area_labels
    changes = (
        history.area_changes(by_year[previous], this, areas, start_year=start_year)
        if previous is not None
        else None
    )
    summary = report.summarise(this, areas, start_year=start_year, changes=changes, previous_year=previous)
    series = report.up_to(data.series, year)
    before = by_year[previous] if previous is not None else None
    radar = _fixed_width(year_radar(this, before, areas, labels, data.targets.get(year, {}), lang), 520)
    shown_years = [r for r in data.years if r.year <= year]
    lines = (
        _fixed_width(
            history_charts.index_over_years(
                series,
                labels,
                history.version_changes(shown_years),
                line_chart_labels(),
                lang=lang,
            ),
            LINES_HEIGHT,
        )
        if len(shown_years) > 1
        else None
    )
    assessment = data.counted[year]
    answered_on = data.content_of(assessment)
    metric_tree, metric_columns, metrics_without = _metric_tree(db, org["id"], year, lang)
    plan = export_data.plan_entries(db, org["id"])
    q_labels = {q.id: q.title.get(lang) for q in content().questionnaires}
    _own, benchmark_groups = benchmark_data.peer_rows(db, org, year, ALL_QUESTIONNAIRES, lang)
    return ReportPage(
        org=org,
        year=year,
        previous=previous,
        assessment=assessment,
        summary=summary,
        sentences=summary_sentences(summary, labels, start_year),
        areas=areas,
        labels=labels,
        points={a: series[a][-1] for a in areas},
        changes={c.area: c for c in changes} if changes else {},
        series=series,
        shown_years=[r.year for r in shown_years],
        radar=radar,
        lines=lines,
        behind=[series[a][-1] for a in summary.behind],
        behind_areas=summary.behind,
        next_actions=report.next_actions(data.results[assessment["id"]], answered_on, lang),
        # The entry's number (the table's last column) leads each row of the report.
        plan_columns=[
            _(label) for _key, label, _fmt in (exports.PLAN_COLUMNS[-1], *exports.PLAN_COLUMNS[:-1])
        ],
        plan_groups=report.plan_groups(exports.plan_rows(plan, content(), lang)),
        metric_tree=metric_tree,
        metric_columns=metric_columns,
        metrics_without=metrics_without,
        today=clock.today(),
        benchmark_groups=benchmark_groups,
        q_labels=q_labels,
        k=K,
        positions=benchmark_data.position_texts(),
        num=number_text,
        position_text=position_text,
        hidden_text=lambda r: benchmark_data.hidden_text(r, q_labels, lang),
        questionnaire_parts=lambda f: benchmark_data.questionnaire_parts(f, q_labels),
    )
