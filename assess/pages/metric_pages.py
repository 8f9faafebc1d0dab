"""What the metric pages show: the programme tree with each metric's fields or yearly values.

Builds plain view data for the templates (translated messages, formatted numbers), so
the templates stay simple and the routes stay thin.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..content import Content
from ..content.model import Metric
from ..formatting import format_schedule
from ..i18n import current_lang
from ..metric_form import (
    NOTE_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    FieldError,
    Raw,
    Stored,
    field_name,
    fingerprint,
)
from ..metrics import CHOOSABLE_KINDS, TEXT_MAX_LENGTH, VALUE_KINDS, trend, value_kind
from ..templating import plan_status_label

TRENDS = {
    "up": ("↑", _l("rising")),
    "down": ("↓", _l("falling")),
    "flat": ("→", _l("unchanged")),
}


# --- the programme tree ---------------------------------------------------------------


@dataclass
class ActionGroup:
    id: str
    text: str
    rows: list[Any]


@dataclass
class GoalGroup:
    number: int
    text: str
    actions: list[ActionGroup]
    plan: list[dict] = field(default_factory=list)


@dataclass
class ThemeGroup:
    id: str
    title: str
    goals: list[GoalGroup]


def programme_tree(content: Content, lang: str, make_row: Callable[[Metric], Any]) -> list[ThemeGroup]:
    """Themes > goals > actions > one row per metric, in the programme's order."""
    tree = []
    for theme in content.themes:
        goals = [
            GoalGroup(
                goal.number,
                goal.text.get(lang),
                [
                    ActionGroup(action.id, action.text.get(lang), [make_row(m) for m in action.metrics])
                    for action in goal.actions
                ],
            )
            for goal in content.goals
            if goal.theme == theme.id
        ]
        if goals:
            tree.append(ThemeGroup(theme.id, theme.title.get(lang), goals))
    return tree


def metric_list(content: Content) -> list[tuple[str, str]]:
    """(metric id, metric kind) for every programme metric."""
    return [(metric_id, m.kind) for metric_id, (_g, _a, m) in content.metrics.items()]


def show_value(stored: Stored | None, lang: str) -> str | None:
    """A stored value for reading ("1 234,50 €", "Kyllä"); None when there is none."""
    if stored is None:
        return None
    return value_kind(stored.kind).display(stored.value, lang, yes=_("Yes"), no=_("No"))


# --- the values form ------------------------------------------------------------------


@dataclass
class ValueRow:
    id: str
    text: str
    metric_kind: str
    choosable: bool
    kind: str | None  # the value kind the input is for; None until one is chosen
    raw: Raw
    was: str
    errors: dict[str, str]  # by field ("value", "kind", "note", "source")
    current: str | None
    previous: str | None
    note: str = ""
    source: str = ""

    def name(self, field_: str) -> str:
        return field_name(field_, self.id)

    @property
    def value_target(self) -> str:
        """The element the error summary links to for the value."""
        return self.name("value") + ("-yes" if self.kind == "yes_no" else "")


def shown_raw(metric: Metric, stored: Stored | None, chosen: str | None, lang: str) -> Raw:
    """The fields as the page shows them for a stored value (or none)."""
    kind = ""
    if metric.kind in CHOOSABLE_KINDS:
        kind = stored.kind if stored else (chosen or "")
    if stored is None:
        return Raw(kind=kind)
    return Raw(value_kind(stored.kind).input_text(stored.value, lang), kind, stored.note, stored.source)


def value_rows(
    content: Content,
    lang: str,
    *,
    stored: Mapping[str, Stored],
    previous: Mapping[str, Stored],
    chosen: Mapping[str, str],
    posted: Mapping[str, Raw] | None = None,
    posted_was: Mapping[str, str] | None = None,
    errors: Mapping[str, FieldError] | None = None,
) -> list[ThemeGroup]:
    """The values page: each metric's fields, as stored or as just posted (with errors)."""
    posted, posted_was, errors = posted or {}, posted_was or {}, errors or {}

    def make_row(metric: Metric) -> ValueRow:
        shown = shown_raw(metric, stored.get(metric.id), chosen.get(metric.id), lang)
        raw = posted.get(metric.id, shown)
        # Keep the fingerprint of what the page first showed, so a refused and corrected
        # post still recognises the fields the user never touched.
        was = posted_was.get(metric.id) or fingerprint(shown)
        choosable = metric.kind in CHOOSABLE_KINDS
        if choosable:
            kind = raw.kind if raw.kind in VALUE_KINDS else None
        else:
            kind = metric.kind
        row_errors = {
            f: error_message(e, f)
            for f in ("value", "kind", "note", "source")
            if (e := errors.get(field_name(f, metric.id)))
        }
        current = stored.get(metric.id)
        return ValueRow(
            metric.id,
            metric.text.get(lang),
            metric.kind,
            choosable,
            kind,
            raw,
            was,
            row_errors,
            show_value(current, lang),
            show_value(previous.get(metric.id), lang),
            current.note if current else "",
            current.source if current else "",
        )

    return programme_tree(content, lang, make_row)


