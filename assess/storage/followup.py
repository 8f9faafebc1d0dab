"""Reading an organisation's plan entries for the programme follow-up page.

A read-only view over plan_entries, grouped by the programme goal each entry serves;
the plan itself (and every write to it) belongs to storage/plan.py.
"""

from __future__ import annotations

from sqlite_utils import Database

from .db import rows


def entries_by_goal(db: Database, org_id: int) -> dict[int | None, list[dict]]:
    """The organisation's plan entries by programme goal number (None: no goal).

    Within a goal in schedule order (unscheduled last), then in the order they were made.
    """
    found = rows(
        db,
        "SELECT id, step, goal, text, responsible, schedule_year, schedule_quarter, status "
        "FROM plan_entries WHERE org_id = ? "
        "ORDER BY schedule_year IS NULL, schedule_year, schedule_quarter IS NULL, "
        "schedule_quarter, id",
        (org_id,),
    )
    result: dict[int | None, list[dict]] = {}
    for entry in found:
        result.setdefault(entry["goal"], []).append(entry)
    return result
