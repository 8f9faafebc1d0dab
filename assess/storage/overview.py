"""What an organisation's overview and the front page read beyond the other subjects'
storage: open rounds with their counts, member numbers and the last activity."""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from .db import rows


def member_count(db: Database, org_id: int) -> int:
    """Users with a role in the organisation (removed users are not counted)."""
    return db.execute(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE m.org_id = ? AND u.removed_at IS NULL",
        (org_id,),
    ).fetchone()[0]


def open_rounds(db: Database, org_id: int) -> list[dict]:
    """The organisation's open team rounds (archived ones left out), oldest first, each with
    ``joined`` (participants), ``answered`` (participants with at least one answer),
    ``agreed_areas`` and ``workshop_running`` (a workshop started and not ended)."""
    return rows(
        db,
        "SELECT a.id, a.year, a.title, a.questionnaire, a.content_version, a.kind, a.deadline, "
        "  (SELECT COUNT(*) FROM respondents r WHERE r.assessment_id = a.id AND r.shared = 0) "
        "   AS joined, "
        "  (SELECT COUNT(*) FROM respondents r WHERE r.assessment_id = a.id AND r.shared = 0 "
        "   AND EXISTS (SELECT 1 FROM answers x WHERE x.respondent_id = r.id)) AS answered, "
        "  (SELECT COUNT(*) FROM agreements g WHERE g.assessment_id = a.id) AS agreed_areas, "
        "  EXISTS (SELECT 1 FROM workshops w WHERE w.assessment_id = a.id AND w.ended = 0) "
        "   AS workshop_running "
        "FROM assessments a WHERE a.org_id = ? AND a.kind = 'round' AND a.status = 'open' "
        "AND a.archived_at IS NULL ORDER BY a.year, a.id",
        (org_id,),
    )


def org_status(db: Database, org_ids: Iterable[int]) -> dict[int, dict]:
    """Org id -> {"open_rounds", "last_activity"} for the front page: the number of open
    rounds, and the latest time anything was started, answered, closed or planned (an ISO
    UTC stamp, None when nothing has happened yet)."""
    ids = list(org_ids)
    result: dict[int, dict] = {i: {"open_rounds": 0, "last_activity": None} for i in ids}
    if not ids:
        return result
    marks = ",".join("?" * len(ids))
    for row in db.execute(
        "SELECT o.id, "
        "  (SELECT COUNT(*) FROM assessments a WHERE a.org_id = o.id AND a.kind = 'round' "
        "   AND a.status = 'open' AND a.archived_at IS NULL), "
        "  MAX(COALESCE((SELECT MAX(MAX(a.created_at, COALESCE(a.finalised_at, ''))) "
        "     FROM assessments a WHERE a.org_id = o.id AND a.archived_at IS NULL), ''), "
        "   COALESCE((SELECT MAX(r.updated_at) FROM respondents r JOIN assessments a "
        "     ON a.id = r.assessment_id WHERE a.org_id = o.id AND a.archived_at IS NULL), ''), "
        "   COALESCE((SELECT MAX(p.updated_at) FROM plan_entries p WHERE p.org_id = o.id), '')) "
        f"FROM organisations o WHERE o.id IN ({marks})",
        ids,
    ):
        result[row[0]] = {"open_rounds": row[1], "last_activity": row[2] or None}
    return result


def assessed_org_ids(db: Database) -> set[int]:
    """Organisations with at least one assessment (archived ones count: work was done)."""
    return {row[0] for row in db.execute("SELECT DISTINCT org_id FROM assessments")}
