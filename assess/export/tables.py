"""The tables an organisation exports (XLSX sheets and CSV files), built from plain data (pure).

Both file formats and the print report read the same ``Table``: a header row and data rows
whose cells are plain values (str, int, float or None for an empty cell). Numbers stay
numbers; a cell that needs a number format other than its column's is wrapped in ``Num``.
Header texts are English msgids translated through the ``t`` function the caller passes
(the view passes flask_babel's gettext), so this module needs no request.

Tables (``TABLES``):
- ``results``: per counted year and area: stage, index, agreed stage, target, expected
  step and path position;
- ``answers``: per assessment and item: the value (a single assessment's answer or a
  round's team value), and for rounds the distribution 0-4, "don't know" and the discuss
  flag. Never one row per person: a round exports team data only, and in an anonymous round
  an item's distribution is left out when fewer than three answered it (as on its pages);
- ``plan``: the action plan in the programme's own layout, goal | actions | metrics |
  responsible | schedule | status (plus the roadmap step it serves);
- ``metrics``: programme metric values, one row per metric and year;
- ``benchmark``: per counted year, peer group and area, the benchmark's aggregates (how
  many organisations, median and quartiles of stage and index) beside the organisation's
  own values; a figure the privacy rule hides is a row saying why, with no numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import labels
from ..content import Content
from ..history import SeriesPoint
from ..metrics import value_kind
from ..round_summary import distribution_visible


def N_(msgid: str) -> str:
    """Marks a msgid that is translated later (by ``t``)."""
    return msgid


Translate = Callable[[str], str]


def _identity(msgid: str) -> str:
    return msgid


FORMATS = ("text", "int", "index", "decimal", "euro")
"""Column formats: text; int (whole number); index (two decimals, 0.00-5.00); decimal
(up to two decimals, e.g. a team median 2.5 or a percentage 12.5); euro (two decimals)."""


@dataclass(frozen=True)
class Num:
    """A number whose format differs from its column's (a metric value of a given kind)."""

    value: int | float
    fmt: str


Cell = str | int | float | Num | None


@dataclass(frozen=True)
class Column:
    """A table column: its key, its heading in the reader's language and its format (FORMATS)."""

    key: str
    label: str
    fmt: str = "text"


@dataclass(frozen=True)
class Table:
    """One exported table: ``name`` is its key (URL, file name), ``title`` its sheet name."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def formats(self, row: Sequence[Cell]) -> list[str]:
        """Each cell's format: its own (Num) or its column's."""
        return [
            cell.fmt if isinstance(cell, Num) else col.fmt
            for cell, col in zip(row, self.columns, strict=True)
        ]


def plain(cell: Cell) -> str | int | float | None:
    """A cell's value without its format wrapper."""
    return cell.value if isinstance(cell, Num) else cell


TABLES = ("results", "answers", "plan", "metrics", "benchmark")

TITLES = {
    "results": N_("Results by year"),
    "answers": N_("Item answers"),
    "plan": N_("Action plan"),
    "metrics": N_("Metric values"),
    "benchmark": N_("Benchmark"),
}


def _columns(spec: Sequence[tuple[str, str, str]], t: Translate) -> tuple[Column, ...]:
    return tuple(Column(key, t(label), fmt) for key, label, fmt in spec)


# --- results per year -----------------------------------------------------------------

RESULT_COLUMNS = (
    ("year", N_("Year"), "int"),
    ("area", N_("Area"), "text"),
    ("stage", N_("Stage"), "int"),
    ("index", N_("Maturity index"), "index"),
    ("agreed", N_("Agreed stage"), "int"),
    ("target", N_("Target stage"), "int"),
    ("expected", N_("Expected step"), "int"),
    ("position", N_("Path position"), "text"),
)

POSITION_LABELS = labels.PATH_POSITIONS


