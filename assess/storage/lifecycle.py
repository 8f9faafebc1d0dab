"""Retiring and erasing data: deleting mistakes, archiving and restoring, removing
organisations and users, erasing respondents, the retention rule, and the record of it all.

Every change here runs in one write transaction and writes a lifecycle_events row saying
what kind of thing, which action, who (a user, or none for the retention rule and a
respondent acting on their own link) and when. Labels are titles of assessments and
organisations, never a person's name.
"""

from __future__ import annotations

import secrets

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from .. import lifecycle
from . import assessments, workshops
from .db import now, one, rows, write


class Refused(Exception):
    """The change is not allowed; ``reason`` says why (a lifecycle.* code or one of below)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


SELF = "self"  # an administrator removing their own account
LAST_ADMIN = "last_admin"  # the last administrator
NOT_OPEN = "not_open"  # a respondent's own removal after the round closed


def record(
    db: Database,
    *,
    kind: str,
    action: str,
    label: str = "",
    org_id: int | None = None,
    assessment_id: int | None = None,
    detail: str = "",
    by_user: int | None = None,
) -> None:
    """Write one lifecycle_events row (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO lifecycle_events (org_id, assessment_id, kind, action, label, detail, "
        "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (org_id, assessment_id, kind, action, label[:300], detail[:300], by_user, now()),
    )


def events(db: Database, org_id: int, limit: int = 200) -> list[dict]:
    """The organisation's record, newest first, each with ``by_name`` (None: nobody signed
    in, e.g. the retention rule) and ``by_removed`` (the user has since been removed)."""
    return rows(
        db,
        "SELECT e.*, CASE WHEN u.removed_at IS NULL THEN COALESCE(NULLIF(u.display_name, ''), "
        "u.username) END AS by_name, u.removed_at IS NOT NULL AS by_removed "
        "FROM lifecycle_events e LEFT JOIN users u ON u.id = e.by_user "
        "WHERE e.org_id = ? ORDER BY e.id DESC LIMIT ?",
        (org_id, limit),
    )


def admin_events(db: Database, limit: int = 50) -> list[dict]:
    """Organisations and users removed, archived or restored, newest first (as ``events``)."""
    return rows(
        db,
        "SELECT e.*, CASE WHEN u.removed_at IS NULL THEN COALESCE(NULLIF(u.display_name, ''), "
        "u.username) END AS by_name, u.removed_at IS NOT NULL AS by_removed "
        "FROM lifecycle_events e LEFT JOIN users u ON u.id = e.by_user "
        "WHERE e.kind IN ('organisation', 'user') ORDER BY e.id DESC LIMIT ?",
        (limit,),
    )


def result_changes(db: Database, assessment_id: int) -> list[dict]:
    """Answers erased from this assessment after it was closed: its result changed then."""
    return rows(
        db,
        "SELECT at, detail FROM lifecycle_events WHERE assessment_id = ? "
        "AND action = 'answers_removed' AND detail LIKE 'closed%' ORDER BY id",
        (assessment_id,),
    )


# --- assessments and rounds ------------------------------------------------------------


def losses(db: Database, assessment_id: int) -> dict[str, int]:
    """What deleting the assessment would take with it, counted."""

    def count(sql: str) -> int:
        return db.execute(sql, (assessment_id,)).fetchone()[0]

    return {
        "respondents": count("SELECT COUNT(*) FROM respondents WHERE assessment_id = ? AND shared = 0"),
        "answers": count(
            "SELECT COUNT(*) FROM answers x JOIN respondents r "
            "ON r.id = x.respondent_id WHERE r.assessment_id = ?"
        ),
        "comments": count(
            "SELECT COUNT(*) FROM area_comments c JOIN respondents r "
            "ON r.id = c.respondent_id WHERE r.assessment_id = ?"
        ),
        "agreements": count("SELECT COUNT(*) FROM agreements WHERE assessment_id = ?"),
        "plan_entries": count("SELECT COUNT(*) FROM plan_entries WHERE created_in = ?"),
    }


def _kind(row: dict) -> str:
    return "assessment" if row["kind"] == "single" else "round"


def _assessment(db: Database, org_id: int, assessment_id: int) -> dict:
    row = one(db, "SELECT * FROM assessments WHERE id = ? AND org_id = ?", (assessment_id, org_id))
    if row is None:
        raise LookupError(assessment_id)
    return row


def delete_assessment(
    db: Database, org_id: int, assessment_id: int, *, by_user: int | None, label: str
) -> dict:
    """Delete an open assessment that does not count, with its respondents, answers,
    comments, agreements, workshop and cached result. Plan entries made from it stay in the
    plan (only their link to it goes): they are the organisation's plan, not the mistake.
    Raises Refused (lifecycle codes) or LookupError. Returns the deleted row."""
    with write(db):
        row = _assessment(db, org_id, assessment_id)
        block = lifecycle.deletion_block(row, workshop_running=workshops.running(db, assessment_id))
        if block:
            raise Refused(block)
        db.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))
        record(
            db,
            kind=_kind(row),
            action="deleted",
            label=label,
            org_id=org_id,
            assessment_id=assessment_id,
            by_user=by_user,
        )
    return row


