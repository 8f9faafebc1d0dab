"""Answering a single assessment: its overview, one page per area, marking it final."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import answering
from ..content import Content, Questionnaire
from ..formatting import content_version_labels
from ..forms import ConfirmForm
from ..i18n import current_lang
from ..pages import answer_form, links, plan_carry
from ..security import login_required, require_org
from ..state import content_at, get_db
from ..storage import assessments, content_store

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


@dataclass
class Context:
    """An assessment the user may see, with what every page about it needs."""

    assessment: dict
    org: dict
    content: Content
    questionnaire: Questionnaire
    respondent: dict
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
    return Context(assessment, org, content, questionnaire, respondent, answers, progress,
                   answer_form.answerable_areas(content, questionnaire))


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
        "assessments/overview.html", ctx=ctx, org=ctx.org, assessment=ctx.assessment,
        form=ConfirmForm(), plan_carry=plan_carry.section(ctx.org, ctx.assessment),
        version_label=content_version_labels(content_store.first_used(get_db()), current_lang())
        .get(ctx.assessment["content_version"], ""),
        nav_active="orgs.dashboard",
    )


def _render_area(ctx: Context, area_id: str, form: FlaskForm, *, status: int = 200,
                 errors: Sequence[str] = (), conflicts: Sequence[dict] = (),
                 unsaved: Sequence[dict] = (), read_only: bool = False,
                 others_saved: bool = False) -> ResponseReturnValue:
    lang = current_lang()
    index = ctx.areas.index(area_id)
    return render_template(
        "assessments/area.html", ctx=ctx, org=ctx.org, assessment=ctx.assessment,
        area=ctx.content.area(area_id), area_number=index + 1,
        sections=answer_form.sections(ctx.content, ctx.questionnaire, area_id, lang),
        previous_area=ctx.areas[index - 1] if index > 0 else None,
        next_area=answer_form.next_area(ctx.areas, area_id),
        form=form, errors=list(errors), conflicts=list(conflicts), unsaved=list(unsaved),
        others_saved=others_saved, read_only=read_only or not ctx.can_edit,
        scale=answer_form.scale_labels(ctx.questionnaire, lang),
        comment=assessments.respondent_comments(get_db(), ctx.respondent["id"]).get(area_id, ""),
        nav_active="orgs.dashboard",
    ), status


def _fresh_form(ctx: Context, area_id: str) -> FlaskForm:
    comment = assessments.respondent_comments(get_db(), ctx.respondent["id"]).get(area_id, "")
    return answer_form.area_form(ctx.content, ctx.questionnaire, area_id, current_lang(),
                                 answers=ctx.answers, comment=comment)


@bp.route("/<int:assessment_id>/areas/<area_id>", methods=["GET", "POST"])
@login_required
def area(assessment_id: int, area_id: str) -> ResponseReturnValue:
    ctx = _load(assessment_id, lead=request.method == "POST")
    if area_id not in ctx.areas:
        abort(404)
    if request.method == "GET":
        return _render_area(ctx, area_id, _fresh_form(ctx, area_id))

    lang = current_lang()
    form = answer_form.area_form(ctx.content, ctx.questionnaire, area_id, lang,
                                 formdata=request.form)
    post = answer_form.read_post(form, request.form)
    if ctx.assessment["status"] == "final":
        return _refuse_final(ctx, area_id, post)
    if post.errors:
        return _render_area(ctx, area_id, form, status=400, errors=post.errors)
    try:
        conflicts = assessments.save_area(
            get_db(), respondent_id=ctx.respondent["id"], area=area_id, changes=post.changes,
            base=post.base, comment=post.comment, base_comment=post.base_comment,
        )
    except assessments.AssessmentFinal:  # marked final while this page was open
        return _refuse_final(_load(assessment_id), area_id, post)
    if conflicts:
        # Conflict: show the stored state, so the user decides again on what is really there.
        fresh = _load(assessment_id)
        listed = answer_form.conflict_list(
            fresh.content, answer_form.scale_labels(fresh.questionnaire, lang), post, conflicts,
            fresh.answers, lang)
        comment_changed = post.comment is not None and \
            " ".join(post.comment.split()) != " ".join((post.base_comment or "").split())
        others = len(post.changes) + comment_changed > len(conflicts)
        return _render_area(fresh, area_id, _fresh_form(fresh, area_id), status=409,
                            conflicts=listed, others_saved=others)
    flash(answer_form.saved_message(post), "success")
    if request.form.get("action") == "continue":
        following = answer_form.next_area(ctx.areas, area_id)
        if following is not None:
            return redirect(url_for(".area", assessment_id=assessment_id, area_id=following))
        return redirect(url_for(".overview", assessment_id=assessment_id))
    return redirect(url_for(".area", assessment_id=assessment_id, area_id=area_id))


def _refuse_final(ctx: Context, area_id: str,
                  post: answer_form.AreaPost) -> ResponseReturnValue:
    """A post to a final assessment: nothing saved; list what the user tried to change."""
    lang = current_lang()
    unsaved = answer_form.unsaved_list(
        ctx.content, answer_form.scale_labels(ctx.questionnaire, lang), post, lang)
    message = _("This assessment has been marked final, so nothing was saved.")
    return _render_area(ctx, area_id, _fresh_form(ctx, area_id), status=400, errors=[message],
                        unsaved=unsaved, read_only=True)


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
    return render_template("assessments/finalise.html", ctx=ctx, org=ctx.org,
                           assessment=ctx.assessment, form=form, nav_active="orgs.dashboard")


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
                flash(_("It no longer counts for %(year)d, and the year has no counted result "
                        "until one is chosen in the history or this one is marked final again.",
                        year=year), "warning")
            else:
                flash(_("It no longer counts for %(year)d: “%(title)s” counts instead.",
                        year=year, title=links.assessment_title(now_counted)), "warning")
    return redirect(url_for(".overview", assessment_id=assessment_id))
