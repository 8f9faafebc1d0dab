"""The organisation dashboard and starting a single assessment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from .. import clock
from ..domain import FIRST_YEAR, LAST_YEAR
from ..forms import ConfirmForm
from ..i18n import current_lang
from ..pages import answer_form, links
from ..security import login_required, require_org
from ..state import content, content_at, get_db
from ..storage import assessments
from ..storage import history as history_store

bp = Blueprint("orgs", __name__)
bp.add_app_template_global(links.assessment_url)
bp.add_app_template_global(links.assessment_title)

class StartForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=_l("Give the year the assessment is for.")),
            NumberRange(FIRST_YEAR, LAST_YEAR,
                        message=_l("Give a year between %(min)d and %(max)d.", min=FIRST_YEAR,
                                   max=LAST_YEAR)),
        ],
    )
    questionnaire = RadioField(
        _l("Questionnaire"),
        validators=[InputRequired(message=_l("Choose a questionnaire."))],
        invalid_choice_message=_l("Choose one of the questionnaires listed."),
    )
    title = StringField(
        _l("Title (optional)"), validators=[Length(max=200)],
        description=_l("For example “Hankintatoimen itsearvio 2025”. Without a title the "
                       "questionnaire and year are shown."),
    )


def _rows(org_id: int) -> list[dict]:
    """The organisation's assessments with progress, for the dashboard."""
    result = []
    for row in assessments.for_org(get_db(), org_id):
        questionnaire = content_at(row["content_version"]).questionnaire(row["questionnaire"])
        row["total"] = len(questionnaire.items) if questionnaire else 0
        row["questionnaire_title"] = (questionnaire.title.get(current_lang())
                                      if questionnaire else row["questionnaire"])
        result.append(row)
    return result


@bp.route("/orgs/<int:org_id>")
@login_required
def dashboard(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    rows = _rows(org_id)
    years: dict[int, list[dict]] = {}
    for row in rows:
        years.setdefault(row["year"], []).append(row)
    db = get_db()
    return render_template("orgs/dashboard.html", org=org, years=years, form=ConfirmForm(),
                           counted={a["id"] for a in history_store.counting(db, org_id).values()},
                           countable={a["id"] for a in history_store.final_assessments(db, org_id)},
                           nav_active="orgs.dashboard")


@bp.route("/orgs/<int:org_id>/assessments/new", methods=["GET", "POST"])
@login_required
def new_assessment(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    current = content()
    lang = current_lang()
    form = StartForm()
    form.questionnaire.choices = [answer_form.choice(q.id, q.title.get(lang))
                                  for q in current.questionnaires]
    descriptions = {q.id: q.description.get(lang) for q in current.questionnaires}
    if form.is_submitted() is False:
        form.year.data = clock.today().year
        form.questionnaire.data = current.questionnaires[0].id if current.questionnaires else None
    if form.validate_on_submit():
        assessment, created = assessments.start_single(
            get_db(), org_id=org_id, year=form.year.data,
            questionnaire=form.questionnaire.data, content_version=current.version,
            created_by=g.user["id"], title=form.title.data or "",
        )
        if created:
            flash(_("The assessment was started. Answer one area at a time; every page saves."),
                  "success")
        else:
            flash(_("“%(title)s” already exists for this year and questionnaire: it was opened "
                    "instead of starting another.", title=links.assessment_title(assessment)),
                  "info")
            return redirect(url_for("assessments.overview", assessment_id=assessment["id"]))
        target = content_at(assessment["content_version"])
        first = answer_form.answerable_areas(target, target.questionnaire(assessment["questionnaire"]))[0]
        return redirect(url_for("assessments.area", assessment_id=assessment["id"], area_id=first))
    status = 400 if form.errors else 200
    return render_template("orgs/new_assessment.html", org=org, form=form,
                           descriptions=descriptions, nav_active="orgs.dashboard"), status


@bp.route("/assessments/<int:assessment_id>/counts", methods=["POST"])
@login_required
def set_counts(assessment_id: int) -> ResponseReturnValue:
    """Make an assessment the one that counts for its year, after a confirmation that names
    the one it replaces (the same rule and page as the history's choice)."""
    db = get_db()
    assessment = assessments.get_assessment(db, assessment_id)
    if assessment is None:
        abort(404)
    org = require_org(assessment["org_id"], lead=True)
    dashboard_url = url_for("orgs.dashboard", org_id=org["id"])
    if not ConfirmForm().validate_on_submit():
        return redirect(dashboard_url)
    year = assessment["year"]
    if all(a["id"] != assessment_id for a in history_store.final_assessments(db, org["id"])):
        return render_template(
            "error.html", title=_("Not changed"),
            message=_("Only a final assessment with answers, or a closed round, can count for "
                      "its year. Nothing was changed."), problems=[]), 400
    current = history_store.counting(db, org["id"]).get(year)
    if current is not None and current["id"] == assessment_id:
        flash(_("“%(title)s” already counts for %(year)d.",
                title=links.assessment_title(assessment), year=year), "info")
        return redirect(dashboard_url)
    if request.form.get("confirmed") != "yes":
        return render_template(
            "history/confirm_counts.html", org=org, year=year, chosen=assessment,
            current=current, post_url=url_for("orgs.set_counts", assessment_id=assessment_id),
            cancel_url=dashboard_url, field="assessment", confirm_field="confirmed",
            nav_active="orgs.dashboard")
    history_store.mark_counting(db, org["id"], assessment_id)
    flash(_("“%(title)s” now counts for %(year)d.", title=links.assessment_title(assessment),
            year=year), "success")
    return redirect(dashboard_url)
