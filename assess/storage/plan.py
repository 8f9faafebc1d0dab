"""The organisation's action plan: plan_entries and their status history in plan_events.

Entries belong to the organisation, not to an assessment, so they carry over from year to
year; ``created_in`` only records the assessment a suggestion came from. Every change bumps
``revision``: an edit made on an older revision is refused (optimistic concurrency), so one
lead never silently overwrites another's change. Each status an entry takes, including its
first, is recorded in plan_events with the time; ``done_at`` is set when it becomes done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from sqlite_utils import Database

from .db import inserted_id, now, one, rows, write, written
from .rows import AssessmentRow, PlanEntryRow

STATUSES = ("planned", "in_progress", "done", "dropped")
FIELDS = (
    "step",
    "goal",
    "item",
    "text",
    "responsible",
    "responsible_user",
    "schedule_year",
    "schedule_quarter",
    "status",
)


class StaleEdit(Exception):
    """The entry was changed by someone else after the editor loaded it."""

    def __init__(self, current: PlanEntryRow) -> None:
        super().__init__("plan entry changed meanwhile")
        self.current = current


def _check_status(status: object) -> None:
    if status not in STATUSES:
        raise ValueError(f"unknown plan status {status!r}")


def next_number(db: Database, org_id: int, *, at_least: int = 0) -> int:
    """Inside a write: the organisation's next plan entry number, taken from its counter,
    which never goes back (a deleted entry's number is not given again). ``at_least``
    raises the counter first (an imported entry keeps its number)."""
    db.execute(
        "UPDATE organisations SET plan_numbers_used = MAX(plan_numbers_used + 1, ?) WHERE id = ?",
        (at_least, org_id),
    )
    row = one(db, "SELECT plan_numbers_used FROM organisations WHERE id = ?", (org_id,))
    return row["plan_numbers_used"] if row else 1


def add_entry(
    db: Database,
    org_id: int,
    *,
    text: str,
    step: str | None,
    goal: int | None,
    item: str | None = None,
    responsible: str = "",
    responsible_user: int | None = None,
    schedule_year: int | None = None,
    schedule_quarter: int | None = None,
    status: str = "planned",
    created_in: int | None = None,
) -> PlanEntryRow:
    """Add an entry to the organisation's plan and record its first status."""
    _check_status(status)
    with write(db):
        at = now()
        number = next_number(db, org_id)
        cur = db.execute(
            "INSERT INTO plan_entries (org_id, number, step, goal, item, text, responsible, "
            "responsible_user, schedule_year, schedule_quarter, status, created_in, created_at, "
            "updated_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                org_id,
                number,
                step,
                goal,
                item,
                text.strip(),
                responsible.strip(),
                responsible_user,
                schedule_year,
                schedule_quarter,
                status,
                created_in,
                at,
                at,
                at if status == "done" else None,
            ),
        )
        entry_id = inserted_id(cur)
        db.execute("INSERT INTO plan_events (entry_id, status, at) VALUES (?, ?, ?)", (entry_id, status, at))
        return written(get_entry(db, org_id, entry_id))


def get_entry(db: Database, org_id: int, entry_id: int) -> PlanEntryRow | None:
    """One entry of this organisation (None for another organisation's or a missing id)."""
    # Laid out by hand: the mutation pragmas mark whole lines ([tool.mutmut]).
    # fmt: off
    return cast(PlanEntryRow | None, one(  # pragma: no mutate
        db, "SELECT * FROM plan_entries WHERE id = ? AND org_id = ?", (entry_id, org_id)))
    # fmt: on


def entries(db: Database, org_id: int) -> list[PlanEntryRow]:
    """The organisation's plan: in schedule order (unscheduled last), then in creation order."""
    return cast(
        list[PlanEntryRow],
        rows(
            db,
            "SELECT * FROM plan_entries WHERE org_id = ? ORDER BY schedule_year IS NULL, schedule_year, "
            "schedule_quarter IS NULL, schedule_quarter, id",
            (org_id,),
        ),
    )


def open_entry_for_item(db: Database, org_id: int, item: str) -> PlanEntryRow | None:
    """An entry made from this roadmap item that is still planned or in progress."""
    return cast(
        PlanEntryRow | None,
        one(
            db,
            "SELECT * FROM plan_entries WHERE org_id = ? AND item = ? "
            "AND status IN ('planned', 'in_progress') ORDER BY id LIMIT 1",
            (org_id, item),
        ),
    )


def entries_by_item(db: Database, org_id: int) -> dict[str, PlanEntryRow]:
    """Roadmap item -> its latest entry, for marking suggestions already in the plan."""
    found: dict[str, PlanEntryRow] = {}
    for entry in cast(
        list[PlanEntryRow],
        rows(db, "SELECT * FROM plan_entries WHERE org_id = ? AND item IS NOT NULL ORDER BY id", (org_id,)),
    ):
        if entry["item"] is not None:  # as the query says: narrows the type
            found[entry["item"]] = entry
    return found


