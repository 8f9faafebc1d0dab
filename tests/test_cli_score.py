"""`assess score`: answer files in, the result's JSON out; every problem named, nothing on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assess import ROOT


def write(tmp_path: Path, name: str, document: object) -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


def quick_answers(value: int | None) -> dict:
    """Every quick item of the strategy and data areas answered with ``value``."""
    from assess.content import load_content

    content = load_content(ROOT / "questionnaires")
    items = [
        i for i in content.questionnaire("quick").items if i.startswith(("strategia-", "tieto-ja-data-"))
    ]
    return {item: value for item in items}


def test_one_file_prints_the_issue_3_document(runner, tmp_path, app) -> None:
    answers = quick_answers(4)
    answers["tieto-ja-data-3-g1"] = 1
    answers["tieto-ja-data-4-g1"] = None
    result = runner.invoke(args=["score", "quick", write(tmp_path, "a.json", {"answers": answers})])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"questionnaire", "content_version", "areas"}
    assert document["questionnaire"] == "quick"
    assert document["content_version"] == app.extensions["content"].version
    strategia = document["areas"]["strategia"]
    assert strategia["stage"] == 5 and strategia["index"] == 5.0 and strategia["status"] == "ok"
    assert strategia["next_actions"] == []
    data = document["areas"]["tieto-ja-data"]
    assert data["stage"] == 2 and data["index"] == 2.25
    assert data["steps"][2] == {"step": "tieto-ja-data-3", "fulfilment": 0.25, "reached": False}
    assert data["next_actions"] == [{"item": "tieto-ja-data-3-g1", "value": 1}]
    links = app.extensions["content"].goals_for_step("tieto-ja-data-3")
    assert data["programme_goals"] == [lk.goal for lk in links]
    assert document["areas"]["asenne"] == {
        "stage": None,
        "index": None,
        "status": "insufficient",
        "steps": [{"step": f"asenne-{n}", "fulfilment": None, "reached": False} for n in range(1, 6)],
        "next_actions": [],
        "programme_goals": [],
    }


def test_several_files_print_the_team_result(runner, tmp_path) -> None:
    files = [
        write(tmp_path, "a.json", {"answers": {"strategia-1-g1": 0, "strategia-2-g1": 2}}),
        write(tmp_path, "b.json", {"answers": {"strategia-1-g1": 4, "strategia-2-g1": 3}}),
        write(tmp_path, "c.json", {"answers": {"strategia-1-g1": 4, "strategia-2-g1": None}}),
    ]
    result = runner.invoke(args=["score", "quick", *files])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["respondents"] == 3
    strategia = document["areas"]["strategia"]
    assert strategia["discuss"] == ["strategia-1-g1"]
    assert strategia["spread"] == 2.5  # spans 4 and 1
    assert document["areas"]["asenne"]["spread"] is None
    assert document["areas"]["asenne"]["discuss"] == []


def test_every_problem_is_named_and_nothing_printed(runner, tmp_path) -> None:
    bad = write(
        tmp_path,
        "bad.json",
        {
            "answers": {
                "strategia-1-g1": 2.5,
                "strategia-2-g1": True,
                "strategia-2-g2": "3",
                "strategia-3-g1": 5,
                "strategia-4-g1": -1,
                "no-such-item": 1,
                "strategia-1-a1": 2,
            }
        },
    )
    broken = write(tmp_path, "broken.json", '{"answers": {"strategia-1-g1": 2,')
    empty = write(tmp_path, "empty.json", {"something": {}})
    listed = write(tmp_path, "list.json", {"answers": [1, 2]})
    missing = str(tmp_path / "missing.json")
    result = runner.invoke(args=["score", "quick", bad, broken, empty, listed, missing])
    assert result.exit_code != 0
    assert result.stdout == ""
    errors = result.stderr
    for item in ("strategia-1-g1", "strategia-2-g1", "strategia-2-g2", "strategia-3-g1", "strategia-4-g1"):
        assert f"bad.json: item {item}: value" in errors
    assert "bad.json: item no-such-item: unknown item id" in errors
    assert "bad.json: item strategia-1-a1: not in questionnaire quick" in errors
    assert "broken.json: not valid JSON" in errors
    assert 'empty.json: missing the "answers" object' in errors
    assert 'list.json: missing the "answers" object' in errors
    assert "missing.json: cannot be read" in errors


def test_unknown_questionnaire_is_named_with_file_problems(runner, tmp_path) -> None:
    bad = write(tmp_path, "a.json", {"answers": {"nope": 1}})
    result = runner.invoke(args=["score", "nosuch", bad])
    assert result.exit_code != 0 and result.stdout == ""
    assert "unknown questionnaire 'nosuch'" in result.stderr
    assert "a.json: item nope: unknown item id" in result.stderr


def test_nan_and_duplicate_keys_are_refused(runner, tmp_path) -> None:
    nan = write(tmp_path, "nan.json", '{"answers": {"strategia-1-g1": NaN}}')
    twice = write(tmp_path, "twice.json", '{"answers": {"strategia-1-g1": 1, "strategia-1-g1": 4}}')
    result = runner.invoke(args=["score", "quick", nan, twice])
    assert result.exit_code != 0 and result.stdout == ""
    assert "nan.json: not valid JSON" in result.stderr
    assert "twice.json: item strategia-1-g1: given more than once" in result.stderr


def test_a_file_is_required(runner) -> None:
    result = runner.invoke(args=["score", "quick"])
    assert result.exit_code != 0


@pytest.mark.parametrize("files", [1, 2])
def test_real_command_in_a_subprocess(tmp_path, files) -> None:
    """The installed `assess` command works on a fresh instance folder with no setup."""
    paths = [write(tmp_path, f"r{n}.json", {"answers": quick_answers(3)}) for n in range(files)]
    env = dict(os.environ, ASSESS_INSTANCE_PATH=str(tmp_path / "instance"))
    command = [str(Path(sys.executable).with_name("assess")), "score", "quick", *paths]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["areas"]["strategia"]["stage"] == 5
    assert ("respondents" in document) == (files > 1)

    bad = write(tmp_path, "bad.json", {"answers": {"strategia-1-g1": 7}})
    failed = subprocess.run(
        [*command[:3], bad], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert failed.returncode != 0 and failed.stdout == ""
    assert "bad.json: item strategia-1-g1: value 7 is outside the scale 0-4" in failed.stderr
