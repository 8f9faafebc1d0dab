"""The live state of a round run as a workshop (table workshops), and the few cheap queries the
projector and the phones poll.

Every state change writes an absolute value (go to slide 3, revealed = 1), never a relative
one, so a double-submitted or retried request leaves the same state as one. Answers are
the round's own answers (storage.assessments), so after the workshop the round is a normal
round.
"""

from __future__ import annotations

from typing import cast

from sqlite_utils import Database

from . import assessments, live_state
from .db import now, one, write, written
from .rows import WorkshopRow


def get(db: Database, round_id: int) -> WorkshopRow | None:
    """The workshop row of a round: position, revealed, show_code, ended; None if not started."""
    return cast(WorkshopRow | None, one(db, "SELECT * FROM workshops WHERE assessment_id = ?", (round_id,)))


def running(db: Database, assessment_id: int) -> bool:
    """Is a workshop of this open round under way (started and not at its end slide)?"""
    row = one(
        db,
        "SELECT w.ended, a.status FROM workshops w JOIN assessments a "
        "ON a.id = w.assessment_id WHERE w.assessment_id = ?",
        (assessment_id,),
    )
    return row is not None and not row["ended"] and row["status"] == "open"


def start(db: Database, round_id: int) -> tuple[WorkshopRow, bool]:
    """Start the workshop of a round at the first slide; returns (row, created).

    Starting again (a double click, or a facilitator coming back) keeps where it was.
    """
    with write(db):
        cur = db.execute(
            "INSERT INTO workshops (assessment_id, position, revealed, show_code, ended, updated_at) "
            "VALUES (?, 0, 0, 1, 0, ?) ON CONFLICT (assessment_id) DO NOTHING",
            (round_id, now()),
        )
        live_state.publish(db, round_id)
        return written(get(db, round_id)), cur.rowcount == 1


def move(db: Database, round_id: int, position: int, slide_count: int) -> WorkshopRow | None:
    """Go to a slide (clamped to 0..slide_count; slide_count is the end slide, which ends the
    workshop). A new slide starts with its votes hidden; moving to where it already is changes
    nothing, so a retried request does not hide a reveal."""
    position = max(0, min(position, slide_count))
    with write(db):
        db.execute(
            "UPDATE workshops SET position = ?, revealed = 0, ended = ?, updated_at = ? "
            "WHERE assessment_id = ? AND position <> ?",
            (position, int(position >= slide_count), now(), round_id, position),
        )
        live_state.publish(db, round_id)
        return get(db, round_id)


def set_flag(db: Database, round_id: int, flag: str, value: bool) -> WorkshopRow | None:
    """Set "revealed" or "show_code" of a running workshop."""
    if flag not in ("revealed", "show_code"):
        raise ValueError(flag)
    with write(db):
        db.execute(  # flag is one of the two column names checked above
            f"UPDATE workshops SET {flag} = ?, updated_at = ? WHERE assessment_id = ?",
            (int(value), now(), round_id),
        )
        live_state.publish(db, round_id)
        return get(db, round_id)


def respondent_count(db: Database, round_id: int) -> int:
    """How many have joined the round (the room)."""
    row = one(db, "SELECT COUNT(*) AS n FROM respondents WHERE assessment_id = ? AND shared = 0", (round_id,))
    return row["n"] if row else 0


def slide_answers(db: Database, round_id: int, items: list[str] | tuple[str, ...]) -> list[dict]:
    """The answers to these items, one dict per respondent who answered any of them.

    One query over the round's respondents (index respondents_assessment) and their answers
    (primary key respondent + item): a few hundred index lookups for a full room.
    """
    if not items:
        return []
    marks = ", ".join("?" for _ in items)  # placeholders only: the ids are parameters
    by_respondent: dict[int, dict] = {}
    for respondent_id, item, value in db.execute(
        f"SELECT x.respondent_id, x.item, x.value FROM respondents r "
        f"JOIN answers x ON x.respondent_id = r.id AND x.item IN ({marks}) "
        f"WHERE r.assessment_id = ? AND r.shared = 0",
        (*items, round_id),
    ):
        by_respondent.setdefault(respondent_id, {})[item] = value
    return list(by_respondent.values())


def own_answers(
    db: Database, respondent_id: int, items: list[str] | tuple[str, ...]
) -> dict[str, int | None]:
    """One respondent's answers to these items (None = "don't know"; unanswered absent)."""
    if not items:
        return {}
    marks = ", ".join("?" for _ in items)
    return {
        item: value
        for item, value in db.execute(
            f"SELECT item, value FROM answers WHERE respondent_id = ? AND item IN ({marks})",
            (respondent_id, *items),
        )
    }


def save_answer(db: Database, respondent_id: int, area: str, item: str, value: int | None) -> None:
    """Store one answer of a respondent, the last one given winning (a phone has one person).

    As assessments.save_area does for one item whose page showed what is stored (so never a
    conflict), in one short transaction, as a room of phones sends hundreds a second: the
    value is written only when it differs, and then the round's revision moves. Saving the
    same value again (a phone retrying) changes nothing. Raises AssessmentFinal when the round
    is closed. ``area`` is the statement's area (answers are kept by statement).
    """
    with write(db):
        assessments.require_open_for(db, respondent_id)
        at = now()
        changed = db.execute(
            "INSERT INTO answers (respondent_id, item, value, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (respondent_id, item) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at WHERE answers.value IS NOT excluded.value",
            (respondent_id, item, value, at),
        ).rowcount
        if changed:
            assessments.answers_moved(db, respondent_id, at)
