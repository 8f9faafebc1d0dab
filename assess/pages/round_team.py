"""The team result of a round as the round's pages need it: the result every part reads
(storage.results.result_for, i.e. assess.results.compute on the team values, cached once the
round is closed), arranged per area with the agreed stages, and anonymity applied."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .. import round_summary
from ..content import Content
from ..storage import results as result_store
from ..storage import rounds
from ..storage.rows import AssessmentRow


def team_result(db: Database, row: AssessmentRow, version: Content, result: dict | None = None) -> dict:
    """{"respondents": N (who answered something), "joined_without_answers": M,
    "anonymous": bool, "areas": {area: {...}}, "order": [areas, most divided first],
    "agreements": {area: row}, "content": the content version answered on}.

    Per area: "stage", "index", "status" (exactly as results.compute scores them), "spread"
    (None with fewer than two answers on every item), "discuss" (item ids) and
    "discuss_items": [{"item", "value", "answered", "dont_know", "span",
    "distribution" ([n0..n4], None when anonymity hides it)}].
    ``result``: the round's result when the caller already has it (results.compute shape).
    """
    if result is None:
        result = result_store.result_for(db, row, version)
    anonymous = bool(row["anonymous"])
    items: dict[str, Any] = result.get("items", {})
    areas: dict[str, dict] = {}
    for area in result["areas"]:
        discuss = list(area.get("discuss", []))
        areas[area["area"]] = {
            "stage": area["stage"],
            "index": area["index"],
            "status": area["status"],
            "spread": area.get("spread"),
            "discuss": discuss,
            "discuss_items": [_item_view(item, items[item], anonymous) for item in discuss],
        }
    order = round_summary.areas_by_spread(
        {a: v["spread"] for a, v in areas.items()}, [a.id for a in version.areas if a.id in areas]
    )
    joined = len(rounds.respondents(db, row["id"]))
    return {
        "respondents": result["respondents"],
        "joined_without_answers": max(0, joined - result["respondents"]),
        "anonymous": anonymous,
        "areas": areas,
        "order": order,
        "agreements": rounds.agreements(db, row["id"]),
        "content": version,
    }


def computed_stage(team: dict, area: str) -> int | None:
    """The area's stage as the team's answers give it; None when too few answered (an
    agreed stage then has nothing to differ from)."""
    computed = team["areas"][area]
    return computed["stage"] if computed["status"] == "ok" else None


def stage_titles(version: Content, lang: str) -> dict[str, dict[int, str]]:
    """Per area, stage number -> the title of the step reached at that stage (stage 0 has
    none): the projector's summary and the agreement page name stages by their steps."""
    return {area.id: {step.year: step.title.get(lang) for step in area.steps} for area in version.areas}


def _item_view(item: str, data: dict, anonymous: bool) -> dict:
    visible = round_summary.distribution_visible(anonymous, data["answered"])
    return {
        "item": item,
        "value": data["value"],
        "answered": data["answered"],
        "dont_know": data["dont_know"],
        "span": data["span"],
        "distribution": data["distribution"] if visible else None,
    }
