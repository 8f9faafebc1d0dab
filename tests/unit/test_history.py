"""Tests for the pure history module: series, changes, moved items, versions, plan in between."""

from __future__ import annotations

import pytest

from assess.history import (
    AreaYear,
    YearResult,
    area_changes,
    area_series,
    by_year,
    compare,
    counting_per_year,
    item_moves,
    moved_most,
    plan_done_between,
    version_changes,
    year_result,
)

AREAS = ["strategia", "tieto-ja-data"]
ITEM_AREA = {
    "strategia-1-g1": "strategia",
    "strategia-1-a1": "strategia",
    "strategia-1-a2": "strategia",
    "tieto-ja-data-1-g1": "tieto-ja-data",
    "tieto-ja-data-1-a9": "tieto-ja-data",
}
STEP_AREA = {"strategia-1": "strategia", "strategia-2": "strategia", "tieto-ja-data-1": "tieto-ja-data"}


def year(y, *, areas=None, items=None, asked=None, version="v1", closed=None, aid=None):
    items = items or {}
    return YearResult(
        year=y,
        assessment_id=aid or y,
        content_version=version,
        areas=areas or {},
        items=items,
        asked=frozenset(asked if asked is not None else items),
        closed_at=closed,
    )


def test_series_orders_years_and_adds_path_position_and_targets():
    r2024 = year(2024, areas={"strategia": AreaYear(1, 1.5), "tieto-ja-data": AreaYear(0, 0.4)})
    r2023 = year(2023, areas={"strategia": AreaYear(0, 0.8)})
    series = area_series([r2024, r2023], AREAS, start_year=2023, targets={2024: {"strategia": 2}})
    points = series["strategia"]
    assert [p.year for p in points] == [2023, 2024]
    assert [p.expected for p in points] == [1, 2]
    assert [p.position for p in points] == ["behind", "behind"]
    assert [p.target for p in points] == [None, 2]
    # An area missing from a year's result is a gap, not a zero.
    assert series["tieto-ja-data"][0].stage is None
    assert series["tieto-ja-data"][0].position is None


def test_agreed_stage_decides_the_path_position():
    r = year(2024, areas={"strategia": AreaYear(1, 1.9, agreed=3)})
    point = area_series([r], AREAS, start_year=2023)["strategia"][0]
    assert point.expected == 2
    assert point.position == "ahead"  # agreed 3 > expected 2, although computed 1 is behind
    assert point.stage == 1 and point.agreed == 3


def test_series_without_start_year_has_no_position():
    r = year(2024, areas={"strategia": AreaYear(2, 2.0)})
    point = area_series([r], AREAS)["strategia"][0]
    assert point.expected is None and point.position is None


def test_two_results_for_one_year_is_an_error():
    with pytest.raises(ValueError):
        by_year([year(2024), year(2024, aid=99)])


def test_area_changes_give_stage_from_to_index_delta_and_positions():
    before = year(2023, areas={"strategia": AreaYear(1, 1.1), "tieto-ja-data": AreaYear(None, None)})
    after = year(2025, areas={"strategia": AreaYear(2, 2.35, agreed=3), "tieto-ja-data": AreaYear(1, 1.0)})
    changes = {c.area: c for c in area_changes(before, after, AREAS, start_year=2023)}
    s = changes["strategia"]
    assert (s.stage_from, s.stage_to, s.agreed_to) == (1, 2, 3)
    assert s.index_delta == 1.25  # exact, not 1.2500000000000002
    assert (s.expected_from, s.expected_to) == (1, 3)
    assert (s.position_from, s.position_to) == ("on_track", "on_track")
    assert s.stage_delta == 2  # agreed 3 counts against 1
    t = changes["tieto-ja-data"]
    assert t.index_delta is None and t.stage_delta is None
    assert t.position_from is None and t.position_to == "behind"


def test_index_delta_can_be_negative():
    before = year(2023, areas={"strategia": AreaYear(2, 2.5)})
    after = year(2024, areas={"strategia": AreaYear(2, 2.25)})
    assert area_changes(before, after, ["strategia"])[0].index_delta == -0.25


