"""Tests for step fulfilment, stage, maturity index and the insufficient rule."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assess.scoring import AreaScore, StepScore, round_half_up, score_area, score_step

THRESHOLD = 0.75


def make_steps(per_step: int = 3) -> list[tuple[str, Sequence[str]]]:
    """Five steps x-1 .. x-5, each with ``per_step`` items like "x-1-g1"."""
    return [(f"x-{n}", [f"x-{n}-g{i}" for i in range(1, per_step + 1)]) for n in range(1, 6)]


def fill(step: int, *values: float | None) -> dict[str, float | None]:
    """Answers for step ``step``'s items in order."""
    return {f"x-{step}-g{i}": v for i, v in enumerate(values, start=1)}


def answers_for(*steps: tuple[float | None, ...]) -> dict[str, float | None]:
    result: dict[str, float | None] = {}
    for n, values in enumerate(steps, start=1):
        result.update(fill(n, *values))
    return result


FULL = (4, 4, 4)
LOW = (0, 0, 0)


# --- score_step -------------------------------------------------------------


def test_step_fulfilment_is_mean_over_four() -> None:
    score = score_step("x-1", ["a", "b", "c"], {"a": 1, "b": 2, "c": 4}, THRESHOLD)
    assert score == StepScore("x-1", 7 / 12, False, 3, 3)


def test_step_exactly_at_threshold_is_reached() -> None:
    score = score_step("x-1", ["a", "b", "c"], {"a": 3, "b": 3, "c": 3}, THRESHOLD)
    assert score.fulfilment == 0.75
    assert score.reached


def test_step_just_below_threshold_is_not_reached() -> None:
    # 11/16 = 0.6875: the smallest step below 0.75 four items can make.
    score = score_step("x-1", ["a", "b", "c", "d"], {"a": 3, "b": 3, "c": 3, "d": 2}, 0.75)
    assert not score.reached


@pytest.mark.parametrize(
    ("threshold", "values"),
    [(0.1, (1, 1, 0, 0, 0)), (0.9, (4, 4, 4, 4, 2))],
)
def test_step_threshold_is_compared_as_the_decimal_written(threshold: float, values: tuple[int, ...]) -> None:
    # The binary floats 0.1 and 0.9 lie just above 1/10 and 9/10; a mean that
    # equals the written threshold must still count as reached.
    items = ["a", "b", "c", "d", "e"]
    score = score_step("x-1", items, dict(zip(items, values, strict=True)), threshold)
    assert score.reached


def test_step_team_halves_at_threshold_are_reached() -> None:
    score = score_step("x-1", ["a", "b"], {"a": 2.5, "b": 3.5}, THRESHOLD)
    assert score.fulfilment == 0.75
    assert score.reached


def test_step_dont_know_and_unanswered_are_left_out_of_the_mean() -> None:
    score = score_step("x-1", ["a", "b", "c", "d"], {"a": 4, "b": None, "c": 2}, THRESHOLD)
    assert score.fulfilment == 0.75
    assert (score.answered, score.total) == (2, 4)


def test_step_with_only_dont_know_has_no_fulfilment_and_is_not_reached() -> None:
    score = score_step("x-1", ["a", "b"], {"a": None, "b": None}, THRESHOLD)
    assert score == StepScore("x-1", None, False, 0, 2)


def test_step_with_nothing_answered_has_no_fulfilment() -> None:
    score = score_step("x-1", ["a", "b"], {}, THRESHOLD)
    assert score.fulfilment is None
    assert not score.reached


@pytest.mark.parametrize("bad", [-1, 5, 4.5])
def test_step_rejects_values_outside_the_scale(bad: float) -> None:
    with pytest.raises(ValueError):
        score_step("x-1", ["a"], {"a": bad}, THRESHOLD)


# --- stage ------------------------------------------------------------------


def test_stage_zero_when_first_step_not_reached() -> None:
    score = score_area("x", make_steps(), answers_for(LOW, FULL, FULL, FULL, FULL), THRESHOLD)
    assert score.status == "ok"
    assert score.stage == 0


def test_stage_counts_leading_reached_steps() -> None:
    score = score_area("x", make_steps(), answers_for(FULL, FULL, LOW, LOW, LOW), THRESHOLD)
    assert score.stage == 2


def test_stage_stops_at_a_gap_even_if_later_steps_are_reached() -> None:
    score = score_area("x", make_steps(), answers_for(FULL, FULL, LOW, FULL, LOW), THRESHOLD)
    assert score.stage == 2
    assert [s.reached for s in score.steps] == [True, True, False, True, False]


