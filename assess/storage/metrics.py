"""Programme metric values per year, the organisation's chosen value kinds, and targets.

Values are kept in value_num or value_text as their kind says (metrics.KINDS); callers get
them back as Python values through ``Stored``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from ..metric_form import Change, Stored, Value
from ..metrics import VALUE_KINDS, value_kind
from . import accounts
from .db import now, rows, write


def _stored(row: Mapping) -> Stored:
    value = value_kind(row["kind"]).from_columns(row["value_num"], row["value_text"])
    return Stored(row["kind"], value, row["note"], row["source"])


# --- values ---------------------------------------------------------------------------


def values_for_year(db: Database, org_id: int, year: int) -> dict[str, Stored]:
    """The year's stored values by metric id."""
    found = rows(db, "SELECT * FROM metric_values WHERE org_id = ? AND year = ?", (org_id, year))
    return {r["metric"]: _stored(r) for r in found}


def all_values(db: Database, org_id: int) -> dict[str, dict[int, Stored]]:
    """Every stored value as {metric id: {year: value}} (years ascending), for trends."""
    found = rows(db, "SELECT * FROM metric_values WHERE org_id = ? ORDER BY metric, year", (org_id,))
    result: dict[str, dict[int, Stored]] = {}
    for r in found:
        result.setdefault(r["metric"], {})[r["year"]] = _stored(r)
    return result


def years_with_values(db: Database, org_id: int) -> list[int]:
    """The years in which the organisation has any metric value, ascending."""
    found = rows(db, "SELECT DISTINCT year FROM metric_values WHERE org_id = ? ORDER BY year", (org_id,))
    return [r["year"] for r in found]


def set_value(
    db: Database,
    org_id: int,
    year: int,
    metric: str,
    kind: str,
    value: Value,
    note: str = "",
    source: str = "",
) -> None:
    """Store (or replace) one metric's value for a year. The value must be valid for its kind."""
    value_num, value_text = value_kind(kind).to_columns(value)
    with write(db):
        db.execute(
            "INSERT INTO metric_values (org_id, year, metric, kind, value_num, value_text, note, "
            "source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (org_id, year, metric) DO UPDATE SET kind = excluded.kind, "
            "value_num = excluded.value_num, value_text = excluded.value_text, "
            "note = excluded.note, source = excluded.source, updated_at = excluded.updated_at",
            (org_id, year, metric, kind, value_num, value_text, note, source, now()),
        )


def delete_value(db: Database, org_id: int, year: int, metric: str) -> None:
    with write(db):
        db.execute(
            "DELETE FROM metric_values WHERE org_id = ? AND year = ? AND metric = ?", (org_id, year, metric)
        )


def save_year(
    db: Database,
    org_id: int,
    year: int,
    changes: Iterable[Change],
    kinds: Mapping[str, str | None] | None = None,
) -> None:
    """Apply a whole form in one transaction: value changes and chosen kinds."""
    with write(db):
        for metric, kind in (kinds or {}).items():
            set_kind(db, org_id, metric, kind)
        for change in changes:
            if change.value is None or change.kind is None:
                delete_value(db, org_id, year, change.metric)
            else:
                set_value(
                    db, org_id, year, change.metric, change.kind, change.value, change.note, change.source
                )


# --- chosen kinds ---------------------------------------------------------------------


def chosen_kinds(db: Database, org_id: int) -> dict[str, str]:
    """The value kinds the organisation chose for its planned_separately and hilma metrics."""
    found = rows(db, "SELECT metric, kind FROM metric_kinds WHERE org_id = ?", (org_id,))
    return {r["metric"]: r["kind"] for r in found}


def set_kind(db: Database, org_id: int, metric: str, kind: str | None) -> None:
    """Choose a metric's value kind; None forgets the choice (stored values keep theirs)."""
    with write(db):
        if kind is None:
            db.execute("DELETE FROM metric_kinds WHERE org_id = ? AND metric = ?", (org_id, metric))
            return
        if kind not in VALUE_KINDS:
            raise ValueError(f"unknown value kind {kind!r}")
        db.execute(
            "INSERT INTO metric_kinds (org_id, metric, kind) VALUES (?, ?, ?) "
            "ON CONFLICT (org_id, metric) DO UPDATE SET kind = excluded.kind",
            (org_id, metric, kind),
        )


# --- targets --------------------------------------------------------------------------


def targets_for_year(db: Database, org_id: int, year: int) -> dict[str, int]:
    """Target stage by area id for a year."""
    found = rows(db, "SELECT area, stage FROM targets WHERE org_id = ? AND year = ?", (org_id, year))
    return {r["area"]: r["stage"] for r in found}


def all_targets(db: Database, org_id: int) -> dict[int, dict[str, int]]:
    """Every target as {year: {area id: stage}}, years ascending."""
    found = rows(db, "SELECT year, area, stage FROM targets WHERE org_id = ? ORDER BY year, area", (org_id,))
    result: dict[int, dict[str, int]] = {}
    for r in found:
        result.setdefault(r["year"], {})[r["area"]] = r["stage"]
    return result


def set_targets(db: Database, org_id: int, year: int, targets: Mapping[str, int | None]) -> None:
    """Set the year's target stage (0-5) per area; None removes an area's target."""
    with write(db):
        for area, stage in targets.items():
            if stage is None:
                db.execute(
                    "DELETE FROM targets WHERE org_id = ? AND year = ? AND area = ?", (org_id, year, area)
                )
            else:
                db.execute(
                    "INSERT INTO targets (org_id, year, area, stage) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (org_id, year, area) DO UPDATE SET stage = excluded.stage",
                    (org_id, year, area, stage),
                )


def save_targets(
    db: Database, org_id: int, year: int, targets: Mapping[str, int | None], *, start_year: int | None
) -> None:
    """The targets page in one transaction: the year's targets and the path start year."""
    with write(db):
        accounts.set_start_year(db, org_id, start_year)
        set_targets(db, org_id, year, targets)