def test_items_are_compared_by_id_and_missing_ones_are_marked():
    before = year(
        2023,
        items={"strategia-1-g1": 1, "strategia-1-a1": 3, "strategia-1-a2": None},
        asked=["strategia-1-g1", "strategia-1-a1", "strategia-1-a2", "tieto-ja-data-1-a9"],
        version="v1",
    )
    after = year(
        2024,
        items={"strategia-1-g1": 3.5, "strategia-1-a1": 2, "tieto-ja-data-1-g1": 4},
        asked=["strategia-1-g1", "strategia-1-a1", "strategia-1-a2", "tieto-ja-data-1-g1"],
        version="v2",
    )
    moves = {m.item: m for m in item_moves(before, after, ITEM_AREA)}
    assert moves["strategia-1-g1"].delta == 2.5
    assert moves["strategia-1-a1"].delta == -1
    # Asked both years but "don't know" before and unanswered after: no delta, not missing.
    assert moves["strategia-1-a2"].status == "both" and moves["strategia-1-a2"].delta is None
    assert moves["tieto-ja-data-1-a9"].status == "only_before"
    assert moves["tieto-ja-data-1-g1"].status == "only_after"
    assert moves["tieto-ja-data-1-g1"].after == 4 and moves["tieto-ja-data-1-g1"].delta is None
    assert moves["tieto-ja-data-1-g1"].area == "tieto-ja-data"


def test_moved_most_ranks_by_size_either_way_and_keeps_roadmap_order_on_ties():
    before = year(
        2023, items={"strategia-1-g1": 1, "strategia-1-a1": 3, "strategia-1-a2": 2, "tieto-ja-data-1-g1": 2}
    )
    after = year(
        2024, items={"strategia-1-g1": 3, "strategia-1-a1": 1, "strategia-1-a2": 2, "tieto-ja-data-1-g1": 3}
    )
    ranked = moved_most(item_moves(before, after, ITEM_AREA))
    assert [m.item for m in ranked] == ["strategia-1-g1", "strategia-1-a1", "tieto-ja-data-1-g1"]
    assert [m.item for m in moved_most(item_moves(before, after, ITEM_AREA), 1)] == ["strategia-1-g1"]


def test_version_changes_mark_the_year_the_version_changed():
    results = [
        year(2022, version="a"),
        year(2023, version="a"),
        year(2024, version="b"),
        year(2025, version="b"),
    ]
    changes = version_changes(results)
    assert [(c.year, c.previous_year, c.previous_version, c.version) for c in changes] == [
        (2024, 2023, "a", "b")
    ]
    assert version_changes([year(2022, version="a")]) == []


def entry(eid, status, done_at, step="strategia-1"):
    return {"id": eid, "status": status, "done_at": done_at, "step": step}


def test_plan_entries_done_between_two_assessments_are_grouped_by_area():
    entries = [
        entry(1, "done", "2023-03-01T10:00:00+00:00"),  # before the first closed
        entry(2, "done", "2023-09-01T10:00:00+00:00"),
        entry(3, "done", "2024-04-01T12:00:00+00:00", "tieto-ja-data-1"),  # exactly at the end
        entry(4, "done", "2024-06-01T10:00:00+00:00"),  # after the second
        entry(5, "in_progress", None),
        entry(6, "dropped", None),
        entry(7, "done", "2023-10-01T10:00:00+00:00", None),  # no step: no area
        entry(8, "done", "2023-08-01T10:00:00+00:00", "strategia-2"),
    ]
    grouped = plan_done_between(entries, "2023-05-01T00:00:00+00:00", "2024-04-01T12:00:00+00:00", STEP_AREA)
    assert [e["id"] for e in grouped["strategia"]] == [8, 2]  # by done date
    assert [e["id"] for e in grouped["tieto-ja-data"]] == [3]
    assert [e["id"] for e in grouped[None]] == [7]
    # Open ends: since the beginning, up to now.
    everything = plan_done_between(entries, None, None, STEP_AREA)
    assert [e["id"] for e in everything["strategia"]] == [1, 8, 2, 4]