def test_stage_stops_at_a_step_without_fulfilment() -> None:
    answers = answers_for(FULL, (None, None, None), FULL, FULL, FULL)
    score = score_area("x", make_steps(), answers, THRESHOLD)
    assert score.stage == 1


def test_all_steps_reached_gives_stage_five_and_index_five() -> None:
    score = score_area("x", make_steps(), answers_for(*[FULL] * 5), THRESHOLD)
    assert (score.stage, score.index) == (5, 5.0)


# --- index ------------------------------------------------------------------


def test_index_adds_fulfilment_of_the_next_step() -> None:
    # Next step: (2 + 1 + 0) / 12 = 0.25
    score = score_area("x", make_steps(), answers_for(FULL, FULL, (2, 1, 0), LOW, LOW), THRESHOLD)
    assert score.index == 2.25


def test_index_at_stage_zero_is_first_step_fulfilment() -> None:
    score = score_area("x", make_steps(), answers_for((2, 2, 2), *[FULL] * 4), THRESHOLD)
    assert (score.stage, score.index) == (0, 0.5)


def test_index_next_step_without_fulfilment_adds_zero() -> None:
    answers = answers_for(FULL, FULL, FULL, (None, None, None), FULL)
    score = score_area("x", make_steps(), answers, THRESHOLD)
    assert (score.stage, score.index) == (3, 3.0)


def test_index_is_rounded_to_two_decimals() -> None:
    # Next step: 8/12 = 0.6666...
    score = score_area("x", make_steps(), answers_for(FULL, (3, 3, 2), LOW, LOW, LOW), THRESHOLD)
    assert score.index == 1.67


def test_index_rounds_half_up() -> None:
    # A team median of 0.5 on a one-item step gives 0.125: 1.125 -> 1.13.
    steps: list[tuple[str, Sequence[str]]] = [("x-1", ["a"]), ("x-2", ["b"])]
    score = score_area("x", steps, {"a": 4, "b": 0.5}, THRESHOLD)
    assert score.index == 1.13


def test_next_step_fulfilment_is_reported_unrounded() -> None:
    score = score_area("x", make_steps(), answers_for(FULL, (3, 3, 2), LOW, LOW, LOW), THRESHOLD)
    assert score.steps[1].fulfilment == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.125, 1.13),
        (1.115, 1.12),
        (2.005, 2.01),
        (0.994, 0.99),
        (4.995, 5.0),
        (-1.125, -1.13),
        # As binary floats these lie just under the half (1.005 * 100 = 100.49999999999999):
        # read as the decimal written they still round up.
        (1.005, 1.01),
        (0.285, 0.29),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value: float, expected: float) -> None:
    assert round_half_up(value) == expected


# --- insufficient -----------------------------------------------------------


def test_area_with_exactly_half_answered_is_sufficient() -> None:
    steps: list[tuple[str, Sequence[str]]] = [("x-1", ["a", "b"]), ("x-2", ["c", "d"])]
    score = score_area("x", steps, {"a": 4, "b": 4}, THRESHOLD)
    assert score.status == "ok"
    assert (score.stage, score.index) == (1, 1.0)


def test_area_with_fewer_than_half_answered_is_insufficient() -> None:
    steps = make_steps(per_step=2)  # 10 items, 4 answered
    score = score_area("x", steps, answers_for(FULL[:2], FULL[:2]), THRESHOLD)
    assert score == AreaScore(
        area="x",
        status="insufficient",
        stage=None,
        index=None,
        steps=score.steps,
        answered=4,
        total=10,
    )


def test_dont_know_does_not_count_as_answered_for_sufficiency() -> None:
    steps: list[tuple[str, Sequence[str]]] = [("x-1", ["a", "b"]), ("x-2", ["c", "d"])]
    score = score_area("x", steps, {"a": 4, "b": None, "c": None}, THRESHOLD)
    assert score.status == "insufficient"
    assert score.answered == 1


def test_insufficient_area_still_reports_step_fulfilment() -> None:
    steps: list[tuple[str, Sequence[str]]] = [("x-1", ["a", "b", "c"]), ("x-2", ["d"])]
    score = score_area("x", steps, {"a": 4}, THRESHOLD)
    assert score.status == "insufficient"
    assert [(s.step, s.fulfilment, s.reached) for s in score.steps] == [
        ("x-1", 1.0, True),
        ("x-2", None, False),
    ]


def test_area_without_items_is_insufficient() -> None:
    score = score_area("x", [("x-1", [])], {}, THRESHOLD)
    assert score.status == "insufficient"


def test_area_reports_answered_and_total_over_all_steps() -> None:
    score = score_area("x", make_steps(), answers_for(FULL, FULL, (1, None)), THRESHOLD)
    assert (score.answered, score.total) == (7, 15)
