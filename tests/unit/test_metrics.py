"""Tests for metric kinds, parsing typed values and trends."""

from __future__ import annotations

import pytest

from assess.metrics import (
    ERROR_CODES,
    VALUE_KINDS,
    Parsed,
    effective_kind,
    parse_value,
    trend,
)

NBSP = "\u00a0"
NNBSP = "\u202f"


# --- effective_kind ---------------------------------------------------------


@pytest.mark.parametrize("kind", VALUE_KINDS)
def test_value_kind_is_its_own_effective_kind(kind: str) -> None:
    assert effective_kind(kind, None) == kind
    assert effective_kind(kind, "text") == kind


@pytest.mark.parametrize("metric_kind", ["planned_separately", "hilma"])
def test_choosable_kind_uses_the_chosen_value_kind(metric_kind: str) -> None:
    assert effective_kind(metric_kind, "percent") == "percent"


@pytest.mark.parametrize("chosen", [None, "", "hilma", "planned_separately", "date"])
def test_choosable_kind_without_a_valid_choice_must_choose_first(chosen: str | None) -> None:
    assert effective_kind("hilma", chosen) is None


def test_unknown_metric_kind_is_an_error() -> None:
    with pytest.raises(ValueError):
        effective_kind("date", "text")


# --- parse_value: common ----------------------------------------------------


@pytest.mark.parametrize("kind", VALUE_KINDS)
@pytest.mark.parametrize("raw", ["", "   ", f"{NBSP}\t"])
def test_empty_value_is_required(kind: str, raw: str) -> None:
    assert parse_value(kind, raw) == Parsed(None, "required")


def test_unknown_value_kind_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_value("hilma", "1")


# --- yes_no -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("kyllä", True),
        ("KYLLÄ", True),
        (" Kyllä ", True),
        ("k", True),
        ("yes", True),
        ("True", True),
        ("1", True),
        ("ei", False),
        ("Ei", False),
        ("e", False),
        ("no", False),
        ("FALSE", False),
        ("0", False),
    ],
)
def test_yes_no_accepts_finnish_and_english(raw: str, value: bool) -> None:
    assert parse_value("yes_no", raw) == Parsed(value, None)


@pytest.mark.parametrize("raw", ["joo", "2", "kylla x", "y"])
def test_yes_no_rejects_other_words(raw: str) -> None:
    assert parse_value("yes_no", raw) == Parsed(None, "yes_no_expected")


# --- count ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("1200", 1200),
        ("1 200", 1200),
        (f"1{NBSP}200", 1200),
        (f"1{NNBSP}234{NNBSP}567", 1234567),
        (" 7 ", 7),
    ],
)
def test_count_accepts_whole_numbers_with_thousands_spaces(raw: str, value: int) -> None:
    parsed = parse_value("count", raw)
    assert parsed == Parsed(value, None)
    assert isinstance(parsed.value, int)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("1,5", "whole_number_expected"),
        ("1.5", "whole_number_expected"),
        ("-3", "negative"),
        ("\u22123", "negative"),
        ("kolme", "number_expected"),
        ("12 34", "number_expected"),
        ("1e3", "number_expected"),
        ("1 200 kpl", "number_expected"),
    ],
)
def test_count_rejects_non_whole_or_negative(raw: str, error: str) -> None:
    assert parse_value("count", raw) == Parsed(None, error)


# --- percent ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("0", 0.0),
        ("100", 100.0),
        ("100,00", 100.0),
        ("33,33", 33.33),
        ("45 %", 45.0),
    ],
)
def test_percent_accepts_decimal_comma_or_point(raw: str, value: float) -> None:
    parsed = parse_value("percent", raw)
    assert parsed == Parsed(value, None)
    assert isinstance(parsed.value, float)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("100,01", "over_100"),
        ("150", "over_100"),
        ("-1", "negative"),
        ("12,345", "too_many_decimals"),
        ("puolet", "number_expected"),
        ("12,", "number_expected"),
    ],
)
def test_percent_rejects_out_of_range_and_too_precise(raw: str, error: str) -> None:
    assert parse_value("percent", raw) == Parsed(None, error)


# --- euro -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1 234,50 €", 1234.5),
        ("1234.5", 1234.5),
        ("1234,05€", 1234.05),
        (f"1{NBSP}000{NBSP}000 e", 1000000.0),
        ("250 EUR", 250.0),
        ("250eur", 250.0),
        ("0", 0.0),
        ("99,9", 99.9),
    ],
)
def test_euro_accepts_finnish_amounts(raw: str, value: float) -> None:
    assert parse_value("euro", raw) == Parsed(value, None)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("-5 €", "negative"),
        ("12,345", "too_many_decimals"),
        ("1 234,567 €", "too_many_decimals"),
        ("paljon", "number_expected"),
        ("€", "number_expected"),
        ("12 $", "number_expected"),
    ],
)
def test_euro_rejects_negative_and_sub_cent_amounts(raw: str, error: str) -> None:
    assert parse_value("euro", raw) == Parsed(None, error)