def test_plan_boundaries_accept_dates_and_naive_times():
    entries = [entry(1, "done", "2024-01-15"), entry(2, "done", "2024-03-01T00:00:00")]
    grouped = plan_done_between(entries, "2024-01-01", "2024-02-01T00:00:00+00:00", STEP_AREA)
    assert [e["id"] for e in grouped["strategia"]] == [1]


def test_compare_puts_moves_and_plan_next_to_each_area():
    before = year(
        2023,
        areas={"strategia": AreaYear(1, 1.2), "tieto-ja-data": AreaYear(0, 0.5)},
        items={"strategia-1-g1": 1, "strategia-1-a1": 2, "strategia-1-a2": 2, "tieto-ja-data-1-g1": 1},
        closed="2023-05-01T00:00:00+00:00",
        version="v1",
    )
    after = year(
        2025,
        areas={"strategia": AreaYear(2, 2.0), "tieto-ja-data": AreaYear(0, 0.75)},
        items={
            "strategia-1-g1": 4,
            "strategia-1-a1": 3,
            "strategia-1-a2": 2,
            "tieto-ja-data-1-g1": 2,
            "tieto-ja-data-1-a9": 1,
        },
        closed="2025-05-01T00:00:00+00:00",
        version="v2",
    )
    entries = [
        entry(1, "done", "2024-01-01T00:00:00+00:00"),
        entry(2, "done", "2024-02-01T00:00:00+00:00", None),
        entry(3, "planned", None),
    ]
    result = compare(
        before,
        after,
        AREAS,
        item_area=ITEM_AREA,
        step_area=STEP_AREA,
        plan_entries=entries,
        start_year=2023,
        per_area=1,
    )
    s, t = result.areas
    assert s.area == "strategia" and [m.item for m in s.moved] == ["strategia-1-g1"]
    assert [e["id"] for e in s.done] == [1]
    assert t.done == () and [m.item for m in t.moved] == ["tieto-ja-data-1-g1"]
    assert [m.item for m in result.only_after] == ["tieto-ja-data-1-a9"]
    assert result.only_before == ()
    assert result.version_changed
    assert [e["id"] for e in result.done_unplaced] == [2]
    assert [m.item for m in result.moved][:2] == ["strategia-1-g1", "strategia-1-a1"]


def test_compare_refuses_years_in_the_wrong_order():
    with pytest.raises(ValueError):
        compare(year(2024), year(2023), AREAS, item_area=ITEM_AREA, step_area=STEP_AREA)


def test_the_marked_assessment_counts_else_a_lone_one_else_none():
    rows = [
        {"id": 1, "year": 2023, "counts": 0, "finalised_at": "2023-03-01T00:00:00+00:00"},
        {"id": 2, "year": 2023, "counts": 1, "finalised_at": "2023-02-01T00:00:00+00:00"},
        {"id": 3, "year": 2024, "counts": 0, "finalised_at": "2024-05-01T00:00:00+00:00"},
        {"id": 4, "year": 2024, "counts": 0, "finalised_at": "2024-04-01T00:00:00+00:00"},
        {"id": 5, "year": 2022, "counts": 0, "finalised_at": None},
    ]
    chosen = counting_per_year(rows)
    # 2024 has two candidates and none chosen: no counted result until a lead chooses.
    assert list(chosen) == [2022, 2023]
    assert {y: r["id"] for y, r in chosen.items()} == {2022: 5, 2023: 2}


def test_year_result_reads_a_computed_result_with_agreed_stages():
    assessment = {
        "id": 7,
        "year": 2025,
        "content_version": "abc",
        "kind": "round",
        "questionnaire": "full",
        "finalised_at": "2025-03-01T00:00:00+00:00",
    }
    result = {
        "values": {"strategia-1-g1": 3, "strategia-1-a1": None},
        "areas": [
            {"area": "strategia", "stage": 1, "index": 1.5},
            {"area": "tieto-ja-data", "stage": None, "index": None},
        ],
    }
    r = year_result(assessment, result, {"strategia": 2}, ["strategia-1-g1", "strategia-1-a1"])
    assert r.areas["strategia"] == AreaYear(1, 1.5, 2)
    assert r.areas["strategia"].effective_stage == 2
    assert r.areas["tieto-ja-data"].effective_stage is None
    assert r.items == {"strategia-1-g1": 3, "strategia-1-a1": None}
    assert r.closed_at == "2025-03-01T00:00:00+00:00" and r.asked == {"strategia-1-g1", "strategia-1-a1"}