def results_table(
    series: Mapping[str, Sequence[SeriesPoint]], area_labels: Mapping[str, str], t: Translate = _identity
) -> Table:
    """Per counted year (oldest first), one row per area in the order of ``series``.

    ``series`` is history.area_series's output: the position already uses the agreed stage
    where the team agreed one. An area without enough answers has no stage and no index.
    """
    years = sorted({p.year for points in series.values() for p in points})
    rows = []
    for year in years:
        for area, points in series.items():
            for p in points:
                if p.year != year:
                    continue
                rows.append(
                    (
                        p.year,
                        area_labels.get(area, area),
                        p.stage,
                        p.index,
                        p.agreed,
                        p.target,
                        p.expected,
                        t(POSITION_LABELS[p.position]) if p.position else None,
                    )
                )
    return Table("results", t(TITLES["results"]), _columns(RESULT_COLUMNS, t), tuple(rows))


# --- item answers per assessment ------------------------------------------------------

ANSWER_COLUMNS = (
    ("year", N_("Year"), "int"),
    ("assessment", N_("Assessment"), "text"),
    ("kind", N_("Kind"), "text"),
    ("area", N_("Area"), "text"),
    ("step", N_("Step"), "int"),
    ("item", N_("Item id"), "text"),
    ("statement", N_("Statement"), "text"),
    ("source", N_("On the roadmap"), "text"),
    ("value", N_("Value (answer or team value)"), "decimal"),
    ("answered", N_("Answered"), "int"),
    ("dont_know", N_("Don't know"), "int"),
    ("n0", N_("Answers 0"), "int"),
    ("n1", N_("Answers 1"), "int"),
    ("n2", N_("Answers 2"), "int"),
    ("n3", N_("Answers 3"), "int"),
    ("n4", N_("Answers 4"), "int"),
    ("discuss", N_("To discuss"), "text"),
)

KIND_LABELS = labels.ASSESSMENT_KINDS


@dataclass(frozen=True)
class AssessmentAnswers:
    """One assessment for the answers table: its row and its computed result
    (assess.results.compute) with the content it was answered on."""

    assessment: Mapping[str, Any]
    title: str
    result: Mapping[str, Any]
    content: Content


def answer_rows(entry: AssessmentAnswers, lang: str, t: Translate = _identity) -> list[tuple[Cell, ...]]:
    """The rows of one assessment, in questionnaire order (areas, steps, items)."""
    a, result, content = entry.assessment, entry.result, entry.content
    questionnaire = content.questionnaire(a["questionnaire"])
    if questionnaire is None:
        return []
    is_round = a["kind"] == "round"
    values = result.get("values", {})
    team_items = result.get("items", {})
    rows: list[tuple[Cell, ...]] = []
    for area_id, steps in content.area_items(questionnaire):
        area_title = content.area(area_id).title.get(lang)
        for step_id, item_ids in steps:
            step_year = content.steps[step_id].year
            for item_id in item_ids:
                value = values.get(item_id)
                if is_round:
                    agg = team_items.get(item_id)
                    answered = agg["answered"] if agg else 0
                    dont_know = agg["dont_know"] if agg else 0
                    show = agg is not None and distribution_visible(bool(a["anonymous"]), answered)
                    distribution: list[Cell] = list(agg["distribution"]) if show else [None] * 5
                    discuss: Cell = (t(N_("Yes")) if agg["discuss"] else None) if agg else None
                else:
                    answered = 1 if value is not None else 0
                    dont_know = 1 if item_id in values and value is None else 0
                    distribution, discuss = [None] * 5, None
                rows.append(
                    (
                        a["year"],
                        entry.title,
                        t(KIND_LABELS[a["kind"]]),
                        area_title,
                        step_year,
                        item_id,
                        content.items[item_id].claim(lang),
                        content.items[item_id].source(lang),
                        value,
                        answered,
                        dont_know,
                        *distribution,
                        discuss,
                    )
                )
    return rows


def answers_table(entries: Sequence[AssessmentAnswers], lang: str, t: Translate = _identity) -> Table:
    """Every given assessment's item values, oldest year first (in the given order)."""
    rows = [row for entry in entries for row in answer_rows(entry, lang, t)]
    return Table("answers", t(TITLES["answers"]), _columns(ANSWER_COLUMNS, t), tuple(rows))


