"""Tests for reading the metric values form: changes, errors by field, untouched fields."""

from __future__ import annotations

from assess.metric_form import (
    NOTE_MAX_LENGTH,
    Change,
    Raw,
    Stored,
    fingerprint,
    read_form,
)

METRICS = [("m-yes", "yes_no"), ("m-count", "count"), ("m-euro", "euro"), ("m-hilma", "hilma")]


def read(form, *, stored=None, chosen=None):
    return read_form(METRICS, chosen or {}, stored or {}, form)


def test_valid_values_become_changes() -> None:
    result = read(
        {
            "value-m-yes": "kyllä",
            "value-m-count": "1 234",
            "value-m-euro": "1 234,50",
            "note-m-euro": " arvio ",
            "source-m-euro": "talous",
        }
    )
    assert result.ok
    assert result.changes == [
        Change("m-yes", "yes_no", True),
        Change("m-count", "count", 1234),
        Change("m-euro", "euro", 1234.5, "arvio", "talous"),
    ]


def test_fields_not_posted_are_left_alone() -> None:
    result = read({"value-m-count": "3"}, stored={"m-yes": Stored("yes_no", True)})
    assert result.changes == [Change("m-count", "count", 3)]


def test_each_invalid_field_gets_its_code_and_kind() -> None:
    result = read({"value-m-yes": "ehkä", "value-m-count": "1,5", "value-m-euro": "-3"})
    assert not result.ok
    assert {name: (e.code, e.kind) for name, e in result.errors.items()} == {
        "value-m-yes": ("yes_no_expected", "yes_no"),
        "value-m-count": ("whole_number_expected", "count"),
        "value-m-euro": ("negative", "euro"),
    }
    assert result.raw["m-count"] == Raw(value="1,5")


def test_clearing_a_stored_value_removes_it_and_empty_stays_empty() -> None:
    result = read({"value-m-count": "", "value-m-euro": ""}, stored={"m-count": Stored("count", 4)})
    assert result.ok
    assert result.changes == [Change("m-count", None, None)]


def test_note_without_a_value_is_refused() -> None:
    result = read({"value-m-count": "", "note-m-count": "tulossa"})
    assert result.errors["value-m-count"].code == "value_missing"


def test_too_long_note_is_refused() -> None:
    result = read({"value-m-count": "1", "note-m-count": "x" * (NOTE_MAX_LENGTH + 1)})
    assert result.errors["note-m-count"].code == "too_long"


def test_choosable_kind_must_be_chosen_before_a_value() -> None:
    result = read({"value-m-hilma": "5", "kind-m-hilma": ""})
    assert result.errors["kind-m-hilma"].code == "kind_required"


def test_choosable_kind_outside_the_list_is_refused() -> None:
    result = read({"value-m-hilma": "5", "kind-m-hilma": "hilma"})
    assert result.errors["kind-m-hilma"].code == "kind_unknown"


def test_chosen_kind_is_used_and_remembered() -> None:
    result = read({"value-m-hilma": "12,5", "kind-m-hilma": "percent"}, chosen={"m-hilma": "count"})
    assert result.ok
    assert result.kinds == {"m-hilma": "percent"}
    assert result.changes == [Change("m-hilma", "percent", 12.5)]


def test_unchanged_choice_is_not_stored_again() -> None:
    result = read({"value-m-hilma": "3", "kind-m-hilma": "count"}, chosen={"m-hilma": "count"})
    assert result.kinds == {}


def test_fields_matching_what_was_shown_are_not_written() -> None:
    """A stale form does not overwrite a value another lead saved meanwhile."""
    shown = Raw(value="3")
    form = {
        "value-m-count": "3",
        "was-m-count": fingerprint(shown),
        "value-m-euro": "10",
        "was-m-euro": fingerprint(Raw()),
    }
    result = read(form, stored={"m-count": Stored("count", 7)})
    assert result.changes == [Change("m-euro", "euro", 10.0)]


def test_crlf_line_breaks_compare_equal() -> None:
    form = {
        "value-m-count": "3",
        "note-m-count": "a\r\nb",
        "was-m-count": fingerprint(Raw(value="3", note="a\nb")),
    }
    assert read(form).changes == []


def test_unknown_metric_fields_are_ignored() -> None:
    assert read({"value-nope": "x"}).changes == []
