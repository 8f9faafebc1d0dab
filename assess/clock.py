"""The installation's clock: today and now where its users are (pure: no Flask, no SQL).

Stored times are UTC (storage.db.now); everything a user sees or that depends on the
calendar – the default year of a form, a deadline, the date in a file name – is in the
installation's time zone, Europe/Helsinki unless TIME_ZONE says otherwise. So the server's own
time zone never matters, and the New Year comes at midnight in Finland, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Helsinki"
_zone = ZoneInfo(DEFAULT_ZONE)


def set_zone(name: str) -> None:
    """Use the time zone ``name`` (an IANA name); ValueError, naming it, when unknown."""
    global _zone
    try:
        _zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"TIME_ZONE {name!r} is not a known time zone (e.g. Europe/Helsinki)") from exc


def zone() -> ZoneInfo:
    return _zone


def now() -> datetime:
    """The current time in the installation's time zone (aware)."""
    return datetime.now(UTC).astimezone(_zone)


def today() -> date:
    """Today's date in the installation's time zone."""
    return now().date()


def local(moment: datetime) -> datetime:
    """An aware time (e.g. a stored UTC time) in the installation's time zone."""
    return moment.astimezone(_zone)