def archive_assessment(
    db: Database, org_id: int, assessment_id: int, *, by_user: int | None, label: str
) -> dict:
    """Archive a final or counted assessment: it leaves lists, charts and the count of its
    year, and keeps every row. Raises Refused(ARCHIVED or "not_archivable")."""
    with write(db):
        row = _assessment(db, org_id, assessment_id)
        if row["archived_at"]:
            raise Refused(lifecycle.ARCHIVED)
        if not lifecycle.can_archive(row):
            raise Refused("not_archivable")
        # It no longer counts, so another assessment of the year can (and the export stays
        # valid: one counting assessment per year).
        db.execute(
            "UPDATE assessments SET archived_at = ?, archived_by = ?, counts = 0 WHERE id = ?",
            (now(), by_user, assessment_id),
        )
        record(
            db,
            kind=_kind(row),
            action="archived",
            label=label,
            org_id=org_id,
            assessment_id=assessment_id,
            by_user=by_user,
            detail="counted" if row["counts"] else "",
        )
    return row


def restore_assessment(
    db: Database, org_id: int, assessment_id: int, *, by_user: int | None, label: str
) -> bool:
    """Bring an archived assessment back. A final one counts for its year again when no
    other assessment of that year counts. Returns whether it now counts."""
    with write(db):
        row = _assessment(db, org_id, assessment_id)
        if not row["archived_at"]:
            raise Refused("not_archived")
        # It counts again only when its year has no counted result (it being archived, the
        # rule does not see it): another one chosen meanwhile is never replaced silently.
        current = assessments.counted_in_year(db, org_id, row["year"])
        counts = row["status"] == "final" and current is None
        if current is not None:  # counted as its year's only candidate: now marked so
            assessments.set_counts(db, current["id"])
        db.execute(
            "UPDATE assessments SET archived_at = NULL, archived_by = NULL, counts = ? WHERE id = ?",
            (int(counts), assessment_id),
        )
        if counts:
            assessments.set_counts(db, assessment_id)
        record(
            db,
            kind=_kind(row),
            action="restored",
            label=label,
            org_id=org_id,
            assessment_id=assessment_id,
            by_user=by_user,
        )
    return counts


def archived(db: Database, org_id: int) -> list[dict]:
    """The organisation's archived assessments, newest archived first, with who archived."""
    return rows(
        db,
        "SELECT a.*, CASE WHEN u.removed_at IS NULL THEN COALESCE(NULLIF(u.display_name, ''), "
        "u.username) END AS by_name, u.removed_at IS NOT NULL AS by_removed "
        "FROM assessments a LEFT JOIN users u ON u.id = a.archived_by "
        "WHERE a.org_id = ? AND a.archived_at IS NOT NULL ORDER BY a.archived_at DESC, a.id DESC",
        (org_id,),
    )


