"""Next actions for an area: what to work on to reach (or keep) the next step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assess.scoring import MAX_VALUE, Answers, AreaScore

IMPROVE_BELOW = 3
"""Items under "mostly true" hold back a step that is not reached yet."""


@dataclass(frozen=True)
class NextAction:
    """One suggested item; ``value`` is None for "find_out" (don't know / unanswered)."""

    item: str
    value: float | None
    kind: Literal["improve", "find_out", "keep_up"]


def next_step_index(score: AreaScore) -> int | None:
    """0-based index of the step the actions come from.

    The first unreached step (index == stage) or the last step when all are
    reached; None for an insufficient area.
    """
    if score.status == "insufficient" or score.stage is None or not score.steps:
        return None
    return min(score.stage, len(score.steps) - 1)


def _weakest_first(items: Sequence[str], answers: Answers, below: float) -> list[tuple[str, float]]:
    answered = [(item, value) for item in items if (value := answers.get(item)) is not None and value < below]
    # sorted() is stable, so equal values keep questionnaire order.
    return sorted(answered, key=lambda pair: pair[1])


def next_actions(
    score: AreaScore, steps: Sequence[tuple[str, Sequence[str]]], answers: Answers
) -> list[NextAction]:
    """Actions for the area's next step.

    Before the last stage: the next step's items below 3, weakest first
    ("improve"), then its don't-know and unanswered items ("find_out"). With
    every step reached: the last step's items below 4, weakest first ("keep_up").
    """
    index = next_step_index(score)
    if index is None:
        return []
    if len(steps) != len(score.steps) or steps[index][0] != score.steps[index].step:
        raise ValueError("steps do not match the scored area")
    _, items = steps[index]

    if score.stage == len(score.steps):
        return [
            NextAction(item, value, "keep_up") for item, value in _weakest_first(items, answers, MAX_VALUE)
        ]
    improve = [
        NextAction(item, value, "improve") for item, value in _weakest_first(items, answers, IMPROVE_BELOW)
    ]
    find_out = [NextAction(item, None, "find_out") for item in items if answers.get(item) is None]
    return improve + find_out
