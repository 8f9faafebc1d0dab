"""Assessments, their respondents, answers and area comments.

A single assessment has one shared respondent (``respondents.shared = 1``) whose answers
every lead of the organisation edits; a round has one respondent per participant. Answers
are stored per item (primary key respondent + item), and a page save writes only the items
the user changed, so two people saving different items at once never erase each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, cast

from sqlite_utils import Database

from ..history import counting_per_year
from . import live_state
from .db import inserted_id, now, one, rows, write, written
from .rows import AssessmentListed, AssessmentRow, RespondentRow

UNANSWERED: Literal["unanswered"] = "unanswered"
CLEAR: Literal["clear"] = "clear"
# The entry save_area returns when the area comment was changed by someone else meanwhile.
# Item ids never start with "@", so it cannot be mistaken for one.
COMMENT_CONFLICT = "@comment"

Value = int | None  # 0..4, None = "don't know"


def countable_sql(alias: str = "") -> str:
    """The SQL condition of an assessment that may be its year's counted result: final (a
    single assessment marked final or a closed round), not archived, and answered at all.
    ``alias`` is the assessments table's alias in the query ("a"), or "" for none."""
    a = f"{alias or 'assessments'}."
    return (
        f"{a}status = 'final' AND {a}archived_at IS NULL AND EXISTS (SELECT 1 FROM "
        f"respondents cr JOIN answers ca ON ca.respondent_id = cr.id "
        f"WHERE cr.assessment_id = {a}id)"
    )


def counted_in_year(db: Database, org_id: int, year: int) -> AssessmentRow | None:
    """The assessment that counts for the organisation's year (assess.history.counting_per_year
    over the countable ones), or None."""
    candidates = cast(
        list[AssessmentRow],
        rows(
            db,
            f"SELECT * FROM assessments WHERE org_id = ? AND year = ? AND {countable_sql()} ORDER BY id",
            (org_id, year),
        ),
    )
    return counting_per_year(candidates).get(year)


class AssessmentFinal(Exception):
    """A save was attempted on an assessment that has been marked final."""


def create_assessment(
    db: Database,
    *,
    org_id: int,
    year: int,
    questionnaire: str,
    content_version: str,
    kind: str,
    created_by: int | None,
    title: str = "",
    anonymous: bool = False,
    deadline: str | None = None,
    join_code: str | None = None,
) -> AssessmentRow:
    """Create an assessment; kind "single" also creates its one shared respondent."""
    with write(db):
        at = now()
        cur = db.execute(
            "INSERT INTO assessments (org_id, year, questionnaire, content_version, kind, title, "
            "anonymous, deadline, join_code, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                org_id,
                year,
                questionnaire,
                content_version,
                kind,
                title.strip(),
                int(anonymous),
                deadline,
                join_code,
                created_by,
                at,
            ),
        )
        assessment_id = inserted_id(cur)
        if kind == "single":
            db.execute(
                "INSERT INTO respondents (assessment_id, shared, created_at, updated_at) VALUES (?, 1, ?, ?)",
                (assessment_id, at, at),
            )
        return written(get_assessment(db, assessment_id))


def start_single(
    db: Database,
    *,
    org_id: int,
    year: int,
    questionnaire: str,
    content_version: str,
    created_by: int | None,
    title: str = "",
) -> tuple[AssessmentRow, bool]:
    """The organisation's single assessment for this year and questionnaire, created if missing.

    Returns (assessment, created). A double-submitted start form thus opens the same
    assessment instead of making a second one.
    """
    with write(db):
        existing = one(
            db,
            "SELECT id FROM assessments WHERE org_id = ? AND year = ? AND questionnaire = ? "
            "AND kind = 'single' ORDER BY id LIMIT 1",
            (org_id, year, questionnaire),
        )
        if existing:
            return written(get_assessment(db, existing["id"])), False
        created = create_assessment(
            db,
            org_id=org_id,
            year=year,
            questionnaire=questionnaire,
            content_version=content_version,
            kind="single",
            created_by=created_by,
            title=title,
        )
        return created, True


def get_assessment(db: Database, assessment_id: int) -> AssessmentRow | None:
    return cast(AssessmentRow | None, one(db, "SELECT * FROM assessments WHERE id = ?", (assessment_id,)))


