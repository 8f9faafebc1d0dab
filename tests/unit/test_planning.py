"""Tests for choosing next actions from an area's score."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assess.next_actions import NextAction, next_actions, next_step_index
from assess.scoring import Answers, score_area

THRESHOLD = 0.75

STEPS: list[tuple[str, Sequence[str]]] = [
    (f"x-{n}", [f"x-{n}-g{i}" for i in range(1, 6)]) for n in range(1, 6)
]


def step_answers(step: int, *values: float | None) -> dict[str, float | None]:
    """One step's answers in questionnaire order; items past the given values stay unanswered."""
    return {f"x-{step}-g{i}": v for i, v in enumerate(values, start=1)}


def all_full(*steps: int) -> dict[str, float | None]:
    result: dict[str, float | None] = {}
    for step in steps:
        result.update(step_answers(step, 4, 4, 4, 4, 4))
    return result


def plan(answers: Answers) -> list[NextAction]:
    return next_actions(score_area("x", STEPS, answers, THRESHOLD), STEPS, answers)


def test_actions_come_from_the_first_unreached_step() -> None:
    answers = {**all_full(1, 3, 4, 5), **step_answers(2, 4, 4, 3, 1, 2)}
    score = score_area("x", STEPS, answers, THRESHOLD)
    assert score.stage == 1
    assert next_step_index(score) == 1
    assert [a.item for a in next_actions(score, STEPS, answers)] == ["x-2-g4", "x-2-g5"]


def test_improve_items_below_three_weakest_first_ties_in_questionnaire_order() -> None:
    answers = {**all_full(1, 3, 4, 5), **step_answers(2, 2, 3, 0, 2, 1)}
    assert plan(answers) == [
        NextAction("x-2-g3", 0, "improve"),
        NextAction("x-2-g5", 1, "improve"),
        NextAction("x-2-g1", 2, "improve"),
        NextAction("x-2-g4", 2, "improve"),
    ]


def test_improve_treats_team_halves_by_value() -> None:
    answers = {**all_full(1, 3, 4, 5), **step_answers(2, 2.5, 3, 2, 3, 4)}
    assert plan(answers) == [
        NextAction("x-2-g3", 2, "improve"),
        NextAction("x-2-g1", 2.5, "improve"),
    ]


def test_find_out_follows_improve_in_questionnaire_order() -> None:
    answers = {**all_full(1, 3, 4, 5), **step_answers(2, None, 1, 3)}
    # x-2-g1 don't know, x-2-g4 and x-2-g5 unanswered
    assert plan(answers) == [
        NextAction("x-2-g2", 1, "improve"),
        NextAction("x-2-g1", None, "find_out"),
        NextAction("x-2-g4", None, "find_out"),
        NextAction("x-2-g5", None, "find_out"),
    ]


def test_stage_zero_takes_actions_from_the_first_step() -> None:
    answers = {**all_full(2, 3, 4, 5), **step_answers(1, 1, 4, 4, 2, 3)}
    score = score_area("x", STEPS, answers, THRESHOLD)
    assert (score.stage, next_step_index(score)) == (0, 0)
    assert next_actions(score, STEPS, answers) == [
        NextAction("x-1-g1", 1, "improve"),
        NextAction("x-1-g4", 2, "improve"),
    ]


def test_stage_five_keeps_up_items_below_four_weakest_first() -> None:
    answers = {**all_full(1, 2, 3, 4), **step_answers(5, 3, 4, 2, 3, 4)}
    score = score_area("x", STEPS, answers, THRESHOLD)
    assert score.stage == 5
    assert next_step_index(score) == 4
    assert next_actions(score, STEPS, answers) == [
        NextAction("x-5-g3", 2, "keep_up"),
        NextAction("x-5-g1", 3, "keep_up"),
        NextAction("x-5-g4", 3, "keep_up"),
    ]


def test_stage_five_with_all_fours_has_no_actions() -> None:
    assert plan(all_full(1, 2, 3, 4, 5)) == []


def test_stage_five_does_not_ask_to_find_out() -> None:
    answers = {**all_full(1, 2, 3, 4), **step_answers(5, 4, 4, 4, None)}
    assert plan(answers) == []


def test_insufficient_area_has_no_actions() -> None:
    answers = step_answers(1, 0, 0, 0, 0, 0)
    score = score_area("x", STEPS, answers, THRESHOLD)
    assert score.status == "insufficient"
    assert next_step_index(score) is None
    assert next_actions(score, STEPS, answers) == []


def test_steps_that_do_not_match_the_score_are_rejected() -> None:
    answers = all_full(1, 2, 3)
    score = score_area("x", STEPS, answers, THRESHOLD)
    with pytest.raises(ValueError, match=r"^steps do not match the scored area$"):
        next_actions(score, STEPS[:4], answers)
