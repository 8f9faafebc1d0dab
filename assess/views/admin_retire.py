"""Administrators retiring organisations and users: archiving and restoring an organisation,
deleting one for good after typing its name, and removing a user."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..forms import ConfirmForm
from ..security import admin_required
from ..state import get_db
from ..storage import accounts
from ..storage import lifecycle as store
from ..storage.rows import OrganisationRow

bp = Blueprint("admin_retire", __name__, url_prefix="/admin")


class DeleteOrgForm(FlaskForm):
    name = StringField(
        _l("Type the name of the organisation to confirm"),
        validators=[InputRequired(_l("Type the name of the organisation.")), Length(max=200)],
    )


def _org(org_id: int) -> OrganisationRow:
    org = accounts.get_org(get_db(), org_id)
    if org is None:
        abort(404)
    return org


@bp.route("/orgs/<int:org_id>/archive", methods=["POST"])
@admin_required
def archive_org(org_id: int) -> ResponseReturnValue:
    return _set_archived(_org(org_id), True)


@bp.route("/orgs/<int:org_id>/restore", methods=["POST"])
@admin_required
def restore_org(org_id: int) -> ResponseReturnValue:
    return _set_archived(_org(org_id), False)


def _set_archived(org: OrganisationRow, archived: bool) -> ResponseReturnValue:
    ConfirmForm().validate_on_submit()  # CSRFProtect has checked the token already
    try:
        store.set_org_archived(get_db(), org["id"], archived, by_user=g.user["id"])
    except store.Refused:
        flash(
            _("%(name)s was already archived.", name=org["name"])
            if archived
            else _("%(name)s is not archived.", name=org["name"]),
            "info",
        )
    else:
        if archived:
            flash(
                _(
                    "%(name)s was archived: its users no longer see it, and all its data is "
                    "kept. Restore it here at any time.",
                    name=org["name"],
                ),
                "success",
            )
        else:
            flash(_("%(name)s was restored: its users see it again.", name=org["name"]), "success")
    return redirect(url_for("admin.org", org_id=org["id"]))


TABLE_LABELS = {
    "memberships": _l("roles of users"),
    "assessments": _l("assessments and rounds"),
    "respondents": _l("respondents"),
    "answers": _l("answers"),
    "area_comments": _l("area comments"),
    "agreements": _l("agreed stages"),
    "workshops": _l("workshops"),
    "result_cache": _l("stored results"),
    "plan_entries": _l("plan entries"),
    "plan_events": _l("plan status changes"),
    "targets": _l("targets"),
    "metric_kinds": _l("metric kinds"),
    "metric_values": _l("metric values"),
    "lifecycle_events": _l("record entries"),
    "benchmark_scores": _l("stored benchmark scores"),
    "org_profiles": _l("benchmark profile"),
    "benchmark_group_members": _l("comparison group memberships"),
    "own_data_settings": _l("own data settings"),
    "invoice_rows": _l("purchase invoice rows"),
    "supplier_municipalities": _l("suppliers' home municipalities"),
    "hilma_notices": _l("Hilma notices"),
    "own_figures": _l("figures computed from own data"),
    "metric_value_origins": _l("sources of metric values"),
}


@bp.route("/orgs/<int:org_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_org(org_id: int) -> ResponseReturnValue:
    org = _org(org_id)
    db = get_db()
    form = DeleteOrgForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            if form.name.data.strip() != org["name"]:
                form.name.errors.append(
                    _("The name does not match. Type %(name)s exactly as it is written.", name=org["name"])
                )
            else:
                store.delete_org(db, org_id, by_user=g.user["id"])
                flash(_("%(name)s and all its data were deleted.", name=org["name"]), "success")
                return redirect(url_for("admin.index"))
    counts = [(str(TABLE_LABELS[t]), n) for t, n in store.org_rows(db, org_id).items() if n]
    return render_template("lifecycle/delete_org.html", org=org, form=form, counts=counts), status


@bp.route("/users/<int:user_id>/delete", methods=["GET", "POST"])
@admin_required
def delete_user(user_id: int) -> ResponseReturnValue:
    db = get_db()
    user = accounts.get_user(db, user_id)
    if user is None or user["removed_at"]:
        abort(404)
    form = ConfirmForm()
    label = f"{user['display_name']} ({user['username']})" if user["display_name"] else user["username"]
    problem = None
    if user_id == g.user["id"]:
        problem = _("You cannot remove your own account. Another administrator can.")
    if request.method == "POST" and form.validate_on_submit() and problem is None:
        try:
            store.remove_user(db, user_id, by_user=g.user["id"])
        except store.Refused:
            problem = _(
                "%(user)s is the last administrator: make another user an administrator first.", user=label
            )
        else:
            flash(
                _(
                    "%(user)s was removed and their sessions ended. What they did is kept and "
                    "shown as done by a removed user.",
                    user=label,
                ),
                "success",
            )
            return redirect(url_for("admin.index"))
    status = 409 if request.method == "POST" and problem else 200
    return render_template(
        "lifecycle/delete_user.html",
        user=user,
        label=label,
        form=form,
        problem=problem,
        grants=accounts.user_grants(db, user_id),
    ), status