# --- plan entries ------------------------------------------------------------------------


def delete_plan_entry(db: Database, org_id: int, entry_id: int, *, by_user: int | None, label: str) -> dict:
    """Delete a plan entry made by mistake, with its status history. LookupError when it is
    not this organisation's."""
    with write(db):
        entry = one(db, "SELECT * FROM plan_entries WHERE id = ? AND org_id = ?", (entry_id, org_id))
        if entry is None:
            raise LookupError(entry_id)
        db.execute("DELETE FROM plan_entries WHERE id = ?", (entry_id,))
        record(db, kind="plan_entry", action="deleted", label=label, org_id=org_id, by_user=by_user)
    return entry


# --- organisations -----------------------------------------------------------------------


def set_org_archived(db: Database, org_id: int, archived_now: bool, *, by_user: int | None) -> dict:
    """Archive (hide from its users, keep every row) or restore an organisation."""
    with write(db):
        org = one(db, "SELECT * FROM organisations WHERE id = ?", (org_id,))
        if org is None:
            raise LookupError(org_id)
        if bool(org["archived_at"]) == archived_now:
            raise Refused("archived" if archived_now else "not_archived")
        db.execute(
            "UPDATE organisations SET archived_at = ?, archived_by = ? WHERE id = ?",
            (now() if archived_now else None, by_user if archived_now else None, org_id),
        )
        record(
            db,
            kind="organisation",
            action="archived" if archived_now else "restored",
            label=org["name"],
            org_id=org_id,
            by_user=by_user,
        )
    return org


# Every table holding an organisation's rows, and how a row is tied to it. Deleting the
# organisation row cascades to all of them (foreign keys are on); the list is what the
# confirmation page counts and what the tests check is gone.
ORG_TABLES = {
    "memberships": "org_id = :org",
    "assessments": "org_id = :org",
    "respondents": "assessment_id IN (SELECT id FROM assessments WHERE org_id = :org)",
    "answers": "respondent_id IN (SELECT r.id FROM respondents r JOIN assessments a "
    "ON a.id = r.assessment_id WHERE a.org_id = :org)",
    "area_comments": "respondent_id IN (SELECT r.id FROM respondents r JOIN assessments a "
    "ON a.id = r.assessment_id WHERE a.org_id = :org)",
    "agreements": "assessment_id IN (SELECT id FROM assessments WHERE org_id = :org)",
    "workshops": "assessment_id IN (SELECT id FROM assessments WHERE org_id = :org)",
    "result_cache": "assessment_id IN (SELECT id FROM assessments WHERE org_id = :org)",
    "benchmark_scores": "assessment_id IN (SELECT id FROM assessments WHERE org_id = :org)",
    "plan_entries": "org_id = :org",
    "plan_events": "entry_id IN (SELECT id FROM plan_entries WHERE org_id = :org)",
    "targets": "org_id = :org",
    "metric_kinds": "org_id = :org",
    "metric_values": "org_id = :org",
    "org_profiles": "org_id = :org",
    "benchmark_group_members": "org_id = :org",
    "own_data_settings": "org_id = :org",
    "invoice_rows": "org_id = :org",
    "supplier_municipalities": "org_id = :org",
    "hilma_notices": "org_id = :org",
    "own_figures": "org_id = :org",
    "metric_value_origins": "org_id = :org",
    "lifecycle_events": "org_id = :org",
}


def org_rows(db: Database, org_id: int) -> dict[str, int]:
    """Table -> how many of its rows belong to the organisation."""
    return {
        table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", {"org": org_id}).fetchone()[0]
        for table, where in ORG_TABLES.items()
    }


