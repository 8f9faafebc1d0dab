"""Programme metric values: the value kinds, parsing of what users type, and year-on-year trend.

Each value kind is one class (``ValueKind``) in one registry (``KINDS``): how a typed value
is parsed, how it is kept in the database's two value columns, how it reads on a page, in a
form field and in an export. Content, forms, storage, the export file and the exports look
a kind up here; a new kind is a new class added to ``KINDS`` (the database keeps the kind's
name and has no list of kinds to change).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from . import formatting

Value = bool | int | float | str
CHOOSABLE_KINDS = ("planned_separately", "hilma")
"""Metric kinds whose value kind the organisation picks from VALUE_KINDS."""

ERROR_CODES = (
    "required",
    "yes_no_expected",
    "number_expected",
    "whole_number_expected",
    "negative",
    "over_100",
    "too_many_decimals",
    "too_long",
    "too_large",
)

# The largest values real municipal figures need, and no more: a count of procurements,
# suppliers or staff stays below a billion; a euro amount (a city's whole budget is a few
# billion) below a hundred billion. Within these, every value with cents is exact as a float
# and reads back from an export unchanged.
COUNT_MAX = 1_000_000_000
EURO_MAX = 100_000_000_000
_MAX_DIGITS = 15  # before any Decimal or int is made of it

TEXT_MAX_LENGTH = 2000
CENT = Decimal("0.01")

_YES = frozenset({"yes", "kyllä", "k", "true", "1"})
_NO = frozenset({"no", "ei", "e", "false", "0"})

# Thousands separators Finnish users and copy-paste produce: space, no-break
# space, narrow no-break space. Grouping must be by three so "12 34" is a typo,
# not 1234. Both "-" and the typographic minus "−" count as a sign.
_NUMBER = re.compile(
    r"(?P<minus>[-\u2212]?)"
    r"(?P<whole>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)"
    r"(?:[.,](?P<fraction>\d+))?"
)
_EURO_SUFFIX = re.compile(r"\s*(?:€|eur|e)$", re.IGNORECASE)
_PERCENT_SUFFIX = re.compile(r"\s*%$")


@dataclass(frozen=True)
class Parsed:
    """Result of parsing: ``error`` is one of ERROR_CODES (then ``value`` is None)."""

    value: bool | int | float | str | None
    error: str | None


def effective_kind(metric_kind: str, chosen: str | None) -> str | None:
    """Value kind used for a metric; None when the organisation must choose one first."""
    if metric_kind in VALUE_KINDS:
        return metric_kind
    if metric_kind in CHOOSABLE_KINDS:
        return chosen if chosen in VALUE_KINDS else None
    raise ValueError(f"unknown metric kind {metric_kind!r}")


def _error(code: str) -> Parsed:
    return Parsed(None, code)


def _parse_decimal(text: str) -> tuple[Decimal, int] | Parsed:
    """Number typed with a decimal comma or point -> (value, number of decimals)."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return _error("number_expected")
    whole = re.sub(r"\D", "", match["whole"])
    fraction = match["fraction"] or ""
    if len(whole.lstrip("0")) > _MAX_DIGITS:
        return _error("too_large")
    if len(fraction) > _MAX_DIGITS:
        return _error("too_many_decimals")
    value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    if match["minus"] and value != 0:
        return _error("negative")
    return value, len(fraction)


def _parse_yes_no(text: str) -> Parsed:
    lowered = text.lower()
    if lowered in _YES:
        return Parsed(True, None)
    if lowered in _NO:
        return Parsed(False, None)
    return _error("yes_no_expected")


def _parse_count(text: str) -> Parsed:
    parsed = _parse_decimal(text)
    if isinstance(parsed, Parsed):
        return parsed
    value, decimals = parsed
    if decimals:
        return _error("whole_number_expected")
    if value > COUNT_MAX:
        return _error("too_large")
    return Parsed(int(value), None)


def _parse_percent(text: str) -> Parsed:
    parsed = _parse_decimal(_PERCENT_SUFFIX.sub("", text))
    if isinstance(parsed, Parsed):
        return parsed
    value, decimals = parsed
    if value > 100:
        return _error("over_100")
    if decimals > 2:
        return _error("too_many_decimals")
    return Parsed(float(value), None)


