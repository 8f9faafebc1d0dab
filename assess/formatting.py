"""Numbers, euros and percents written the way Finnish (or English) readers expect.

Finnish follows CLDR: a no-break space groups thousands and separates the unit
("1 234,50 €", "12,5 %"), so a value never wraps across lines. English groups with
commas ("€1,234.50", "12.5%"). Pure: no Flask.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

NBSP = "\u00a0"

_SEPARATORS = {"fi": (NBSP, ","), "en": (",", ".")}


def _separators(lang: str) -> tuple[str, str]:
    return _SEPARATORS["en" if lang == "en" else "fi"]


def _decimal(value: float | int | Decimal) -> Decimal:
    # str() first: Decimal(0.1) would carry the float's binary error into the digits.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(value: float | int | Decimal, lang: str, *, decimals: int | None = None,
                  max_decimals: int = 2, grouping: bool = True, signed: bool = False) -> str:
    """A number with the language's separators.

    ``decimals`` fixes the number of decimals (euros: 2); without it the value is rounded
    to ``max_decimals`` and trailing zeros are dropped ("12,5", "3"). ``signed`` adds "+"
    to positive values (for changes between years).
    """
    group_sep, decimal_sep = _separators(lang)
    places = decimals if decimals is not None else max_decimals
    # A wide context: a value stored before limits existed (26 digits) still reads.
    rounded = _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP,
                                       context=Context(prec=400))
    sign = "-" if rounded < 0 else ("+" if signed and rounded > 0 else "")
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    if grouping and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = whole[:head] + "".join(
            group_sep + whole[i:i + 3] for i in range(head, len(whole), 3)
        )
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


def format_value(kind: str, value: bool | int | float | str, lang: str, *,
                 yes: str = "Yes", no: str = "No") -> str:
    """A stored metric value for reading; ``yes``/``no`` are the caller's translated words."""
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


def local_datetime(stamp: str) -> str:
    """A stored UTC time (ISO 8601) as Finnish local time, d.m.yyyy HH.MM."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime.fromisoformat(stamp).astimezone(ZoneInfo("Europe/Helsinki"))
    return f"{moment.day}.{moment.month}.{moment.year} {moment.hour:02d}.{moment.minute:02d}"
