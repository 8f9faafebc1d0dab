"""The `assess` command: check, content --json, and a clear refusal of broken content."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assess import ROOT

ASSESS = Path(sys.executable).parent / "assess"


def test_check_prints_the_counts(runner, app):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Content version ") and lines[0].endswith(": OK")
    assert "  roadmap: 8 areas, 40 steps, 224 items" in lines
    assert "  programme: 8 themes, 20 goals, 49 actions, 57 metrics" in lines
    assert "  questionnaire quick: 44 items, threshold 0.75" in lines
    assert "  questionnaire full: 224 items, threshold 0.75" in lines
    assert f"  links: {len(app.extensions['content'].links)}" in lines


def test_content_json_is_the_api_document(runner, client, app):
    result = runner.invoke(args=["content", "--json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document == client.get("/api/content").get_json()
    assert document["version"] == app.extensions["content"].version
    step = document["roadmap"]["areas"][2]["steps"][1]
    assert step["id"] == "organisaatio-2" and step["title"] == {
        "fi": "Kuvaa prosessi",
        "en": step["title"]["en"],
    }
    action = step["actions"][10]
    assert {k: action[k] for k in ("id", "goal")} == {"id": "organisaatio-2-a11", "goal": "organisaatio-2-g2"}
    assert set(action) == {"id", "goal", "text", "statement", "guidance"}
    goal = document["programme"]["goals"][8]
    assert goal["number"] == 9 and goal["actions"][0]["metrics"][0]["kind"] == "euro"
    assert {"step", "goal", "reason"} == set(document["links"][0])
    assert [q["id"] for q in document["questionnaires"]] == ["full", "quick"]


def run_assess(args: list[str], tmp_path: Path, content_dir: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, ASSESS_CONTENT_DIR=str(content_dir), ASSESS_INSTANCE_PATH=str(tmp_path / "instance")
    )
    return subprocess.run(
        [str(ASSESS), *args], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
    )


@pytest.mark.skipif(not ASSESS.exists(), reason=f"the assess console script is not installed at {ASSESS}")
def test_the_real_command_checks_good_content(tmp_path):
    result = run_assess(["check"], tmp_path, ROOT / "questionnaires")
    assert result.returncode == 0, result.stderr
    assert "roadmap: 8 areas, 40 steps" in result.stdout
    assert (tmp_path / "instance" / "assess.db").exists()  # the instance folder is the one given


@pytest.mark.skipif(not ASSESS.exists(), reason=f"the assess console script is not installed at {ASSESS}")
@pytest.mark.parametrize("command", [["check"], ["content", "--json"]])
def test_broken_content_stops_with_a_clear_message(tmp_path, command):
    broken = tmp_path / "questionnaires"
    shutil.copytree(ROOT / "questionnaires", broken)
    text = (broken / "programme.yaml").read_text(encoding="utf-8")
    (broken / "programme.yaml").write_text(text.replace("kind: yes_no", "kind: maybe", 1), encoding="utf-8")
    (broken / "links.yaml").write_text("links: [\n", encoding="utf-8")
    result = run_assess(command, tmp_path, broken)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "The content files have problems; the app cannot start:" in result.stderr
    assert (
        f"{broken / 'programme.yaml'}: goals[0] (1).actions[0] (p1-a1).metrics[0] (p1-a1-m1): "
        'unknown metric kind "maybe"' in result.stderr
    )
    assert f"{broken / 'links.yaml'}: line " in result.stderr and "not valid YAML" in result.stderr
    assert result.stdout == ""
