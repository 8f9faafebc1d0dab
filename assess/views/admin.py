"""Administration: organisations, users and their roles (administrators only)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .. import operator_settings, overview
from ..audit import log_event
from ..domain import FIRST_YEAR, LAST_YEAR
from ..formatting import format_datetime
from ..forms import (
    MIN_PASSWORD,
    ConfirmForm,
    confirm_validators,
    password_validators,
    required,
    strip,
    username_validators,
)
from ..i18n import current_lang
from ..pages.lifecycle_text import describe
from ..security import admin_required
from ..state import get_db
from ..storage import accounts, security_log
from ..storage import lifecycle as lifecycle_store
from ..storage import overview as overview_store
from ..storage.rows import OrganisationRow, UserRow
from ..templating import choices, label

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _start_year_field() -> IntegerField:
    return IntegerField(
        _l("Year the path started"),
        validators=[
            Optional(),
            NumberRange(
                min=FIRST_YEAR,
                max=LAST_YEAR,
                message=_l("Give a year between 2000 and 2100, or leave the field empty."),
            ),
        ],
        invalid_value_message=_l("Give the year as a number, e.g. 2025."),
        render_kw={"class": "input-year", "inputmode": "numeric", "autocomplete": "off"},
        description=_l(
            "Optional. The calendar year in which the organisation took the first "
            "year of the five-year path, e.g. 2025. You can add or change it later."
        ),
    )


class OrgForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        filters=[strip],
        validators=[required(), Length(max=200, message=_l("Too long."))],
    )
    start_year = _start_year_field()


class StartYearForm(FlaskForm):
    start_year = _start_year_field()


class UserForm(FlaskForm):
    username = StringField(
        _l("User name"),
        filters=[strip],
        validators=username_validators(),
        description=_l("Used to sign in. Letters, digits and . _ - @"),
    )
    display_name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[Length(max=200, message=_l("Too long."))],
        description=_l("Optional. Shown to others, e.g. Liisa Virtanen."),
    )
    password = PasswordField(
        _l("Password"),
        validators=password_validators(),
        description=_l("At least %(n)d characters. Give it to the user in a safe way.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(_l("Password again"), validators=confirm_validators())
    is_admin = BooleanField(_l("Administrator"))


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=password_validators(),
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(_l("New password again"), validators=confirm_validators())


def required_choice(message: str) -> DataRequired:
    """The empty "choose" option passes the choice check; this refuses it with one message."""
    return DataRequired(message=message)


def _role_field() -> RadioField:
    return RadioField(
        _l("Role"),
        choices=[SelectChoice("lead", _l("Lead")), SelectChoice("viewer", _l("Viewer"))],
        invalid_choice_message=_l("Choose a role."),
    )


class MemberForm(FlaskForm):
    """On an organisation's page: give a user a role in it."""

    user = SelectField(
        _l("User"),
        validators=[required_choice(_l("Choose a user from the list."))],
        invalid_choice_message=_l("Choose a user from the list."),
    )
    role = _role_field()


class UserOrgForm(FlaskForm):
    """On a user's page: give the user a role in an organisation."""

    org = SelectField(
        _l("Organisation"),
        validators=[required_choice(_l("Choose an organisation from the list."))],
        invalid_choice_message=_l("Choose an organisation from the list."),
    )
    role = _role_field()


class LogFilterForm(FlaskForm):
    """Filters of the security log page: a GET form (nothing changes), so no CSRF token."""

    class Meta:
        csrf = False

    event = SelectField(_l("Event"), validate_choice=False)
    username = StringField(
        _l("User name"), filters=[strip], validators=[Length(max=80, message=_l("Too long."))]
    )
    outcome = SelectField(_l("Outcome"), validate_choice=False)
    day = StringField(
        _l("Day"),
        filters=[strip],
        description=_l("For example 1.12.2026."),
        validators=[Length(max=20, message=_l("Too long."))],
    )


class RemoveForm(FlaskForm):
    back = HiddenField()  # "user" returns to the user's page, anything else to the organisation's


