"""Gathering an organisation's data for its exports and report: the counted years with their
results, and the four export tables, in the reader's language.

Reads through the storage modules and hands plain data to the pure builders
(assess.export.tables, assess.history, assess.report); the views stay thin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlite_utils import Database

from .. import history
from ..benchmark import ALL_QUESTIONNAIRES
from ..content import Content
from ..pages import benchmark_data, links
from ..pages.metric_pages import plan_row
from ..pages.years import year_results
from ..state import content, content_at
from ..storage import assessments as assessment_store
from ..storage import history as history_store
from ..storage import metrics as metrics_store
from ..storage import plan as plan_store
from ..storage import results as result_store
from ..storage.rows import AssessmentRow, OrganisationRow
from . import tables as exports
from .tables import Table


def translate(msgid: str) -> str:
    """The pure builders' msgids in the reader's language."""
    return gettext(msgid)


@dataclass
class Years:
    """The organisation's counted years: the assessment that counts for each, its result,
    the content it was answered on, and the per-area series of history.area_series."""

    counted: dict[int, AssessmentRow]
    results: dict[int, dict]  # assessment id -> result (assess.results.compute)
    contents: dict[str, Content]  # content version -> content
    years: list[history.YearResult]
    series: dict[str, list[history.SeriesPoint]]
    targets: dict[int, dict[str, int]]
    areas: list[str]
    area_labels: dict[str, str]

    def content_of(self, assessment: AssessmentRow) -> Content:
        return self.contents[assessment["content_version"]]


def counted_years(db: Database, org: OrganisationRow, lang: str) -> Years:
    """Every counted year of the organisation, as its history page reads them."""
    current = content()
    counted = history_store.counting(db, org["id"])
    contents, found, years = year_results(db, counted)
    areas = [a.id for a in current.areas]
    targets = metrics_store.all_targets(db, org["id"])
    series = history.area_series(years, areas, start_year=org["path_start_year"], targets=targets)
    return Years(
        counted,
        found,
        contents,
        years,
        series,
        targets,
        areas,
        {a.id: a.title.get(lang) for a in current.areas},
    )


def plan_entries(db: Database, org_id: int) -> list[dict[str, Any]]:
    """The plan in its schedule order, each entry with its schedule and status in words."""
    return [plan_row(e) for e in plan_store.entries(db, org_id)]


def _answers_entries(db: Database, org_id: int) -> list[exports.AssessmentAnswers]:
    """Every assessment of the organisation with its result, oldest year first."""
    assessments = sorted(assessment_store.for_org(db, org_id), key=lambda a: (a["year"], a["id"]))
    contents = {v: content_at(v) for v in {a["content_version"] for a in assessments}}
    entries = []
    for a in assessments:
        cont = contents[a["content_version"]]
        if cont.questionnaire(a["questionnaire"]) is None:
            continue
        result = result_store.result_for(db, a, cont)  # cached once final
        entries.append(exports.AssessmentAnswers(a, links.assessment_title(a), result, cont))
    return entries


Builder = Callable[[Database, OrganisationRow, str], Table]


def results_table(db: Database, org: OrganisationRow, lang: str) -> Table:
    data = counted_years(db, org, lang)
    return exports.results_table(data.series, data.area_labels, translate)


def answers_table(db: Database, org: OrganisationRow, lang: str) -> Table:
    return exports.answers_table(_answers_entries(db, org["id"]), lang, translate)


def plan_table(db: Database, org: OrganisationRow, lang: str) -> Table:
    return exports.plan_table(plan_entries(db, org["id"]), content(), lang, translate)


def metrics_table(db: Database, org: OrganisationRow, lang: str) -> Table:
    return exports.metrics_table(content(), metrics_store.all_values(db, org["id"]), lang, translate)


def benchmark_table(db: Database, org: OrganisationRow, lang: str) -> Table:
    """The benchmark of every counted year of the organisation (all results compared)."""
    data = counted_years(db, org, lang)
    groups = []
    labels = {q.id: q.title.get(lang) for q in content().questionnaires}
    for year in sorted(data.counted):
        _own, peer_groups = benchmark_data.peer_rows(db, org, year, ALL_QUESTIONNAIRES, lang)
        groups += [
            exports.BenchmarkGroup(
                year, g.label, g.rows, lambda r: benchmark_data.hidden_text(r, labels, lang)
            )
            for g in peer_groups
        ]
    return exports.benchmark_table(
        groups, data.area_labels, labels, benchmark_data.position_texts(), translate
    )


BUILDERS: dict[str, Builder] = {
    "results": results_table,
    "answers": answers_table,
    "plan": plan_table,
    "metrics": metrics_table,
    "benchmark": benchmark_table,
}


def all_tables(db: Database, org: OrganisationRow, lang: str) -> list[Table]:
    return [BUILDERS[name](db, org, lang) for name in exports.TABLES]
