"""Tests for assess.results: the result of one or several respondents and the CLI document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess.content import load_content
from assess.results import area_result, cli_document, compute

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def content():
    return load_content(ROOT / "questionnaires")


def quick_items(content, area: str) -> dict[str, list[str]]:
    """Step id -> the quick questionnaire's items of that step, for one area."""
    grouped = dict(content.area_items(content.questionnaire("quick")))
    return dict(grouped[area])


def test_every_area_in_roadmap_order(content) -> None:
    result = compute(content, "quick", [{}])
    assert [a["area"] for a in result["areas"]] == [a.id for a in content.areas]
    assert result["questionnaire"] == "quick"
    assert result["content_version"] == content.version
    assert result["respondents"] == 1 and result["team"] is False
    assert "items" not in result


def test_nothing_answered_is_insufficient_everywhere(content) -> None:
    result = compute(content, "quick", [{}])
    for area in result["areas"]:
        assert area["status"] == "insufficient"
        assert area["stage"] is None and area["index"] is None
        assert area["next_actions"] == [] and area["programme_goals"] == []
        assert area["next_step"] is None


def test_single_respondent_stage_index_and_steps(content) -> None:
    steps = quick_items(content, "tieto-ja-data")
    # Steps 1 and 2 fully true, step 3 half true: stage 2, index 2.5.
    answers = {steps["tieto-ja-data-1"][0]: 4, steps["tieto-ja-data-2"][0]: 3, steps["tieto-ja-data-3"][0]: 2}
    area = area_result(compute(content, "quick", [answers]), "tieto-ja-data")
    assert area["status"] == "ok"
    assert area["stage"] == 2
    assert area["index"] == 2.5
    assert [s["reached"] for s in area["steps"]] == [True, True, False, False, False]
    assert [s["fulfilment"] for s in area["steps"]] == [1.0, 0.75, 0.5, None, None]
    assert area["steps"][0] == {
        "step": "tieto-ja-data-1",
        "fulfilment": 1.0,
        "reached": True,
        "answered": 1,
        "total": 1,
    }
    assert area["next_step"] == "tieto-ja-data-3"
    assert area["next_actions"] == [{"item": steps["tieto-ja-data-3"][0], "value": 2, "kind": "improve"}]
    assert area["programme_goals"] == [lk.goal for lk in content.goals_for_step("tieto-ja-data-3")]


def test_single_values_are_the_answers_themselves(content) -> None:
    answers = {"strategia-1-g1": 3, "strategia-2-g1": None}
    result = compute(content, "quick", [answers])
    assert result["values"] == {"strategia-1-g1": 3, "strategia-2-g1": None}
    assert isinstance(result["values"]["strategia-1-g1"], int)


def test_next_actions_weakest_first_then_find_out(content) -> None:
    # Full questionnaire: many items per step, so the order can show.
    questionnaire = content.questionnaire("full")
    steps = dict(dict(content.area_items(questionnaire))["strategia"])
    answers: dict[str, int | None] = {}
    for item in steps["strategia-1"]:
        answers[item] = 4
    step2 = steps["strategia-2"]
    assert len(step2) >= 5
    answers[step2[0]] = 2
    answers[step2[1]] = 0
    answers[step2[2]] = None
    answers[step2[3]] = 2
    for item in step2[5:]:
        answers[item] = 4
    # step2[4] unanswered; enough answered overall for a stage.
    for item in steps["strategia-3"]:
        answers[item] = 1
    area = area_result(compute(content, "full", [answers]), "strategia")
    assert area["stage"] == 1
    assert area["next_actions"] == [
        {"item": step2[1], "value": 0, "kind": "improve"},
        {"item": step2[0], "value": 2, "kind": "improve"},
        {"item": step2[3], "value": 2, "kind": "improve"},
        {"item": step2[2], "value": None, "kind": "find_out"},
        {"item": step2[4], "value": None, "kind": "find_out"},
    ]


def test_stage_five_keeps_it_up_with_step_five_goals(content) -> None:
    steps = quick_items(content, "johtaminen")
    answers = {ids[0]: 4 for ids in steps.values()}
    answers[steps["johtaminen-5"][0]] = 3
    area = area_result(compute(content, "quick", [answers]), "johtaminen")
    assert area["stage"] == 5 and area["index"] == 5.0
    assert area["next_step"] == "johtaminen-5"
    assert area["next_actions"] == [{"item": steps["johtaminen-5"][0], "value": 3, "kind": "keep_up"}]
    assert area["programme_goals"] == [lk.goal for lk in content.goals_for_step("johtaminen-5")]


