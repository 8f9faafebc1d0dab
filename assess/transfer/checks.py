"""What every section's check is made of: the limits, JSON type tests, a problem collector
that walks the document, and reading a section's records (pure: no Flask, no SQL)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

# The file's ranges are the domain's (the sections import them from here).
from ..domain import FIRST_YEAR, LAST_YEAR, MAX_STAGE  # noqa: F401
from .fileformat import N_, Problem

MAX_NAME = 200
MAX_TEXT = 5000

# Messages more than one section gives.
NO_ASSESSMENT = N_("Refers to assessment %(id)s, which is not in the file (or is not valid).")
UNKNOWN_AREA = N_("Unknown roadmap area %(area)s.")


def is_int(value: Any) -> bool:
    """A JSON whole number (Python's bool is an int, but true is no number here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    """A JSON number, whole or not."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_time(value: Any) -> bool:
    """An ISO 8601 date and time as text."""
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date(value: Any) -> bool:
    """An ISO 8601 date (YYYY-MM-DD) as text."""
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class Check:
    """Collects problems while walking the document.

    Each test method adds its problem at ``path`` and returns whether the value passed, so
    a caller can go on checking a record and decide at the end whether to keep it.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(path, message, params))

    def obj(self, value: Any, path: str) -> bool:
        if not isinstance(value, dict):
            self.add(path, N_("Must be an object."))
            return False
        return True

    def has(self, record: Mapping[str, Any], path: str, keys: Iterable[str]) -> bool:
        missing = [k for k in keys if k not in record]
        for key in missing:
            self.add(f"{path}.{key}", N_("Required field is missing."))
        return not missing

    def integer(
        self,
        value: Any,
        path: str,
        low: int | None = None,
        high: int | None = None,
        *,
        optional: bool = False,
    ) -> bool:
        if value is None and optional:
            return True
        if not is_int(value) or (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                self.add(path, N_("Must be a whole number from %(low)d to %(high)d."), low=low, high=high)
            elif low is not None:
                self.add(path, N_("Must be a whole number of at least %(low)d."), low=low)
            else:
                self.add(path, N_("Must be a whole number."))
            return False
        return True

    def text(
        self, value: Any, path: str, *, limit: int = MAX_TEXT, optional: bool = False, empty: bool = True
    ) -> bool:
        if value is None and optional:
            return True
        if not isinstance(value, str):
            self.add(path, N_("Must be text."))
            return False
        if not empty and not value.strip():
            self.add(path, N_("Must not be empty."))
            return False
        if len(value) > limit:
            self.add(path, N_("The text is too long: at most %(max)d characters."), max=limit)
            return False
        return True

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.add(path, N_("Must be true or false."))
            return False
        return True

    def time(self, value: Any, path: str, *, optional: bool = False) -> bool:
        if value is None and optional:
            return True
        if not is_time(value):
            self.add(path, N_("Must be a date and time (ISO 8601, e.g. 2025-03-20T12:00:00+00:00)."))
            return False
        return True

    def choice(self, value: Any, path: str, choices: Iterable[str]) -> bool:
        choices = tuple(choices)
        if value not in choices:
            self.add(path, N_("Must be one of: %(choices)s."), choices=", ".join(choices))
            return False
        return True

    def year(self, value: Any, path: str, *, optional: bool = False) -> bool:
        return self.integer(value, path, FIRST_YEAR, LAST_YEAR, optional=optional)


def records(check: Check, doc: Mapping[str, Any], section: str) -> list[tuple[str, dict]]:
    """(path, record) for each object of a list section; problems for the rest."""
    value = doc.get(section)
    if value is None:
        check.add(section, N_("Required field is missing."))
        return []
    if not isinstance(value, list):
        check.add(section, N_("Must be a list."))
        return []
    found = []
    for n, record in enumerate(value):
        path = f"{section}[{n}]"
        if check.obj(record, path):
            found.append((path, record))
    return found


def unique_ids(check: Check, found: list[tuple[str, dict]], key: str = "id") -> dict[Any, dict]:
    """Records by their whole-number ``key``; problems for bad and duplicate ids."""
    by_id: dict[Any, dict] = {}
    for path, record in found:
        if key not in record:
            continue
        ident = record[key]
        if not check.integer(ident, f"{path}.{key}"):
            continue
        if ident in by_id:
            check.add(f"{path}.{key}", N_("Duplicate id %(id)s."), id=ident)
            continue
        by_id[ident] = record
    return by_id


def referenced(check: Check, by_id: Mapping[int, dict], ref: Any, path: str, message: str) -> dict | None:
    """The record that ``ref`` names among ``by_id``; None, with ``message`` (which shows
    the reference as %(id)s) as the problem at ``path``, when there is no such record."""
    found = by_id.get(ref) if is_int(ref) else None
    if found is None:
        check.add(path, message, id=json.dumps(ref))
    return found
