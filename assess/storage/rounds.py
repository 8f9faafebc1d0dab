"""Team rounds: opening one with a join code, respondents reached by personal tokens, the agreed
stage per area, and closing.

A round is an assessment of kind "round" (see storage.assessments, which also stores and
saves the respondents' answers). Only the SHA-256 of a personal token is kept, so a copy of
the database does not give anyone's link away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from sqlite_utils import Database

from .. import joincodes
from . import assessments, live_state
from .db import now, one, rows, write
from .rows import AssessmentRow, RespondentRow

MAX_REASON = 500
MAX_NAME = 100


class RoundClosed(Exception):
    """A change was attempted on a round that has been closed."""


def open_round(
    db: Database,
    *,
    org_id: int,
    year: int,
    questionnaire: str,
    content_version: str,
    created_by: int | None,
    anonymous: bool,
    deadline: str | None = None,
    title: str = "",
) -> AssessmentRow:
    """Open a round with a fresh unique join code; ``deadline`` is an ISO date or None."""
    with write(db):
        # Inside the write lock no other round can take the code between check and insert.
        code = joincodes.new_code()
        while one(db, "SELECT 1 FROM assessments WHERE join_code = ?", (code,)):
            code = joincodes.new_code()
        return assessments.create_assessment(
            db,
            org_id=org_id,
            year=year,
            questionnaire=questionnaire,
            content_version=content_version,
            kind="round",
            created_by=created_by,
            title=title,
            anonymous=anonymous,
            deadline=deadline,
            join_code=code,
        )


def set_show_team(db: Database, round_id: int, show: bool) -> None:
    """Turn on or off: after closing, respondents see their own answers beside the team's
    values. An option of how the result is shown, so it may change after closing too; it
    leaves the round's revision (and so its frozen result) alone."""
    with write(db):
        db.execute(
            "UPDATE assessments SET show_team_to_respondents = ? WHERE id = ? AND kind = 'round'",
            (1 if show else 0, round_id),
        )


def get_round(db: Database, assessment_id: int) -> AssessmentRow | None:
    """The assessment if it is a round, else None."""
    return cast(
        AssessmentRow | None,
        one(db, "SELECT * FROM assessments WHERE id = ? AND kind = 'round'", (assessment_id,)),
    )


def round_by_code(db: Database, code: str | None) -> AssessmentRow | None:
    """The round with this join code (as typed: case and spaces are forgiven), else None."""
    canonical = joincodes.normalise_code(code)
    if canonical is None:
        return None
    return cast(
        AssessmentRow | None,
        one(db, "SELECT * FROM assessments WHERE join_code = ? AND kind = 'round'", (canonical,)),
    )


def join(db: Database, round_id: int, token: str, name: str | None) -> tuple[RespondentRow, bool]:
    """The respondent reached by ``token``, created on first use; returns (respondent, created).

    Joining twice with the same token (a double-submitted join form) finds the first
    respondent; its name is kept. Raises RoundClosed when the round is final.
    """
    digest = joincodes.token_hash(token)
    with write(db):
        _require_open(db, round_id)
        at = now()
        cur = db.execute(
            "INSERT INTO respondents (assessment_id, token_hash, name, shared, created_at, updated_at) "
            "VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (token_hash) DO NOTHING",
            (round_id, digest, (name or "").strip()[:MAX_NAME] or None, at, at),
        )
        respondent = cast(
            RespondentRow | None, one(db, "SELECT * FROM respondents WHERE token_hash = ?", (digest,))
        )
    if respondent is None or respondent["assessment_id"] != round_id:
        # A token of another round: cannot happen with derived tokens, refuse anyway.
        raise LookupError("token belongs to another round")
    return respondent, cur.rowcount == 1


def find_respondent(
    db: Database, code: str | None, token: str | None
) -> tuple[AssessmentRow, RespondentRow] | None:
    """(round, respondent) for a personal link, or None when code and token do not match."""
    canonical = joincodes.normalise_code(code)
    if canonical is None or not joincodes.is_token(token):
        return None
    respondent = cast(
        RespondentRow | None,
        one(
            db,
            "SELECT r.* FROM respondents r JOIN assessments a ON a.id = r.assessment_id "
            "WHERE r.token_hash = ? AND a.join_code = ? AND a.kind = 'round' AND r.shared = 0",
            (joincodes.token_hash(token or ""), canonical),
        ),
    )
    if respondent is None:
        return None
    found = get_round(db, respondent["assessment_id"])
    if found is None:  # deleted since the query above
        return None
    return found, respondent