# --- the action plan ------------------------------------------------------------------

PLAN_COLUMNS = (
    ("goal", N_("Goal"), "text"),
    ("actions", N_("Actions"), "text"),
    ("metrics", N_("Metrics"), "text"),
    ("responsible", N_("Responsible"), "text"),
    ("schedule", N_("Schedule"), "text"),
    ("status", N_("Status"), "text"),
    ("step", N_("Roadmap step"), "text"),
    # Last, so the columns before it keep their places for those who read the file by them.
    ("number", N_("Entry number"), "int"),
)


def goal_label(content: Content, number: int | None, lang: str) -> str | None:
    """ "5. Goal text", or None when the entry serves no (known) goal."""
    if number is None or not content.has_goal(number):
        return None
    return f"{number}. {content.goal(number).text.get(lang)}"


def goal_metrics(content: Content, number: int | None, lang: str) -> list[str]:
    """The metrics of a programme goal's actions, in programme order."""
    if number is None or not content.has_goal(number):
        return []
    return [m.text.get(lang) for action in content.goal(number).actions for m in action.metrics]


def step_label(content: Content, step_id: str | None, lang: str) -> str | None:
    """ "Area – step year. Step title", or None."""
    if not step_id or step_id not in content.steps:
        return None
    step = content.steps[step_id]
    return f"{content.area(step.area).title.get(lang)} – {step.year}. {step.title.get(lang)}"


def plan_rows(entries: Sequence[Mapping[str, Any]], content: Content, lang: str) -> list[tuple[Cell, ...]]:
    """One row per entry, grouped by goal in programme order (entries without a goal last),
    within a goal in the given order (the plan's schedule order).

    Each entry needs ``goal``, ``text``, ``responsible``, ``step``, its ``number`` and the
    view's words for ``schedule`` and ``status_label``. Metrics are one per line.
    """
    order = {g.number: n for n, g in enumerate(content.goals)}
    ranked = sorted(enumerate(entries), key=lambda pair: (order.get(pair[1]["goal"], len(order)), pair[0]))
    return [
        (
            goal_label(content, e["goal"], lang),
            e["text"],
            "\n".join(goal_metrics(content, e["goal"], lang)) or None,
            e["responsible"] or None,
            e.get("schedule") or None,
            e["status_label"],
            step_label(content, e["step"], lang),
            e.get("number"),
        )
        for _n, e in ranked
    ]


def plan_table(
    entries: Sequence[Mapping[str, Any]], content: Content, lang: str, t: Translate = _identity
) -> Table:
    """The action plan: one row per entry (see plan_rows), grouped by programme goal."""
    return Table(
        "plan", t(TITLES["plan"]), _columns(PLAN_COLUMNS, t), tuple(plan_rows(entries, content, lang))
    )


# --- metric values by year ------------------------------------------------------------

METRIC_COLUMNS = (
    ("goal", N_("Goal"), "int"),
    ("action", N_("Programme action"), "text"),
    ("metric_id", N_("Metric id"), "text"),
    ("metric", N_("Metric"), "text"),
    ("year", N_("Year"), "int"),
    ("kind", N_("Kind of value"), "text"),
    ("value", N_("Value"), "text"),
    ("note", N_("Note"), "text"),
    ("source", N_("Source"), "text"),
)

VALUE_KIND_LABELS = labels.METRIC_VALUE_KINDS


def metric_cell(kind: str, value: Any, t: Translate = _identity) -> Cell:
    """A stored metric value as a cell: numbers as numbers, yes/no and text as words."""
    found = value_kind(kind)
    cell = found.export_value(value, t)
    if found.number_format and isinstance(cell, int | float) and not isinstance(cell, bool):
        return Num(cell, found.number_format)
    return cell


