"""Dates, times, quarters and numbers written the way Finnish (or English) readers expect.

The one place that formats values for display: pages (through the filters registered in
assess/templating.py), charts, exports and the report all call these functions.

Finnish follows CLDR: a no-break space groups thousands and separates the unit
("1 234,50 €", "12,5 %"), so a value never wraps across lines; dates are d.m.yyyy and
times "klo 14.05". English groups with commas ("€1,234.50", "12.5%") and writes
"1 Dec 2026, 14:05". Times are shown in the installation's time zone (assess/clock.py),
never in UTC. Pure: no Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal

from . import clock

NBSP = "\u00a0"

_SEPARATORS = {"fi": (NBSP, ","), "en": (",", ".")}


def _separators(lang: str) -> tuple[str, str]:
    return _SEPARATORS["en" if lang == "en" else "fi"]


def _decimal(value: float | int | Decimal) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary error into the digits.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(
    value: float | int | Decimal,
    lang: str,
    *,
    decimals: int | None = None,
    max_decimals: int = 2,
    grouping: bool = True,
    signed: bool = False,
) -> str:
    """A number with the language's separators.

    ``decimals`` fixes the number of decimals (euros: 2); without it the value is rounded
    to ``max_decimals`` and trailing zeros are dropped ("12,5", "3"). ``signed`` adds "+"
    to positive values (for changes between years).
    """
    group_sep, decimal_sep = _separators(lang)
    places = decimals if decimals is not None else max_decimals
    # A wide context: a value stored before limits existed (26 digits) still reads.
    rounded = _decimal(value).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=400)
    )
    sign = "-" if rounded < 0 else ("+" if signed and rounded > 0 else "")
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    if grouping and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join(group_sep + whole[i : i + 3] for i in range(head, len(whole), 3))
    return sign + whole + (decimal_sep + fraction if fraction else "")


def format_count(value: float | int | Decimal, lang: str) -> str:
    """A whole number: "1 234"."""
    return format_number(value, lang, decimals=0)


def format_euro(value: float | int | Decimal, lang: str) -> str:
    """An amount with cents: "1 234,50 €" (fi), "€1,234.50" (en)."""
    number = format_number(value, lang, decimals=2)
    if lang == "en":
        return f"-€{number[1:]}" if number.startswith("-") else f"€{number}"
    return f"{number}{NBSP}€"


def format_percent(value: float | int | Decimal, lang: str) -> str:
    """A percentage given as 0-100: "12,5 %" (fi), "12.5%" (en)."""
    number = format_number(value, lang)
    return f"{number}%" if lang == "en" else f"{number}{NBSP}%"


def format_value(
    kind: str, value: bool | int | float | str, lang: str, *, yes: str = "Yes", no: str = "No"
) -> str:
    """A stored metric value for reading; ``yes``/``no`` are the caller's translated words."""
    # The kind says which of the union the value is (metrics.KINDS); mypy cannot see that,
    # hence the ignores below.
    if kind == "yes_no":
        return yes if value else no
    if kind == "count":
        return format_count(value, lang)  # type: ignore[arg-type]
    if kind == "percent":
        return format_percent(value, lang)  # type: ignore[arg-type]
    if kind == "euro":
        return format_euro(value, lang)  # type: ignore[arg-type]
    if kind == "text":
        return str(value)
    raise ValueError(f"unknown value kind {kind!r}")


def format_input(kind: str, value: bool | int | float | str, lang: str) -> str:
    """A stored metric value as it goes back into the form field.

    No thousands grouping and no unit (the form shows the unit beside the field), so
    what the user sees is easy to edit and parses back to the same value. yes_no gives
    the radio button values "yes"/"no".
    """
    # As in format_value, the kind says which of the union the value is.
    if kind == "yes_no":
        return "yes" if value else "no"
    if kind == "count":
        return format_number(value, lang, decimals=0, grouping=False)  # type: ignore[arg-type]
    if kind == "percent":
        return format_number(value, lang, grouping=False)  # type: ignore[arg-type]
    if kind == "euro":
        return format_number(value, lang, decimals=2, grouping=False)  # type: ignore[arg-type]
    if kind == "text":
        return str(value)
    raise ValueError(f"unknown value kind {kind!r}")


EMPTY = "–"
"""What a missing value reads as (an en dash), in every format below."""

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

