"""The results page of an assessment: stage and index per area, the charts, next actions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .. import charts, results
from ..content import Content
from ..formatting import format_number
from ..i18n import current_lang
from ..pages import path_position, round_team
from ..pages.lifecycle_panel import panel as lifecycle_panel
from ..security import login_required, require_org
from ..state import content_at, get_db
from ..storage import assessments
from ..storage import history as history_store
from ..storage import plan as plan_store
from ..storage import results as result_store
from ..storage.rows import AssessmentRow

bp = Blueprint("results", __name__)


def statement(area: dict, content: Content, lang: str) -> str:
    """ "Tieto ja data: vaihe 2/5 – Käytä analyysityökaluja", plainly, per area."""
    title = content.area(area["area"]).title.get(lang)
    if area["status"] != "ok":
        return _("%(area)s: not enough answers", area=title)
    if area["stage"] == 0:
        return _("%(area)s: not yet at stage 1", area=title)
    step = content.steps[area["steps"][area["stage"] - 1]["step"]]
    return _(
        "%(area)s: stage %(stage)d/5 – %(step)s", area=title, stage=area["stage"], step=step.title.get(lang)
    )


def figures(result: dict, content: Content, lang: str) -> dict[str, Any]:
    """The radar and the heatmap of a result, labelled in the reader's language."""
    labels = [content.area(a["area"]).title.get(lang) for a in result["areas"]]
    step_count = max((len(a["steps"]) for a in result["areas"]), default=5)
    return {
        "radar": charts.radar(
            labels,
            results.indices(result),
            name=_("Maturity index"),
            lang=lang,
            missing=_("not enough answers"),
        ),
        "heatmap": charts.heatmap(
            labels,
            [_("Step %(n)d", n=n) for n in range(1, step_count + 1)],
            results.fulfilment_grid(result),
            results.reached_grid(result),
            lang=lang,
        ),
    }


def previous_indices(db: Any, assessment: AssessmentRow) -> tuple[int | None, dict[str, float | None]]:
    """The latest counted year before the assessment's and its maturity index per area: the
    "change" column of the results page (the lead compares with what was reported)."""
    counted = history_store.counting(db, assessment["org_id"])
    earlier = [year for year in counted if year < assessment["year"]]
    if not earlier:
        return None, {}
    row = counted[max(earlier)]
    result = result_store.result_for(db, row, content_at(row["content_version"]))
    return row["year"], {a["area"]: a["index"] for a in result["areas"]}


def goal_areas(result: dict, content: Content, lang: str) -> list[dict[str, Any]]:
    """Each programme goal that some area's next step advances, once, in goal order, with
    those areas (roadmap order) and why each step advances it."""
    by_goal: dict[int, list[dict[str, str]]] = {}
    for area in result["areas"]:
        if area["status"] != "ok" or not area["next_step"]:
            continue
        for link in content.goals_for_step(area["next_step"]):
            by_goal.setdefault(link.goal, []).append({"area": area["area"], "reason": link.reason.get(lang)})
    return [{"goal": content.goal(n), "areas": by_goal[n]} for n in sorted(by_goal) if content.has_goal(n)]


@bp.route("/assessments/<int:assessment_id>/results")
@login_required
def show(assessment_id: int) -> ResponseReturnValue:
    db = get_db()
    assessment = assessments.get_assessment(db, assessment_id)
    if assessment is None:
        abort(404)
    org = require_org(assessment["org_id"])
    content = content_at(assessment["content_version"])
    questionnaire = content.questionnaire(assessment["questionnaire"])
    if questionnaire is None:
        abort(404)
    lang = current_lang()
    result = result_store.result_for(db, assessment, content)
    previous_year, before = previous_indices(db, assessment)
    now = {a["area"]: a["index"] for a in result["areas"]}

    def change_text(area: str) -> str:
        if now.get(area) is None or before.get(area) is None:
            return "–"
        return format_number(now[area] - before[area], lang, decimals=2, signed=True)

    return render_template(
        "results/show.html",
        org=org,
        assessment=assessment,
        content=content,
        questionnaire=questionnaire,
        result=result,
        figures=figures(result, content, lang),
        statements={a["area"]: statement(a, content, lang) for a in result["areas"]},
        scale={o.value: o.label.get(lang) for o in questionnaire.scale},
        in_plan=plan_store.entries_by_item(db, org["id"]),
        previous_year=previous_year,
        change_text=change_text,
        goal_areas=goal_areas(result, content, lang),
        life=lifecycle_panel(db, assessment, org),
        path=path_position.rows(db, org, assessment, result, content, lang),
        team=round_team.team_result(db, assessment, content, result)
        if assessment["kind"] == "round"
        else None,
        nav_active="orgs.dashboard",
    )
