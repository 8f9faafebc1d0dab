"""Answering an area page: form value codes, what the user changed, and progress.

Pure logic over plain data. A radio group posts a code: "0".."4", "dk" ("don't know") or
"clear" (back to unanswered); its hidden base field carries what the page showed: the same
codes, with "" for unanswered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .domain import ANSWER_VALUES

DONT_KNOW = "dk"
CLEAR: Literal["clear"] = "clear"
UNANSWERED_CODE = ""
VALUE_CODES = (*(str(v) for v in ANSWER_VALUES), DONT_KNOW)

Stored = int | None | Literal["unanswered"]
Change = int | None | Literal["clear"]


def encode(value: Stored) -> str:
    """The form code for a stored value (or "unanswered")."""
    if value == "unanswered":
        return UNANSWERED_CODE
    if value is None:
        return DONT_KNOW
    return str(value)


def decode_value(code: str) -> Change:
    """A posted answer code as a value; ValueError when it is not on the scale."""
    if code == CLEAR:
        return CLEAR
    if code == DONT_KNOW:
        return None
    if code in VALUE_CODES:
        return int(code)
    raise ValueError(code)


def decode_base(code: str) -> Stored:
    """A posted base code as what the page showed; ValueError when malformed."""
    if code == UNANSWERED_CODE:
        return "unanswered"
    value = decode_value(code)
    if isinstance(value, str):  # CLEAR: a base is never "clear"
        raise ValueError(code)
    return value


def changes(
    posted: Mapping[str, str | None], base: Mapping[str, str]
) -> tuple[dict[str, Change], dict[str, Stored]]:
    """The items the user changed, and the base of every item, from validated form codes.

    ``posted``: item -> the chosen code, None when no radio of the group was chosen (the page
    showed it unanswered and the user left it so). Choosing "clear" on an unanswered item, or
    the value the page already showed, is no change.
    """
    changed: dict[str, Change] = {}
    bases = {item: decode_base(code) for item, code in base.items()}
    for item, code in posted.items():
        if code is None or code == base.get(item, UNANSWERED_CODE):
            continue
        if code == CLEAR and base.get(item, UNANSWERED_CODE) == UNANSWERED_CODE:
            continue
        changed[item] = decode_value(code)
    return changed, bases


@dataclass(frozen=True)
class AreaProgress:
    area: str
    answered: int  # items with an answer, "don't know" included
    total: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.total

    @property
    def started(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class Progress:
    areas: tuple[AreaProgress, ...]

    @property
    def answered(self) -> int:
        return sum(a.answered for a in self.areas)

    @property
    def total(self) -> int:
        return sum(a.total for a in self.areas)

    @property
    def complete(self) -> bool:
        """Has every item been answered ("don't know" counts as an answer)?"""
        return self.answered == self.total

    @property
    def areas_complete(self) -> int:
        return sum(1 for a in self.areas if a.complete)

    def area(self, area_id: str) -> AreaProgress:
        return next(a for a in self.areas if a.area == area_id)

    def first_incomplete(self) -> str | None:
        return next((a.area for a in self.areas if not a.complete), None)


def progress(
    area_items: Sequence[tuple[str, Sequence[tuple[str, Sequence[str]]]]], answers: Mapping[str, int | None]
) -> Progress:
    """Answered / total per area, from Content.area_items(questionnaire) and one set of answers."""
    result = []
    for area, steps in area_items:
        items = [i for _step, ids in steps for i in ids]
        result.append(AreaProgress(area, sum(1 for i in items if i in answers), len(items)))
    return Progress(tuple(result))
