"""Checking the assessments of an export file and what hangs on them: respondents, their
answers and area comments, and a round's agreed stages and workshop (pure: no Flask, no SQL).

Each check lists its problems and returns the records that later checks may refer to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import domain
from ..content import Content
from .checks import (
    MAX_NAME,
    MAX_STAGE,
    NO_ASSESSMENT,
    UNKNOWN_AREA,
    Check,
    is_date,
    records,
    referenced,
)
from .fileformat import N_

KINDS = ("single", "round")
ASSESSMENT_STATUSES = ("open", "final")
# A workshop's slide: more than any walk has (one slide per statement and area), and small
# enough for SQLite's integers.
MAX_POSITION = 10_000
NO_RESPONDENT = N_("Refers to respondent %(id)s, which is not in the file (or is not valid).")


def check_assessments(
    check: Check, doc: Mapping[str, Any], contents: Mapping[str, Content]
) -> dict[int, dict]:
    """Valid assessments by id (invalid ones are left out, their problems listed)."""
    keys = ("id", "year", "questionnaire", "content_version", "kind", "status", "created_at")
    valid: dict[int, dict] = {}
    counting: dict[int, str] = {}
    for path, record in records(check, doc, "assessments"):
        if not check.has(record, path, keys):
            continue
        ok = check.integer(record["id"], f"{path}.id")
        if ok and record["id"] in valid:
            check.add(f"{path}.id", N_("Duplicate id %(id)s."), id=record["id"])
            ok = False
        ok &= check.year(record["year"], f"{path}.year")
        ok &= check.choice(record["kind"], f"{path}.kind", KINDS)
        ok &= check.choice(record["status"], f"{path}.status", ASSESSMENT_STATUSES)
        ok &= check.time(record["created_at"], f"{path}.created_at")
        ok &= check.time(record.get("finalised_at"), f"{path}.finalised_at", optional=True)
        ok &= check.time(record.get("archived_at"), f"{path}.archived_at", optional=True)
        ok &= check.text(record.get("title", ""), f"{path}.title", limit=MAX_NAME)
        for flag in ("counts", "anonymous", "show_team_to_respondents"):
            if flag in record:
                ok &= check.flag(record[flag], f"{path}.{flag}")
        deadline = record.get("deadline")
        if deadline is not None and not is_date(deadline):
            check.add(f"{path}.deadline", N_("Must be a date (YYYY-MM-DD) or null."))
            ok = False
        version = record["content_version"]
        content = contents.get(version) if isinstance(version, str) else None
        if content is None:
            check.add(
                f"{path}.content_version",
                N_("Unknown content version %(version)s: the file does not include a valid document of it."),
                version=json.dumps(version),
            )
            ok = False
        elif (
            not isinstance(record["questionnaire"], str)
            or content.questionnaire(record["questionnaire"]) is None
        ):
            check.add(
                f"{path}.questionnaire",
                N_("Questionnaire %(questionnaire)s is not in content version %(version)s."),
                questionnaire=json.dumps(record["questionnaire"]),
                version=version,
            )
            ok = False
        if ok and record.get("counts"):
            if record["year"] in counting:
                check.add(
                    f"{path}.counts",
                    N_("Another assessment (%(other)s) already counts for %(year)d."),
                    other=counting[record["year"]],
                    year=record["year"],
                )
                ok = False
            else:
                counting[record["year"]] = path
        if ok:
            # A copy with its place in the file, for problems found later.
            valid[record["id"]] = dict(record, _n=path[len("assessments[") : -1])
    return valid


def check_respondents(
    check: Check, doc: Mapping[str, Any], assessments: Mapping[int, dict]
) -> dict[int, dict]:
    """Valid respondents by id; also that each single assessment has its one shared respondent."""
    valid: dict[int, dict] = {}
    shared_count: dict[int, int] = {}
    all_ids: set[int] = set()
    for path, record in records(check, doc, "respondents"):
        if not check.has(record, path, ("id", "assessment", "created_at", "updated_at")):
            continue
        ok = check.integer(record["id"], f"{path}.id")
        if ok and record["id"] in all_ids:
            check.add(f"{path}.id", N_("Duplicate id %(id)s."), id=record["id"])
            ok = False
        if ok:
            all_ids.add(record["id"])
        ok &= check.time(record["created_at"], f"{path}.created_at")
        ok &= check.time(record["updated_at"], f"{path}.updated_at")
        shared = record.get("shared", False)
        ok &= check.flag(shared, f"{path}.shared")
        ok &= check.text(record.get("name"), f"{path}.name", limit=MAX_NAME, optional=True)
        if record.get("alias") is not None:
            ok &= check.integer(record["alias"], f"{path}.alias", 1, 100_000)
        assessment = referenced(check, assessments, record["assessment"], f"{path}.assessment", NO_ASSESSMENT)
        if assessment is None:
            continue
        if assessment["kind"] == "round" and shared is True:
            check.add(f"{path}.shared", N_("A team round has no shared respondent."))
            ok = False
        if assessment["kind"] == "single" and shared is False:
            check.add(f"{path}.shared", N_("A single assessment has only its one shared respondent."))
            ok = False
        if record.get("name") is not None and (assessment["kind"] == "single" or assessment.get("anonymous")):
            check.add(
                f"{path}.name", N_("A name is not allowed in an anonymous round or a single assessment.")
            )
            ok = False
        if ok:
            valid[record["id"]] = record
            if shared:
                shared_count[record["assessment"]] = shared_count.get(record["assessment"], 0) + 1
    for ident, assessment in assessments.items():
        if assessment["kind"] == "single" and shared_count.get(ident, 0) != 1:
            check.add(
                f"assessments[{assessment['_n']}]",
                N_("A single assessment must have exactly one shared respondent; the file has %(count)d."),
                count=shared_count.get(ident, 0),
            )
    return valid


def _answered_on(
    respondent: Mapping, assessments: Mapping[int, dict], contents: Mapping[str, Content]
) -> tuple[dict, Content]:
    """The respondent's assessment and the content version it was answered on."""
    assessment = assessments[respondent["assessment"]]
    return assessment, contents[assessment["content_version"]]