# --- pages ------------------------------------------------------------------------------


def _user_label(user: UserRow) -> str:
    return f"{user['display_name']} ({user['username']})" if user["display_name"] else user["username"]


def _org_or_404(org_id: int) -> OrganisationRow:
    org = accounts.get_org(get_db(), org_id)
    if org is None:
        abort(404)
    return org


def _user_or_404(user_id: int) -> UserRow:
    user = accounts.get_user(get_db(), user_id)
    if user is None or user["removed_at"]:
        abort(404)
    return user


def _member_form(form: MemberForm | None = None) -> MemberForm:
    form = MemberForm() if form is None else form
    # Administrators lead every organisation already: a membership would change nothing.
    form.user.choices = [SelectChoice("", _("Choose a user"))] + [
        SelectChoice(str(u["id"]), _user_label(u)) for u in accounts.all_users(get_db()) if not u["is_admin"]
    ]
    return form


def _user_org_form(form: UserOrgForm | None = None) -> UserOrgForm:
    form = UserOrgForm() if form is None else form
    form.org.choices = [SelectChoice("", _("Choose an organisation"))] + [
        SelectChoice(str(o["id"]), o["name"]) for o in accounts.all_orgs(get_db())
    ]
    return form


def _org_page(
    org: OrganisationRow,
    *,
    member_form: MemberForm | None = None,
    year_form: StartYearForm | None = None,
    status: int = 200,
):
    if year_form is None:
        year_form = StartYearForm(start_year=org["path_start_year"], formdata=None)
    return render_template(
        "admin/org.html",
        org=org,
        members=accounts.org_members(get_db(), org["id"]),
        member_form=_member_form(member_form),
        year_form=year_form,
        remove_form=RemoveForm(),
        page_url=url_for("admin.org", org_id=org["id"]),
    ), status


def _user_page(
    user: UserRow,
    *,
    org_form: UserOrgForm | None = None,
    password_form: PasswordForm | None = None,
    status: int = 200,
):
    grants = accounts.user_grants(get_db(), user["id"])
    return render_template(
        "admin/user.html",
        user=user,
        grants=grants,
        org_form=_user_org_form(org_form),
        password_form=password_form or PasswordForm(formdata=None),
        remove_form=RemoveForm(),
        disable_form=ConfirmForm(),
        is_self=user["id"] == g.user["id"],
        page_url=url_for("admin.user", user_id=user["id"]),
    ), status


@bp.route("/")
@admin_required
def index() -> ResponseReturnValue:
    db = get_db()
    # Organisations and users archived, restored or removed, newest first.
    record = [describe(e) for e in lifecycle_store.admin_events(db)]
    orgs = accounts.all_orgs(db)
    members = accounts.member_counts(db)
    steps = overview.admin_steps(
        [o for o in orgs if not o["archived_at"]], members, overview_store.assessed_org_ids(db)
    )
    return render_template(
        "admin/index.html",
        orgs=orgs,
        users=accounts.all_users(db),
        members=members,
        steps=steps,
        lifecycle_record=record,
        missing_settings=operator_settings.missing(current_app.config),
    )


@bp.route("/orgs/new", methods=["GET", "POST"])
@admin_required
def new_org() -> ResponseReturnValue:
    form = OrgForm()
    if form.validate_on_submit():
        try:
            org = accounts.add_org(get_db(), form.name.data, start_year=form.start_year.data)
        except accounts.NameTaken:
            form.name.errors.append(_("An organisation called %(name)s already exists.", name=form.name.data))
        else:
            flash(
                _(
                    "The organisation %(name)s has been created. Next, give users access to it.",
                    name=org["name"],
                ),
                "success",
            )
            return redirect(url_for("admin.org", org_id=org["id"]))
    return render_template("admin/org_new.html", form=form), (400 if form.errors else 200)


@bp.route("/orgs/<int:org_id>")
@admin_required
def org(org_id: int) -> ResponseReturnValue:
    return _org_page(_org_or_404(org_id))