# --- What a lead would notice going wrong (each case found by mutation testing) ---------------


def test_two_results_for_one_year_name_the_year():
    with pytest.raises(ValueError, match="two results for year 2024"):
        by_year([year(2023), year(2024), year(2024, aid=99)])


def test_a_series_point_says_which_assessment_and_index_it_shows():
    r = year(2024, aid=41, areas={"strategia": AreaYear(2, 2.4)})
    point = area_series([r], AREAS)["strategia"][0]
    # The history page links each point to its assessment and draws the index.
    assert (point.assessment_id, point.stage, point.index) == (41, 2, 2.4)


def test_an_area_missing_from_one_year_is_a_gap_in_the_change_table():
    # The earlier year's content had no "tieto-ja-data" area at all, the later one no
    # "strategia": neither is an error, both show as "no value" on that side.
    before = year(2023, areas={"strategia": AreaYear(1, 1.5, agreed=2)})
    after = year(2024, areas={"tieto-ja-data": AreaYear(0, 0.75)})
    s, t = area_changes(before, after, AREAS, start_year=2023)
    assert (s.stage_from, s.agreed_from, s.index_from) == (1, 2, 1.5)
    assert (s.stage_to, s.agreed_to, s.index_to, s.index_delta) == (None, None, None, None)
    assert (t.stage_from, t.index_from) == (None, None)
    assert (t.stage_to, t.index_to, t.index_delta) == (0, 0.75, None)
    # Path: 2023 expects step 1, so agreed 2 is ahead; 2024 expects 2, stage 0 is behind.
    assert (s.position_from, t.position_to) == ("ahead", "behind")


def test_the_change_table_shows_both_indexes_beside_the_delta():
    before = year(2023, areas={"strategia": AreaYear(1, 1.2, agreed=2)})
    after = year(2024, areas={"strategia": AreaYear(2, 2.7)})
    (s,) = area_changes(before, after, ["strategia"])
    # 2.7 - 1.2 = 1.5; the agreed 2 of the first year is kept beside the computed 1.
    assert (s.index_from, s.index_to, s.index_delta) == (1.2, 2.7, 1.5)
    assert (s.agreed_from, s.agreed_to, s.effective_from, s.stage_delta) == (2, None, 2, 0)


def test_an_item_unknown_to_the_roadmap_comes_last_without_an_area():
    # An item id neither content version maps to an area (say, a removed pilot item): listed
    # after the roadmap's items, not an error.
    before = year(2023, items={"strategia-1-g1": 1, "pilot-x": 2})
    after = year(2024, items={"strategia-1-g1": 2, "pilot-x": 4, "strategia-1-a1": 3})
    moves = item_moves(before, after, ITEM_AREA)
    assert [m.item for m in moves] == ["strategia-1-g1", "strategia-1-a1", "pilot-x"]
    assert (moves[-1].area, moves[-1].before, moves[-1].after, moves[-1].delta) == (None, 2, 4, 2)


def test_a_value_kept_for_an_item_the_year_did_not_ask_is_not_shown():
    # The earlier year's values hold an item its questionnaire did not ask (a quick
    # questionnaire on content that has the item); the later year asked it but kept a stale
    # value for an item it no longer asks. Neither leaks into the comparison.
    before = year(
        2023, items={"strategia-1-g1": 1, "strategia-1-a1": 3}, asked=["strategia-1-g1", "strategia-1-a2"]
    )
    after = year(
        2024,
        items={"strategia-1-g1": 2, "strategia-1-a1": 4, "strategia-1-a2": 1},
        asked=["strategia-1-g1", "strategia-1-a1"],
    )
    moves = {m.item: m for m in item_moves(before, after, ITEM_AREA)}
    a1, a2 = moves["strategia-1-a1"], moves["strategia-1-a2"]
    assert (a1.status, a1.before, a1.after, a1.delta) == ("only_after", None, 4, None)
    assert (a2.status, a2.before, a2.after, a2.delta) == ("only_before", None, None, None)
    assert (moves["strategia-1-g1"].before, moves["strategia-1-g1"].after) == (1, 2)


