"""Tests for Finnish and English number, euro and percent formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assess.formatting import (
    NBSP,
    format_count,
    format_euro,
    format_input,
    format_number,
    format_percent,
    format_value,
)
from assess.metrics import parse_value


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (0, "0", "0"),
        (12, "12", "12"),
        (999, "999", "999"),
        (1000, f"1{NBSP}000", "1,000"),
        (1234567, f"1{NBSP}234{NBSP}567", "1,234,567"),
        (12.5, "12,5", "12.5"),
        (12.50, "12,5", "12.5"),
        (0.125, "0,13", "0.13"),  # half up, not banker's rounding
        (-1234.5, f"-1{NBSP}234,5", "-1,234.5"),
    ],
)
def test_number_uses_the_languages_separators(value, fi, en) -> None:
    assert format_number(value, "fi") == fi
    assert format_number(value, "en") == en


def test_fixed_decimals_keep_trailing_zeros() -> None:
    assert format_number(3, "fi", decimals=2) == "3,00"
    assert format_number(Decimal("2.005"), "en", decimals=2) == "2.01"


def test_float_noise_does_not_show() -> None:
    assert format_number(0.1 + 0.2, "fi") == "0,3"


def test_signed_shows_plus_for_a_rise_only() -> None:
    assert format_number(0.25, "fi", signed=True) == "+0,25"
    assert format_number(0, "fi", signed=True) == "0"
    assert format_number(-0.5, "fi", signed=True) == "-0,5"


def test_grouping_can_be_left_out() -> None:
    assert format_number(1234.5, "fi", grouping=False) == "1234,5"


def test_unknown_language_falls_back_to_finnish() -> None:
    assert format_number(1234.5, "sv") == f"1{NBSP}234,5"


def test_count_is_a_whole_number() -> None:
    assert format_count(1234, "fi") == f"1{NBSP}234"
    assert format_count(7, "en") == "7"


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (1234.5, f"1{NBSP}234,50{NBSP}€", "€1,234.50"),
        (0, f"0,00{NBSP}€", "€0.00"),
        (12, f"12,00{NBSP}€", "€12.00"),
        (-5, f"-5,00{NBSP}€", "-€5.00"),
    ],
)
def test_euro(value, fi, en) -> None:
    assert format_euro(value, "fi") == fi
    assert format_euro(value, "en") == en


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [(12.5, f"12,5{NBSP}%", "12.5%"), (100, f"100{NBSP}%", "100%"), (0.25, f"0,25{NBSP}%", "0.25%")],
)
def test_percent(value, fi, en) -> None:
    assert format_percent(value, "fi") == fi
    assert format_percent(value, "en") == en


def test_value_by_kind() -> None:
    assert format_value("yes_no", True, "fi", yes="Kyllä", no="Ei") == "Kyllä"
    assert format_value("yes_no", False, "fi", yes="Kyllä", no="Ei") == "Ei"
    assert format_value("count", 3, "fi") == "3"
    assert format_value("percent", 12.5, "fi") == f"12,5{NBSP}%"
    assert format_value("euro", 1234.5, "fi") == f"1{NBSP}234,50{NBSP}€"
    assert format_value("text", "Seuranta tehty", "fi") == "Seuranta tehty"
    with pytest.raises(ValueError):
        format_value("hilma", 1, "fi")


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("yes_no", True),
        ("yes_no", False),
        ("count", 12345),
        ("percent", 12.5),
        ("percent", 100.0),
        ("euro", 1234.5),
        ("euro", 0.0),
        ("text", "vapaa teksti"),
    ],
)
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_input_form_parses_back_to_the_same_value(kind, value, lang) -> None:
    shown = format_input(kind, value, lang)
    assert NBSP not in shown and "%" not in shown and "€" not in shown
    assert parse_value(kind, shown).value == value


def test_input_form_shows_cents_for_euros() -> None:
    assert format_input("euro", 1234.5, "fi") == "1234,50"
    assert format_input("euro", 1234.5, "en") == "1234.50"