def delete_org(db: Database, org_id: int, *, by_user: int | None) -> dict:
    """Delete the organisation and every row that belongs to it, in one transaction; the
    content versions its assessments were answered on are shared and stay. The record of
    the deletion itself is kept without the organisation (it no longer exists)."""
    with write(db):
        org = one(db, "SELECT * FROM organisations WHERE id = ?", (org_id,))
        if org is None:
            raise LookupError(org_id)
        # Explicit deletes, children first, so nothing depends on cascades being declared
        # for every table; the organisation row goes last.
        for table, where in reversed(list(ORG_TABLES.items())):
            db.execute(f"DELETE FROM {table} WHERE {where}", {"org": org_id})
        db.execute("DELETE FROM organisations WHERE id = ?", (org_id,))
        record(db, kind="organisation", action="deleted", label=org["name"], by_user=by_user)
    return org


# --- users -------------------------------------------------------------------------------

REMOVED_PREFIX = "#removed-"  # "#" is never allowed in a user name, so it cannot clash


def remove_user(db: Database, user_id: int, *, by_user: int) -> dict:
    """Remove a user: their name, sign-in and roles go; the row stays as "removed user" so
    what they did (assessments started, things archived) stays attributable and their id is
    never given to someone else. Bumping session_epoch ends every session they have.
    Raises Refused(SELF or LAST_ADMIN) or LookupError."""
    with write(db):
        user = one(db, "SELECT * FROM users WHERE id = ? AND removed_at IS NULL", (user_id,))
        if user is None:
            raise LookupError(user_id)
        if user_id == by_user:
            raise Refused(SELF)
        if (
            user["is_admin"]
            and db.execute("SELECT COUNT(*) FROM users WHERE is_admin = 1 AND removed_at IS NULL").fetchone()[
                0
            ]
            <= 1
        ):
            raise Refused(LAST_ADMIN)
        db.execute(
            "UPDATE users SET username = ?, display_name = '', password_hash = ?, is_admin = 0, "
            "session_epoch = session_epoch + 1, removed_at = ? WHERE id = ?",
            (f"{REMOVED_PREFIX}{user_id}", generate_password_hash(secrets.token_hex(32)), now(), user_id),
        )
        db.execute("DELETE FROM memberships WHERE user_id = ?", (user_id,))
        record(db, kind="user", action="deleted", by_user=by_user)
    return user


# --- respondents -------------------------------------------------------------------------


def _alias_for(db: Database, round_id: int, respondent_id: int) -> int:
    people = rows(
        db,
        "SELECT id, alias FROM respondents WHERE assessment_id = ? AND shared = 0 ORDER BY id",
        (round_id,),
    )
    numbers = lifecycle.aliases([p["id"] for p in people], {p["id"]: p["alias"] for p in people})
    return numbers[respondent_id]


def erase_respondent(
    db: Database,
    round_id: int,
    respondent_id: int,
    *,
    keep_answers: bool,
    by_user: int | None,
    label: str,
    own: bool = False,
) -> dict:
    """Erase a respondent of a round: the name and the personal link always go; the answers
    and comments stay as "Respondent n" (keep_answers) or go too, and then the team result
    changes (the revision moves, so a closed round's cached result is computed again).
    ``own``: the respondent does it on their own link, only while the round is open.
    Returns the round as it was. LookupError for a respondent not of this round."""
    with write(db):
        found = one(
            db,
            "SELECT r.*, a.status, a.org_id FROM respondents r JOIN assessments a "
            "ON a.id = r.assessment_id WHERE r.id = ? AND r.assessment_id = ? "
            "AND r.shared = 0 AND a.kind = 'round'",
            (respondent_id, round_id),
        )
        if found is None:
            raise LookupError(respondent_id)
        if own and found["status"] != "open":
            raise Refused(NOT_OPEN)
        closed = found["status"] == "final"
        if keep_answers:
            db.execute(
                "UPDATE respondents SET name = NULL, token_hash = NULL, alias = ? WHERE id = ?",
                (_alias_for(db, round_id, respondent_id), respondent_id),
            )
            action = "erased"
        else:
            db.execute("DELETE FROM respondents WHERE id = ?", (respondent_id,))
            db.execute("UPDATE assessments SET revision = revision + 1 WHERE id = ?", (round_id,))
            action = "answers_removed"
        detail = ("closed" if closed else "open") + (":own" if own else "")
        record(
            db,
            kind="respondent",
            action=action,
            label=label,
            org_id=found["org_id"],
            assessment_id=round_id,
            detail=detail,
            by_user=by_user,
        )
    return found