def test_moved_most_puts_the_largest_move_first_wherever_it_is_in_the_roadmap():
    before = year(2023, items={"strategia-1-g1": 2, "strategia-1-a1": 2, "tieto-ja-data-1-g1": 0})
    after = year(2024, items={"strategia-1-g1": 2.5, "strategia-1-a1": 1, "tieto-ja-data-1-g1": 4})
    # Moves: g1 +0.5, a1 -1, tieto +4 -> by size 4, 1, 0.5.
    ranked = moved_most(item_moves(before, after, ITEM_AREA))
    assert [(m.item, m.delta) for m in ranked] == [
        ("tieto-ja-data-1-g1", 4),
        ("strategia-1-a1", -1),
        ("strategia-1-g1", 0.5),
    ]


def test_a_done_time_with_an_offset_is_compared_as_the_instant_it_is():
    # 14:00 in Helsinki summer time (+03:00) is 11:00 UTC: before the 12:00 UTC close,
    # so it counts; 15:30+03:00 is 12:30 UTC, after it.
    entries = [entry(1, "done", "2024-04-01T14:00:00+03:00"), entry(2, "done", "2024-04-01T15:30:00+03:00")]
    grouped = plan_done_between(entries, None, "2024-04-01T12:00:00+00:00", STEP_AREA)
    assert [e["id"] for e in grouped["strategia"]] == [1]


def test_a_done_entry_without_a_done_time_is_skipped_not_the_end_of_the_list():
    # A done entry whose time is missing (an old import) cannot be placed between two years;
    # the entries after it still are.
    entries = [entry(1, "done", None), entry(2, "done", "2024-02-01T00:00:00+00:00")]
    grouped = plan_done_between(entries, "2024-01-01T00:00:00+00:00", None, STEP_AREA)
    assert [e["id"] for e in grouped["strategia"]] == [2]


def test_an_entry_done_the_moment_the_earlier_year_closed_belongs_to_that_year():
    # "After before closed, up to when after closed": the start is excluded, the end included.
    closed = "2024-01-01T10:00:00+00:00"
    entries = [entry(1, "done", closed), entry(2, "done", "2024-01-01T10:00:01+00:00")]
    grouped = plan_done_between(entries, closed, None, STEP_AREA)
    assert [e["id"] for e in grouped["strategia"]] == [2]


def test_entries_done_at_the_same_moment_keep_their_given_order():
    at = "2024-03-01T09:00:00+00:00"
    entries = [entry(5, "done", at), entry(3, "done", at), entry(4, "done", at)]
    grouped = plan_done_between(entries, None, None, STEP_AREA)
    assert [e["id"] for e in grouped["strategia"]] == [5, 3, 4]


def test_compare_refuses_the_same_year_twice():
    with pytest.raises(ValueError, match="earlier and a later year"):
        compare(year(2024), year(2024, aid=2), AREAS, item_area=ITEM_AREA, step_area=STEP_AREA)


def test_compare_refuses_years_in_the_wrong_order_with_a_message():
    with pytest.raises(ValueError, match=r"^compare needs an earlier and a later year$"):
        compare(year(2024), year(2023), AREAS, item_area=ITEM_AREA, step_area=STEP_AREA)


def test_compare_lists_only_the_plan_entries_done_between_the_two_closings():
    before = year(2023, areas={"strategia": AreaYear(1, 1.0)}, closed="2023-05-01T00:00:00+00:00")
    after = year(2024, areas={"strategia": AreaYear(2, 2.0)}, closed="2024-05-01T00:00:00+00:00")
    entries = [
        entry(1, "done", "2023-04-30T23:59:59+00:00"),  # before the first closed
        entry(2, "done", "2023-12-01T00:00:00+00:00"),  # in between
        entry(3, "done", "2024-05-01T00:00:01+00:00"),
    ]  # after the second closed
    result = compare(
        before, after, ["strategia"], item_area=ITEM_AREA, step_area=STEP_AREA, plan_entries=entries
    )
    assert [e["id"] for e in result.areas[0].done] == [2]