def error_summary(tree: Sequence[ThemeGroup]) -> list[tuple[str, str]]:
    """(link target id, text) for every field error, in page order."""
    labels = {"kind": _("Kind of value"), "note": _("Note"), "source": _("Source")}
    summary = []
    for theme in tree:
        for goal in theme.goals:
            for action in goal.actions:
                for row in action.rows:
                    for f, message in row.errors.items():
                        target = row.value_target if f == "value" else row.name(f)
                        label = row.text if f == "value" else f"{row.text} – {labels[f]}"
                        summary.append((target, f"{label}: {message}"))
    return summary


def error_message(error: FieldError, field_: str = "value") -> str:
    """A specific, translated message for a field error (see metric_form.FORM_ERROR_CODES)."""
    code, kind = error.code, error.kind
    if code == "too_long":
        limit = {"note": NOTE_MAX_LENGTH, "source": SOURCE_MAX_LENGTH}.get(field_, TEXT_MAX_LENGTH)
        return _("The text is too long: at most %(n)d characters.", n=limit)
    if kind == "count" and code in ("number_expected", "whole_number_expected", "negative"):
        return _("Enter a whole number that is 0 or greater, for example 12.")
    if kind == "percent" and code in ("number_expected", "negative"):
        return _("Enter a percentage from 0 to 100, for example 12.5.")
    if kind == "euro" and code in ("number_expected", "negative"):
        return _("Enter an amount in euros that is 0 or greater, for example 1234.50.")
    if code == "too_large":
        from ..formatting import format_number
        from ..metrics import COUNT_MAX, EURO_MAX

        largest = format_number(COUNT_MAX if kind == "count" else EURO_MAX, current_lang())
        return _("The number is too large: at most %(max)s.", max=largest)
    messages = {
        "required": _("Enter a value."),
        "yes_no_expected": _("Choose yes or no."),
        "number_expected": _("Enter a number."),
        "whole_number_expected": _("Enter a whole number that is 0 or greater, for example 12."),
        "negative": _("The value cannot be negative."),
        "over_100": _("A percentage can be at most 100."),
        "too_many_decimals": _("Use at most two decimals, for example 12.25."),
        "kind_required": _("Choose the kind of value before entering the value."),
        "kind_unknown": _("Choose a kind of value from the list."),
        "value_missing": _("Enter the value too, or clear the note and the source."),
    }
    return messages.get(code, _("The value is not valid."))


# --- the follow-up page ---------------------------------------------------------------


@dataclass
class FollowRow:
    id: str
    text: str
    cells: list[str | None]  # one per year column
    trend: tuple[str, str] | None  # (arrow, words)
    note: str
    source: str


def trend_of(values: Mapping[int, Stored], up_to: int) -> tuple[str, str] | None:
    """The trend between the two latest values up to a year, among those of the latest kind.

    Yes/no counts yes above no; text has no trend.
    """
    years = [y for y in values if y <= up_to]
    if not years:
        return None
    kind = values[max(years)].kind
    if kind == "text":
        return None
    points = [(y, float(values[y].value)) for y in years if values[y].kind == kind]
    direction = trend(points)
    if direction is None:
        return None
    arrow, words = TRENDS[direction]
    return arrow, str(words)


def follow_columns(data_years: Sequence[int], year: int, width: int = 5) -> list[int]:
    """The year columns: the chosen year and the latest earlier years with data, oldest first."""
    earlier = sorted(y for y in set(data_years) if y < year)[-(width - 1) :]
    return [*earlier, year]


def follow_tree(
    content: Content,
    lang: str,
    *,
    values: Mapping[str, Mapping[int, Stored]],
    columns: Sequence[int],
    plan: Mapping[int | None, list[dict]],
) -> list[ThemeGroup]:
    """The follow-up page: every metric's values in the year columns, with the goal's plan."""
    year = columns[-1]

    def make_row(metric: Metric) -> FollowRow:
        by_year = values.get(metric.id, {})
        latest = by_year.get(year)
        return FollowRow(
            metric.id,
            metric.text.get(lang),
            [show_value(by_year.get(y), lang) for y in columns],
            trend_of(by_year, year),
            latest.note if latest else "",
            latest.source if latest else "",
        )

    tree = programme_tree(content, lang, make_row)
    for theme in tree:
        for goal in theme.goals:
            goal.plan = [plan_row(e) for e in plan.get(goal.number, [])]
    return tree


def with_values_only(tree: list[ThemeGroup]) -> tuple[list[ThemeGroup], int]:
    """The follow-up tree without the metrics that have no value in any year column (and
    without the actions, goals and themes left empty), and how many metrics were left out."""
    empty = 0
    for theme in tree:
        for goal in theme.goals:
            for action in goal.actions:
                kept = [r for r in action.rows if any(c is not None for c in r.cells)]
                empty += len(action.rows) - len(kept)
                action.rows = kept
            goal.actions = [a for a in goal.actions if a.rows]
        theme.goals = [g for g in theme.goals if g.actions]
    return [t for t in tree if t.goals], empty


def plan_row(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A plan entry with its schedule and status in words."""
    year, quarter = entry.get("schedule_year"), entry.get("schedule_quarter")
    schedule = format_schedule(year, quarter, current_lang()) if year else ""
    return dict(entry, schedule=schedule, status_label=plan_status_label(entry.get("status") or "planned"))