def remove_own_answers(db: Database, round_id: int, respondent_id: int) -> int:
    """A respondent clears their own answers and comments (the name and link stay, so they
    can answer again) while the round is open. Returns how many answers went."""
    with write(db):
        found = one(
            db,
            "SELECT a.status FROM respondents r JOIN assessments a "
            "ON a.id = r.assessment_id WHERE r.id = ? AND r.assessment_id = ?",
            (respondent_id, round_id),
        )
        if found is None:
            raise LookupError(respondent_id)
        if found["status"] != "open":
            raise Refused(NOT_OPEN)
        gone = db.execute("DELETE FROM answers WHERE respondent_id = ?", (respondent_id,)).rowcount
        db.execute("DELETE FROM area_comments WHERE respondent_id = ?", (respondent_id,))
        db.execute("UPDATE respondents SET updated_at = ? WHERE id = ?", (now(), respondent_id))
        db.execute("UPDATE assessments SET revision = revision + 1 WHERE id = ?", (round_id,))
    return gone


# --- retention ---------------------------------------------------------------------------


def retention_due(db: Database, cutoff: str) -> list[dict]:
    """Closed named rounds that closed before ``cutoff`` and still hold names: id, org,
    title, year, questionnaire, finalised_at and ``names`` (how many). Demo organisations
    are left out."""
    return rows(
        db,
        "SELECT a.id, a.org_id, o.name AS org_name, a.title, a.year, a.questionnaire, "
        "a.finalised_at, COUNT(r.id) AS names FROM assessments a "
        "JOIN organisations o ON o.id = a.org_id "
        "JOIN respondents r ON r.assessment_id = a.id AND r.shared = 0 AND r.name IS NOT NULL "
        # The demo organisation's people are made up, and its rounds are dated into the past.
        "WHERE a.kind = 'round' AND a.status = 'final' AND a.finalised_at < ? AND o.is_demo = 0 "
        "GROUP BY a.id ORDER BY a.finalised_at, a.id",
        (cutoff,),
    )


def apply_retention(db: Database, cutoff: str) -> list[dict]:
    """Replace the names in every round retention_due lists by "Respondent n" numbers, in
    one transaction. Returns what was done (as retention_due)."""
    with write(db):
        due = retention_due(db, cutoff)
        for row in due:
            people = rows(
                db,
                "SELECT id, alias FROM respondents WHERE assessment_id = ? AND shared = 0 ORDER BY id",
                (row["id"],),
            )
            numbers = lifecycle.aliases([p["id"] for p in people], {p["id"]: p["alias"] for p in people})
            db.conn.executemany(
                "UPDATE respondents SET name = NULL, alias = ? WHERE id = ? AND name IS NOT NULL",
                [(numbers[p["id"]], p["id"]) for p in people],
            )
            record(
                db,
                kind="round",
                action="pseudonymised",
                label=row["title"],
                org_id=row["org_id"],
                assessment_id=row["id"],
                detail=str(row["names"]),
            )
    return due


def last_run(db: Database, task: str) -> str | None:
    row = one(db, "SELECT last_run FROM maintenance WHERE task = ?", (task,))
    return row["last_run"] if row else None


def mark_run(db: Database, task: str, day: str) -> None:
    with write(db):
        db.execute(
            "INSERT INTO maintenance (task, last_run) VALUES (?, ?) ON CONFLICT (task) "
            "DO UPDATE SET last_run = excluded.last_run",
            (task, day),
        )
