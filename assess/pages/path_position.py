"""An assessment's position on the organisation's five-year path, per area, as the results
page shows it (templates/history/_path_position.html and the results page's glance table)."""

from __future__ import annotations

from sqlite_utils import Database

from .. import history
from ..content import Content
from ..progress import expected_step, path_position
from ..storage import history as history_store
from ..storage import metrics as metrics_store
from ..storage.rows import AssessmentRow, OrganisationRow
from .years import position_texts


def rows(
    db: Database, org: OrganisationRow, assessment: AssessmentRow, result: dict, content: Content, lang: str
) -> dict:
    """Per area the stage that counts (the agreed one where the team agreed), the expected
    step for the assessment's year, the position in words and the year's target:
    {"start_year", "expected", "year", "rows": [{"area", "label", "stage", "agreed",
    "position", "text", "target"}]}."""
    start_year = org.get("path_start_year")
    expected = expected_step(start_year, assessment["year"])
    agreed = history_store.agreed_stages(db, [assessment["id"]])[assessment["id"]]
    targets = metrics_store.targets_for_year(db, org["id"], assessment["year"])
    texts = position_texts()
    found = []
    for area in result["areas"]:
        value = history.AreaYear(area["stage"], area["index"], agreed.get(area["area"]))
        position = path_position(value.effective_stage, expected)
        found.append(
            {
                "area": area["area"],
                "label": content.area(area["area"]).title.get(lang),
                "stage": value.stage,
                "agreed": value.agreed,
                "position": position,
                "text": texts[position],
                "target": targets.get(area["area"]),
            }
        )
    return {"start_year": start_year, "expected": expected, "year": assessment["year"], "rows": found}
