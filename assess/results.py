"""The result of an assessment: stage, index, steps and next actions per area (pure).

One function, ``compute``, turns the answers of one or more respondents into everything the
results page, `assess score`, the history and the exports need, as plain JSON-serialisable
data, so every part reads the same numbers. With one respondent the item values are that
respondent's answers; with several they are the team values (medians, see assess.team) and
the result also carries the team data: per item the distribution and the discuss flag, per
area the spread and the items to discuss.

Shape (``compute``)::

    {"questionnaire": "quick", "content_version": "…", "threshold": 0.75, "respondents": N,
     "team": N >= 2,
     "values": {item: value | None},   # effective answers: None = don't know, absent = unanswered
     "items": {item: {"value", "answered", "dont_know", "unanswered", "distribution": [n0..n4],
                      "span", "discuss"}},          # only when "team"
     "areas": [{"area", "status", "stage", "index", "answered", "total",
                "steps": [{"step", "fulfilment", "reached", "answered", "total"}],
                "next_step": step id | None,
                "next_actions": [{"item", "value", "kind"}],   # kind improve | find_out | keep_up
                "programme_goals": [numbers],
                "spread": float | None, "discuss": [item ids]}]}   # spread/discuss only when "team"

Values are whole numbers as ints (3) and team medians between two points as floats (2.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import next_actions, scoring, team
from .content import Content
from .domain import is_answer_value

Response = Mapping[str, int | None]


def _number(value: float | None) -> int | float | None:
    """3.0 -> 3, 2.5 -> 2.5: whole values read (and serialise) as whole numbers."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _effective_values(
    items: Sequence[str], responses: Sequence[Response], aggregates: Mapping[str, team.ItemAggregate] | None
) -> dict[str, Any]:
    """Item -> value (None = don't know); unanswered items left out; in questionnaire order."""
    if aggregates is not None:
        return {item: _number(v) for item, v in team.team_answers(aggregates).items()}
    only = responses[0] if responses else {}
    values: dict[str, Any] = {}
    for item in items:
        if item not in only:
            continue
        raw = only[item]
        if raw is not None and not is_answer_value(raw):
            raise ValueError(f"answer for {item!r} must be a whole number 0..4 or None, got {raw!r}")
        values[item] = _number(raw)
    return values


def _item_data(agg: team.ItemAggregate) -> dict[str, Any]:
    return {
        "value": _number(agg.value),
        "answered": agg.answered,
        "dont_know": agg.dont_know,
        "unanswered": agg.unanswered,
        # A list rather than {0: n}: JSON keys would become strings, and the cached result
        # must read back exactly as computed.
        "distribution": [agg.distribution[point] for point in range(scoring.MAX_VALUE + 1)],
        "span": agg.span,
        "discuss": agg.discuss,
    }


def compute(content: Content, questionnaire_id: str, responses: Sequence[Response]) -> dict[str, Any]:
    """Score every area of the questionnaire for these responses (see the module docstring).

    ``responses``: one mapping per respondent, item -> 0..4 or None ("don't know"); an item
    left out is unanswered. Raises KeyError for an unknown questionnaire and ValueError for a
    value outside the scale.
    """
    questionnaire = content.questionnaire(questionnaire_id)
    if questionnaire is None:
        raise KeyError(f"unknown questionnaire {questionnaire_id!r}")
    items = list(questionnaire.items)
    is_team = len(responses) >= 2
    aggregates = team.aggregate(items, responses) if is_team else None
    values = _effective_values(items, responses, aggregates)

    areas = []
    for area_id, steps in content.area_items(questionnaire):
        score = scoring.score_area(area_id, steps, values, questionnaire.threshold)
        index = next_actions.next_step_index(score)
        next_step = score.steps[index].step if index is not None else None
        area: dict[str, Any] = {
            "area": area_id,
            "status": score.status,
            "stage": score.stage,
            "index": score.index,
            "answered": score.answered,
            "total": score.total,
            "steps": [
                {
                    "step": s.step,
                    "fulfilment": s.fulfilment,
                    "reached": s.reached,
                    "answered": s.answered,
                    "total": s.total,
                }
                for s in score.steps
            ],
            "next_step": next_step,
            "next_actions": [
                {"item": a.item, "value": _number(a.value), "kind": a.kind}
                for a in next_actions.next_actions(score, steps, values)
            ],
            "programme_goals": (
                [link.goal for link in content.goals_for_step(next_step)] if next_step else []
            ),
        }
        if aggregates is not None:
            area_item_ids = [i for _step, ids in steps for i in ids]
            area["spread"] = team.area_spread(aggregates, area_item_ids)
            area["discuss"] = team.discuss_items(aggregates, area_item_ids)
        areas.append(area)

    result: dict[str, Any] = {
        "questionnaire": questionnaire.id,
        "content_version": content.version,
        "threshold": questionnaire.threshold,
        "respondents": len(responses),
        "team": is_team,
        "values": values,
        "areas": areas,
    }
    if aggregates is not None:
        result["items"] = {item: _item_data(agg) for item, agg in aggregates.items()}
    return result


def area_result(result: Mapping[str, Any], area_id: str) -> dict[str, Any]:
    """One area's part of a result; KeyError when the result has no such area."""
    for area in result["areas"]:
        if area["area"] == area_id:
            return area
    raise KeyError(area_id)


def cli_document(result: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON `assess score` prints (with two or more respondents, also the team figures)."""
    is_team = result["respondents"] >= 2
    areas: dict[str, Any] = {}
    for area in result["areas"]:
        doc: dict[str, Any] = {
            "stage": area["stage"],
            "index": area["index"],
            "status": area["status"],
            "steps": [
                {"step": s["step"], "fulfilment": s["fulfilment"], "reached": s["reached"]}
                for s in area["steps"]
            ],
            "next_actions": [{"item": a["item"], "value": a["value"]} for a in area["next_actions"]],
            "programme_goals": list(area["programme_goals"]),
        }
        if is_team:
            doc["spread"] = area["spread"]
            doc["discuss"] = list(area["discuss"])
        areas[area["area"]] = doc
    document: dict[str, Any] = {
        "questionnaire": result["questionnaire"],
        "content_version": result["content_version"],
        "areas": areas,
    }
    if is_team:
        document["respondents"] = result["respondents"]
    return document


def indices(result: Mapping[str, Any]) -> list[float | None]:
    """The maturity index per area in roadmap order (None where insufficient): the radar."""
    return [area["index"] for area in result["areas"]]


def fulfilment_grid(result: Mapping[str, Any]) -> list[list[float | None]]:
    """Areas x steps fulfilment (None: nothing answered): the heatmap."""
    return [[s["fulfilment"] for s in area["steps"]] for area in result["areas"]]


def reached_grid(result: Mapping[str, Any]) -> list[list[bool]]:
    """Areas x steps: whether each step is reached."""
    return [[s["reached"] for s in area["steps"]] for area in result["areas"]]
