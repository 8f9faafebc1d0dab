"""The domain's ranges and checks: what forms, imports and the command line accept."""

from __future__ import annotations

import pytest

from assess import domain, scoring


def test_the_answer_scale_is_the_scoring_rules_scale() -> None:
    assert domain.ANSWER_VALUES == (0, 1, 2, 3, 4)
    assert max(domain.ANSWER_VALUES) == scoring.MAX_VALUE


@pytest.mark.parametrize(
    "value, ok",
    [
        (0, True),
        (4, True),
        (2, True),
        (5, False),
        (-1, False),
        (True, False),
        (2.0, False),
        ("2", False),
        (None, False),
    ],
)
def test_an_answer_value_is_a_whole_number_on_the_scale(value: object, ok: bool) -> None:
    assert domain.is_answer_value(value) is ok


def test_stages_run_from_none_to_all_five_steps() -> None:
    assert domain.STAGES == (0, 1, 2, 3, 4, 5) and domain.MAX_STAGE == 5


@pytest.mark.parametrize(
    "text, year",
    [
        ("2025", 2025),
        (" 2000 ", 2000),
        ("2100", 2100),
        ("1999", None),
        ("2101", None),
        ("", None),
        (None, None),
        ("２０２５", None),
        ("²⁰²⁵", None),
        ("20 25", None),
        ("-2025", None),
    ],
)
def test_a_typed_year_is_read_only_within_the_range(text: str | None, year: int | None) -> None:
    assert domain.year_from_text(text) == year


def test_a_year_is_a_whole_number_in_range() -> None:
    assert domain.is_year(2000) and domain.is_year(2100)
    assert not domain.is_year(1999) and not domain.is_year(True) and not domain.is_year(2025.0)


@pytest.mark.parametrize(
    "agreed, computed, reason, missing",
    [
        (2, 3, "", True),  # overrides the answers without a word
        (2, 3, "  \n", True),  # blank is no reason
        (2, 3, "Sovittu", False),
        (3, 3, "", False),  # agrees with the computed stage
        (0, 0, "", False),
        (0, 1, "", True),  # stage 0 is a stage, not "none"
        (None, 3, "", False),  # not agreed yet
        (2, None, "", False),  # too few answers: nothing to differ from
    ],
)
def test_an_agreed_stage_other_than_the_computed_one_needs_a_reason(
    agreed: int | None, computed: int | None, reason: str, missing: bool
) -> None:
    assert domain.reason_missing(agreed, computed, reason) is missing
