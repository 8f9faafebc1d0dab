"""The signed-in user's own account: change the password, see and end own sessions."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import Length

from ..audit import log_event
from ..formatting import format_datetime
from ..forms import ConfirmForm, confirm_validators, password_validators, required
from ..i18n import current_lang
from ..security import end_session, idle_timeout, login_required, max_lifetime
from ..state import get_db
from ..storage import accounts, sessions

bp = Blueprint("account", __name__, url_prefix="/account")


class OwnPasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[required(), Length(max=200, message=_l("The current password is wrong."))],
    )
    password = PasswordField(
        _l("New password"),
        validators=password_validators(),
        description=_l(
            "At least 12 characters; any characters. A few unrelated words in a row make a good password."
        ),
    )
    confirm = PasswordField(_l("New password again"), validators=confirm_validators())


def _page(form: OwnPasswordForm | None = None, status: int = 200) -> ResponseReturnValue:
    live = sessions.of_user(get_db(), g.user["id"], idle=idle_timeout(), lifetime=max_lifetime())
    lang = current_lang()
    shown = [
        {
            "id": s["id"],
            "current": s["id"] == g.session_id,
            "started": format_datetime(s["created_at"], lang),
            "last_seen": format_datetime(s["last_seen_at"], lang),
            "client": s["client"],
            "browser": s["user_agent"][:80],
        }
        for s in live
    ]
    return render_template(
        "account/index.html",
        form=form or OwnPasswordForm(formdata=None),
        sessions=shown,
        end_form=ConfirmForm(),
        must_change=bool(g.user["must_change_password"]),
    ), status


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    return _page()


@bp.route("/password", methods=["POST"])
@login_required
def password() -> ResponseReturnValue:
    form = OwnPasswordForm()
    if not form.validate():
        return _page(form, 400)
    db = get_db()
    if not accounts.check_password(db, g.user["id"], form.current.data):
        log_event("password.change", "failed", detail="wrong current password")
        form.current.errors = [_("The current password is wrong.")]
        return _page(form, 400)
    if form.password.data == form.current.data:
        form.password.errors = [_("Choose a password different from the current one.")]
        return _page(form, 400)
    accounts.set_password(db, g.user["id"], form.password.data, keep_session=g.session_id)
    log_event("password.change")
    flash(_("Your password has been changed. Your other sessions have ended."), "success")
    return redirect(url_for("account.index"))


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end(session_id: int) -> ResponseReturnValue:
    ConfirmForm().validate()  # only the CSRF token, which CSRFProtect has checked
    if session_id == g.session_id:
        log_event("logout")
        end_session()
        flash(_("You have signed out."), "info")
        return redirect(url_for("auth.login"))
    if sessions.end_one(get_db(), g.user["id"], session_id):
        log_event("session.end", detail=f"session {session_id}")
        flash(_("The session has been ended."), "success")
    return redirect(url_for("account.index"))
