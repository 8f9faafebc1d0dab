"""The scoring and team rules against values worked out by hand (README, "The scoring rule"),
each boundary on both sides. Nothing here is computed with the code under test.

The area used: five steps s1..s5 of two items each (a, b); threshold 0.75, so a step is
reached from a mean of 3 out of 4.
"""

from __future__ import annotations

import pytest

from assess.scoring import score_area
from assess.team import aggregate, aggregate_item, area_spread, discuss_items, team_answers

STEPS = [(f"s{n}", (f"s{n}a", f"s{n}b")) for n in range(1, 6)]


def answers(*pairs) -> dict:
    """Answers for s1..s5 from (a, b) pairs; "-" leaves an item unanswered, None is don't know."""
    result = {}
    for n, pair in enumerate(pairs, start=1):
        for item, value in zip(("a", "b"), pair, strict=True):
            if value != "-":
                result[f"s{n}{item}"] = value
    return result


# (what it shows, answers, status, stage, index)
CASES = [
    ("everything fully", answers((4, 4), (4, 4), (4, 4), (4, 4), (4, 4)), "ok", 5, 5.00),
    ("nothing at all", answers((0, 0), (0, 0), (0, 0), (0, 0), (0, 0)), "ok", 0, 0.00),
    # 3 and 3 = 6/8 = 0.75: exactly the threshold reaches the step.
    ("step 1 exactly at the threshold", answers((3, 3), (0, 0), (0, 0), (0, 0), (0, 0)), "ok", 1, 1.00),
    # 3 and 2 = 5/8 = 0.625: just under; the index is 0 + 0.625 = 0.63 (half up).
    ("step 1 just under the threshold", answers((3, 2), (4, 4), (4, 4), (4, 4), (4, 4)), "ok", 0, 0.63),
    # s1 reached, s2 = (2+3)/8 = 0.625 -> 1.625 -> 1.63 (half up, not banker's 1.62).
    ("index rounds half up", answers((4, 4), (2, 3), (4, 4), (0, 0), (0, 0)), "ok", 1, 1.63),
    # A gap stops the stage even though s3..s5 are reached: stage 1, index 1 + 1/8.
    ("a gap stops the stage", answers((4, 3), (1, 0), (4, 4), (4, 4), (4, 4)), "ok", 1, 1.13),
    # Team medians in halves: (3.5 + 2.5)/8 = 0.75 reached; (3 + 2.5)/8 = 0.6875 not.
    ("team halves on the threshold", answers((3.5, 2.5), (3, 2.5), (0, 0), (0, 0), (0, 0)), "ok", 1, 1.69),
    # Don't know is left out of the mean: s1 = 3/4 from one answered item.
    ("don't know left out of the mean", answers((3, None), (0, 0), (0, 0), (0, 0), (0, 0)), "ok", 1, 1.00),
    # s2 all don't know: no fulfilment, not reached, adds nothing to the index.
    ("a step of only don't know", answers((4, 4), (None, None), (4, 4), (4, 4), (4, 4)), "ok", 1, 1.00),
    # Exactly half of the ten items answered (5): enough.
    ("exactly half answered", answers((4, 4), (4, 4), (4, "-"), ("-", "-"), ("-", "-")), "ok", 3, 3.00),
    # Four of ten: fewer than half, insufficient.
    (
        "under half answered",
        answers((4, 4), (4, 4), ("-", "-"), ("-", "-"), ("-", "-")),
        "insufficient",
        None,
        None,
    ),
    # Don't know gives no value, so it does not make the area's answers enough: 2 values of 10.
    (
        "don't know is not enough",
        answers((4, 4), (None, None), (None, "-"), ("-", "-"), ("-", "-")),
        "insufficient",
        None,
        None,
    ),
    # ... while five values of ten are, whatever the rest says.
    (
        "five values and don't knows",
        answers((4, 4), (4, None), (4, 4), (None, None), (None, None)),
        "ok",
        3,
        3.00,
    ),
]


