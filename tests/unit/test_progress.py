"""Tests for the expected step and position on the five-year path."""

from __future__ import annotations

import pytest

from assess.progress import expected_step, path_position


@pytest.mark.parametrize(
    ("start", "year", "expected"),
    [
        (2024, 2024, 1),
        (2024, 2025, 2),
        (2024, 2028, 5),
        (2024, 2029, 5),
        (2024, 2040, 5),
        (2024, 2023, None),
        (None, 2025, None),
    ],
)
def test_expected_step_counts_years_from_start_capped_at_five(
    start: int | None, year: int, expected: int | None
) -> None:
    assert expected_step(start, year) == expected


@pytest.mark.parametrize(
    ("stage", "expected", "position"),
    [
        (3, 2, "ahead"),
        (2, 2, "on_track"),
        (1, 2, "behind"),
        (0, 1, "behind"),
        (5, 5, "on_track"),
        (1, 0, "ahead"),
        (None, 2, None),
        (2, None, None),
    ],
)
def test_path_position_compares_stage_with_expected_step(
    stage: int | None, expected: int | None, position: str | None
) -> None:
    assert path_position(stage, expected) == position


def test_stage_five_after_the_path_is_on_track_because_expected_is_capped() -> None:
    assert path_position(5, expected_step(2020, 2030)) == "on_track"


def test_before_the_start_year_there_is_no_position() -> None:
    assert path_position(3, expected_step(2026, 2025)) is None
