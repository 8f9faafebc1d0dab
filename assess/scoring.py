"""Step fulfilment, area stage and maturity index for one set of answers."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Answers = Mapping[str, float | None]
"""Item id -> value 0..4 (halves for team medians); None = "don't know"; missing = unanswered."""

MAX_VALUE = 4


@dataclass(frozen=True)
class StepScore:
    """One step of an area: ``fulfilment`` is the exact mean/4, None when nothing is answered."""

    step: str
    fulfilment: float | None
    reached: bool
    answered: int
    total: int


@dataclass(frozen=True)
class AreaScore:
    """One area: ``stage``/``index`` are None when the area is "insufficient"."""

    area: str
    status: Literal["ok", "insufficient"]
    stage: int | None
    index: float | None
    steps: tuple[StepScore, ...]
    answered: int
    total: int


def round_half_up(value: Fraction | float, places: int = 2) -> float:
    """Round to ``places`` decimals, halves away from zero (Decimal ROUND_HALF_UP), exactly.

    Floats are read through ``str`` so that e.g. 1.125 is treated as the decimal
    the user sees, not as its binary approximation.
    """
    exact = value if isinstance(value, Fraction) else Fraction(str(value))
    scale = 10**places
    # Integer arithmetic on the exact fraction: no float or context rounding can
    # move a value that sits exactly on .xx5.
    scaled = abs(exact) * scale
    rounded = math.floor(scaled + Fraction(1, 2))
    signed = rounded if exact >= 0 else -rounded
    return float(Decimal(signed).scaleb(-places))


def _answered_values(items: Sequence[str], answers: Answers) -> list[Fraction]:
    """Exact values of the items that have a value; None and missing are left out."""
    values: list[Fraction] = []
    for item in items:
        raw = answers.get(item)
        if raw is None:
            continue
        value = Fraction(str(raw))
        if not 0 <= value <= MAX_VALUE:
            raise ValueError(f"answer for {item!r} must be 0..{MAX_VALUE}, got {raw!r}")
        values.append(value)
    return values


def _step_fraction(values: list[Fraction]) -> Fraction | None:
    if not values:
        return None
    return sum(values, Fraction(0)) / (MAX_VALUE * len(values))


def score_step(step_id: str, items: Sequence[str], answers: Answers, threshold: float) -> StepScore:
    """Score one step: reached when the exact fulfilment is >= ``threshold``."""
    values = _answered_values(items, answers)
    exact = _step_fraction(values)
    reached = exact is not None and exact >= Fraction(str(threshold))
    return StepScore(
        step=step_id,
        fulfilment=None if exact is None else float(exact),
        reached=reached,
        answered=len(values),
        total=len(items),
    )


def score_area(
    area_id: str,
    steps: Sequence[tuple[str, Sequence[str]]],
    answers: Answers,
    threshold: float,
) -> AreaScore:
    """Score an area given its steps in order (year 1 first).

    Stage is the number of leading reached steps; the index adds the next
    step's fulfilment. Fewer than half of the items answered -> "insufficient".
    """
    step_scores = tuple(score_step(step_id, items, answers, threshold) for step_id, items in steps)
    answered = sum(s.answered for s in step_scores)
    total = sum(s.total for s in step_scores)
    # An area without items has nothing to base a stage on, so it is
    # insufficient too rather than a confident stage 0.
    if total == 0 or answered * 2 < total:
        return AreaScore(area_id, "insufficient", None, None, step_scores, answered, total)

    stage = 0
    for step_score in step_scores:
        if not step_score.reached:
            break  # a gap stops the stage even if later steps are reached
        stage += 1

    index = Fraction(stage)
    if stage < len(step_scores):
        # Recompute exactly rather than reuse the float fulfilment.
        _, next_items = steps[stage]
        next_fraction = _step_fraction(_answered_values(next_items, answers))
        if next_fraction is not None:
            index += next_fraction
    return AreaScore(area_id, "ok", stage, round_half_up(index), step_scores, answered, total)