def test_compare_carries_both_years_and_the_path_positions():
    before = year(2023, aid=11, areas={"strategia": AreaYear(1, 1.0)})
    after = year(2025, aid=12, areas={"strategia": AreaYear(2, 2.0)})
    result = compare(before, after, ["strategia"], item_area=ITEM_AREA, step_area=STEP_AREA, start_year=2023)
    assert (result.before.assessment_id, result.after.assessment_id) == (11, 12)
    (s,) = result.areas
    # Started 2023: 2023 expects step 1 (stage 1 on track), 2025 expects 3 (stage 2 behind).
    assert (s.expected_from, s.expected_to) == (1, 3)
    assert (s.position_from, s.position_to) == ("on_track", "behind")


def test_compare_lists_items_the_later_content_no_longer_asks():
    before = year(2023, items={"strategia-1-g1": 1, "strategia-1-a2": 3}, version="v1")
    after = year(2024, items={"strategia-1-g1": 2}, version="v2")
    result = compare(before, after, AREAS, item_area=ITEM_AREA, step_area=STEP_AREA)
    assert [(m.item, m.before) for m in result.only_before] == [("strategia-1-a2", 3)]
    assert result.only_after == ()


# Rows as storage.history.final_assessments gives them: by year, then by finalisation time.
# (rows for one year, id that counts, why)
COUNTING_CASES = [
    (
        [(1, 1, "2023-02-01"), (2, 0, "2023-03-01")],
        1,
        "the marked one counts although another was finalised later",
    ),
    ([(2, 0, "2023-03-01"), (1, 1, "2023-02-01")], 1, "... whatever order the rows come in"),
    (
        [(1, 0, "2023-02-01"), (2, 0, "2023-03-01")],
        None,
        "none marked of several: none counts, nothing is picked silently",
    ),
    ([(1, 0, None)], 1, "a lone candidate counts without a mark: nothing to choose between"),
    ([(1, 0, None), (2, 0, None)], None, "neither marked nor timed: none"),
    # set_counts keeps one mark per year; two come only from inconsistent data (an old
    # transfer file): the newest assessment, the higher id, counts.
    ([(1, 1, "2023-02-01"), (2, 1, "2023-03-01")], 2, "two marked: the newer one counts"),
    ([(3, 1, "2023-02-01"), (2, 1, "2023-03-01")], 3, "... by id, not by finalisation time"),
]


@pytest.mark.parametrize(("rows", "counts", "why"), COUNTING_CASES, ids=[case[2] for case in COUNTING_CASES])
def test_which_assessment_counts_for_a_year_by_hand(rows, counts, why):
    given = [
        {"id": i, "year": 2023, "counts": c, "finalised_at": at and f"{at}T00:00:00+00:00"}
        for i, c, at in rows
    ]
    chosen = counting_per_year(given).get(2023)
    assert (chosen["id"] if chosen else None) == counts


def test_year_result_carries_year_assessment_kind_questionnaire_and_content_version():
    assessment = {
        "id": 7,
        "year": 2025,
        "content_version": "abc",
        "kind": "round",
        "questionnaire": "quick",
        "finalised_at": None,
    }
    r = year_result(assessment, {"areas": [], "values": {}}, {}, [])
    # The history page labels each year by these; a round must not turn into a single one.
    assert (r.year, r.assessment_id, r.content_version, r.kind, r.questionnaire) == (
        2025,
        7,
        "abc",
        "round",
        "quick",
    )


def test_year_result_of_a_result_without_item_values_has_no_items():
    assessment = {"id": 7, "year": 2025, "content_version": "abc", "kind": "single", "questionnaire": "full"}
    r = year_result(
        assessment, {"areas": [{"area": "strategia", "stage": 0, "index": 0.5}]}, {}, ["strategia-1-g1"]
    )
    assert r.items == {} and r.areas["strategia"] == AreaYear(0, 0.5, None)
    assert r.closed_at is None
