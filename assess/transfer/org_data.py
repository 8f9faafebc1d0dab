"""Checking what an export file holds of the organisation itself: its record, the action
plan, yearly targets and programme metric values (pure: no Flask, no SQL).

Plan entries, targets and metrics belong to the organisation, not to a content version,
so their roadmap and programme ids are checked against every version known (Known).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..metric_form import NOTE_MAX_LENGTH, SOURCE_MAX_LENGTH
from ..metrics import (
    CHOOSABLE_KINDS,
    COUNT_MAX,
    EURO_MAX,
    TEXT_MAX_LENGTH,
    VALUE_KINDS,
    parse_value,
)
from .checks import (
    MAX_NAME,
    MAX_STAGE,
    NO_ASSESSMENT,
    UNKNOWN_AREA,
    Check,
    is_int,
    is_number,
    records,
    referenced,
    unique_ids,
)
from .content_versions import Known
from .fileformat import N_

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLAN_STATUSES = ("planned", "in_progress", "done", "dropped")
MAX_PLAN_NUMBER = 1_000_000  # far above any real plan; bounds what a file may claim
UNKNOWN_METRIC = N_("Unknown programme metric %(metric)s.")

METRIC_ERRORS = {
    "required": N_("A value is required."),
    "yes_no_expected": N_("Must be true or false."),
    "number_expected": N_("Must be a number."),
    "whole_number_expected": N_("Must be a whole number."),
    "negative": N_("Must not be negative."),
    "over_100": N_("A percentage can be at most 100."),
    "too_many_decimals": N_("At most two decimals are allowed."),
    "too_long": N_("The text is too long: at most %(max)d characters."),
    "too_large": N_("The number is too large: at most %(max)s."),
}


def check_organisation(check: Check, org: Any) -> None:
    """The organisation record: a name and an identifier (slug), optionally its start year."""
    path = "organisation"
    if org is None:
        check.add(path, N_("Required field is missing."))
        return
    if not check.obj(org, path) or not check.has(org, path, ("slug", "name")):
        return
    check.text(org["name"], f"{path}.name", limit=MAX_NAME, empty=False)
    if not isinstance(org["slug"], str) or not SLUG.match(org["slug"]):
        check.add(f"{path}.slug", N_("Must be an identifier of lower-case letters a-z, digits and dashes."))
    check.year(org.get("path_start_year"), f"{path}.path_start_year", optional=True)
    if "is_demo" in org:
        check.flag(org["is_demo"], f"{path}.is_demo")
    check.integer(
        org.get("plan_numbers_used"), f"{path}.plan_numbers_used", 0, MAX_PLAN_NUMBER, optional=True
    )


def check_plan(check: Check, doc: Mapping[str, Any], assessments: Mapping[int, dict], known: Known) -> None:
    """Plan entries (known roadmap and programme ids, a schedule) and their status events."""
    entries = records(check, doc, "plan_entries")
    keys = ("id", "text", "status", "created_at", "updated_at")
    entry_ids = unique_ids(check, [(p, r) for p, r in entries if "id" in r])
    numbers: set[int] = set()
    for path, record in entries:
        if not check.has(record, path, keys):
            continue
        number = record.get("number")
        if check.integer(number, f"{path}.number", 1, MAX_PLAN_NUMBER, optional=True) and number is not None:
            if number in numbers:
                check.add(
                    f"{path}.number",
                    N_("Another plan entry already has the number %(number)s."),
                    number=number,
                )
            numbers.add(number)
        check.text(record["text"], f"{path}.text", empty=False)
        check.text(record.get("responsible", ""), f"{path}.responsible", limit=MAX_NAME)
        check.choice(record["status"], f"{path}.status", PLAN_STATUSES)
        step, goal, item = record.get("step"), record.get("goal"), record.get("item")
        # isinstance first: a list or an object in a tampered file is no id (and not hashable).
        if step is not None and (not isinstance(step, str) or step not in known.steps):
            check.add(f"{path}.step", N_("Unknown roadmap step %(step)s."), step=json.dumps(step))
        if goal is not None and (not is_int(goal) or goal not in known.goals):
            check.add(f"{path}.goal", N_("Unknown programme goal %(goal)s."), goal=json.dumps(goal))
        if item is not None and (not isinstance(item, str) or item not in known.items):
            check.add(f"{path}.item", N_("Unknown roadmap item %(item)s."), item=json.dumps(item))
        year_ok = check.year(record.get("schedule_year"), f"{path}.schedule_year", optional=True)
        quarter = record.get("schedule_quarter")
        if (
            check.integer(quarter, f"{path}.schedule_quarter", 1, 4, optional=True)
            and quarter is not None
            and year_ok
            and record.get("schedule_year") is None
        ):
            check.add(f"{path}.schedule_quarter", N_("A quarter needs a year."))
        if record.get("created_in") is not None:
            referenced(check, assessments, record["created_in"], f"{path}.created_in", NO_ASSESSMENT)
        check.time(record["created_at"], f"{path}.created_at")
        check.time(record["updated_at"], f"{path}.updated_at")
        check.time(record.get("done_at"), f"{path}.done_at", optional=True)
    for path, record in records(check, doc, "plan_events"):
        if not check.has(record, path, ("entry", "status", "at")):
            continue
        if not is_int(record["entry"]) or record["entry"] not in entry_ids:
            check.add(
                f"{path}.entry",
                N_("Refers to plan entry %(id)s, which is not in the file."),
                id=json.dumps(record["entry"]),
            )
        check.choice(record["status"], f"{path}.status", PLAN_STATUSES)
        check.time(record["at"], f"{path}.at")


def check_targets(check: Check, doc: Mapping[str, Any], known: Known) -> None:
    """Target stages: 0-5 for a known area, one per area and year."""
    seen: set[tuple[int, str]] = set()
    for path, record in records(check, doc, "targets"):
        if not check.has(record, path, ("year", "area", "stage")):
            continue
        ok = check.year(record["year"], f"{path}.year")
        check.integer(record["stage"], f"{path}.stage", 0, MAX_STAGE)
        if not isinstance(record["area"], str) or record["area"] not in known.areas:
            check.add(f"{path}.area", UNKNOWN_AREA, area=json.dumps(record["area"]))
        elif ok and (record["year"], record["area"]) in seen:
            check.add(
                path,
                N_("A second target for %(area)s in %(year)d."),
                area=record["area"],
                year=record["year"],
            )
        elif ok:
            seen.add((record["year"], record["area"]))


def check_metric_kinds(check: Check, doc: Mapping[str, Any], known: Known) -> None:
    """The kind of value the organisation chose for a metric whose kind is its choice."""
    seen: set[str] = set()
    for path, record in records(check, doc, "metric_kinds"):
        if not check.has(record, path, ("metric", "kind")):
            continue
        metric = record["metric"]
        if not isinstance(metric, str) or metric not in known.metric_kinds:
            check.add(f"{path}.metric", UNKNOWN_METRIC, metric=json.dumps(metric))
            continue
        if not known.metric_kinds[metric] & set(CHOOSABLE_KINDS):
            check.add(
                f"{path}.metric",
                N_("Metric %(metric)s has a fixed kind of value; the organisation cannot choose one."),
                metric=metric,
            )
        check.choice(record["kind"], f"{path}.kind", VALUE_KINDS)
        if metric in seen:
            check.add(f"{path}.metric", N_("A second kind for metric %(metric)s."), metric=metric)
        seen.add(metric)


def check_metric_values(check: Check, doc: Mapping[str, Any], known: Known) -> None:
    """Metric values: a value the metric takes, valid for its kind, one per metric and year."""
    seen: set[tuple[int, str]] = set()
    for path, record in records(check, doc, "metric_values"):
        if not check.has(record, path, ("year", "metric", "kind", "value", "updated_at")):
            continue
        year_ok = check.year(record["year"], f"{path}.year")
        check.text(record.get("note", ""), f"{path}.note", limit=NOTE_MAX_LENGTH)
        check.text(record.get("source", ""), f"{path}.source", limit=SOURCE_MAX_LENGTH)
        check.time(record["updated_at"], f"{path}.updated_at")
        metric, kind = record["metric"], record["kind"]
        if not isinstance(metric, str) or metric not in known.metric_kinds:
            check.add(f"{path}.metric", UNKNOWN_METRIC, metric=json.dumps(metric))
            continue
        if not check.choice(kind, f"{path}.kind", VALUE_KINDS):
            continue
        if kind not in known.value_kinds(metric):
            check.add(
                f"{path}.kind",
                N_("Metric %(metric)s does not take values of kind %(kind)s."),
                metric=metric,
                kind=kind,
            )
            continue
        problem = metric_value_problem(kind, record["value"])
        if problem:
            message, params = problem
            check.add(f"{path}.value", message, **params)
        if year_ok:
            if (record["year"], metric) in seen:
                check.add(
                    path, N_("A second value for %(metric)s in %(year)d."), metric=metric, year=record["year"]
                )
            seen.add((record["year"], metric))


def metric_value_problem(kind: str, value: Any) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with a stored metric value of a value kind, or None.

    JSON types by kind: yes_no true/false, count a whole number, percent and euro numbers,
    text a string; the value itself is checked by assess.metrics.parse_value, the same
    rule as the metric values form.
    """
    if kind == "yes_no":
        return None if isinstance(value, bool) else (METRIC_ERRORS["yes_no_expected"], {})
    if kind == "count" and not is_int(value):
        return METRIC_ERRORS["whole_number_expected"], {}
    if kind in ("percent", "euro") and not is_number(value):
        return METRIC_ERRORS["number_expected"], {}
    if kind == "text" and not isinstance(value, str):
        return N_("Must be text."), {}
    # Plain digits, never "1e+16": a large number is then "too large", not "not a number".
    parsed = parse_value(kind, value if kind == "text" else format(Decimal(str(value)), "f"))
    if parsed.error == "too_large":
        return METRIC_ERRORS["too_large"], {"max": COUNT_MAX if kind == "count" else EURO_MAX}
    if parsed.error:
        return METRIC_ERRORS.get(parsed.error, N_("The value is not valid.")), {"max": TEXT_MAX_LENGTH}
    return None
