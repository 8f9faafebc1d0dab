"""The results page of an assessment: stage and index per area, the charts, next actions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .. import charts, results
from ..content import Content
from ..i18n import current_lang
from ..security import login_required, require_org
from ..state import content_at, get_db
from ..storage import assessments
from ..storage import plan as plan_store
from ..storage import results as result_store

bp = Blueprint("results", __name__)


def statement(area: dict, content: Content, lang: str) -> str:
    """"Tieto ja data: vaihe 2/5 – Käytä analyysityökaluja", plainly, per area."""
    title = content.area(area["area"]).title.get(lang)
    if area["status"] != "ok":
        return _("%(area)s: not enough answers", area=title)
    if area["stage"] == 0:
        return _("%(area)s: not yet at stage 1", area=title)
    step = content.steps[area["steps"][area["stage"] - 1]["step"]]
    return _("%(area)s: stage %(stage)d/5 – %(step)s", area=title, stage=area["stage"],
             step=step.title.get(lang))


def figures(result: dict, content: Content, lang: str) -> dict[str, Any]:
    """The radar and the heatmap of a result, labelled in the reader's language."""
    labels = [content.area(a["area"]).title.get(lang) for a in result["areas"]]
    step_count = max((len(a["steps"]) for a in result["areas"]), default=5)
    return {
        "radar": charts.radar(labels, results.indices(result), name=_("Maturity index"), lang=lang),
        "heatmap": charts.heatmap(
            labels, [_("Step %(n)d", n=n) for n in range(1, step_count + 1)],
            results.fulfilment_grid(result), results.reached_grid(result), lang=lang,
        ),
    }


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
    return render_template(
        "results/show.html",
        org=org, assessment=assessment, content=content, questionnaire=questionnaire,
        result=result, figures=figures(result, content, lang),
        statements={a["area"]: statement(a, content, lang) for a in result["areas"]},
        scale={o.value: o.label.get(lang) for o in questionnaire.scale},
        in_plan=plan_store.entries_by_item(db, org["id"]),
        nav_active="orgs.dashboard",
    )
