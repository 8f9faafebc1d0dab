"""What only the demo needs from the database: its organisations, removing them, and dating
its data into the past years it pretends to cover."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlite_utils import Database

from .db import one, rows, write
from .rows import OrganisationRow


def demo_orgs(db: Database) -> list[OrganisationRow]:
    """Every demo organisation (organisations.is_demo = 1), oldest first."""
    return cast(list[OrganisationRow], rows(db, "SELECT * FROM organisations WHERE is_demo = 1 ORDER BY id"))


def remove_demo_orgs(db: Database, keep_versions: tuple[str, ...] = ()) -> list[OrganisationRow]:
    """Delete every demo organisation with all its data; return the removed rows.

    Everything an organisation owns goes with it (foreign keys cascade). A content version
    snapshot that no assessment uses any more is dropped too, unless listed in
    ``keep_versions`` (the current content's version always stays).
    """
    with write(db):
        removed = demo_orgs(db)
        versions = {
            r["content_version"]
            for r in rows(
                db,
                "SELECT DISTINCT a.content_version FROM assessments a "
                "JOIN organisations o ON o.id = a.org_id WHERE o.is_demo = 1",
            )
        }
        db.execute("DELETE FROM organisations WHERE is_demo = 1")
        for version in versions - set(keep_versions):
            if one(db, "SELECT 1 FROM assessments WHERE content_version = ? LIMIT 1", (version,)):
                continue
            db.execute("DELETE FROM content_versions WHERE version = ?", (version,))
    return removed


def date_content_version(db: Database, version: str, first_used: str) -> None:
    """Date a content version back to when the demo first used it (never forward), so its
    label ("sisältö 2023-11") reads as the demo's history does."""
    with write(db):
        db.execute(
            "UPDATE content_versions SET created_at = ? WHERE version = ? AND created_at > ?",
            (first_used, version, first_used),
        )


def date_assessment(db: Database, assessment_id: int, created_at: str, finalised_at: str | None) -> None:
    """Set when an assessment (and its respondents and answers) was made and finalised."""
    with write(db):
        db.execute(
            "UPDATE assessments SET created_at = ?, finalised_at = ? WHERE id = ?",
            (created_at, finalised_at, assessment_id),
        )
        db.execute(
            "UPDATE respondents SET created_at = ?, updated_at = ? WHERE assessment_id = ?",
            (created_at, created_at, assessment_id),
        )
        db.execute(
            "UPDATE answers SET updated_at = ? WHERE respondent_id IN "
            "(SELECT id FROM respondents WHERE assessment_id = ?)",
            (created_at, assessment_id),
        )
        db.execute(
            "UPDATE agreements SET updated_at = ? WHERE assessment_id = ?",
            (finalised_at or created_at, assessment_id),
        )


def date_plan_entry(
    db: Database, entry_id: int, created_at: str, changed_at: str, done_at: str | None
) -> None:
    """Set when a plan entry was made, last changed and done; its status history follows."""
    with write(db):
        db.execute(
            "UPDATE plan_entries SET created_at = ?, updated_at = ?, done_at = ? WHERE id = ?",
            (created_at, changed_at, done_at, entry_id),
        )
        events = rows(db, "SELECT id, status FROM plan_events WHERE entry_id = ? ORDER BY id", (entry_id,))
        last = len(events) - 1
        for n, event in enumerate(events):
            # The first status is from the entry's creation and the last from its last change;
            # any in between fall halfway.
            at = created_at if n == 0 else changed_at if n == last else _halfway(created_at, changed_at)
            db.execute("UPDATE plan_events SET at = ? WHERE id = ?", (at, event["id"]))


def _halfway(start: str, end: str) -> str:
    a, b = datetime.fromisoformat(start), datetime.fromisoformat(end)
    return (a + (b - a) / 2).isoformat(timespec="seconds")
