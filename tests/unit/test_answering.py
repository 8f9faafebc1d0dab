"""Form codes, change detection and progress of area pages (pure logic)."""

from __future__ import annotations

import pytest

from assess import answering


def test_codes_round_trip():
    for value in (0, 1, 2, 3, 4, None, "unanswered"):
        assert answering.decode_base(answering.encode(value)) == value
    assert answering.decode_value("clear") == "clear"


@pytest.mark.parametrize("code", ["5", "-1", "2.5", "x", "", " 3"])
def test_values_off_the_scale_are_refused(code):
    with pytest.raises(ValueError):
        answering.decode_value(code)


def test_clear_is_not_a_base():
    with pytest.raises(ValueError):
        answering.decode_base("clear")


def test_only_changed_items_count_as_changes():
    posted = {"a": "3", "b": "2", "c": None, "d": "clear", "e": "clear", "f": "dk"}
    base = {"a": "", "b": "2", "c": "", "d": "", "e": "4", "f": "1"}
    changed, bases = answering.changes(posted, base)
    assert changed == {"a": 3, "e": "clear", "f": None}
    assert bases == {"a": "unanswered", "b": 2, "c": "unanswered", "d": "unanswered", "e": 4, "f": 1}


def test_progress_counts_dont_know_as_answered():
    area_items = [("x", [("x-1", ["x1", "x2"]), ("x-2", ["x3"])]), ("y", [("y-1", ["y1"])])]
    progress = answering.progress(area_items, {"x1": None, "x3": 2, "y1": 4})
    assert (progress.answered, progress.total, progress.areas_complete) == (3, 4, 1)
    assert progress.area("x").answered == 2 and not progress.area("x").complete
    assert progress.area("y").complete
    assert progress.first_incomplete() == "x"
    assert answering.progress(area_items, {}).first_incomplete() == "x"
    assert not answering.progress(area_items, {}).area("y").started