When = date | datetime | str | None


def _moment(value: When) -> date | datetime | None:
    """A date stays a calendar day; a time (stored as UTC ISO text, aware or naive) becomes
    the installation's local time, so the day shown is the day where the users are."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:  # "2026-12-01": a calendar day, no time zone to convert
            return date.fromisoformat(text)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return clock.local(moment)
    return value


def format_date(value: When, lang: str) -> str:
    """A day: "1.12.2026" (fi), "1 Dec 2026" (en); a stored time gives its local day."""
    moment = _moment(value)
    if moment is None:
        return EMPTY
    if lang == "en":
        return f"{moment.day} {_MONTHS_EN[moment.month - 1]} {moment.year}"
    return f"{moment.day}.{moment.month}.{moment.year}"


def format_datetime(value: When, lang: str) -> str:
    """A time in the installation's time zone: "1.12.2026 klo 14.05" / "1 Dec 2026, 14:05"."""
    moment = _moment(value)
    if moment is None:
        return EMPTY
    if not isinstance(moment, datetime):
        return format_date(moment, lang)
    day = format_date(moment, lang)
    if lang == "en":
        return f"{day}, {moment.hour}:{moment.minute:02d}"
    return f"{day} klo {moment.hour}.{moment.minute:02d}"


def format_quarter(quarter: int, year: int, lang: str) -> str:
    """A quarter of a year: "1. neljännes 2027" (fi), "Q1 2027" (en)."""
    if lang == "en":
        return f"Q{quarter} {year}"
    return f"{quarter}. neljännes {year}"


def format_schedule(year: int | None, quarter: int | None, lang: str) -> str:
    """When a plan entry is due: a quarter, a year alone, or "–" when not scheduled."""
    if year is None:
        return EMPTY
    return str(year) if quarter is None else format_quarter(quarter, year, lang)


def format_index(value: float | Decimal | None, lang: str) -> str:
    """A maturity index, always with two decimals as the rule rounds it: "2,50" / "2.50"."""
    return EMPTY if value is None else format_number(value, lang, decimals=2)


def format_team_value(value: float | Decimal | None, lang: str) -> str:
    """An item's value: a whole answer ("3") or a team median, which is a whole or a half
    point ("2,5"), so at most one decimal."""
    return EMPTY if value is None else format_number(value, lang, max_decimals=1)


def format_spread(value: float | Decimal | None, lang: str) -> str:
    """How far apart a team's answers are in an area (the rule rounds it to two decimals):
    "1,25" / "1.25"."""
    return EMPTY if value is None else format_number(value, lang, decimals=2)


def format_fulfilment(value: float | None, lang: str) -> str:
    """A step's fulfilment (0-1) as a whole percent: "63 %" / "63%"."""
    if value is None:
        return EMPTY
    # Half up, as the index is rounded (Python's round() would make 62.5 % "62 %").
    whole = Decimal(str(value * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_percent(whole, lang)


def format_content_version(first_used: When, lang: str, *, ordinal: int = 1) -> str:
    """A content version as people name it, by the month it was first used: "sisältö 2026-11"
    (fi), "content 2026-11" (en); the second version of the same month gets " (2)". The
    version itself is a digest, which says nothing to a reader."""
    moment = _moment(first_used)
    if moment is None:
        return "sisältö" if lang != "en" else "content"
    word = "content" if lang == "en" else "sisältö"
    label = f"{word} {moment.year}-{moment.month:02d}"
    return label if ordinal <= 1 else f"{label} ({ordinal})"


def content_version_labels(first_used: Mapping[str, When], lang: str) -> dict[str, str]:
    """Each content version's label (format_content_version), oldest first; versions first
    used in the same month are numbered in the order they came."""
    labels: dict[str, str] = {}
    seen: dict[str, int] = {}
    for version, when in sorted(first_used.items(), key=lambda pair: str(pair[1] or "")):
        base = format_content_version(when, lang)
        seen[base] = seen.get(base, 0) + 1
        labels[version] = format_content_version(when, lang, ordinal=seen[base])
    return labels


def chart_separators(lang: str) -> str:
    """plotly's layout.separators: decimal then thousands mark, as format_number writes them."""
    group_sep, decimal_sep = _separators(lang)
    return decimal_sep + group_sep
