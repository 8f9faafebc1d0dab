"""Ordering areas by spread, anonymity of small groups, and the deadline day."""

from __future__ import annotations

from datetime import date

from assess.answering import AreaProgress, Progress
from assess.round_summary import areas_by_spread, distribution_visible, participation, past_deadline


def test_areas_with_the_largest_spread_come_first_and_none_last():
    spreads = {"a": 0.5, "b": None, "c": 2.0, "d": 0.5, "e": 1.25}
    assert areas_by_spread(spreads, ["a", "b", "c", "d", "e"]) == ["c", "e", "a", "d", "b"]


def test_ties_keep_roadmap_order_and_zero_spread_is_above_no_spread():
    spreads = {"x": None, "y": 0.0, "z": 0.0}
    assert areas_by_spread(spreads, ["x", "z", "y"]) == ["z", "y", "x"]


def test_areas_missing_from_spreads_are_left_out():
    assert areas_by_spread({"b": 1.0}, ["a", "b"]) == ["b"]


def test_named_rounds_always_show_distributions():
    assert distribution_visible(False, 1)
    assert distribution_visible(False, 0)


def test_anonymous_rounds_hide_distributions_below_three_values():
    assert not distribution_visible(True, 0)
    assert not distribution_visible(True, 2)
    assert distribution_visible(True, 3)
    assert distribution_visible(True, 10)


def test_the_deadline_day_itself_is_still_open():
    deadline = date(2026, 3, 31)
    assert not past_deadline(deadline, date(2026, 3, 31))
    assert past_deadline(deadline, date(2026, 4, 1))
    assert not past_deadline(None, date(2099, 1, 1))


def test_participation_counts_each_respondent_once():
    def person(answered: int, total: int = 4) -> Progress:
        return Progress((AreaProgress("a", answered, total),))

    counts = participation([person(4), person(2), person(0), person(0)])
    assert counts == {"joined": 4, "complete": 1, "started": 1, "not_started": 2}
    assert participation([]) == {"joined": 0, "complete": 0, "started": 0, "not_started": 0}
