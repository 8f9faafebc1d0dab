"""Aggregating several respondents' answers into team values per item."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from assess.scoring import MAX_VALUE, Answers, round_half_up

DISCUSS_SPAN = 2
"""Answers this many scale points apart or more are worth talking through."""


@dataclass(frozen=True)
class ItemAggregate:
    """Team view of one item.

    ``value`` is the median of the answered values, always a float (2.0, 2.5),
    None when nobody gave a value. ``distribution`` has all keys 0..4.
    ``span`` is max - min, None with fewer than two answered values.
    """

    item: str
    value: float | None
    answered: int
    dont_know: int
    unanswered: int
    distribution: dict[int, int]
    span: int | None
    discuss: bool


def _as_scale_value(item: str, raw: float) -> int:
    """A single respondent's value must be a whole scale point 0..4."""
    if raw != int(raw) or not 0 <= raw <= MAX_VALUE:
        raise ValueError(f"answer for {item!r} must be a whole number 0..{MAX_VALUE}, got {raw!r}")
    return int(raw)


def _median(values: Sequence[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    # The sum of two ints halved is a whole or .5 number, exact as a float.
    return (ordered[middle - 1] + ordered[middle]) / 2


def aggregate_item(item: str, responses: Sequence[Answers]) -> ItemAggregate:
    """Aggregate one item over all respondents."""
    values: list[int] = []
    dont_know = 0
    unanswered = 0
    for response in responses:
        if item not in response:
            unanswered += 1
        elif (raw := response[item]) is None:
            dont_know += 1
        else:
            values.append(_as_scale_value(item, raw))

    distribution = {point: 0 for point in range(MAX_VALUE + 1)}
    for value in values:
        distribution[value] += 1
    span = max(values) - min(values) if len(values) >= 2 else None
    return ItemAggregate(
        item=item,
        value=_median(values) if values else None,
        answered=len(values),
        dont_know=dont_know,
        unanswered=unanswered,
        distribution=distribution,
        span=span,
        discuss=span is not None and span >= DISCUSS_SPAN,
    )


def aggregate(items: Sequence[str], responses: Sequence[Answers]) -> dict[str, ItemAggregate]:
    """Aggregate every item; the dict keeps the order of ``items``."""
    return {item: aggregate_item(item, responses) for item in items}


def team_answers(aggregates: Mapping[str, ItemAggregate]) -> dict[str, float | None]:
    """Team answers in the shape scoring expects.

    An item with a median maps to it; an item with only don't-know answers maps
    to None; an item nobody answered is left out (unanswered).
    """
    result: dict[str, float | None] = {}
    for item, agg in aggregates.items():
        if agg.value is not None:
            result[item] = agg.value
        elif agg.dont_know:
            result[item] = None
    return result


def area_spread(aggregates: Mapping[str, ItemAggregate], items: Sequence[str]) -> float | None:
    """Mean span over the area's items that have at least two answered values.

    Rounded to two decimals half-up; None when no item qualifies. Items missing
    from ``aggregates`` are skipped.
    """
    spans = [agg.span for item in items if (agg := aggregates.get(item)) is not None and agg.span is not None]
    if not spans:
        return None
    return round_half_up(Fraction(sum(spans), len(spans)))


def discuss_items(aggregates: Mapping[str, ItemAggregate], items: Sequence[str]) -> list[str]:
    """Items flagged for discussion, in the order of ``items``."""
    return [item for item in items if (agg := aggregates.get(item)) is not None and agg.discuss]