def _parse_euro(text: str) -> Parsed:
    parsed = _parse_decimal(_EURO_SUFFIX.sub("", text))
    if isinstance(parsed, Parsed):
        return parsed
    value, decimals = parsed
    if decimals > 2:
        return _error("too_many_decimals")
    if value > EURO_MAX:
        return _error("too_large")
    return Parsed(float(value.quantize(CENT)), None)


def _parse_text(text: str) -> Parsed:
    if len(text) > TEXT_MAX_LENGTH:
        return _error("too_long")
    return Parsed(text, None)


class ValueKind:
    """A kind of metric value. Subclasses set ``name`` and ``number_format`` and parse."""

    name: ClassVar[str]
    # The export's number format of the value's cell (export.tables.Num), None for words.
    number_format: ClassVar[str | None] = None

    def parse(self, text: str) -> Parsed:
        """A typed value, stripped and not empty."""
        raise NotImplementedError

    def to_columns(self, value: Value) -> tuple[float | None, str | None]:
        """The value as the database keeps it: (value_num, value_text)."""
        return float(value), None

    def from_columns(self, value_num: float | None, value_text: str | None) -> Value:
        return float(value_num or 0.0)

    def display(self, value: Value, lang: str, *, yes: str = "Yes", no: str = "No") -> str:
        """The value for reading, in the reader's language (``yes``/``no`` already translated)."""
        return formatting.format_value(self.name, value, lang, yes=yes, no=no)

    def input_text(self, value: Value, lang: str) -> str:
        """The value as it goes back into its form field (parses back to the same value)."""
        return formatting.format_input(self.name, value, lang)

    def export_value(self, value: Value, t: Callable[[str], str]) -> Value:
        """The value in an export cell: numbers stay numbers, words are translated by ``t``."""
        return value


class YesNo(ValueKind):
    name = "yes_no"

    def parse(self, text: str) -> Parsed:
        return _parse_yes_no(text)

    def to_columns(self, value: Value) -> tuple[float | None, str | None]:
        return (1.0 if value else 0.0), None

    def from_columns(self, value_num: float | None, value_text: str | None) -> Value:
        return bool(value_num)

    def export_value(self, value: Value, t: Callable[[str], str]) -> Value:
        return t("Yes") if value else t("No")


class Count(ValueKind):
    name = "count"
    number_format = "int"

    def parse(self, text: str) -> Parsed:
        return _parse_count(text)

    def from_columns(self, value_num: float | None, value_text: str | None) -> Value:
        return int(value_num or 0)

    def export_value(self, value: Value, t: Callable[[str], str]) -> Value:
        return int(value)


class Percent(ValueKind):
    name = "percent"
    number_format = "decimal"

    def parse(self, text: str) -> Parsed:
        return _parse_percent(text)

    def export_value(self, value: Value, t: Callable[[str], str]) -> Value:
        return float(value)


class Euro(ValueKind):
    name = "euro"
    number_format = "euro"

    def parse(self, text: str) -> Parsed:
        return _parse_euro(text)

    def export_value(self, value: Value, t: Callable[[str], str]) -> Value:
        return float(value)


class Text(ValueKind):
    name = "text"

    def parse(self, text: str) -> Parsed:
        return _parse_text(text)

    def to_columns(self, value: Value) -> tuple[float | None, str | None]:
        return None, str(value)

    def from_columns(self, value_num: float | None, value_text: str | None) -> Value:
        return value_text or ""

    def export_value(self, value: Value, t: Callable[[str], str]) -> Value:
        return str(value)


KINDS: dict[str, ValueKind] = {kind.name: kind for kind in (YesNo(), Count(), Percent(), Euro(), Text())}
VALUE_KINDS: tuple[str, ...] = tuple(KINDS)


def value_kind(name: str) -> ValueKind:
    """The registered kind called ``name``; ValueError for any other name."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown value kind {name!r}") from None


def parse_value(kind: str, raw: str) -> Parsed:
    """Parse a typed value of a value kind (see VALUE_KINDS); surrounding whitespace is ignored."""
    parser = value_kind(kind)
    text = raw.strip()
    if not text:
        return _error("required")
    return parser.parse(text)


def trend(values: Sequence[tuple[int, float]]) -> Literal["up", "down", "flat"] | None:
    """Direction between the two latest years of (year, value) pairs, in any order."""
    if len({year for year, _ in values}) != len(values):
        raise ValueError("one value per year expected")
    if len(values) < 2:
        return None
    (_, previous), (_, latest) = sorted(values)[-2:]
    if latest > previous:
        return "up"
    if latest < previous:
        return "down"
    return "flat"
