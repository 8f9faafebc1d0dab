"""The benchmark's pure logic: quartiles, positions, the k-rule and the differencing rule,
the pooled file format and the profile classes file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assess import ROOT
from assess.benchmark import (
    ALL_QUESTIONNAIRES,
    AreaValue,
    Entry,
    Quartiles,
    Year,
    group_keys,
    group_median,
    own_groups,
    position,
    quartiles,
)
from assess.benchmark_pool import PoolFileError, document, validate
from assess.benchmark_privacy import K, decide, differ_too_little, mask
from assess.content import ContentError
from assess.content.profile_classes import load_profile_classes

AREAS = ["strategia", "johtaminen"]
FILTERS = [ALL_QUESTIONNAIRES, "quick", "full"]
UNIVERSE = group_keys(
    {"type": ["kunta", "kuntayhtyma"], "size": ["pieni", "suuri"], "region": ["uusimaa", "lappi"]}
)


def entry(
    n: int,
    org_type: str = "kunta",
    *,
    stage: int = 2,
    index: float = 2.5,
    questionnaire: str = "full",
    size: str | None = None,
    region: str | None = None,
    areas: list[str] | None = None,
) -> Entry:
    return Entry(
        f"o:{n}",
        org_type,
        size,
        region,
        questionnaire,
        {a: AreaValue(stage, index) for a in (areas or AREAS)},
    )


# --- quartiles and positions ------------------------------------------------------------


def test_quartiles_use_the_inclusive_method_as_excel_does():
    # Excel QUARTILE.INC({1,2,3,4,5,6,7,8}, 1) = 2.75, median 4.5, Q3 6.25
    assert quartiles([1, 2, 3, 4, 5, 6, 7, 8]) == Quartiles(2.75, 4.5, 6.25)
    assert quartiles([2, 2, 3, 4, 5]) == Quartiles(2.0, 3.0, 4.0)
    assert quartiles([3.1]) == Quartiles(3.1, 3.1, 3.1)
    with pytest.raises(ValueError):
        quartiles([])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4.6, "top"),
        (4.0, "above"),
        (3.05, "near"),
        (3.0, "near"),
        (2.5, "below"),
        (1.9, "bottom"),
        (None, None),
    ],
)
def test_position_in_plain_steps(value, expected):
    assert position(value, Quartiles(2.0, 3.0, 4.5), near=0.1) == expected


def test_a_value_at_coinciding_quartiles_is_near_the_median_not_top():
    assert position(3, Quartiles(3, 3, 3)) == "near"
    assert position(4, Quartiles(3, 3, 3)) == "top"


def test_group_median_ignores_missing_values():
    assert group_median([1, None, 3, 4]) == 3
    assert group_median([None]) is None


def test_own_groups_follow_the_profile():
    assert own_groups("kunta", None, "lappi") == [("all", None), ("type", "kunta"), ("region", "lappi")]


# --- the k-rule -----------------------------------------------------------------------


def test_a_figure_needs_at_least_five_organisations():
    verdicts = decide([("four", mask(range(4))), ("five", mask(range(10, 15)))])
    assert not verdicts["four"].shown and verdicts["four"].reason == "too_few"
    assert verdicts["five"].shown and verdicts["five"].members == K


def test_groups_that_differ_by_one_to_four_organisations_are_not_both_shown():
    everyone = mask(range(20))
    for missing in range(1, K):
        smaller = mask(range(20 - missing))
        verdicts = decide([("all", everyone), ("type", smaller)])
        assert verdicts["all"].shown
        assert not verdicts["type"].shown and verdicts["type"].reason == "differencing"
        assert verdicts["type"].conflicts_with == "all"
    # Five or more apart, or the very same members: no one is exposed.
    assert decide([("all", everyone), ("type", mask(range(15)))])["type"].shown
    assert decide([("all", everyone), ("same", everyone)])["same"].shown


def test_partly_overlapping_groups_count_the_difference_on_each_side():
    a, b = mask(range(0, 10)), mask(range(2, 12))  # two out, two in
    assert differ_too_little(a, b)
    assert not differ_too_little(mask(range(0, 10)), mask(range(5, 15)))


def test_the_order_decides_and_a_hidden_figure_blocks_nothing():
    everyone, kunta, kunta_small = mask(range(12)), mask(range(9)), mask(range(7))
    verdicts = decide([("all", everyone), ("kunta", kunta), ("size", kunta_small)])
    assert verdicts["all"].shown
    assert verdicts["kunta"].reason == "differencing"  # 3 apart from all
    # 'size' is 5 apart from all; 2 apart from the hidden 'kunta', which does not count.
    assert verdicts["size"].shown


def _year(entries: list[Entry]) -> Year:
    return Year(entries, AREAS, UNIVERSE, FILTERS)


def _shown(year: Year, area: str) -> dict:
    """Every figure a reader anywhere could see for the area: (filter, group) -> members."""
    return {
        key: year.members(area, key[1], key[0])
        for key, verdict in year.verdicts(area).items()
        if verdict.shown
    }


def test_differencing_attack_across_groups_finds_nothing():
    # Eleven municipalities and one joint authority: "all" minus "same type" would be the
    # joint authority alone.
    entries = [entry(n, stage=1 + n % 4, index=1.25 + n % 4) for n in range(11)]
    entries.append(entry(99, "kuntayhtyma", stage=5, index=5.0))
    year = _year(entries)
    rows_all = year.rows(("all", None), ALL_QUESTIONNAIRES)
    rows_type = year.rows(("type", "kunta"), ALL_QUESTIONNAIRES)
    assert all(r.figure is not None for r in rows_all)
    assert all(r.figure is None and r.verdict.reason == "differencing" for r in rows_type)
    _assert_no_pair_exposes_anyone(year)


def test_differencing_attack_across_questionnaire_filters_finds_nothing():
    # Eight used the full questionnaire and two the quick one: all minus "only full"
    # would be the two quick users.
    entries = [entry(n) for n in range(8)] + [entry(50 + n, questionnaire="quick") for n in range(2)]
    year = _year(entries)
    assert year.rows(("all", None), ALL_QUESTIONNAIRES)[0].figure.n == 10
    full = year.rows(("all", None), "full")[0]
    assert full.figure is None and full.verdict.reason == "differencing"
    assert year.rows(("all", None), "quick")[0].verdict.reason == "too_few"
    _assert_no_pair_exposes_anyone(year)


def test_differencing_attack_across_filters_and_groups_together():
    # Region "uusimaa" with the full questionnaire vs all municipalities: build a population
    # where many sets are near each other, then check every pair a reader could see.
    entries = []
    for n in range(30):
        entries.append(
            entry(
                n,
                "kunta" if n % 6 else "kuntayhtyma",
                stage=n % 6,
                index=(n % 6) + 0.4,
                questionnaire="quick" if n % 7 == 0 else "full",
                size="pieni" if n % 3 else "suuri",
                region="uusimaa" if n % 4 else "lappi",
                areas=AREAS if n % 11 else AREAS[:1],
            )
        )
    year = _year(entries)
    for area in AREAS:
        assert _shown(year, area), "something must still be shown"
    _assert_no_pair_exposes_anyone(year)


def _assert_no_pair_exposes_anyone(year: Year) -> None:
    for area in AREAS:
        shown = list(_shown(year, area).values())
        for members in shown:
            assert members.bit_count() >= K
        for a in shown:
            for b in shown:
                if a != b:
                    assert (a & ~b).bit_count() in (0,) or (a & ~b).bit_count() >= K
                    assert (b & ~a).bit_count() in (0,) or (b & ~a).bit_count() >= K


def test_the_decision_does_not_depend_on_who_looks():
    entries = [
        entry(n, "kunta" if n < 9 else "kuntayhtyma", region="lappi" if n < 6 else None) for n in range(16)
    ]
    first, second = _year(entries), _year(list(reversed(entries)))
    for area in AREAS:
        a = {k: v.shown for k, v in first.verdicts(area).items()}
        b = {k: v.shown for k, v in second.verdicts(area).items()}
        assert a == b


def test_rows_carry_no_single_organisations_value_and_count_questionnaires():
    entries = [
        entry(n, stage=n % 3, index=(n % 3) + 0.5, questionnaire="quick" if n < 2 else "full")
        for n in range(7)
    ]
    rows = _year(entries).rows(("all", None), ALL_QUESTIONNAIRES, {"strategia": AreaValue(2, 2.9)})
    figure = rows[0].figure
    assert figure.n == 7 and dict(figure.by_questionnaire) == {"quick": 2, "full": 5}
    assert figure.stage == quartiles([0, 0, 0, 1, 1, 2, 2])
    assert rows[0].own == AreaValue(2, 2.9)
    assert rows[0].stage_position == "top" and rows[0].index_position == "top"
    assert rows[1].own is None  # no own value in that area
    assert not hasattr(figure, "values")


def test_an_area_without_a_stage_does_not_count_for_that_area():
    entries = [entry(n) for n in range(5)] + [entry(9, areas=["johtaminen"])]
    year = _year(entries)
    assert year.rows(("all", None), ALL_QUESTIONNAIRES)[0].figure.n == 5
    # Each area is decided on its own: johtaminen has six contributors.
    assert year.rows(("all", None), ALL_QUESTIONNAIRES)[1].figure.n == 6


# --- pooled files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def classes():
    return load_profile_classes(ROOT / "questionnaires")


def good_doc() -> dict:
    return document(
        "a" * 32,
        "Testiasennus",
        "2026-03-01T12:00:00+00:00",
        [
            {
                "pseudonym": "b" * 32,
                "type": "kunta",
                "size_class": "asukkaita-alle-5000",
                "region": None,
                "year": 2025,
                "questionnaire": "full",
                "content_version": "abc123",
                "areas": {"strategia": {"stage": 2, "index": 2.5}},
            }
        ],
    )


def check(doc, classes):
    return validate(doc, classes, ["quick", "full"], ["strategia", "johtaminen"])


def test_a_good_pooled_file_validates(classes):
    head, rows = check(good_doc(), classes)
    assert head["name"] == "Testiasennus" and rows[0]["areas"]["strategia"]["index"] == 2.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a benchmark file"),
        (lambda d: d.update(format_version=2), "format_version"),
        (lambda d: d.update(installation="x"), "installation"),
        (lambda d: d.update(name=""), "name"),
        (lambda d: d.update(exported_at="yesterday"), "exported_at"),
        (lambda d: d["rows"][0].update(year=1999), "rows[0].year"),
        (lambda d: d["rows"][0].update(type="kaupunkivaltio"), "rows[0].type"),
        (lambda d: d["rows"][0].update(size_class="hankinnat-alle-10-milj"), "size band"),
        (lambda d: d["rows"][0].update(questionnaire="huge"), "rows[0].questionnaire"),
        (lambda d: d["rows"][0]["areas"].update(tyokalu={"stage": 1, "index": 1}), "roadmap"),
        (lambda d: d["rows"][0]["areas"]["strategia"].update(stage=6), "stage"),
        (lambda d: d["rows"][0]["areas"]["strategia"].update(index="2,5"), "index"),
        (lambda d: d["rows"].append(dict(d["rows"][0])), "second row"),
        (lambda d: d["rows"][0].update(name="Hyvinkää"), "unknown key"),
    ],
)
def test_a_bad_pooled_file_names_its_first_problem_in_one_line(classes, change, message):
    doc = good_doc()
    change(doc)
    with pytest.raises(PoolFileError) as info:
        check(doc, classes)
    assert message in str(info.value) and "\n" not in str(info.value)


# --- the profile classes file -----------------------------------------------------------


def test_the_profile_classes_hold_types_bands_and_the_19_regions(classes):
    assert [t.id for t in classes.types] == [
        "kunta",
        "kuntayhtyma",
        "hyvinvointialue",
        "valtio",
        "yhtio",
        "muu",
    ]
    assert len(classes.regions) == 19
    assert classes.fits("kunta", "asukkaita-alle-5000", "lappi")
    assert not classes.fits("valtio", "asukkaita-alle-5000", None)
    assert not classes.fits("kunta", None, "atlantis")


def test_a_broken_profile_classes_file_names_file_place_and_fix(tmp_path):
    folder = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", folder)
    path = Path(folder / "benchmark.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("size_by: population", "size_by: people", 1).replace("id: lappi", "id: Lappi"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_profile_classes(folder)
    message = str(info.value)
    assert "benchmark.yaml: types[0] (kunta)" in message and 'size_by "people"' in message
    assert 'the id "Lappi"' in message
