"""An organisation's overview (its landing page), its list of assessments and starting a
single assessment."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from .. import charts, clock, overview
from ..content.estimate import answer_minutes
from ..domain import FIRST_YEAR, LAST_YEAR
from ..formatting import format_number
from ..forms import ConfirmForm
from ..history import area_series
from ..i18n import current_lang
from ..pages import answer_form, links
from ..pages.years import position_texts, year_results
from ..security import login_required, require_org
from ..state import content, content_at, get_db
from ..storage import assessments, plan
from ..storage import history as history_store
from ..storage import metrics as metrics_store
from ..storage import overview as overview_store
from ..storage.rows import OrgWithRole
from ..web import questionnaire_or_404

bp = Blueprint("orgs", __name__)


class StartForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=_l("Give the year the assessment is for.")),
            NumberRange(
                FIRST_YEAR,
                LAST_YEAR,
                message=_l("Give a year between %(min)d and %(max)d.", min=FIRST_YEAR, max=LAST_YEAR),
            ),
        ],
    )
    questionnaire = RadioField(
        _l("Questionnaire"),
        validators=[InputRequired(message=_l("Choose a questionnaire."))],
        invalid_choice_message=_l("Choose one of the questionnaires listed."),
    )
    title = StringField(
        _l("Title (optional)"),
        validators=[Length(max=200)],
        description=_l(
            "For example “Hankintatoimen itsearvio 2025”. Without a title the "
            "questionnaire and year are shown."
        ),
    )


def _rows(org_id: int) -> list[dict[str, Any]]:
    """The organisation's assessments with progress, for the dashboard."""
    result: list[dict[str, Any]] = []
    for row in assessments.for_org(get_db(), org_id):
        questionnaire = content_at(row["content_version"]).questionnaire(row["questionnaire"])
        result.append(
            {
                **row,
                "total": len(questionnaire.items) if questionnaire else 0,
                "questionnaire_title": (
                    questionnaire.title.get(current_lang()) if questionnaire else row["questionnaire"]
                ),
            }
        )
    return result


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def overview_context(org: OrgWithRole) -> tuple[overview.OverviewContext, dict[int, dict]]:
    """The overview's context from storage, and the open rounds' rows by id (for titles)."""
    db = get_db()
    org_id = org["id"]
    current = content()
    areas = [a.id for a in current.areas]
    counted = history_store.counting(db, org_id)
    _contents, found, years = year_results(db, counted)
    series = area_series(
        years, areas, start_year=org["path_start_year"], targets=metrics_store.all_targets(db, org_id)
    )
    answered: dict[str, tuple[int, int]] = {}
    if counted:
        latest = counted[max(counted)]
        answered = {a["area"]: (a["answered"], a["total"]) for a in found[latest["id"]]["areas"]}
    round_rows = overview_store.open_rounds(db, org_id)
    today = clock.today()
    filled = metrics_store.values_for_year(db, org_id, today.year - 1)
    ctx = overview.OverviewContext(
        today=today,
        members=overview_store.member_count(db, org_id),
        areas=areas,
        series=series,
        answered=answered,
        assessments=[
            overview.AssessmentRow(a["id"], a["year"], a["kind"], a["status"], bool(a["counts"]))
            for a in assessments.for_org(db, org_id)
        ],
        counted={year: row["id"] for year, row in counted.items()},
        to_choose=history_store.years_to_choose(db, org_id),
        rounds=[
            overview.OpenRound(
                id=r["id"],
                year=r["year"],
                title=links.assessment_title(r),
                joined=r["joined"],
                answered=r["answered"],
                deadline=_date(r["deadline"]),
                agreed_areas=r["agreed_areas"],
                area_count=len(content_at(r["content_version"]).areas),
                workshop_running=bool(r["workshop_running"]),
            )
            for r in round_rows
        ],
        plan=[
            overview.PlanEntry(e["id"], e["text"], e["status"], e["schedule_year"], e["schedule_quarter"])
            for e in plan.entries(db, org_id)
        ],
        metrics_expected=len(current.metrics),
        metrics_filled_last_year=len(set(filled) & set(current.metrics)),
    )
    return ctx, {r["id"]: r for r in round_rows}


def questionnaire_sizes() -> list[dict]:
    """Each questionnaire of the current content with its size and time to answer, quick first."""
    lang = current_lang()
    return sorted(
        (
            {"id": q.id, "title": q.title.get(lang), "items": len(q.items), "minutes": answer_minutes(q)}
            for q in content().questionnaires
        ),
        key=lambda q: q["items"],
    )


