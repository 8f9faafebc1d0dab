"""The statement files (questionnaires/statements/<area>.yaml): the claims respondents rate.

Each roadmap item (a step's goal or action) gets a statement – one claim about the
organisation's present state, answerable on 0 "ei lainkaan" … 4 "täysin" – and a guidance that
names what answering 4 means. The roadmap text itself stays verbatim in roadmap.yaml.
"""

from __future__ import annotations

import re

from .model import Area, Questionnaire, Text, Wording
from .reader import Node, Problems

FOLDER = "statements"
STATEMENT_LENGTH = (15, 220)
GUIDANCE_LENGTH = (20, 600)

# A claim rated on a scale that starts at "not at all" must not itself be negated: a low answer
# to "we do not fear…" is a double negative nobody can read back.
_NEGATION = {
    "fi": re.compile(r"^\s*(ei|emme|en|eikä)\b", re.IGNORECASE),
    "en": re.compile(r"^\s*(no|not|we do not|we don't)\b", re.IGNORECASE),
}
# Nobody can rate how well a duty describes them: a statement says what is, not what should be.
_DUTY = {
    "fi": re.compile(r"\b(tulee|pitää|täytyy|on syytä)\b", re.IGNORECASE),
    "en": re.compile(r"\b(should|must|ought)\b", re.IGNORECASE),
}
_LANG_NAMES = {"fi": "Finnish", "en": "English"}


def normalised(text: str) -> str:
    """The statement as compared for sameness: case and runs of white space ignored."""
    return " ".join(text.split()).casefold()


def read_area(root: Node, area: Area, item_areas: dict[str, str]) -> dict[str, Wording]:
    """The statements of one area file, each problem reported with its place and fix."""
    root.unknown_keys({"version", "area", "items"})
    area_node = root.get("area", str)
    if area_node is not None and area_node.value != area.id:
        area_node.fail(f'the area must be "{area.id}", as the file name says; found "{area_node.value}"')
    # roadmap.yaml's order: each goal followed by its actions
    expected = [
        i for s in area.steps for g in s.goals for i in (g.id, *(x.id for x in s.actions if x.goal == g.id))
    ]
    items_node = root.get("items", dict)
    if items_node is None:
        return {}
    found: dict[str, Wording] = {}
    for item_id, value in items_node.value.items():
        node = Node(root.problems, root.file, value, f"items.{item_id}")
        if item_id not in item_areas:
            node.fail(f'"{item_id}" is not a goal or action id of the roadmap; remove it or correct the id')
            continue
        if item_areas[item_id] != area.id:
            node.fail(
                f'"{item_id}" belongs to the area "{item_areas[item_id]}"; move it to '
                f"{FOLDER}/{item_areas[item_id]}.yaml"
            )
            continue
        if not node.is_a(dict):
            continue
        node.unknown_keys({"statement", "guidance"})
        statement, guidance = node.text("statement"), node.text("guidance")
        ok = statement is not None and guidance is not None
        if statement is not None:
            ok &= _check_statement(node, statement)
        if guidance is not None:
            ok &= _check_length(node, "guidance", guidance, GUIDANCE_LENGTH)
        if ok and statement is not None and guidance is not None:
            found[item_id] = Wording(statement, guidance)
    missing = [i for i in expected if i not in items_node.value]
    if missing:
        items_node.fail(
            f"no statement for {', '.join(missing)}; add one for every goal and action of the area"
        )
    elif list(items_node.value) != expected and not any(i not in expected for i in items_node.value):
        first = next(n for n, (a, b) in enumerate(zip(items_node.value, expected, strict=True)) if a != b)
        items_node.fail(
            f"the items are in the roadmap's order: expected {expected[first]} at "
            f"place {first + 1}, found {list(items_node.value)[first]}; reorder them"
        )
    return found


def _check_length(node: Node, key: str, text: Text, bounds: tuple[int, int]) -> bool:
    ok = True
    low, high = bounds
    for lang in ("fi", "en"):
        length = len(text.get(lang))
        if not low <= length <= high:
            node.fail(f"{key}.{lang}: {length} characters; write {low}-{high}")
            ok = False
    return ok


def _check_statement(node: Node, statement: Text) -> bool:
    ok = _check_length(node, "statement", statement, STATEMENT_LENGTH)
    for lang in ("fi", "en"):
        text = statement.get(lang)
        if _NEGATION[lang].search(text):
            node.fail(
                f"statement.{lang}: starts with a negation; on a scale that starts at "
                f'"not at all" say the same positively ({_LANG_NAMES[lang]})'
            )
            ok = False
        duty = _DUTY[lang].search(text)
        if duty:
            node.fail(
                f'statement.{lang}: states a duty ("{duty.group(0)}"); say what the '
                "organisation does or has now, not what it should do"
            )
            ok = False
    return ok


def check_distinct(
    problems: Problems, questionnaire: Questionnaire, wordings: dict[str, Wording], files: dict[str, str]
) -> None:
    """Two items of one questionnaire with the same statement could not be told apart, and
    the later step would be reached whenever the earlier one is. ``files`` names the statement
    file of each item's area, where the problem is reported."""
    for lang in ("fi", "en"):
        seen: dict[str, str] = {}
        for item_id in questionnaire.items:
            wording = wordings.get(item_id)
            if wording is None:
                continue
            key = normalised(wording.statement.get(lang))
            if key in seen:
                problems.add(
                    files[item_id],
                    f"items.{item_id}.statement.{lang}",
                    f'the same statement as {seen[key]} ("{wording.statement.get(lang)[:60]}"), '
                    f'and both are in the questionnaire "{questionnaire.id}"; make each say '
                    "what distinguishes its step",
                )
            else:
                seen[key] = item_id