@bp.route("/orgs/<int:org_id>/year", methods=["POST"])
@admin_required
def org_year(org_id: int) -> ResponseReturnValue:
    org = _org_or_404(org_id)
    form = StartYearForm()
    if not form.validate():
        return _org_page(org, year_form=form, status=400)
    accounts.set_start_year(get_db(), org_id, form.start_year.data)
    if form.start_year.data is None:
        flash(_("The start year of %(name)s has been removed.", name=org["name"]), "success")
    else:
        flash(
            _("The path of %(name)s started in %(year)s.", name=org["name"], year=form.start_year.data),
            "success",
        )
    return redirect(url_for("admin.org", org_id=org_id))


def _role_label(role: str) -> str:
    return _("lead") if role == "lead" else _("viewer")


def _grant(user: UserRow, org: OrganisationRow, role: str) -> None:
    """Give the role and say what changed."""
    db = get_db()
    before = accounts.role(db, user["id"], org["id"])
    accounts.grant(db, user["id"], org["id"], role)
    if before != role:
        log_event(
            "role.change", detail=f"{user['username']}: {before or '-'} -> {role} in organisation {org['id']}"
        )
    names = {"user": _user_label(user), "org": org["name"], "role": _role_label(role)}
    if before == role:
        flash(_("%(user)s was already a %(role)s of %(org)s.", **names), "info")
    elif before is None:
        flash(_("%(user)s is now a %(role)s of %(org)s.", **names), "success")
    else:
        flash(_("The role of %(user)s in %(org)s is now %(role)s.", **names), "success")


@bp.route("/orgs/<int:org_id>/members", methods=["POST"])
@admin_required
def add_member(org_id: int) -> ResponseReturnValue:
    org = _org_or_404(org_id)
    form = _member_form(MemberForm())
    if not form.validate():
        return _org_page(org, member_form=form, status=400)
    _grant(_user_or_404(int(form.user.data)), org, form.role.data)
    return redirect(url_for("admin.org", org_id=org_id))


@bp.route("/orgs/<int:org_id>/members/<int:user_id>/remove", methods=["POST"])
@admin_required
def remove_member(org_id: int, user_id: int) -> ResponseReturnValue:
    org, user = _org_or_404(org_id), _user_or_404(user_id)
    form = RemoveForm()
    form.validate()  # only the CSRF token matters here, and CSRFProtect has checked it
    db = get_db()
    if accounts.role(db, user_id, org_id) is None:
        flash(_("%(user)s had no access to %(org)s.", user=_user_label(user), org=org["name"]), "info")
    else:
        accounts.grant(db, user_id, org_id, None)
        log_event("role.change", detail=f"{user['username']}: removed from organisation {org_id}")
        flash(
            _("%(user)s no longer has access to %(org)s.", user=_user_label(user), org=org["name"]), "success"
        )
    if form.back.data == "user":
        return redirect(url_for("admin.user", user_id=user_id))
    return redirect(url_for("admin.org", org_id=org_id))


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user() -> ResponseReturnValue:
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = accounts.add_user(
                get_db(),
                form.username.data,
                form.password.data,
                display_name=form.display_name.data or "",
                is_admin=form.is_admin.data,
            )
        except accounts.NameTaken:
            form.username.errors.append(
                _("The user name %(name)s is already in use; choose another.", name=form.username.data)
            )
        else:
            log_event(
                "user.create", detail=f"{user['username']}" + (" (administrator)" if user["is_admin"] else "")
            )
            if user["is_admin"]:
                flash(_("The administrator %(user)s has been created.", user=_user_label(user)), "success")
            else:
                flash(
                    _(
                        "The user %(user)s has been created. Next, give them access to an organisation.",
                        user=_user_label(user),
                    ),
                    "success",
                )
            return redirect(url_for("admin.user", user_id=user["id"]))
    return render_template("admin/user_new.html", form=form), (400 if form.errors else 200)


@bp.route("/users/<int:user_id>")
@admin_required
def user(user_id: int) -> ResponseReturnValue:
    return _user_page(_user_or_404(user_id))