@bp.route("/orgs/<int:org_id>")
@login_required
def dashboard(org_id: int) -> ResponseReturnValue:
    """The organisation's overview: where it stands, what is under way, what to do next."""
    org = require_org(org_id)
    ctx, _rounds = overview_context(org)
    view = overview.build(ctx)
    lang = current_lang()
    labels = {a.id: a.title.get(lang) for a in content().areas}
    chart = None
    if view.rows:
        by_area = {r.area: r for r in view.rows}
        order = [a for a in ctx.areas if a in by_area]
        previous = {a: pts[-2].index for a, pts in ctx.series.items() if len(pts) > 1}
        targets = [by_area[a].target for a in order]
        chart = charts.radar(
            [labels[a] for a in order],
            [by_area[a].index for a in order],
            name=str(view.year),
            lang=lang,
            compare=(str(view.previous_year), [previous.get(a) for a in order])
            if view.previous_year
            else None,
            target=(_("Targets %(year)d", year=view.year), targets)
            if any(t is not None for t in targets)
            else None,
        )
    return render_template(
        "orgs/overview.html",
        org=org,
        view=view,
        labels=labels,
        chart=chart,
        positions=position_texts(),
        questionnaires=questionnaire_sizes(),
        is_admin=bool(g.user["is_admin"]),
        day=format_date,
        signed=lambda v: "–" if v is None else format_number(v, lang, decimals=2, signed=True),
        nav_active="orgs.dashboard",
    )


@bp.route("/orgs/<int:org_id>/assessments")
@login_required
def assessment_list(org_id: int) -> ResponseReturnValue:
    """Every assessment and round of the organisation by year."""
    org = require_org(org_id)
    rows = _rows(org_id)
    years: dict[int, list[dict]] = {}
    for row in rows:
        years.setdefault(row["year"], []).append(row)
    db = get_db()
    return render_template(
        "orgs/dashboard.html",
        org=org,
        years=years,
        form=ConfirmForm(),
        counted={a["id"] for a in history_store.counting(db, org_id).values()},
        countable={a["id"] for a in history_store.final_assessments(db, org_id)},
        nav_active="orgs.assessment_list",
    )


@bp.route("/orgs/<int:org_id>/assessments/new", methods=["GET", "POST"])
@login_required
def new_assessment(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    current = content()
    lang = current_lang()
    form = StartForm()
    form.questionnaire.choices = [answer_form.choice(q.id, q.title.get(lang)) for q in current.questionnaires]
    descriptions = {q.id: q.description.get(lang) for q in current.questionnaires}
    sizes = {q["id"]: q for q in questionnaire_sizes()}
    if form.is_submitted() is False:
        form.year.data = clock.today().year
        form.questionnaire.data = current.questionnaires[0].id if current.questionnaires else None
    if form.validate_on_submit():
        assessment, created = assessments.start_single(
            get_db(),
            org_id=org_id,
            year=form.year.data,
            questionnaire=form.questionnaire.data,
            content_version=current.version,
            created_by=g.user["id"],
            title=form.title.data or "",
        )
        if created:
            flash(_("The assessment was started. Answer one area at a time; every page saves."), "success")
        else:
            flash(
                _(
                    "“%(title)s” already exists for this year and questionnaire: it was opened "
                    "instead of starting another.",
                    title=links.assessment_title(assessment),
                ),
                "info",
            )
            return redirect(url_for("assessments.overview", assessment_id=assessment["id"]))
        target = content_at(assessment["content_version"])
        first = answer_form.answerable_areas(target, questionnaire_or_404(target, assessment))[0]
        return redirect(url_for("assessments.area", assessment_id=assessment["id"], area_id=first))
    status = 400 if form.errors else 200
    return render_template(
        "orgs/new_assessment.html",
        org=org,
        form=form,
        descriptions=descriptions,
        sizes=sizes,
        nav_active="orgs.assessment_list",
    ), status


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
    dashboard_url = url_for("orgs.assessment_list", org_id=org["id"])
    if not ConfirmForm().validate_on_submit():
        return redirect(dashboard_url)
    year = assessment["year"]
    if all(a["id"] != assessment_id for a in history_store.final_assessments(db, org["id"])):
        return render_template(
            "error.html",
            title=_("Not changed"),
            message=_(
                "Only a final assessment with answers, or a closed round, can count for "
                "its year. Nothing was changed."
            ),
            problems=[],
        ), 400
    current = history_store.counting(db, org["id"]).get(year)
    if current is not None and current["id"] == assessment_id:
        flash(
            _(
                "“%(title)s” already counts for %(year)d.",
                title=links.assessment_title(assessment),
                year=year,
            ),
            "info",
        )
        return redirect(dashboard_url)
    if request.form.get("confirmed") != "yes":
        return render_template(
            "history/confirm_counts.html",
            org=org,
            year=year,
            chosen=assessment,
            current=current,
            post_url=url_for("orgs.set_counts", assessment_id=assessment_id),
            cancel_url=dashboard_url,
            field="assessment",
            confirm_field="confirmed",
            nav_active="orgs.assessment_list",
        )
    history_store.mark_counting(db, org["id"], assessment_id)
    flash(
        _("“%(title)s” now counts for %(year)d.", title=links.assessment_title(assessment), year=year),
        "success",
    )
    return redirect(dashboard_url)