@pytest.mark.parametrize(
    ("label", "given", "status", "stage", "index"), CASES, ids=[case[0] for case in CASES]
)
def test_area_stage_and_index_by_hand(label, given, status, stage, index):
    result = score_area("area", STEPS, given, 0.75)
    assert (result.status, result.stage, result.index) == (status, stage, index)


# (answers of the respondents for one item, value, answered, don't know, unanswered, span, discuss)
# "-" = the respondent left the item unanswered.
ITEM_CASES = [
    ([0, 2], 1.0, 2, 0, 0, 2, True),  # span exactly 2: worth discussing
    ([1, 2], 1.5, 2, 0, 0, 1, False),  # span 1: not
    ([0, 4, 4], 4.0, 3, 0, 0, 4, True),  # odd count: the middle value
    ([1, 1, 3, 4], 2.0, 4, 0, 0, 3, True),  # even count: mean of the two middle ones
    ([4], 4.0, 1, 0, 0, None, False),  # one value: no span
    ([None, None], None, 0, 2, 0, None, False),  # only don't know: no value
    (["-", "-"], None, 0, 0, 2, None, False),  # nobody answered
    ([0, 4, None, "-"], 2.0, 2, 1, 1, 4, True),
]


@pytest.mark.parametrize(
    ("given", "value", "answered", "dont_know", "unanswered", "span", "discuss"), ITEM_CASES
)
def test_team_value_of_an_item_by_hand(given, value, answered, dont_know, unanswered, span, discuss):
    responses = [{} if v == "-" else {"x": v} for v in given]
    agg = aggregate_item("x", responses)
    assert (agg.value, agg.answered, agg.dont_know, agg.unanswered, agg.span, agg.discuss) == (
        value,
        answered,
        dont_know,
        unanswered,
        span,
        discuss,
    )


def test_team_answers_keep_dont_know_and_leave_out_the_unanswered():
    responses = [{"known": 3, "dk": None}, {"known": 2, "dk": None}]
    result = team_answers(aggregate(["known", "dk", "nobody"], responses))
    assert result == {"known": 2.5, "dk": None}


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([2, 1], 1.5),
        ([1, 1, 2], 1.33),  # 4/3
        ([2, 1, 2], 1.67),  # 5/3, half up
        ([], None),
    ],
)
def test_area_spread_by_hand(spans, expected):
    # Each item i gets two answers 0 and spans[i], so its span is spans[i].
    items = [f"i{n}" for n in range(len(spans))]
    responses = [{item: 0 for item in items}, {item: s for item, s in zip(items, spans, strict=True)}]
    aggs = aggregate(items, responses)
    assert area_spread(aggs, items + ["missing"]) == expected


def test_discuss_items_in_questionnaire_order():
    responses = [{"a": 0, "b": 1, "c": 4}, {"a": 2, "b": 2, "c": 1}]
    aggs = aggregate(["c", "b", "a"], responses)
    assert discuss_items(aggs, ["a", "b", "c"]) == ["a", "c"]


def test_an_area_result_names_its_area_and_counts_its_values():
    given = answers((4, 4), (2, None), (4, 3), ("-", "-"), ("-", "-"))
    result = score_area("strategia", STEPS, given, 0.75)
    # Five items carry a value (the don't know and the unanswered do not), of ten.
    assert (result.area, result.status, result.answered, result.total) == ("strategia", "ok", 5, 10)


@pytest.mark.parametrize("bad", [5, -1, 4.5])
def test_an_impossible_answer_is_refused_naming_the_item_and_the_value(bad):
    with pytest.raises(ValueError, match=rf"'s1a'.*{bad}"):
        score_area("a", STEPS, {"s1a": bad}, 0.75) if bad != 4.5 else aggregate_item("s1a", [{"s1a": bad}])
