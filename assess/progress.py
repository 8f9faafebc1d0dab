"""Where an organisation stands on its five-year path compared with the calendar."""

from __future__ import annotations

from typing import Literal

PATH_YEARS = 5

Position = Literal["ahead", "on_track", "behind"]


def expected_step(start_year: int | None, year: int) -> int | None:
    """Step expected in ``year`` when the path started in ``start_year`` (its year 1).

    Capped at 5 because the path has five steps; None when the start year is
    unknown or ``year`` is before it.
    """
    if start_year is None or year < start_year:
        return None
    return min(year - start_year + 1, PATH_YEARS)


def path_position(stage: int | None, expected: int | None) -> Position | None:
    """Compare a stage with the expected step.

    Pass the agreed stage instead of the computed one when the team has agreed
    on one. None when either side is unknown.
    """
    if stage is None or expected is None:
        return None
    if stage > expected:
        return "ahead"
    if stage == expected:
        return "on_track"
    return "behind"
