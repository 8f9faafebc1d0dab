"""Answering a single assessment: its overview, one page per area, marking it final."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .. import answering
from ..content import Content, Questionnaire
from ..formatting import content_version_labels
from ..forms import ConfirmForm
from ..i18n import current_lang
from ..pages import answer_form, area_flow, links, plan_carry
from ..pages.lifecycle_panel import panel as lifecycle_panel
from ..security import login_required, require_org
from ..state import content_at, get_db
from ..storage import assessments, content_store
from ..storage.rows import AssessmentRow, OrgWithRole, RespondentRow

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


@dataclass
class Context:
    """An assessment the user may see, with what every page about it needs."""

    assessment: AssessmentRow
    org: OrgWithRole
    content: Content
    questionnaire: Questionnaire
    respondent: RespondentRow
    answers: dict[str, int | None]
    progress: answering.Progress
    areas: list[str]

    @property
    def can_edit(self) -> bool:
        return self.org["role"] == "lead" and self.assessment["status"] == "open"


def _load(assessment_id: int, *, lead: bool = False) -> Context:
    """The assessment or 404 (unknown, another organisation's, a round); 403 for a viewer's
    lead action. Content is always the version it was answered on."""
    db = get_db()
    assessment = assessments.get_assessment(db, assessment_id)
    if assessment is None:
        abort(404)
    org = require_org(assessment["org_id"], lead=lead)
    if assessment["kind"] != "single":
        abort(404)
    content = content_at(assessment["content_version"])
    questionnaire = content.questionnaire(assessment["questionnaire"])
    if questionnaire is None:
        abort(404)
    respondent = assessments.shared_respondent(db, assessment_id)
    answers = assessments.respondent_answers(db, respondent["id"])
    progress = answering.progress(content.area_items(questionnaire), answers)
    return Context(
        assessment,
        org,
        content,
        questionnaire,
        respondent,
        answers,
        progress,
        answer_form.answerable_areas(content, questionnaire),
    )


@bp.route("/<int:assessment_id>")
@login_required
def overview(assessment_id: int) -> ResponseReturnValue:
    row = assessments.get_assessment(get_db(), assessment_id)
    if row is not None and row["kind"] != "single":
        require_org(row["org_id"])  # a round of another organisation stays hidden
        target = links.assessment_url(row)  # a round has its own page
        if target is None:
            abort(404)
        return redirect(target)
    ctx = _load(assessment_id)
    return render_template(
        "assessments/overview.html",
        ctx=ctx,
        org=ctx.org,
        assessment=ctx.assessment,
        form=ConfirmForm(),
        plan_carry=plan_carry.section(ctx.org, ctx.assessment),
        life=lifecycle_panel(get_db(), ctx.assessment, ctx.org),
        version_label=content_version_labels(content_store.first_used(get_db()), current_lang()).get(
            ctx.assessment["content_version"], ""
        ),
        nav_active="orgs.dashboard",
    )


def _answerer(assessment_id: int, *, lead: bool = False) -> area_flow.Answerer:
    """The assessment's shared respondent, answered by the organisation's leads; a viewer
    sees the answers read-only (``lead``: 403 for a viewer, as for every lead action)."""
    ctx = _load(assessment_id, lead=lead)
    final = ctx.assessment["status"] == "final"
    if final:
        read_only: str | None = _("This assessment is final: the answers are shown but cannot be changed.")
    elif not ctx.can_edit:
        read_only = _("You can view the answers; only a lead of the organisation can change them.")
    else:
        read_only = None
    return area_flow.Answerer(
        who="lead",
        content=ctx.content,
        questionnaire=ctx.questionnaire,
        respondent_id=ctx.respondent["id"],
        frame=area_flow.Frame(
            title=links.assessment_title(ctx.assessment),
            home_url=url_for(".overview", assessment_id=assessment_id),
            badge=_("Final") if final else None,
            org=ctx.org,
        ),
        read_only=read_only,
        refusal=_("This assessment has been marked final, so nothing was saved.") if final else None,
        area_url=lambda area_id: url_for(".area", assessment_id=assessment_id, area_id=area_id),
        reload=lambda: _answerer(assessment_id),
    )


@bp.route("/<int:assessment_id>/areas/<area_id>", methods=["GET", "POST"])
@login_required
def area(assessment_id: int, area_id: str) -> ResponseReturnValue:
    answerer = _answerer(assessment_id, lead=request.method == "POST")
    if area_id not in answerer.areas:
        abort(404)
    if request.method == "GET":
        return area_flow.show(answerer, area_id)
    return area_flow.receive(answerer, area_id, request.form)


@bp.route("/<int:assessment_id>/finalise", methods=["GET", "POST"])
@login_required
def finalise(assessment_id: int) -> ResponseReturnValue:
    ctx = _load(assessment_id, lead=True)
    if ctx.assessment["status"] == "final":
        flash(_("The assessment is already final."), "info")
        return redirect(url_for(".overview", assessment_id=assessment_id))
    form = ConfirmForm()
    if form.validate_on_submit():
        assessments.finalise(get_db(), assessment_id)
        flash(_("The assessment was marked final."), "success")
        return redirect(url_for(".overview", assessment_id=assessment_id))
    return render_template(
        "assessments/finalise.html",
        ctx=ctx,
        org=ctx.org,
        assessment=ctx.assessment,
        form=form,
        nav_active="orgs.dashboard",
    )


@bp.route("/<int:assessment_id>/reopen", methods=["POST"])
@login_required
def reopen(assessment_id: int) -> ResponseReturnValue:
    ctx = _load(assessment_id, lead=True)
    if ConfirmForm().validate_on_submit() and ctx.assessment["status"] == "final":
        was_counted = assessments.reopen(get_db(), assessment_id)
        flash(_("The assessment was reopened: its answers can be edited again."), "success")
        if was_counted:
            year = ctx.assessment["year"]
            now_counted = assessments.counted_in_year(get_db(), ctx.org["id"], year)
            if now_counted is None:
                flash(
                    _(
                        "It no longer counts for %(year)d, and the year has no counted result "
                        "until one is chosen in the history or this one is marked final again.",
                        year=year,
                    ),
                    "warning",
                )
            else:
                flash(
                    _(
                        "It no longer counts for %(year)d: “%(title)s” counts instead.",
                        year=year,
                        title=links.assessment_title(now_counted),
                    ),
                    "warning",
                )
    return redirect(url_for(".overview", assessment_id=assessment_id))
