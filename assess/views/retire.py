"""Correcting and retiring an organisation's data (leads): deleting a mistaken assessment,
round or plan entry, archiving and restoring assessments, erasing a round's respondent,
and the page listing what is archived and what was removed.

Every change is a POST with its CSRF token, refused to viewers (403) and hidden for other
organisations (404); what cannot be deleted is refused with the reason and the way out.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from .. import clock, lifecycle, transfer
from ..forms import ConfirmForm
from ..pages.lifecycle_text import actor_name, block_message, describe, respondent_label
from ..pages.links import assessment_title, assessment_url
from ..security import login_required, require_org
from ..state import content_at, get_db
from ..storage import assessments, plan, rounds, workshops
from ..storage import history as history_store
from ..storage import lifecycle as store
from ..storage import results as result_store
from ..storage import transfer as transfer_store
from ..storage.rows import AssessmentRow, OrgWithRole

bp = Blueprint("retire", __name__)


def _load(assessment_id: int) -> tuple[AssessmentRow, OrgWithRole]:
    """The assessment and its organisation for a lead (404 elsewhere, 403 for a viewer)."""
    row = assessments.get_assessment(get_db(), assessment_id)
    if row is None:
        abort(404)
    org = require_org(row["org_id"], lead=True)
    return row, org


def _list_url(row: AssessmentRow) -> str:
    if row["kind"] == "round":
        return url_for("rounds.index", org_id=row["org_id"])
    return url_for("orgs.dashboard", org_id=row["org_id"])


def _back(row: AssessmentRow) -> str:
    return assessment_url(row) or _list_url(row)


@bp.route("/assessments/<int:assessment_id>/delete", methods=["GET", "POST"])
@login_required
def delete_assessment(assessment_id: int) -> ResponseReturnValue:
    row, org = _load(assessment_id)
    db = get_db()
    form = ConfirmForm()
    title = assessment_title(row)
    if request.method == "POST" and form.validate_on_submit():
        try:
            store.delete_assessment(db, org["id"], assessment_id, by_user=g.user["id"], label=title)
        except store.Refused as exc:
            flash(block_message(exc.reason, row), "error")
            return _confirm_page(row, org, form, status=409)
        flash(_("“%(title)s” was deleted.", title=title), "success")
        return redirect(_list_url(row))
    return _confirm_page(row, org, form)


def _confirm_page(
    row: AssessmentRow, org: OrgWithRole, form: FlaskForm, status: int = 200
) -> ResponseReturnValue:
    db = get_db()
    block = lifecycle.deletion_block(row, workshop_running=workshops.running(db, row["id"]))
    return render_template(
        "lifecycle/delete_assessment.html",
        assessment=row,
        org=org,
        form=form,
        losses=store.losses(db, row["id"]),
        block=block_message(block, row) if block else None,
        can_archive=lifecycle.can_archive(row),
        back=_back(row),
        nav_active="rounds.index" if row["kind"] == "round" else "orgs.dashboard",
    ), status


@bp.route("/assessments/<int:assessment_id>/export.json")
@login_required
def export_assessment(assessment_id: int) -> ResponseReturnValue:
    """One assessment as an export file, for a lead to keep before deleting it."""
    row, org = _load(assessment_id)
    document = transfer.only_assessment(transfer_store.export_org(get_db(), org["id"]), assessment_id)
    response = Response(transfer.dump(document).encode("utf-8"), mimetype="application/json")
    day = clock.today().isoformat()
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{org["slug"]}-{row["kind"]}-{row["year"]}-{day}.json"'
    )
    return response


@bp.route("/assessments/<int:assessment_id>/archive", methods=["POST"])
@login_required
def archive_assessment(assessment_id: int) -> ResponseReturnValue:
    row, org = _load(assessment_id)
    ConfirmForm().validate_on_submit()  # CSRFProtect has checked the token already
    title = assessment_title(row)
    try:
        store.archive_assessment(get_db(), org["id"], assessment_id, by_user=g.user["id"], label=title)
    except store.Refused as exc:
        flash(block_message(exc.reason, row), "error")
        return redirect(_back(row))
    flash(
        _(
            "“%(title)s” was archived: it no longer shows in the lists, history or results. "
            "Find it under Archived to restore it.",
            title=title,
        ),
        "success",
    )
    if row["year"] in history_store.years_to_choose(get_db(), org["id"]):
        # It counted, and several others could: none is picked silently.
        flash(
            _("No assessment counts for %(year)d now: choose one in the history.", year=row["year"]),
            "warning",
        )
    return redirect(url_for(".archive", org_id=org["id"]))


@bp.route("/assessments/<int:assessment_id>/restore", methods=["POST"])
@login_required
def restore_assessment(assessment_id: int) -> ResponseReturnValue:
    row, org = _load(assessment_id)
    title = assessment_title(row)
    try:
        counts = store.restore_assessment(
            get_db(), org["id"], assessment_id, by_user=g.user["id"], label=title
        )
    except store.Refused as exc:
        flash(block_message(exc.reason, row), "error")
        return redirect(url_for(".archive", org_id=org["id"]))
    if counts:
        flash(
            _("“%(title)s” was restored and counts for %(year)d again.", title=title, year=row["year"]),
            "success",
        )
    else:
        flash(_("“%(title)s” was restored.", title=title), "success")
    return redirect(_back(row))


# --- the archive page ----------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/archived")
@login_required
def archive(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    db = get_db()
    items = store.archived(db, org_id)
    for item in items:
        item["by"] = actor_name(item)
    return render_template(
        "lifecycle/archive.html",
        org=org,
        items=items,
        form=ConfirmForm(),
        events=[describe(e) for e in store.events(db, org_id)],
        nav_active="retire.archive",
    )


# --- plan entries --------------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/plan/<int:entry_id>/delete", methods=["GET", "POST"])
@login_required
def delete_plan_entry(org_id: int, entry_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    db = get_db()
    entry = plan.get_entry(db, org_id, entry_id)
    if entry is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            store.delete_plan_entry(db, org_id, entry_id, by_user=g.user["id"], label=entry["text"][:120])
        except LookupError:  # deleted meanwhile by someone else
            abort(404)
        flash(_("The plan entry was deleted."), "success")
        return redirect(url_for("plan.show", org_id=org_id))
    return render_template(
        "lifecycle/delete_plan_entry.html",
        org=org,
        entry=entry,
        form=form,
        events=plan.events(db, entry_id),
        nav_active="plan.show",
    )


# --- respondents ---------------------------------------------------------------------------


class EraseForm(FlaskForm):
    answers = RadioField(
        _l("Their answers"),
        choices=[
            SelectChoice("keep", _l("Keep them as anonymous answers: the team result stays as it is")),
            SelectChoice("remove", _l("Erase them too: the team result is recomputed without them")),
        ],
        validators=[InputRequired(_l("Choose what happens to the answers."))],
    )


@bp.route("/assessments/<int:assessment_id>/respondents/<int:respondent_id>/erase", methods=["GET", "POST"])
@login_required
def erase_respondent(assessment_id: int, respondent_id: int) -> ResponseReturnValue:
    row = rounds.get_round(get_db(), assessment_id)
    if row is None:
        abort(404)
    org = require_org(row["org_id"], lead=True)
    db = get_db()
    person = next((p for p in rounds.respondents(db, assessment_id) if p["id"] == respondent_id), None)
    if person is None:
        abort(404)
    form = EraseForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            keep = form.answers.data == "keep"
            store.erase_respondent(
                db,
                assessment_id,
                respondent_id,
                keep_answers=keep,
                by_user=g.user["id"],
                label=assessment_title(row),
            )
            if row["status"] == "final" and not keep:
                # The closed round's result is cached: compute it again now, without them.
                # (Re-read: erasing changed the round's revision, which keys the result.)
                erased = rounds.get_round(db, assessment_id)
                if erased is not None:  # a closed round cannot be deleted meanwhile
                    result_store.result_for(db, erased, content_at(row["content_version"]))
                flash(
                    _(
                        "The respondent was erased. The round's team result was recomputed "
                        "without their answers, and the round's page says so."
                    ),
                    "success",
                )
            elif keep:
                flash(
                    _(
                        "The respondent's name and personal link were erased; their answers "
                        "stay as anonymous answers."
                    ),
                    "success",
                )
            else:
                flash(_("The respondent and their answers were erased."), "success")
            return redirect(url_for("rounds.show", assessment_id=assessment_id))
        status = 400
    answered = len(assessments.respondent_answers(db, respondent_id))
    return render_template(
        "lifecycle/erase_respondent.html",
        round=row,
        org=org,
        form=form,
        person=person,
        label=respondent_label(person),
        answered=answered,
        nav_active="rounds.index",
    ), status
