"""`assess score QUESTIONNAIRE FILE.json [MORE.json ...]`: score answer files without the web UI.

Each file is ``{"answers": {"<item id>": 0-4 or null}}``. One file prints the result of
those answers, two or more the team result. Every problem in every file is
collected first and reported together on stderr, so a user fixes them all in one go;
nothing goes to stdout then. Needs only the content, no database rows.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import domain
from ..content import Content
from ..results import cli_document, compute


class _Duplicate(dict):
    """A JSON object that remembers keys given more than once (json keeps only the last)."""

    duplicates: list[str]


def _object_pairs(pairs: list[tuple[str, Any]]) -> _Duplicate:
    obj = _Duplicate()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python's json would accept them silently.
    raise ValueError(f"{name} is not valid JSON")


def _value_problem(value: Any) -> str | None:
    """Why a value is not a whole number 0-4 or null (None when it is fine)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"value {json.dumps(value)} is not a whole number 0-4 or null"
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        return f"value {json.dumps(value)} is not a whole number 0-4 or null"
    if not domain.is_answer_value(int(value)):
        return f"value {json.dumps(value)} is outside the scale 0-4"
    return None


def read_answer_file(
    path: Path, content: Content, questionnaire_items: set[str] | None, questionnaire_id: str
) -> tuple[dict[str, int | None], list[str]]:
    """Read and check one answer file: (answers, problems), each problem naming file and item.

    ``questionnaire_items`` None means the questionnaire is unknown: the items are then
    checked only against the roadmap.
    """
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return {}, [f"{name}: cannot be read: {reason}"]
    try:
        document = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return {}, [f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
    except ValueError as exc:
        return {}, [f"{name}: not valid JSON: {exc}"]
    if not isinstance(document, dict) or not isinstance(document.get("answers"), dict):
        return {}, [
            f'{name}: missing the "answers" object: the file must be '
            '{"answers": {"<item id>": 0-4 or null}}'
        ]
    raw: _Duplicate = document["answers"]
    problems = [f"{name}: item {key}: given more than once" for key in dict.fromkeys(raw.duplicates)]
    answers: dict[str, int | None] = {}
    for item, value in raw.items():
        if item not in content.items:
            problems.append(f"{name}: item {item}: unknown item id")
        elif questionnaire_items is not None and item not in questionnaire_items:
            problems.append(f"{name}: item {item}: not in questionnaire {questionnaire_id}")
        problem = _value_problem(value)
        if problem:
            problems.append(f"{name}: item {item}: {problem}")
        else:
            answers[item] = None if value is None else int(value)
    return answers, problems


@click.command("score")
@click.argument("questionnaire")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def score_command(questionnaire: str, files: tuple[Path, ...]) -> None:
    """Score answer files {"answers": {"<item id>": 0-4 or null}} and print the result as JSON.

    With two or more files the result is the team result (medians), with the spread and the
    statements to discuss per area.
    """
    content: Content = current_app.extensions["content"]
    problems: list[str] = []
    found = content.questionnaire(questionnaire)
    if found is None:
        known = ", ".join(q.id for q in content.questionnaires)
        problems.append(f"unknown questionnaire {questionnaire!r} (known: {known})")
    items = set(found.items) if found else None
    responses = []
    for path in files:
        answers, file_problems = read_answer_file(path, content, items, questionnaire)
        problems.extend(file_problems)
        responses.append(answers)
    if problems:
        click.echo(f"Nothing was scored: {len(problems)} problem(s):", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        raise click.exceptions.Exit(1)
    document = cli_document(compute(content, questionnaire, responses))
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
