"""Rules for retiring and erasing data (pure: no Flask, no SQL).

What may be deleted and what must be archived instead, and when the retention rule replaces
respondents' names in closed rounds. The storage layer (storage.lifecycle) applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

DEFAULT_RETENTION_MONTHS = 24
MAX_RETENTION_MONTHS = 120

# Why an assessment cannot be deleted; the views turn these into sentences.
FINAL_SINGLE = "final_single"  # a single assessment marked final: reopen it first
CLOSED_ROUND = "closed_round"  # a closed round: archive it instead
COUNTED = "counted"  # the assessment that counts for its year: archive it
LIVE_WORKSHOP = "live_workshop"  # a round being run as a workshop right now
ARCHIVED = "archived"  # archived: restore it first


def deletion_block(assessment: Mapping, *, workshop_running: bool = False) -> str | None:
    """Why this assessment cannot be deleted, or None when it can.

    Only a mistake can be deleted: an open assessment that does not count for its year.
    A final one is a record of what the organisation agreed: a single assessment has to be
    reopened first (a conscious step), a closed round is archived instead.
    """
    if assessment.get("archived_at"):
        return ARCHIVED
    if workshop_running:
        return LIVE_WORKSHOP
    if assessment["status"] == "final":
        return FINAL_SINGLE if assessment["kind"] == "single" else CLOSED_ROUND
    if assessment["counts"]:
        return COUNTED
    return None


def can_archive(assessment: Mapping) -> bool:
    """Final or counted assessments are archived rather than deleted; open ones that do not
    count are simply deleted, so archiving them is not offered."""
    return not assessment.get("archived_at") and (
        assessment["status"] == "final" or bool(assessment["counts"])
    )


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to the month's end)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    days = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return moment.replace(year=year, month=month, day=min(moment.day, days))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def retention_cutoff(months: int, now: datetime | None = None) -> str:
    """The ISO time before which a round must have closed for its names to be replaced."""
    moment = now or datetime.now(UTC)
    return months_before(moment, months).isoformat(timespec="seconds")


def check_retention(value: object) -> int:
    """The RETENTION_MONTHS setting as a whole number of months; ValueError when it is not
    one from 1 to MAX_RETENTION_MONTHS (a wrong setting must not erase names early)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RETENTION_MONTHS:
        raise ValueError(
            f"RETENTION_MONTHS must be a whole number from 1 to {MAX_RETENTION_MONTHS}, not {value!r}"
        )
    return value


def aliases(respondent_ids: list[int], taken: Mapping[int, int | None]) -> dict[int, int]:
    """Respondent id -> its "Respondent n" number.

    ``respondent_ids``: the round's respondents in joining order; ``taken``: numbers given
    earlier, which never change. A new number is the respondent's place in joining order
    when that is free, else the smallest free one, so two respondents of a round never
    share a number even after others were erased.
    """
    used = {n for n in taken.values() if n}
    result: dict[int, int] = {i: n for i in respondent_ids if (n := taken.get(i))}
    for place, ident in enumerate(respondent_ids, start=1):
        if ident in result:
            continue
        number = place
        if number in used:
            number = 1
            while number in used:
                number += 1
        used.add(number)
        result[ident] = number
    return result
