"""Reading an organisation's history: the assessments that count per year, their results
(cached once final), agreed stages and plan entries; marking which assessment counts.

A final assessment's answers never change, so its result is computed once and kept in
result_cache (storage.results); the history page then reads ten years of 200-respondent
rounds without rescoring them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from sqlite_utils import Database

from ..content import Content
from ..history import counting_per_year
from . import assessments, results
from .db import one, rows, write
from .rows import AssessmentRow, PlanEntryRow

FINAL_COLUMNS = (
    "id, org_id, year, questionnaire, content_version, kind, status, title, counts, anonymous, "
    "revision, created_at, finalised_at"
)


def final_assessments(db: Database, org_id: int) -> list[AssessmentRow]:
    """The organisation's assessments that may count for their year (single ones marked
    final, closed rounds; answered, not archived: storage.assessments.countable_sql),
    by year then by when they were finalised."""
    # Laid out by hand: the mutation pragmas mark whole lines ([tool.mutmut]).
    # fmt: off
    return cast(list[AssessmentRow], rows(  # pragma: no mutate
        db,
        f"SELECT {FINAL_COLUMNS} FROM assessments WHERE org_id = ? AND "
        f"{assessments.countable_sql()} ORDER BY year, finalised_at, id",
        (org_id,),
    ))
    # fmt: on


def by_year(final: Iterable[AssessmentRow]) -> dict[int, list[AssessmentRow]]:
    """Final assessments grouped by year (years ascending)."""
    grouped: dict[int, list[AssessmentRow]] = {}
    for row in final:
        grouped.setdefault(row["year"], []).append(row)
    return dict(sorted(grouped.items()))


def counting(db: Database, org_id: int) -> dict[int, AssessmentRow]:
    """Year -> the assessment that counts for it. THE rule of the counted result: the
    history, the report, the exports, the transfer file and the overview all read it here
    (the choice itself is assess.history.counting_per_year)."""
    return counting_per_year(final_assessments(db, org_id))


def years_to_choose(db: Database, org_id: int) -> list[int]:
    """Years that have assessments able to count but no counted result: a lead chooses."""
    counted = counting(db, org_id)
    return sorted({row["year"] for row in final_assessments(db, org_id)} - set(counted))


def mark_counting(db: Database, org_id: int, assessment_id: int) -> AssessmentRow | None:
    """Make an assessment of this organisation that may count (final, answered, not
    archived) the one that counts for its year.

    Returns the assessment, or None (changing nothing) when it cannot count.
    """
    with write(db):
        # Laid out by hand: the mutation pragmas mark whole lines ([tool.mutmut]).
        # fmt: off
        row = cast(AssessmentRow | None, one(  # pragma: no mutate
            db, f"SELECT * FROM assessments WHERE id = ? AND org_id = ? AND "
                f"{assessments.countable_sql()}", (assessment_id, org_id)))
        # fmt: on
        if row is None:
            return None
        assessments.set_counts(db, assessment_id)
    return row


def agreed_stages(db: Database, assessment_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Assessment id -> {area: agreed stage} for the given assessments (rounds only have any)."""
    ids = list(assessment_ids)
    result: dict[int, dict[str, int]] = {i: {} for i in ids}
    if not ids:
        return result
    marks = ",".join("?" * len(ids))
    for row in db.execute(
        f"SELECT assessment_id, area, agreed_stage FROM agreements WHERE assessment_id IN ({marks})",
        ids,
    ):
        result[row[0]][row[1]] = row[2]
    return result


def final_results(
    db: Database, final: Iterable[AssessmentRow], content_for: Callable[[str], Content]
) -> dict[int, dict[str, Any]]:
    """Assessment id -> result for final assessments, through storage.results: read from
    result_cache, or computed and cached once. ``content_for(version)`` gives the content
    an assessment was answered on."""
    return {row["id"]: results.result_for(db, row, content_for(row["content_version"])) for row in final}


def plan_entries(db: Database, org_id: int) -> list[PlanEntryRow]:
    """The organisation's plan entries with what the history needs of them."""
    # SQL keywords and names read the same in any case, so a mutation test's case changes
    # of a line holding only those are equivalent: "no mutate" skips them (docs/testing.md).
    # Laid out by hand: the mutation pragmas mark whole lines ([tool.mutmut]).
    # fmt: off
    return cast(list[PlanEntryRow], rows(  # pragma: no mutate
        db,
        "SELECT id, step, goal, item, text, responsible, "  # pragma: no mutate
        "schedule_year, schedule_quarter, status, done_at "  # pragma: no mutate
        "FROM plan_entries WHERE org_id = ? ORDER BY id",
        (org_id,),
    ))
    # fmt: on