def metrics_table(
    content: Content, values: Mapping[str, Mapping[int, Any]], lang: str, t: Translate = _identity
) -> Table:
    """Every stored metric value, metrics in programme order, years ascending.

    ``values``: metric id -> year -> a stored value with ``kind``, ``value``, ``note`` and
    ``source`` (storage.metrics.all_values). Metrics no longer in the content come last
    under their id.
    """
    rows: list[tuple[Cell, ...]] = []
    known = set()
    for goal in content.goals:
        for action in goal.actions:
            for metric in action.metrics:
                known.add(metric.id)
                for year, stored in sorted(values.get(metric.id, {}).items()):
                    rows.append(
                        (
                            goal.number,
                            action.text.get(lang),
                            metric.id,
                            metric.text.get(lang),
                            year,
                            t(VALUE_KIND_LABELS.get(stored.kind, stored.kind)),
                            metric_cell(stored.kind, stored.value, t),
                            stored.note or None,
                            stored.source or None,
                        )
                    )
    for metric_id in sorted(set(values) - known):
        for year, stored in sorted(values[metric_id].items()):
            rows.append(
                (
                    None,
                    None,
                    metric_id,
                    metric_id,
                    year,
                    t(VALUE_KIND_LABELS.get(stored.kind, stored.kind)),
                    metric_cell(stored.kind, stored.value, t),
                    stored.note or None,
                    stored.source or None,
                )
            )
    return Table("metrics", t(TITLES["metrics"]), _columns(METRIC_COLUMNS, t), tuple(rows))


# --- the benchmark --------------------------------------------------------------------

BENCHMARK_COLUMNS = (
    ("year", N_("Year"), "int"),
    ("group", N_("Peer group"), "text"),
    ("area", N_("Area"), "text"),
    ("n", N_("Organisations compared"), "int"),
    ("questionnaires", N_("Questionnaires"), "text"),
    ("stage_q1", N_("Stage Q1"), "decimal"),
    ("stage_median", N_("Stage median"), "decimal"),
    ("stage_q3", N_("Stage Q3"), "decimal"),
    ("index_q1", N_("Index Q1"), "index"),
    ("index_median", N_("Index median"), "index"),
    ("index_q3", N_("Index Q3"), "index"),
    ("own_stage", N_("Own stage"), "int"),
    ("own_index", N_("Own index"), "index"),
    ("stage_position", N_("Own position by stage"), "text"),
    ("index_position", N_("Own position by index"), "text"),
    ("note", N_("Note"), "text"),
)


@dataclass(frozen=True)
class BenchmarkGroup:
    """One peer group of one year, as the benchmark page shows it: its name, its rows
    (assess.benchmark.AreaRow) and the reader's words for what the rows hold."""

    year: int
    label: str
    rows: Sequence[Any]
    hidden_text: Callable[[Any], str]


def benchmark_table(
    groups: Sequence[BenchmarkGroup],
    area_labels: Mapping[str, str],
    questionnaire_labels: Mapping[str, str],
    position_labels: Mapping[Any, str],
    t: Translate = _identity,
) -> Table:
    """The benchmark's aggregates per year, group and area (never one organisation's value
    but the reader's own)."""
    rows: list[tuple[Cell, ...]] = []
    for group in groups:
        for r in group.rows:
            own_stage = r.own.stage if r.own else None
            own_index = r.own.index if r.own else None
            f = r.figure
            if f is None:
                rows.append(
                    (
                        group.year,
                        group.label,
                        area_labels.get(r.area, r.area),
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        None,
                        own_stage,
                        own_index,
                        None,
                        None,
                        group.hidden_text(r),
                    )
                )
                continue
            made_of = ", ".join(
                f"{questionnaire_labels.get(q, q)} {n}" for q, n in sorted(f.by_questionnaire.items())
            )
            rows.append(
                (
                    group.year,
                    group.label,
                    area_labels.get(r.area, r.area),
                    f.n,
                    made_of,
                    f.stage.q1,
                    f.stage.median,
                    f.stage.q3,
                    f.index.q1,
                    f.index.median,
                    f.index.q3,
                    own_stage,
                    own_index,
                    position_labels.get(r.stage_position) if r.own else None,
                    position_labels.get(r.index_position) if r.own else None,
                    None,
                )
            )
    return Table("benchmark", t(TITLES["benchmark"]), _columns(BENCHMARK_COLUMNS, t), tuple(rows))