def respondents(db: Database, round_id: int) -> list[dict]:
    """The round's participants in joining order: id, name, alias ("Respondent n" once the
    name is erased), created_at, updated_at."""
    return rows(
        db,
        "SELECT id, name, alias, created_at, updated_at FROM respondents "
        "WHERE assessment_id = ? AND shared = 0 ORDER BY id",
        (round_id,),
    )


def remove_unanswered(db: Database, round_id: int) -> int:
    """Remove the round's respondents who have not answered or commented anything (joins
    that were never used, or made only to pad the count); returns how many went."""
    with write(db):
        _require_open(db, round_id)
        return db.execute(
            "DELETE FROM respondents WHERE assessment_id = ? AND shared = 0 "
            "AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.respondent_id = respondents.id) "
            "AND NOT EXISTS (SELECT 1 FROM area_comments c WHERE c.respondent_id = respondents.id)",
            (round_id,),
        ).rowcount


def agreements(db: Database, round_id: int) -> dict[str, dict]:
    """Area -> {"agreed_stage", "reason", "updated_at"}; areas not agreed are absent."""
    return {
        r["area"]: r
        for r in rows(
            db,
            "SELECT area, agreed_stage, reason, updated_at FROM agreements WHERE assessment_id = ?",
            (round_id,),
        )
    }


Agreement = tuple[int | None, str]
"""(agreed stage 0..5 or None for "not agreed", reason)."""


def _norm(agreement: Agreement) -> Agreement:
    stage, reason = agreement
    return stage, (reason or "").replace("\r\n", "\n").strip()


def save_agreements(
    db: Database, round_id: int, changes: Mapping[str, Agreement], base: Mapping[str, Agreement]
) -> list[str]:
    """Write the agreed stages the lead changed, in one transaction; return conflicting areas.

    ``changes``: area -> the posted (stage, reason), ``base``: area -> what the form showed.
    An area whose stored agreement differs from its base was changed by another lead
    meanwhile: unless both wrote the same, it is kept and reported as a conflict. Stage None
    removes the area's agreement. Raises RoundClosed when the round is final.
    """
    conflicts: list[str] = []
    with write(db):
        _require_open(db, round_id)
        stored = {a: (r["agreed_stage"], r["reason"]) for a, r in agreements(db, round_id).items()}
        at = now()
        for area, wanted in changes.items():
            wanted = _norm(wanted)
            current = _norm(stored.get(area, (None, "")))
            if wanted == current:
                continue
            if current != _norm(base.get(area, (None, ""))):
                conflicts.append(area)
                continue
            stage, reason = wanted
            if stage is None:
                db.execute("DELETE FROM agreements WHERE assessment_id = ? AND area = ?", (round_id, area))
            else:
                db.execute(
                    "INSERT INTO agreements (assessment_id, area, agreed_stage, reason, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id, area) DO UPDATE SET "
                    "agreed_stage = excluded.agreed_stage, reason = excluded.reason, "
                    "updated_at = excluded.updated_at",
                    (round_id, area, stage, reason[:MAX_REASON], at),
                )
    return conflicts


def _require_open(db: Database, round_id: int) -> None:
    """Inside a write: LookupError for no such round, RoundClosed when it is final."""
    status = one(db, "SELECT status FROM assessments WHERE id = ? AND kind = 'round'", (round_id,))
    if status is None:
        raise LookupError(f"no round {round_id}")
    if status["status"] == "final":
        raise RoundClosed()


def close_round(db: Database, round_id: int, *, make_count: bool = True) -> bool:
    """Close the round: answers and agreements are frozen. With ``make_count`` it becomes the
    assessment that counts for its year; without, the year's counted result stays (the lead
    chose to keep it; when the year has none the round counts anyway). Returns False when it
    was already closed (nothing changes)."""
    with write(db):
        row = get_round(db, round_id)
        if row is None:
            raise LookupError(f"no round {round_id}")
        if row["status"] == "final":
            return False
        assessments.finalise(db, round_id)
        if make_count:
            assessments.set_counts(db, round_id)
        live_state.publish(db, round_id)  # the phones of a workshop see that it has ended
    return True
