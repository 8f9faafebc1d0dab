"""Loading and validating the content files in questionnaires/ (YAML) into a Content."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from . import statements as statement_files
from .document import content_version
from .glossary import read_glossary
from .model import (
    METRIC_KINDS,
    Action,
    Area,
    Content,
    Goal,
    Link,
    Metric,
    ProgrammeAction,
    ProgrammeGoal,
    Questionnaire,
    ScaleOption,
    Step,
    Text,
    Theme,
    Wording,
)
from .reader import ContentError, Node, Problems

FIXED_FILES = ("roadmap.yaml", "programme.yaml", "links.yaml", "glossary.yaml")
OTHER_FILES = ("benchmark.yaml",)
"""Files of the folder with a loader of their own (content.profile_classes): not questionnaires."""
SCALE_VALUES = (0, 1, 2, 3, 4, None)
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A key given twice: valid YAML syntax, but the content would silently lose one value."""


# libyaml's parser when PyYAML has it: the content is read on every start, and the pure-Python
# parser spends seconds on the statement files.
_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key given twice (PyYAML would silently keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise _DuplicateKey(None, None, f'the key "{key}" appears twice; keep one', mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _read(path: Path, problems: Problems) -> Any:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(str(path), "", "the file is missing; restore it from version control")
        return None
    except UnicodeDecodeError as exc:
        problems.add(str(path), f"byte {exc.start}", "is not UTF-8 text; save the file as UTF-8")
        return None
    try:
        return yaml.load(raw, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, _DuplicateKey):
            problems.add(str(path), place, what)
        else:
            problems.add(str(path), place, f"is not valid YAML ({what}); fix the syntax there")
        return None


def _version(root: Node) -> int:
    node = root.get("version", int)
    if node is not None and node.value < 1:
        node.fail("must be a whole number 1 or larger")
    return node.value if node is not None else 0


def _roadmap(root: Node) -> tuple[Area, ...]:
    root.unknown_keys({"version", "areas"})
    areas_node = root.get("areas", list)
    areas: list[Area] = []
    seen_areas: set[str] = set()
    for an in areas_node.children() if areas_node else []:
        if not an.is_a(dict):
            continue
        an.unknown_keys({"id", "title", "steps"})
        area_id, title = an.string("id"), an.text("title")
        if area_id is not None and not _ID.match(area_id):
            an.fail(f'the id "{area_id}" may hold only a-z, 0-9 and single hyphens')
        if area_id in seen_areas:
            an.fail(f'the area id "{area_id}" is used twice; area ids must be unique')
        seen_areas.add(area_id or "")
        steps_node = an.get("steps", list)
        steps = [_step(sn, area_id or "?") for sn in (steps_node.children() if steps_node else [])]
        years = [s.year for s in steps if s is not None]
        if steps_node is not None and years != [1, 2, 3, 4, 5]:
            steps_node.fail(f"an area has exactly five steps for years 1-5 in order; found years {years}")
        if area_id and title and all(steps) and steps:
            areas.append(Area(area_id, title, tuple(s for s in steps if s)))
    if areas_node is not None and not areas_node.value:
        areas_node.fail("the roadmap has no areas; add them")
    return tuple(areas)


def _step(sn: Node, area_id: str) -> Step | None:
    if not sn.is_a(dict):
        return None
    sn.unknown_keys({"id", "year", "title", "goals"})
    step_id, title = sn.string("id"), sn.text("title")
    year_node = sn.get("year", int)
    year = year_node.value if year_node else 0
    # Without a valid year the id cannot be checked; the year's own problem is reported.
    if step_id is not None and year_node is not None and step_id != f"{area_id}-{year}":
        sn.fail(f'the step id must be "{area_id}-{year}" (area id and year), found "{step_id}"')
    goals: list[Goal] = []
    actions: list[Action] = []
    goals_node = sn.get("goals", list)
    for gn in goals_node.children() if goals_node else []:
        if not gn.is_a(dict):
            continue
        gn.unknown_keys({"id", "text", "actions"})
        expected = f"{step_id}-g{len(goals) + 1}"
        goal_id, text = gn.string("id"), gn.text("text")
        if goal_id is not None and goal_id != expected:
            gn.fail(
                f'goals are numbered in order within the step: expected id "{expected}", found "{goal_id}"'
            )
        actions_node = gn.get("actions", list, required=False)
        for act in actions_node.children() if actions_node else []:
            if not act.is_a(dict):
                continue
            act.unknown_keys({"id", "text"})
            expected_a = f"{step_id}-a{len(actions) + 1}"
            action_id, atext = act.string("id"), act.text("text")
            if action_id is not None and action_id != expected_a:
                act.fail(
                    f"actions are numbered straight through the step: expected id "
                    f'"{expected_a}", found "{action_id}"'
                )
            actions.append(Action(expected_a, atext or Text("", ""), expected))
        goals.append(Goal(expected, text or Text("", "")))
    if goals_node is not None and not goals:
        goals_node.fail("a step needs at least one goal")
    if step_id is None or title is None or year_node is None:
        return None
    return Step(step_id, area_id, year, title, tuple(goals), tuple(actions))


def _programme(root: Node) -> tuple[Text | None, tuple[Theme, ...], tuple[ProgrammeGoal, ...]]:
    root.unknown_keys({"version", "title", "introduction", "themes", "goals"})
    title = root.text("title")
    if root.get("introduction", dict, required=False) is not None:
        root.text("introduction")
    themes: list[Theme] = []
    themes_node = root.get("themes", list)
    for tn in themes_node.children() if themes_node else []:
        if not tn.is_a(dict):
            continue
        tn.unknown_keys({"id", "title"})
        tid, ttitle = tn.string("id"), tn.text("title")
        if tid and any(t.id == tid for t in themes):
            tn.fail(f'the theme id "{tid}" is used twice')
        if tid and ttitle:
            themes.append(Theme(tid, ttitle))
    theme_ids = {t.id for t in themes}
    goals: list[ProgrammeGoal] = []
    metric_ids: set[str] = set()
    goals_node = root.get("goals", list)
    for gn in goals_node.children("number") if goals_node else []:
        if not gn.is_a(dict):
            continue
        gn.unknown_keys({"number", "theme", "text", "actions"})
        num_node, theme, text = gn.get("number", int), gn.string("theme"), gn.text("text")
        number = len(goals) + 1  # the goal's place decides; a wrong number is reported once
        if num_node and num_node.value != number:
            num_node.fail(f"goals are numbered 1, 2, 3... in order: expected {number}")
        if theme is not None and theme not in theme_ids:
            gn.fail(f'refers to the theme "{theme}", which is not among the themes above')
        actions: list[ProgrammeAction] = []
        actions_node = gn.get("actions", list)
        for an in actions_node.children() if actions_node else []:
            if not an.is_a(dict):
                continue
            an.unknown_keys({"id", "text", "metrics"})
            expected = f"p{number}-a{len(actions) + 1}"
            aid, atext = an.string("id"), an.text("text")
            if aid is not None and aid != expected:
                an.fail(f'expected the action id "{expected}", found "{aid}"')
            metrics: list[Metric] = []
            metrics_node = an.get("metrics", list)
            for mn in metrics_node.children() if metrics_node else []:
                if not mn.is_a(dict):
                    continue
                mn.unknown_keys({"id", "text", "kind"})
                expected_m = f"{expected}-m{len(metrics) + 1}"
                mid, mtext, kind = mn.string("id"), mn.text("text"), mn.string("kind")
                if mid is not None and mid != expected_m:
                    mn.fail(f'expected the metric id "{expected_m}", found "{mid}"')
                if kind is not None and kind not in METRIC_KINDS:
                    mn.fail(f'unknown metric kind "{kind}"; use one of {", ".join(METRIC_KINDS)}')
                if expected_m in metric_ids:
                    mn.fail(f'the metric id "{expected_m}" is used twice')
                metric_ids.add(expected_m)
                metrics.append(Metric(expected_m, mtext or Text("", ""), kind or "text"))
            if metrics_node is not None and not metrics:
                metrics_node.fail("an action needs at least one metric")
            actions.append(ProgrammeAction(expected, atext or Text("", ""), tuple(metrics)))
        if actions_node is not None and not actions:
            actions_node.fail("a goal needs at least one action")
        goals.append(ProgrammeGoal(number, theme or "", text or Text("", ""), tuple(actions)))
    return title, tuple(themes), tuple(goals)


def _links(root: Node, steps: set[str], goal_numbers: set[int]) -> tuple[Link, ...]:
    problems_before = len(root.problems.items)
    root.unknown_keys({"version", "links"})
    links: list[Link] = []
    links_node = root.get("links", list)
    for ln in links_node.children("step") if links_node else []:
        if not ln.is_a(dict):
            continue
        ln.unknown_keys({"step", "goal", "reason"})
        step, goal_node, reason = ln.string("step"), ln.get("goal", int), ln.text("reason")
        if step is not None and step not in steps:
            ln.fail(f'refers to the roadmap step "{step}", which does not exist')
        if goal_node is not None and goal_node.value not in goal_numbers:
            goal_node.fail(f"refers to programme goal {goal_node.value}, which does not exist")
        if step and goal_node and any(lk.step == step and lk.goal == goal_node.value for lk in links):
            ln.fail(f"links {step} to goal {goal_node.value} a second time; remove the duplicate")
        if step and goal_node and reason:
            links.append(Link(step, goal_node.value, reason))
    if links_node is not None and steps and goal_numbers and len(root.problems.items) == problems_before:
        for step in sorted(steps - {lk.step for lk in links}):
            links_node.fail(f'the step "{step}" links to no programme goal; add a link')
        for number in sorted(goal_numbers - {lk.goal for lk in links}):
            links_node.fail(f"programme goal {number} is reached from no step; add a link")
    return tuple(links)


def _questionnaire(root: Node, qid: str, content_items: dict[str, str]) -> Questionnaire | None:
    problems_before = len(root.problems.items)
    root.unknown_keys({"version", "id", "title", "description", "threshold", "scale", "items"})
    version = _version(root)
    file_id, title, description = root.string("id"), root.text("title"), root.text("description")
    if file_id is not None and file_id != qid:
        root.fail(f'the id "{file_id}" must match the file name "{qid}.yaml"')
    threshold_node = root.get("threshold", float if isinstance(root.value.get("threshold"), float) else int)
    threshold = float(threshold_node.value) if threshold_node else 0.0
    if threshold_node and not 0 < threshold <= 1:
        threshold_node.fail("the threshold is a share between 0 and 1, e.g. 0.75")
    scale: list[ScaleOption] = []
    scale_node = root.get("scale", list)
    for sn in scale_node.children("value") if scale_node else []:
        if not sn.is_a(dict):
            continue
        sn.unknown_keys({"value", "label"})
        value = sn.value.get("value")
        if value not in SCALE_VALUES or isinstance(value, bool):
            sn.fail(f"the value must be 0, 1, 2, 3, 4 or null (don't know), found {value!r}")
        label = sn.text("label")
        if label:
            scale.append(ScaleOption(value, label))
    if scale_node is not None and sorted((o.value for o in scale), key=lambda v: -1 if v is None else v) != [
        None,
        0,
        1,
        2,
        3,
        4,
    ]:
        scale_node.fail("the scale must have each of the values 0, 1, 2, 3, 4 and null once")
    items: list[str] = []
    items_node = root.get("items", list)
    for i, node in enumerate(items_node.children() if items_node else []):
        if not isinstance(node.value, str) or node.value not in content_items:
            node.fail(f"item {i + 1}: {node.value!r} is not a goal or action id of the roadmap")
        elif node.value in items:
            node.fail(f'the item "{node.value}" is listed twice')
        else:
            items.append(node.value)
    if items_node is not None and len(root.problems.items) == problems_before:
        covered = {content_items[i] for i in items}
        for step in dict.fromkeys(content_items.values()):
            if step not in covered:
                items_node.fail(
                    f'the step "{step}" has no item; every step needs at least one, '
                    "or its stage could never be reached"
                )
    if not (title and description and threshold_node and scale_node and items_node):
        return None
    return Questionnaire(qid, title, description, threshold, tuple(scale), tuple(items), version)


def load_content(folder: Path) -> Content:
    """Read, validate and assemble every content file in folder; raise ContentError listing all problems."""
    problems = Problems()
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError([f"{folder}: the content folder is missing"])
    q_paths = sorted(p for p in folder.glob("*.yaml") if p.name not in FIXED_FILES + OTHER_FILES)
    if not q_paths:
        problems.add(str(folder), "", "there is no questionnaire file; add e.g. quick.yaml")
    # Parse every file first, so that a syntax error in one does not hide the problems of the others.
    nodes: dict[str, Node] = {}
    for path in [*(folder / name for name in FIXED_FILES), *q_paths]:
        before = len(problems.items)
        value = _read(path, problems)
        if len(problems.items) == before:
            node = Node(problems, str(path), value)
            if node.is_a(dict):
                nodes[path.name] = node
    versions = {name.removesuffix(".yaml"): _version(nodes[name]) for name in FIXED_FILES if name in nodes}

    def sound(name: str, validate: Callable[[Node], Any]) -> tuple[Any, bool]:
        """validate(node) for a parsed file, and whether it found nothing wrong there."""
        if name not in nodes:
            return None, False
        before = len(problems.items)
        result = validate(nodes[name])
        return result, len(problems.items) == before

    areas, roadmap_ok = sound("roadmap.yaml", _roadmap)
    programme, programme_ok = sound("programme.yaml", _programme)
    areas = areas or ()
    title, themes, goals = programme or (None, (), ())
    # References can only be checked against a roadmap and a programme that are sound themselves.
    links: tuple[Link, ...] = ()
    if roadmap_ok and programme_ok and "links.yaml" in nodes:
        steps = {s.id for a in areas for s in a.steps}
        links = _links(nodes["links.yaml"], steps, {g.number for g in goals})
    questionnaires = []
    if roadmap_ok:
        item_steps = {i.id: s.id for a in areas for s in a.steps for i in (*s.goals, *s.actions)}
        for path in q_paths:
            if path.name in nodes:
                q = _questionnaire(nodes[path.name], path.stem, item_steps)
                if q is not None:
                    questionnaires.append(q)
                    versions[q.id] = q.version
    glossary, _ = sound("glossary.yaml", read_glossary)
    if roadmap_ok:
        areas = _with_statements(folder, areas, tuple(questionnaires), problems, versions)
    problems.raise_if_any()
    assert title is not None  # validated above
    content = Content("", areas, title, themes, goals, links, tuple(questionnaires), versions, glossary or ())
    return _with_version(content)


def _with_statements(
    folder: Path,
    areas: tuple[Area, ...],
    questionnaires: tuple[Questionnaire, ...],
    problems: Problems,
    versions: dict[str, int],
) -> tuple[Area, ...]:
    """The areas with each item's statement and guidance from statements/<area>.yaml."""
    from dataclasses import replace

    sub = folder / statement_files.FOLDER
    if not sub.is_dir():
        problems.add(
            str(sub),
            "",
            "the folder of statement files is missing; add one file per "
            f"area ({', '.join(a.id + '.yaml' for a in areas)})",
        )
        return areas
    item_areas = {i.id: a.id for a in areas for s in a.steps for i in s.goals + s.actions}
    area_ids = {a.id for a in areas}
    for path in sorted(sub.glob("*.yaml")):
        if path.stem not in area_ids:
            problems.add(
                str(path),
                "",
                f'there is no roadmap area "{path.stem}"; name the file after an area id, or remove it',
            )
    wordings: dict[str, Wording] = {}
    files: dict[str, str] = {}
    for area in areas:
        path = sub / f"{area.id}.yaml"
        before = len(problems.items)
        value = _read(path, problems)
        if len(problems.items) != before:
            continue
        node = Node(problems, str(path), value)
        if not node.is_a(dict):
            continue
        found = statement_files.read_area(node, area, item_areas)
        wordings.update(found)
        files.update(dict.fromkeys(found, str(path)))
        versions[f"{statement_files.FOLDER}/{area.id}"] = _version(node)
    for questionnaire in questionnaires:
        statement_files.check_distinct(problems, questionnaire, wordings, files)

    def worded(step: Step) -> Step:
        return replace(
            step,
            goals=tuple(replace(g, wording=wordings.get(g.id)) for g in step.goals),
            actions=tuple(replace(x, wording=wordings.get(x.id)) for x in step.actions),
        )

    return tuple(replace(a, steps=tuple(worded(s) for s in a.steps)) for a in areas)


def _with_version(content: Content) -> Content:
    from dataclasses import replace

    return replace(content, version=content_version(content))


__all__ = ["ContentError", "load_content"]
