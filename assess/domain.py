"""The domain's ranges and their checks, in one place (pure: no Flask, no SQL).

The answer scale, the roadmap's stages, the years the tool accepts and the quarters of a
plan schedule are used by forms, imports, the command line and the pure rules alike; each
is written here once, with the checks that go with it.
"""

from __future__ import annotations

from .scoring import MAX_VALUE

# An answer: how fully a statement holds, 0 (not at all) to 4 (fully); None is "don't know".
# The top of the scale is part of the scoring rule (scoring.MAX_VALUE, under RULE_VERSION).
ANSWER_VALUES: tuple[int, ...] = tuple(range(MAX_VALUE + 1))
# A stage on the roadmap: 0 (no step fulfilled) to 5 (all five yearly steps).
MAX_STAGE = 5
STAGES: tuple[int, ...] = tuple(range(MAX_STAGE + 1))
# The years an assessment, a metric value, a plan entry or an imported row may carry.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A plan entry is scheduled for a whole year, or for one of its quarters.
QUARTERS: tuple[int, ...] = (1, 2, 3, 4)


def is_answer_value(value: object) -> bool:
    """A stored answer value: an int on the scale (not a bool, not a float)."""
    return type(value) is int and value in ANSWER_VALUES


def is_year(value: object) -> bool:
    return type(value) is int and FIRST_YEAR <= value <= LAST_YEAR


def year_from_text(text: str | None) -> int | None:
    """The year typed in a form ("2025"), or None when it is not a year the tool accepts.
    Only ASCII digits: int() would also take "２０２５" or "²⁰²⁵"."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    year = int(text)
    return year if is_year(year) else None


def reason_missing(agreed_stage: int | None, computed_stage: int | None, reason: str) -> bool:
    """An agreed stage other than the computed one needs a short reason: the next reader of
    the result must see why the team overrode the answers. An area without a computed stage
    (too few answers) has nothing to differ from."""
    differs = agreed_stage is not None and computed_stage is not None and agreed_stage != computed_stage
    return differs and not reason.strip()
