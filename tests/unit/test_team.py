"""Tests for aggregating several respondents into team values."""

from __future__ import annotations

import pytest

from assess.scoring import Answers
from assess.team import (
    ItemAggregate,
    aggregate,
    aggregate_item,
    area_spread,
    discuss_items,
    team_answers,
)

ITEM = "x-1-g1"


def responses(*values: float | None | str) -> list[Answers]:
    """One response per value for ITEM; a string (e.g. "-") means not answered."""
    result: list[Answers] = []
    for value in values:
        result.append({} if isinstance(value, str) else {ITEM: value})
    return result


@pytest.mark.parametrize(
    ("values", "median"),
    [
        ((3,), 3.0),
        ((4, 1, 3), 3.0),
        ((0, 4, 2, 1, 3), 2.0),
        ((2, 3), 2.5),
        ((4, 0, 1, 3), 2.0),
        ((1, 2, 3, 4), 2.5),
    ],
)
def test_team_value_is_median_of_answered_values(values: tuple[int, ...], median: float) -> None:
    agg = aggregate_item(ITEM, responses(*values))
    assert agg.value == median
    assert isinstance(agg.value, float)


def test_dont_know_and_unanswered_are_left_out_of_the_median() -> None:
    agg = aggregate_item(ITEM, responses(1, None, 2, "-", None))
    assert agg.value == 1.5
    assert (agg.answered, agg.dont_know, agg.unanswered) == (2, 2, 1)


def test_nobody_answered_gives_no_value() -> None:
    agg = aggregate_item(ITEM, responses(None, "-"))
    assert agg == ItemAggregate(
        item=ITEM,
        value=None,
        answered=0,
        dont_know=1,
        unanswered=1,
        distribution={0: 0, 1: 0, 2: 0, 3: 0, 4: 0},
        span=None,
        discuss=False,
    )


def test_no_respondents_gives_no_value() -> None:
    agg = aggregate_item(ITEM, [])
    assert (agg.value, agg.answered, agg.unanswered) == (None, 0, 0)


def test_distribution_counts_every_scale_point() -> None:
    agg = aggregate_item(ITEM, responses(4, 4, 0, 2, None))
    assert agg.distribution == {0: 1, 1: 0, 2: 1, 3: 0, 4: 2}


def test_span_needs_two_answered_values() -> None:
    assert aggregate_item(ITEM, responses(3, None)).span is None
    assert aggregate_item(ITEM, responses(3, 3)).span == 0


@pytest.mark.parametrize(
    ("values", "span", "discuss"),
    [((2, 3), 1, False), ((2, 4), 2, True), ((0, 4, 2), 4, True), ((4,), None, False)],
)
def test_discuss_when_answers_span_two_or_more_points(
    values: tuple[int, ...], span: int | None, discuss: bool
) -> None:
    agg = aggregate_item(ITEM, responses(*values))
    assert (agg.span, agg.discuss) == (span, discuss)


@pytest.mark.parametrize("bad", [2.5, -1, 5])
def test_respondent_values_must_be_whole_scale_points(bad: float) -> None:
    with pytest.raises(ValueError):
        aggregate_item(ITEM, responses(bad))


def test_aggregate_keeps_items_order() -> None:
    result = aggregate(["x-2-g1", "x-1-g1", "x-1-g2"], [{"x-1-g1": 1, "x-2-g1": 2}])
    assert list(result) == ["x-2-g1", "x-1-g1", "x-1-g2"]
    assert result["x-2-g1"].value == 2.0


def test_team_answers_keep_values_and_dont_know_and_drop_unanswered() -> None:
    people: list[Answers] = [
        {"a": 2, "b": None},
        {"a": 3, "b": None},
        {"a": None},
    ]
    result = team_answers(aggregate(["a", "b", "c"], people))
    assert result == {"a": 2.5, "b": None}
    assert "c" not in result


def test_team_answers_prefer_a_value_over_dont_know() -> None:
    result = team_answers(aggregate(["a"], [{"a": None}, {"a": None}, {"a": 1}]))
    assert result == {"a": 1.0}


def test_area_spread_is_mean_span_over_items_with_two_answers() -> None:
    aggs = aggregate(
        ["a", "b", "c", "d"],
        [{"a": 0, "b": 2, "c": 1}, {"a": 4, "b": 3}, {"a": 2, "b": 2, "d": None}],
    )
    # a: span 4, b: span 1, c: one answer, d: none -> (4 + 1) / 2
    assert area_spread(aggs, ["a", "b", "c", "d"]) == 2.5


def test_area_spread_only_counts_the_given_items() -> None:
    aggs = aggregate(["a", "b"], [{"a": 0, "b": 2}, {"a": 4, "b": 3}])
    assert area_spread(aggs, ["b"]) == 1.0


def test_area_spread_rounds_half_up_to_two_decimals() -> None:
    items = [f"i{n}" for n in range(8)]
    # Spans 1 + 0*7 over 8 items = 0.125 -> 0.13
    aggs = aggregate(items, [dict.fromkeys(items, 2), {**dict.fromkeys(items, 2), "i0": 3}])
    assert area_spread(aggs, items) == 0.13


def test_area_spread_is_none_without_items_with_two_answers() -> None:
    aggs = aggregate(["a", "b"], [{"a": 1, "b": None}, {"b": None}])
    assert area_spread(aggs, ["a", "b"]) is None
    assert area_spread(aggs, []) is None


def test_discuss_items_follow_the_given_order() -> None:
    aggs = aggregate(["a", "b", "c"], [{"a": 0, "b": 1, "c": 4}, {"a": 4, "b": 2, "c": 1}])
    assert discuss_items(aggs, ["c", "b", "a"]) == ["c", "a"]