def check_answers(
    check: Check,
    doc: Mapping[str, Any],
    assessments: Mapping[int, dict],
    respondents: Mapping[int, dict],
    contents: Mapping[str, Content],
) -> None:
    """Each answer: a value 0-4 or null, by a respondent of the file, to an item of the
    questionnaire its assessment was answered on, at most once per item."""
    seen: set[tuple[int, str]] = set()
    for path, record in records(check, doc, "answers"):
        if not check.has(record, path, ("respondent", "item", "value", "updated_at")):
            continue
        check.time(record["updated_at"], f"{path}.updated_at")
        value = record["value"]
        if value is not None and not domain.is_answer_value(value):
            check.add(
                f"{path}.value",
                N_("Answer value %(value)s is not a whole number 0–4 or null (don't know)."),
                value=json.dumps(value),
            )
        respondent = referenced(check, respondents, record["respondent"], f"{path}.respondent", NO_RESPONDENT)
        if respondent is None:
            continue
        assessment, content = _answered_on(respondent, assessments, contents)
        questionnaire = content.questionnaire(assessment["questionnaire"])
        item = record["item"]
        if questionnaire is None or item not in questionnaire.items:
            check.add(
                f"{path}.item",
                N_("Item %(item)s is not in the questionnaire this assessment was answered on."),
                item=json.dumps(item),
            )
            continue
        if (respondent["id"], item) in seen:
            check.add(
                f"{path}.item", N_("A second answer to item %(item)s by the same respondent."), item=item
            )
        seen.add((respondent["id"], item))


def check_comments(
    check: Check,
    doc: Mapping[str, Any],
    assessments: Mapping[int, dict],
    respondents: Mapping[int, dict],
    contents: Mapping[str, Content],
) -> None:
    """Each area comment: by a respondent of the file, on an area of its content version, at
    most once per area."""
    seen: set[tuple[int, str]] = set()
    for path, record in records(check, doc, "comments"):
        if not check.has(record, path, ("respondent", "area", "comment", "updated_at")):
            continue
        check.time(record["updated_at"], f"{path}.updated_at")
        check.text(record["comment"], f"{path}.comment")
        respondent = referenced(check, respondents, record["respondent"], f"{path}.respondent", NO_RESPONDENT)
        if respondent is None:
            continue
        _assessment, content = _answered_on(respondent, assessments, contents)
        if not isinstance(record["area"], str) or not content.has_area(record["area"]):
            check.add(f"{path}.area", UNKNOWN_AREA, area=json.dumps(record["area"]))
        elif (respondent["id"], record["area"]) in seen:
            check.add(
                f"{path}.area",
                N_("A second comment on area %(area)s by the same respondent."),
                area=record["area"],
            )
        else:
            seen.add((respondent["id"], record["area"]))


def _round_ref(check: Check, record: Mapping, path: str, assessments: Mapping[int, dict]) -> dict | None:
    """The team round a record refers to; None (with the problem) when it is not one."""
    assessment = referenced(check, assessments, record["assessment"], f"{path}.assessment", NO_ASSESSMENT)
    if assessment is None:
        return None
    if assessment["kind"] != "round":
        check.add(f"{path}.assessment", N_("Assessment %(id)s is not a team round."), id=record["assessment"])
        return None
    return assessment


def check_agreements(
    check: Check, doc: Mapping[str, Any], assessments: Mapping[int, dict], contents: Mapping[str, Content]
) -> None:
    """Each agreed stage: 0-5, on an area of a round of the file, at most once per area."""
    seen: set[tuple[int, str]] = set()
    for path, record in records(check, doc, "agreements"):
        if not check.has(record, path, ("assessment", "area", "agreed_stage", "updated_at")):
            continue
        check.integer(record["agreed_stage"], f"{path}.agreed_stage", 0, MAX_STAGE)
        check.text(record.get("reason", ""), f"{path}.reason")
        check.time(record["updated_at"], f"{path}.updated_at")
        assessment = _round_ref(check, record, path, assessments)
        if assessment is None:
            continue
        content = contents[assessment["content_version"]]
        if not isinstance(record["area"], str) or not content.has_area(record["area"]):
            check.add(f"{path}.area", UNKNOWN_AREA, area=json.dumps(record["area"]))
        elif (assessment["id"], record["area"]) in seen:
            check.add(f"{path}.area", N_("Area %(area)s is agreed twice."), area=record["area"])
        else:
            seen.add((assessment["id"], record["area"]))


def check_workshops(check: Check, doc: Mapping[str, Any], assessments: Mapping[int, dict]) -> None:
    """Each workshop: the state of one round's workshop, at most one per round."""
    seen: set[int] = set()
    for path, record in records(check, doc, "workshops"):
        if not check.has(record, path, ("assessment", "position", "updated_at")):
            continue
        check.integer(record["position"], f"{path}.position", 0, MAX_POSITION)
        for flag in ("revealed", "show_code", "ended"):
            if flag in record:
                check.flag(record[flag], f"{path}.{flag}")
        check.time(record["updated_at"], f"{path}.updated_at")
        assessment = _round_ref(check, record, path, assessments)
        if assessment is None:
            continue
        if assessment["id"] in seen:
            check.add(
                f"{path}.assessment", N_("A second workshop for assessment %(id)s."), id=assessment["id"]
            )
        seen.add(assessment["id"])
