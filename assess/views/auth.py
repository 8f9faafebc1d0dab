"""First-run setup, signing in and out, and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..i18n import LANGUAGES
from ..login_limit import FailureLimiter
from ..state import get_db
from ..storage import accounts

bp = Blueprint("auth", __name__)

MIN_PASSWORD = 10


def strip(value: object) -> object:
    """A field filter: surrounding spaces are never meant (names pasted from elsewhere)."""
    return value.strip() if isinstance(value, str) else value


def required() -> DataRequired:
    return DataRequired(message=_l("Fill in this field."))


def username_validators() -> list:
    """One rule for user names wherever they are created (setup, administration)."""
    return [
        required(),
        Length(min=2, max=80, message=_l("Use 2 to 80 characters.")),
        Regexp(r"^[\w.@-]+$", message=_l(
            "Use only letters, digits and the characters . _ - @ (no spaces).")),
    ]


def password_validators() -> list:
    return [
        required(),
        Length(min=MIN_PASSWORD, max=200,
               message=_l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD)),
    ]


def confirm_validators() -> list:
    return [required(), EqualTo("password", message=_l("The passwords differ."))]


class SetupForm(FlaskForm):
    org_name = StringField(_l("Organisation name"), filters=[strip],
                           validators=[required(), Length(max=200, message=_l("Too long."))])
    username = StringField(_l("Administrator's user name"), filters=[strip],
                           validators=username_validators(),
                           description=_l("You sign in with this. Letters, digits and . _ - @"))
    display_name = StringField(_l("Your name"), filters=[strip],
                               validators=[Length(max=200, message=_l("Too long."))])
    password = PasswordField(_l("Password"), validators=password_validators(),
                             description=_l("At least %(n)d characters.", n=MIN_PASSWORD))
    confirm = PasswordField(_l("Password again"), validators=confirm_validators())


class LoginForm(FlaskForm):
    username = StringField(_l("User name"), validators=[required()])
    password = PasswordField(_l("Password"), validators=[required()])
    next = HiddenField()


class LanguageForm(FlaskForm):
    lang = HiddenField()
    next = HiddenField()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would help phishing.

    Browsers read a backslash as a slash ("/\\evil.example" goes to another host) and
    drop tabs and newlines, so those are refused as well as "//host" and "scheme:".
    """
    if target and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target and not any(ord(c) < 32 or ord(c) == 127 for c in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def _limiter() -> FailureLimiter:
    limiter = current_app.extensions.get("login_limiter")
    if limiter is None:
        limiter = current_app.extensions.setdefault(
            "login_limiter", FailureLimiter(int(current_app.config["LOGIN_ATTEMPTS"])))
    return limiter


@bp.before_app_request
def first_run() -> object | None:
    """Until the administrator exists, every page leads to the one-time setup."""
    if request.endpoint in ("auth.setup", "static", "auth.language") or \
            request.path.startswith("/api/"):
        return None
    # Once an administrator exists there is no going back, so remember it and spare every
    # later request (a workshop room polls several times a second) the query.
    if current_app.extensions.get("setup_done"):
        return None
    if accounts.is_empty(get_db()):
        return redirect(url_for("auth.setup"))
    current_app.extensions["setup_done"] = True
    return None


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
    db = get_db()
    if not accounts.is_empty(db):
        flash(_("Setup has already been done. Sign in."), "info")
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        user = accounts.first_setup(db, form.username.data, form.password.data,
                                    display_name=form.display_name.data or "",
                                    org_name=form.org_name.data)
        if user is None:  # another setup got there first
            return redirect(url_for("auth.login"))
        _sign_in(user)
        flash(_("Welcome! The administrator and the organisation have been created."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/setup.html", form=form), (400 if form.errors else 200)


def _sign_in(user: dict) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session on sign-in defeats session fixation
    session.permanent = True
    session["user_id"] = user["id"]
    session["epoch"] = user["session_epoch"]
    if lang:
        session["lang"] = lang


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        key = form.username.data.strip().lower()
        if _limiter().blocked(key):
            form.password.errors = [_(
                "Too many failed attempts for this user name. Wait 15 minutes and try again, "
                "or ask your administrator to reset the password.")]
        else:
            user = accounts.authenticate(get_db(), form.username.data, form.password.data)
            if user is not None:
                _limiter().reset(key)
                _sign_in(user)
                return redirect(_safe_next(form.next.data))
            _limiter().fail(key)
            form.password.errors = [_("Wrong user name or password.")]
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    return redirect(_safe_next(form.next.data))


@bp.app_context_processor
def inject_forms() -> dict:
    return {"language_form": LanguageForm(), "current_user": g.get("user")}