@bp.route("/users/<int:user_id>/orgs", methods=["POST"])
@admin_required
def add_user_org(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    if user["is_admin"]:
        flash(_("An administrator leads every organisation already; no role is needed."), "info")
        return redirect(url_for("admin.user", user_id=user_id))
    form = _user_org_form(UserOrgForm())
    if not form.validate():
        return _user_page(user, org_form=form, status=400)
    _grant(user, _org_or_404(int(form.org.data)), form.role.data)
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_required
def reset_password(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    form = PasswordForm()
    if not form.validate():
        return _user_page(user, password_form=form, status=400)
    db = get_db()
    own = user_id == g.user["id"]
    # A new password ends every older session; the admin's own, making the change, stays.
    # A password someone else set is known to two people: the user replaces it at sign-in.
    accounts.set_password(
        db, user_id, form.password.data, must_change=not own, keep_session=g.session_id if own else None
    )
    log_event("password.reset", detail=user["username"])
    if own:
        flash(_("Your password has been changed."), "success")
    else:
        flash(
            _(
                "The password of %(user)s has been changed and their open sessions have ended. "
                "Give the new password to them in a safe way; they choose their own when they "
                "next sign in.",
                user=_user_label(user),
            ),
            "success",
        )
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@admin_required
def disable(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    ConfirmForm().validate()  # only the CSRF token, which CSRFProtect has checked
    if user_id == g.user["id"]:
        flash(_("You cannot disable your own account."), "error")
        return _user_page(user, status=400)
    accounts.set_disabled(get_db(), user_id, True)
    log_event("user.disable", detail=user["username"])
    flash(
        _(
            "%(user)s has been disabled and signed out everywhere. Nothing they saved has been removed.",
            user=_user_label(user),
        ),
        "success",
    )
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@admin_required
def enable(user_id: int) -> ResponseReturnValue:
    user = _user_or_404(user_id)
    ConfirmForm().validate()
    accounts.set_disabled(get_db(), user_id, False)
    log_event("user.enable", detail=user["username"])
    flash(_("%(user)s can sign in again.", user=_user_label(user)), "success")
    return redirect(url_for("admin.user", user_id=user_id))


def _log_day(text: str) -> tuple[str, str] | None:
    """ "d.m.yyyy" -> the UTC bounds of that Finnish day, as the log stores times."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    try:
        d, m, y = (int(p) for p in text.split("."))
        start = datetime(y, m, d, tzinfo=ZoneInfo("Europe/Helsinki"))
    except (ValueError, OverflowError):
        return None
    stamp = lambda t: t.astimezone(ZoneInfo("UTC")).isoformat(timespec="seconds")  # noqa: E731
    return stamp(start), stamp(start + timedelta(days=1))


@bp.route("/security-log")
@admin_required
def security_log_page() -> ResponseReturnValue:
    db = get_db()
    form = LogFilterForm(request.args)
    form.event.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(e, label("security_event", e)) for e in security_log.events(db)
    ]
    form.outcome.choices = [SelectChoice("", _("All"))] + [
        SelectChoice(o, text) for o, text in choices("security_outcome")
    ]
    status, bounds = 200, ("", "")
    if not form.validate():
        status = 400
    elif form.day.data:
        day = _log_day(form.day.data)
        if day is None:
            form.day.errors = [_("Give the day as d.m.yyyy, for example 1.12.2026.")]
            status = 400
        else:
            bounds = day
    entries = (
        []
        if status != 200
        else security_log.search(
            db,
            event=form.event.data or "",
            username=form.username.data or "",
            outcome=form.outcome.data or "",
            since=bounds[0],
            until=bounds[1],
        )
    )
    for entry in entries:
        entry["when"] = format_datetime(entry["at"], current_lang())
        entry["what"] = label("security_event", entry["event"])
        entry["how"] = label("security_outcome", entry["outcome"])
    return render_template(
        "admin/security_log.html",
        form=form,
        entries=entries,
        limit=security_log.PAGE,
        keep_days=int(current_app.config["SECURITY_LOG_DAYS"]),
    ), status