# --- text -------------------------------------------------------------------


def test_text_is_kept_without_surrounding_whitespace() -> None:
    assert parse_value("text", "  Hankintastrategia hyväksytty.\n") == Parsed(
        "Hankintastrategia hyväksytty.", None
    )


def test_text_up_to_2000_characters_is_accepted() -> None:
    assert parse_value("text", "a" * 2000) == Parsed("a" * 2000, None)


def test_text_over_2000_characters_is_too_long() -> None:
    assert parse_value("text", "a" * 2001) == Parsed(None, "too_long")


# --- error codes ------------------------------------------------------------


def test_every_error_code_produced_is_listed() -> None:
    samples = [
        ("count", ""),
        ("yes_no", "joo"),
        ("count", "x"),
        ("count", "1,5"),
        ("count", "-1"),
        ("percent", "101"),
        ("percent", "1,234"),
        ("text", "a" * 2001),
        ("euro", "1" * 26),
    ]
    produced = {parse_value(kind, raw).error for kind, raw in samples}
    assert produced == set(ERROR_CODES)


# --- trend ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "direction"),
    [
        ([(2023, 10.0), (2024, 12.0)], "up"),
        ([(2023, 12.0), (2024, 10.0)], "down"),
        ([(2023, 5.0), (2024, 5.0)], "flat"),
        ([(2024, 12.0), (2022, 50.0), (2023, 10.0)], "up"),
        ([(2025, 1.0), (2021, 0.0), (2024, 3.0)], "down"),
    ],
)
def test_trend_compares_the_two_latest_years(values: list[tuple[int, float]], direction: str) -> None:
    assert trend(values) == direction


@pytest.mark.parametrize("values", [[], [(2024, 3.0)]])
def test_trend_needs_two_years(values: list[tuple[int, float]]) -> None:
    assert trend(values) is None


def test_trend_rejects_two_values_for_one_year() -> None:
    with pytest.raises(ValueError):
        trend([(2024, 1.0), (2024, 2.0)])


# --- the registry of value kinds ------------------------------------------------


@pytest.mark.parametrize(
    "kind, value, columns",
    [
        ("yes_no", True, (1.0, None)),
        ("yes_no", False, (0.0, None)),
        ("count", 12, (12.0, None)),
        ("percent", 12.5, (12.5, None)),
        ("euro", 1234.5, (1234.5, None)),
        ("text", "Käytössä", (None, "Käytössä")),
    ],
)
def test_each_kind_keeps_its_value_in_the_database_columns_and_reads_it_back(
    kind: str, value: object, columns: tuple
) -> None:
    from assess.metrics import value_kind

    found = value_kind(kind)
    assert found.to_columns(value) == columns
    back = found.from_columns(*columns)
    assert back == value and type(back) is type(value)


def test_a_typed_value_reads_back_the_same_through_its_form_field() -> None:
    from assess.metrics import KINDS

    for name, typed in [
        ("yes_no", "kyllä"),
        ("count", "1 234"),
        ("percent", "12,5 %"),
        ("euro", "1 234,50 €"),
        ("text", "Sopimus"),
    ]:
        kind = KINDS[name]
        value = parse_value(name, typed).value
        assert value is not None
        assert parse_value(name, kind.input_text(value, "fi")).value == value


def test_a_kind_reads_for_people_and_exports_numbers_as_numbers() -> None:
    from assess.metrics import KINDS

    assert KINDS["euro"].display(1234.5, "fi") == "1\u00a0234,50\u00a0€"
    assert KINDS["yes_no"].display(True, "fi", yes="Kyllä", no="Ei") == "Kyllä"
    assert KINDS["count"].export_value(7.0, str) == 7 and KINDS["count"].number_format == "int"
    assert KINDS["yes_no"].export_value(False, {"No": "Ei"}.get) == "Ei"
    assert KINDS["text"].number_format is None


def test_an_unknown_kind_is_refused_everywhere() -> None:
    from assess.metrics import value_kind

    with pytest.raises(ValueError, match="unknown value kind"):
        value_kind("stars")
    with pytest.raises(ValueError, match="unknown value kind"):
        parse_value("stars", "5")
