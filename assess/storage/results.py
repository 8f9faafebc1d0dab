"""Results of assessments: computed from the stored answers, cached once they cannot change.

A final assessment's answers are frozen, so its result is computed once and kept in
result_cache as JSON; an open one is computed on every view. The cache row remembers the
assessment's revision and finalisation time and the version of the rules that computed it, and
is ignored when any has moved (the assessment was reopened and finalised again, or the scoring
rules changed), so a stale result is never shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from .. import results, round_summary
from ..content import Content
from ..rules import RULE_VERSION
from . import assessments
from .db import now, one, write

# An assessment row: storage's AssessmentRow, or the benchmark's narrower one (storage.benchmark
# selects only the columns the figures need); read here are id, questionnaire, kind, status,
# revision, finalised_at and, where present, anonymous.
Assessment = Mapping[str, Any]


def _stamp(assessment: Assessment) -> dict[str, Any]:
    return {
        "revision": assessment["revision"],
        "finalised_at": assessment["finalised_at"],
        "rules": RULE_VERSION,
    }


def responses(db: Database, assessment_id: int) -> list[dict[str, int | None]]:
    """Every respondent's answers, in respondent order (one who answered nothing: {})."""
    return list(assessments.answers_by_respondent(db, assessment_id).values())


def cached(db: Database, assessment: Assessment) -> dict | None:
    """The cached result of a final assessment, if it is still valid."""
    if assessment["status"] != "final":
        return None
    row = one(db, "SELECT result FROM result_cache WHERE assessment_id = ?", (assessment["id"],))
    if row is None:
        return None
    stored = json.loads(row["result"])
    if stored.get("stamp") != _stamp(assessment):
        return None
    return stored["result"]


def result_for(db: Database, assessment: Assessment, content: Content) -> dict:
    """The result of an assessment (see assess.results.compute), from the cache when final.

    ``content`` must be the content the assessment was answered on
    (state.content_at(assessment["content_version"])).
    """
    return _as_shown(assessment, _full_result(db, assessment, content))


def _as_shown(assessment: Mapping[str, Any], result: dict) -> dict:
    """An anonymous round never shows an item that fewer than three answered."""
    return round_summary.hide_small_groups(result) if assessment.get("anonymous") else result


def _full_result(db: Database, assessment: Assessment, content: Content) -> dict:
    found = cached(db, assessment)
    if found is not None:
        return found
    given = responses(db, assessment["id"])
    if assessment.get("kind") == "round":
        # A round's respondents are those who answered something: one who only joined is
        # no respondent of the result (the pages say how many joined without answering).
        given = [answers for answers in given if answers]
    result = results.compute(content, assessment["questionnaire"], given)
    if assessment["status"] == "final":
        document = json.dumps({"stamp": _stamp(assessment), "result": result})
        with write(db):
            db.execute(
                "INSERT INTO result_cache (assessment_id, result, computed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (assessment_id) DO UPDATE SET result = excluded.result, "
                "computed_at = excluded.computed_at",
                (assessment["id"], document, now()),
            )
    return result
