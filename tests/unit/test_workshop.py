"""The workshop's pure logic: splitting long steps, tallies, bar heights."""

from __future__ import annotations

from assess import workshop


def test_long_steps_split_evenly_into_the_fewest_parts():
    items = [f"i{n}" for n in range(18)]
    parts = workshop._chunks(items)
    assert [len(p) for p in parts] == [6, 6, 6]
    assert [i for p in parts for i in p] == items
    assert [len(p) for p in workshop._chunks(items[:8])] == [4, 4]
    assert [len(p) for p in workshop._chunks(items[:7])] == [7]
    assert [len(p) for p in workshop._chunks(items[:9])] == [5, 4]


def test_clamp_position_keeps_the_end_slide_reachable():
    assert workshop.clamp_position(-3, 8) == 0
    assert workshop.clamp_position(8, 8) == 8
    assert workshop.clamp_position(42, 8) == 8


def test_tally_counts_answers_and_hides_values_until_revealed():
    responses = [{"a": 1, "b": None}, {"a": 3}, {"a": 4, "b": 2}, {"c": 0}]
    hidden = workshop.tally(["a", "b"], responses, revealed=False, anonymous=False)
    assert [(t.item, t.answered, t.value, t.distribution) for t in hidden] == [
        ("a", 3, None, None),
        ("b", 2, None, None),
    ]
    shown = workshop.tally(["a", "b"], responses, revealed=True, anonymous=False)
    assert shown[0].value == 3.0 and shown[0].distribution == {0: 0, 1: 1, 2: 0, 3: 1, 4: 1}
    assert shown[1].value == 2.0 and shown[1].dont_know == 1
    # Anonymous rounds show a distribution only from three answered values.
    anonymous = workshop.tally(["a", "b"], responses, revealed=True, anonymous=True)
    assert anonymous[0].distribution is not None and anonymous[1].distribution is None
    json_hidden = workshop.tally_json(hidden, revealed=False)
    assert json_hidden == [{"id": "a", "answered": 3}, {"id": "b", "answered": 2}]
    json_shown = workshop.tally_json(shown, revealed=True)
    assert json_shown[0]["distribution"] == {"0": 0, "1": 1, "2": 0, "3": 1, "4": 1}


def test_bar_heights_are_relative_to_the_tallest_bar():
    assert workshop.bar_heights({0: 0, 1: 2, 2: 4, 3: 1, 4: 0}, 1) == {
        "0": 0,
        "1": 50,
        "2": 100,
        "3": 25,
        "4": 0,
        "dk": 25,
    }
    assert workshop.bar_heights({0: 0, 1: 0, 2: 0, 3: 0, 4: 0}, 0)["2"] == 0
    assert workshop.bar_heights({"0": 3, "1": 0, "2": 0, "3": 0, "4": 0}, 0)["0"] == 100


def test_long_statements_split_a_slide_by_their_lines():
    items = [f"i{n}" for n in range(6)]
    short = [workshop.item_lines(40)] * 6  # two lines each (a revealed row's bars)
    assert [len(p) for p in workshop._chunks(items, short)] == [6]
    long = [workshop.item_lines(200)] * 6  # four lines each: 6 x 4.15 > SLIDE_LINES
    parts = workshop._chunks(items, long)
    assert len(parts) == 2 and [i for p in parts for i in p] == items
    assert all(sum(long[: len(p)]) <= workshop.SLIDE_LINES for p in parts)
    # An area's last slide keeps room for the agreement form: its last part is lighter.
    parts = workshop._chunks(items, short, workshop.SLIDE_LINES, workshop.AGREE_LINES)
    assert sum(short[: len(parts[-1])]) <= workshop.AGREE_LINES and len(parts) == 2
    # A statement too long for any slide still gets one of its own.
    assert workshop._chunks(["a", "b"], [40.0, 1.0]) == [("a",), ("b",)]