def for_org(db: Database, org_id: int) -> list[AssessmentListed]:
    """The organisation's assessments, newest year first (then newest created); archived
    ones are left out (storage.lifecycle.archived lists them).

    Each row also has ``answers`` (answer rows over all its respondents: for a single
    assessment the number of items answered, "don't know" included) and ``respondents``
    (participants of a round; the shared respondent is not counted).
    """
    return cast(
        list[AssessmentListed],
        rows(
            db,
            "SELECT a.*, "
            "  (SELECT COUNT(*) FROM answers x JOIN respondents r ON r.id = x.respondent_id "
            "   WHERE r.assessment_id = a.id) AS answers, "
            "  (SELECT COUNT(*) FROM respondents r WHERE r.assessment_id = a.id AND r.shared = 0) "
            "   AS respondents "
            "FROM assessments a WHERE a.org_id = ? AND a.archived_at IS NULL "
            "ORDER BY a.year DESC, a.id DESC",
            (org_id,),
        ),
    )


def shared_respondent(db: Database, assessment_id: int) -> RespondentRow:
    """The shared respondent of a single assessment; LookupError when there is none (a round)."""
    row = cast(
        RespondentRow | None,
        one(
            db,
            "SELECT * FROM respondents WHERE assessment_id = ? AND shared = 1 ORDER BY id LIMIT 1",
            (assessment_id,),
        ),
    )
    if row is None:
        raise LookupError(f"assessment {assessment_id} has no shared respondent")
    return row


def answers_by_respondent(db: Database, assessment_id: int) -> dict[int, dict[str, Value]]:
    """Respondent id -> {item: value, None for "don't know"}; unanswered items are absent.

    Every respondent of the assessment is present, one with no answers yet as an empty dict.
    """
    result: dict[int, dict[str, Value]] = {
        r["id"]: {}
        for r in rows(db, "SELECT id FROM respondents WHERE assessment_id = ? ORDER BY id", (assessment_id,))
    }
    for row in db.execute(
        "SELECT x.respondent_id, x.item, x.value FROM answers x "
        "JOIN respondents r ON r.id = x.respondent_id WHERE r.assessment_id = ?",
        (assessment_id,),
    ):
        result[row[0]][row[1]] = row[2]
    return result


def respondent_answers(db: Database, respondent_id: int) -> dict[str, Value]:
    """One respondent's answers: {item: value, None for "don't know"}; unanswered absent."""
    return {
        r[0]: r[1]
        for r in db.execute("SELECT item, value FROM answers WHERE respondent_id = ?", (respondent_id,))
    }


def respondent_comments(db: Database, respondent_id: int) -> dict[str, str]:
    """One respondent's comments: {area: comment}."""
    return {
        r[0]: r[1]
        for r in db.execute(
            "SELECT area, comment FROM area_comments WHERE respondent_id = ?", (respondent_id,)
        )
    }


def comments(db: Database, assessment_id: int) -> dict[str, list[str]]:
    """Area -> the non-empty comments of the assessment's respondents, in respondent order."""
    result: dict[str, list[str]] = {}
    for row in db.execute(
        "SELECT c.area, c.comment FROM area_comments c JOIN respondents r ON r.id = c.respondent_id "
        "WHERE r.assessment_id = ? AND c.comment <> '' ORDER BY r.id",
        (assessment_id,),
    ):
        result.setdefault(row[0], []).append(row[1])
    return result


