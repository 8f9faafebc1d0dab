"""Administration of the benchmark: comparison groups and their invitations, and the pooled
sources imported from other installations (administrators only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import ConfirmForm
from ..i18n import current_lang
from ..pages.benchmark_data import local_date
from ..security import admin_required
from ..state import get_db
from ..storage import accounts
from ..storage import benchmark as store

bp = Blueprint("benchmark_admin", __name__, url_prefix="/admin/benchmark")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class GroupForm(FlaskForm):
    name = StringField(
        _l("Name of the group"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Give the group a name.")),
            Length(max=200, message=_l("Too long.")),
        ],
        description=_l("For example “Keski-Uudenmaan hankintarengas”."),
    )
    description = TextAreaField(
        _l("Description (optional)"), filters=[_strip], validators=[Length(max=1000, message=_l("Too long."))]
    )


class InviteForm(FlaskForm):
    org = SelectField(
        _l("Organisation to invite"),
        validators=[DataRequired(message=_l("Choose an organisation from the list."))],
        invalid_choice_message=_l("Choose an organisation from the list."),
    )


def _invite_form(group: dict, form: InviteForm | None = None) -> InviteForm:
    form = form or InviteForm(formdata=None, prefix=f"g{group['id']}")
    taken = {m["org_id"] for m in group["members"] if m["status"] in ("invited", "member")}
    form.org.choices = [("", _("Choose an organisation"))] + [
        (str(o["id"]), o["name"]) for o in accounts.all_orgs(get_db()) if o["id"] not in taken
    ]
    return form


def _page(
    group_form: GroupForm | None = None, invite: tuple[int, InviteForm] | None = None, status: int = 200
):
    db, lang = get_db(), current_lang()
    groups = store.all_groups(db)
    invite_forms = {grp["id"]: _invite_form(grp) for grp in groups}
    if invite:
        grp = next(x for x in groups if x["id"] == invite[0])
        invite_forms[invite[0]] = _invite_form(grp, invite[1])
    return render_template(
        "admin/benchmark.html",
        groups=groups,
        group_form=group_form or GroupForm(formdata=None),
        invite_forms=invite_forms,
        confirm_form=ConfirmForm(formdata=None),
        sources=store.sources(db),
        local_date=lambda v: local_date(v, lang),
        statuses={
            "invited": _("invited"),
            "member": _("member"),
            "declined": _("declined"),
            "left": _("left"),
        },
    ), status


@bp.route("/")
@admin_required
def index() -> ResponseReturnValue:
    return _page()


@bp.route("/groups", methods=["POST"])
@admin_required
def create_group() -> ResponseReturnValue:
    form = GroupForm()
    if not form.validate():
        return _page(group_form=form, status=400)
    try:
        found = store.create_group(get_db(), form.name.data, form.description.data or "", g.user["id"])
    except store.GroupNameTaken:
        form.name.errors = [_("A group called %(name)s exists already.", name=form.name.data)]
        return _page(group_form=form, status=400)
    flash(
        _("The group %(name)s has been created. Next, invite its organisations.", name=found["name"]),
        "success",
    )
    return redirect(url_for("benchmark_admin.index") + f"#group-{found['id']}")


def _group_or_404(group_id: int) -> dict:
    found = next((x for x in store.all_groups(get_db()) if x["id"] == group_id), None)
    if found is None:
        abort(404)
    return found


@bp.route("/groups/<int:group_id>/invite", methods=["POST"])
@admin_required
def invite(group_id: int) -> ResponseReturnValue:
    found = _group_or_404(group_id)
    form = _invite_form(found, InviteForm(prefix=f"g{group_id}"))
    if not form.validate():
        return _page(invite=(group_id, form), status=400)
    org = accounts.get_org(get_db(), int(form.org.data))
    if org is None:
        abort(404)
    store.invite(get_db(), group_id, org["id"])
    flash(
        _(
            "%(org)s has been invited to %(group)s; a lead of it accepts on its settings page.",
            org=org["name"],
            group=found["name"],
        ),
        "success",
    )
    return redirect(url_for("benchmark_admin.index") + f"#group-{group_id}")


@bp.route("/groups/<int:group_id>/members/<int:org_id>/remove", methods=["POST"])
@admin_required
def remove_member(group_id: int, org_id: int) -> ResponseReturnValue:
    found = _group_or_404(group_id)
    if not any(m["org_id"] == org_id for m in found["members"]):
        abort(404)
    ConfirmForm().validate()
    store.remove_member(get_db(), group_id, org_id)
    flash(_("The organisation was removed from %(group)s.", group=found["name"]), "success")
    return redirect(url_for("benchmark_admin.index") + f"#group-{group_id}")


@bp.route("/groups/<int:group_id>/delete", methods=["POST"])
@admin_required
def delete_group(group_id: int) -> ResponseReturnValue:
    found = _group_or_404(group_id)
    ConfirmForm().validate()
    store.delete_group(get_db(), group_id)
    flash(_("The group %(name)s has been deleted.", name=found["name"]), "success")
    return redirect(url_for("benchmark_admin.index"))


@bp.route("/sources/<int:source_id>/remove", methods=["POST"])
@admin_required
def remove_source(source_id: int) -> ResponseReturnValue:
    found = store.source_by_id(get_db(), source_id)
    if found is None:
        abort(404)
    ConfirmForm().validate()
    store.remove_source(get_db(), source_id)
    flash(
        _("The pooled results of %(name)s have been removed from the benchmark.", name=found["name"]),
        "success",
    )
    return redirect(url_for("benchmark_admin.index") + "#sources")