def test_team_values_are_medians_with_team_data(content) -> None:
    a = {"strategia-1-g1": 4, "strategia-2-g1": 0, "strategia-2-g2": 4, "strategia-3-g1": 1}
    b = {"strategia-1-g1": 3, "strategia-2-g1": 3, "strategia-2-g2": 4, "strategia-3-g1": None}
    result = compute(content, "quick", [a, b])
    assert result["team"] is True and result["respondents"] == 2
    assert result["values"]["strategia-1-g1"] == 3.5
    assert result["values"]["strategia-2-g1"] == 1.5
    assert result["values"]["strategia-2-g2"] == 4
    assert result["values"]["strategia-3-g1"] == 1
    item = result["items"]["strategia-2-g1"]
    assert item["distribution"] == [1, 0, 0, 1, 0]
    assert item["span"] == 3 and item["discuss"] is True
    assert result["items"]["strategia-3-g1"]["dont_know"] == 1
    area = area_result(result, "strategia")
    # Step 1 (3.5/4) reached, step 2 mean (1.5 + 4)/2 = 2.75 -> 0.6875: stage 1.
    assert area["stage"] == 1
    assert area["index"] == 1.69
    assert area["discuss"] == ["strategia-2-g1"]
    # Spans: g1 1, 2-g1 3, 2-g2 0 -> mean 4/3.
    assert area["spread"] == 1.33
    assert area["next_actions"][0] == {"item": "strategia-2-g1", "value": 1.5, "kind": "improve"}


def test_team_area_without_two_values_has_no_spread(content) -> None:
    result = compute(content, "quick", [{"asenne-1-g1": 2}, {}])
    assert area_result(result, "asenne")["spread"] is None
    assert area_result(result, "asenne")["discuss"] == []


def test_result_survives_a_json_round_trip(content) -> None:
    result = compute(content, "quick", [{"strategia-1-g1": 2}, {"strategia-1-g1": 4}])
    assert json.loads(json.dumps(result)) == result


def test_unknown_questionnaire_and_bad_values_are_refused(content) -> None:
    with pytest.raises(KeyError):
        compute(content, "nope", [{}])
    with pytest.raises(ValueError):
        compute(content, "quick", [{"strategia-1-g1": 2.5}])
    with pytest.raises(ValueError):
        compute(content, "quick", [{"strategia-1-g1": 5}])
    with pytest.raises(ValueError):
        compute(content, "quick", [{"strategia-1-g1": 2.5}, {}])


def test_cli_document_single_shape(content) -> None:
    steps = quick_items(content, "tieto-ja-data")
    answers = {ids[0]: 4 for ids in steps.values()}
    document = cli_document(compute(content, "quick", [answers]))
    assert set(document) == {"questionnaire", "content_version", "areas"}
    assert list(document["areas"]) == [a.id for a in content.areas]
    area = document["areas"]["tieto-ja-data"]
    assert set(area) == {"stage", "index", "status", "steps", "next_actions", "programme_goals"}
    assert area["status"] == "ok" and area["stage"] == 5
    assert area["steps"][0] == {"step": "tieto-ja-data-1", "fulfilment": 1.0, "reached": True}
    assert document["areas"]["strategia"] == {
        "stage": None,
        "index": None,
        "status": "insufficient",
        "steps": [{"step": f"strategia-{n}", "fulfilment": None, "reached": False} for n in range(1, 6)],
        "next_actions": [],
        "programme_goals": [],
    }


def test_cli_document_team_additions(content) -> None:
    document = cli_document(compute(content, "quick", [{"strategia-1-g1": 0}, {"strategia-1-g1": 4}]))
    assert document["respondents"] == 2
    assert document["areas"]["strategia"]["discuss"] == ["strategia-1-g1"]
    assert document["areas"]["strategia"]["spread"] == 4.0
    assert document["areas"]["asenne"]["spread"] is None
    assert document["areas"]["asenne"]["discuss"] == []