def _norm_comment(text: str | None) -> str:
    """Comments compare by content: browsers send CRLF line ends and may trim differently."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def require_open_for(db: Database, respondent_id: int) -> None:
    """Inside a write: the respondent's assessment still takes answers. LookupError for an
    unknown respondent, AssessmentFinal once the assessment is final (a round closed)."""
    status = one(
        db,
        "SELECT a.status FROM respondents r JOIN assessments a ON a.id = r.assessment_id WHERE r.id = ?",
        (respondent_id,),
    )
    if status is None:
        raise LookupError(f"no respondent {respondent_id}")
    if status["status"] == "final":
        raise AssessmentFinal()


def save_area(
    db: Database,
    *,
    respondent_id: int,
    area: str,
    changes: Mapping[str, int | None | Literal["clear"]],
    base: Mapping[str, int | None | Literal["unanswered"]],
    comment: str | None,
    base_comment: str | None,
) -> list[str]:
    """Write the items a user changed on one area page, in one write transaction.

    ``changes``: item -> new value (0..4, None = "don't know", "clear" = back to unanswered),
    only for the items the user changed. ``base``: item -> what the page showed when it was
    loaded ("unanswered" when nothing). An item whose stored value differs from its base was
    changed by someone else meanwhile: unless both chose the same value, it is a conflict, the
    stored value is kept, and its id is returned. The comment works the same way (``comment``
    None = not on the form); its conflict is returned as COMMENT_CONFLICT.
    Saving the same changes twice is harmless. Raises AssessmentFinal on a final assessment.
    Returns the conflicting ids in the order of ``changes``.
    """
    conflicts: list[str] = []
    with write(db):
        require_open_for(db, respondent_id)
        stored = respondent_answers(db, respondent_id)
        at = now()
        wrote = False
        for item, new in changes.items():
            current: int | None | str = stored[item] if item in stored else UNANSWERED
            wanted: int | None | str = UNANSWERED if new == CLEAR else new
            if current == wanted:
                continue  # already so: a double submit, or both chose the same
            if current != base.get(item, UNANSWERED):
                conflicts.append(item)
                continue
            if new == CLEAR:
                db.execute("DELETE FROM answers WHERE respondent_id = ? AND item = ?", (respondent_id, item))
            else:
                db.execute(
                    "INSERT INTO answers (respondent_id, item, value, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (respondent_id, item) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at",
                    (respondent_id, item, new, at),
                )
            wrote = True
        if comment is not None and _norm_comment(comment) != _norm_comment(base_comment):
            current_comment = _norm_comment(respondent_comments(db, respondent_id).get(area))
            new_comment = _norm_comment(comment)
            if current_comment == new_comment:
                pass
            elif current_comment != _norm_comment(base_comment):
                conflicts.append(COMMENT_CONFLICT)
            else:
                if new_comment:
                    db.execute(
                        "INSERT INTO area_comments (respondent_id, area, comment, updated_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT (respondent_id, area) DO UPDATE SET "
                        "comment = excluded.comment, updated_at = excluded.updated_at",
                        (respondent_id, area, new_comment, at),
                    )
                else:
                    db.execute(
                        "DELETE FROM area_comments WHERE respondent_id = ? AND area = ?",
                        (respondent_id, area),
                    )
                wrote = True
        if wrote:
            answers_moved(db, respondent_id, at)
    return conflicts


def answers_moved(db: Database, respondent_id: int, at: str) -> None:
    """Record that a respondent's answers changed (inside the write that changed them)."""
    db.execute("UPDATE respondents SET updated_at = ? WHERE id = ?", (at, respondent_id))
    # The revision tells caches of open assessments that the answers moved.
    db.execute(
        "UPDATE assessments SET revision = revision + 1 "
        "WHERE id = (SELECT assessment_id FROM respondents WHERE id = ?)",
        (respondent_id,),
    )


def finalise(db: Database, assessment_id: int) -> None:
    """Mark the assessment final (answers frozen).

    When its year has no counted result yet, this one starts to count. When the year has
    one, that one keeps counting (and is marked so, should it only have counted as the
    year's sole candidate): a lead changes it on purpose, never silently.
    """
    with write(db):
        row = get_assessment(db, assessment_id)
        if row is None or row["status"] == "final":
            return
        before = counted_in_year(db, row["org_id"], row["year"])
        db.execute(
            "UPDATE assessments SET status = 'final', finalised_at = ?, revision = revision + 1 WHERE id = ?",
            (now(), assessment_id),
        )
        keep = before["id"] if before else None
        if before is None:
            # An empty one cannot count: the year waits for one with answers.
            this = one(db, f"SELECT id FROM assessments WHERE id = ? AND {countable_sql()}", (assessment_id,))
            keep = this["id"] if this else None
        db.execute(
            "UPDATE assessments SET counts = COALESCE(id = ?, 0) WHERE org_id = ? AND year = ?",
            (keep, row["org_id"], row["year"]),
        )


def reopen(db: Database, assessment_id: int) -> bool:
    """Open a final assessment for editing again (the views allow it for single assessments).

    Its cached result is dropped, since results are cached only while they cannot change.
    It no longer counts for its year: an open assessment cannot. Returns whether it counted
    (the view warns the lead so).
    """
    with write(db):
        row = get_assessment(db, assessment_id)
        if row is None or row["status"] != "final":
            return False
        counted = counted_in_year(db, row["org_id"], row["year"])
        was_counted = counted is not None and counted["id"] == assessment_id
        db.execute(
            "UPDATE assessments SET status = 'open', finalised_at = NULL, counts = 0, "
            "revision = revision + 1 WHERE id = ? AND status = 'final'",
            (assessment_id,),
        )
        db.execute("DELETE FROM result_cache WHERE assessment_id = ?", (assessment_id,))
        live_state.publish(db, assessment_id)  # a round's workshop phones follow again
    return was_counted


def set_counts(db: Database, assessment_id: int) -> None:
    """Mark this assessment as the one that counts for its organisation and year (an
    archived one never counts: restore it first)."""
    with write(db):
        row = get_assessment(db, assessment_id)
        if row is None or row["archived_at"]:
            return
        db.execute(
            "UPDATE assessments SET counts = (id = ?) WHERE org_id = ? AND year = ?",
            (assessment_id, row["org_id"], row["year"]),
        )