def events(db: Database, entry_id: int) -> list[dict]:
    """The entry's status history, oldest first."""
    return rows(db, "SELECT status, at FROM plan_events WHERE entry_id = ? ORDER BY id", (entry_id,))


def _apply(db: Database, entry: PlanEntryRow, changes: dict[str, object]) -> PlanEntryRow:
    """Write ``changes`` to a locked, current entry; record a status change; bump the revision."""
    at = now()
    status = changes.get("status", entry["status"])
    _check_status(status)
    if status != entry["status"]:
        db.execute(
            "INSERT INTO plan_events (entry_id, status, at) VALUES (?, ?, ?)", (entry["id"], status, at)
        )
        # done_at is when the entry became done; moving it back out of done clears it.
        changes["done_at"] = at if status == "done" else None
    assignments = ", ".join(f"{name} = ?" for name in changes)
    db.execute(
        f"UPDATE plan_entries SET {assignments}, updated_at = ?, revision = revision + 1 WHERE id = ?",
        (*changes.values(), at, entry["id"]),
    )
    return written(get_entry(db, entry["org_id"], entry["id"]))


def update_entry(db: Database, org_id: int, entry_id: int, revision: int, **fields: object) -> PlanEntryRow:
    """Change an entry's fields (any of FIELDS) if it is still at ``revision``.

    Raises LookupError for a missing or foreign entry and StaleEdit (with the current entry)
    when someone changed it meanwhile. Saving unchanged values changes nothing.
    """
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not plan entry fields: {sorted(unknown)}")
    for name in ("text", "responsible"):
        value = fields.get(name)
        if isinstance(value, str):
            fields[name] = value.strip()
    with write(db):
        entry = get_entry(db, org_id, entry_id)
        if entry is None:
            raise LookupError(entry_id)
        stored: Mapping[str, object] = entry  # read by the names in FIELDS, checked above
        changes = {k: v for k, v in fields.items() if stored[k] != v}
        if not changes:
            return entry  # a double submit of the same edit
        if entry["revision"] != revision:
            raise StaleEdit(entry)
        return _apply(db, entry, changes)


def set_status(db: Database, org_id: int, entry_id: int, revision: int, status: str) -> PlanEntryRow:
    """The quick status change: like update_entry with only the status."""
    return update_entry(db, org_id, entry_id, revision, status=status)


ENTRY_YEAR = "COALESCE(src.year, CAST(substr(e.created_at, 1, 4) AS INTEGER))"
"""The year an entry belongs to (entries alias e, its source assessment alias src): the year
of the assessment it was made from, else the year it was written on the plan page."""

_ORDER = (
    "ORDER BY e.schedule_year IS NULL, e.schedule_year, e.schedule_quarter IS NULL, e.schedule_quarter, e.id"
)


def carried_over(
    db: Database, org_id: int, assessment: AssessmentRow, since: str | None
) -> list[PlanEntryRow]:
    """The plan entries an assessment (or round) opens with: those from earlier years.

    An entry is from an earlier year when the assessment it was made from is of an earlier
    year or, written freely on the plan page, when it was written in an earlier year (the
    year's own entries are this_years). Of those, every entry still planned or in progress
    is listed, and a done or dropped one only when it took that status at or after ``since``
    (ISO time, usually when the previous counting assessment was finalised; None lists them
    all), so the team sees what was achieved without the whole archive. Schedule order, as
    ``entries``.
    """
    # SQL keywords and names read the same in any case, so a mutation test's case changes
    # of a line holding only those are equivalent: "no mutate" skips them (docs/testing.md).
    # The statuses are values: their case matters, so their line stays mutable.
    # Laid out by hand: the mutation pragmas mark whole lines ([tool.mutmut]).
    # fmt: off
    return cast(list[PlanEntryRow], rows(  # pragma: no mutate
        db,
        "SELECT e.* FROM plan_entries e LEFT JOIN assessments src "  # pragma: no mutate
        "ON src.id = e.created_in AND src.org_id = e.org_id "
        f"WHERE e.org_id = :org AND {ENTRY_YEAR} < :year "
        "AND (e.status IN ('planned', 'in_progress') OR :since IS NULL OR EXISTS ("
        "  SELECT 1 FROM plan_events ev "  # pragma: no mutate
        "  WHERE ev.entry_id = e.id AND ev.status = e.status "  # pragma: no mutate
        f"  AND ev.at >= :since)) {_ORDER}",
        {"org": org_id, "year": assessment["year"], "since": since},
    ))
    # fmt: on


def this_years(db: Database, org_id: int, year: int) -> list[PlanEntryRow]:
    """The entries of ``year`` itself (see ENTRY_YEAR), in schedule order."""
    return cast(
        list[PlanEntryRow],
        rows(
            db,
            "SELECT e.* FROM plan_entries e LEFT JOIN assessments src "
            "ON src.id = e.created_in AND src.org_id = e.org_id "
            f"WHERE e.org_id = :org AND {ENTRY_YEAR} = :year {_ORDER}",
            {"org": org_id, "year": year},
        ),
    )
