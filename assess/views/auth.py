"""First-run setup, signing in and out, and the language switch."""

from __future__ import annotations

import math

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
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import Length

from .. import passwords
from ..audit import client_address, log_event
from ..forms import (
    MAX_USERNAME,
    MIN_PASSWORD,
    confirm_validators,
    password_validators,
    required,
    strip,
    username_validators,
)
from ..i18n import LANGUAGES
from ..login_limit import Throttle
from ..security import end_session, start_session
from ..state import get_db
from ..storage import accounts
from ..web import safe_next, secret_key

bp = Blueprint("auth", __name__)


class SetupForm(FlaskForm):
    org_name = StringField(
        _l("Organisation name"),
        filters=[strip],
        validators=[required(), Length(max=200, message=_l("Too long."))],
    )
    username = StringField(
        _l("Administrator's user name"),
        filters=[strip],
        validators=username_validators(),
        description=_l("You sign in with this. Letters, digits and . _ - @"),
    )
    display_name = StringField(
        _l("Your name"), filters=[strip], validators=[Length(max=200, message=_l("Too long."))]
    )
    password = PasswordField(
        _l("Password"),
        validators=password_validators(),
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD),
    )
    confirm = PasswordField(_l("Password again"), validators=confirm_validators())


class LoginForm(FlaskForm):
    username = StringField(
        _l("User name"),
        validators=[required(), Length(max=MAX_USERNAME, message=_l("Wrong user name or password."))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[required(), Length(max=passwords.MAX_LENGTH, message=_l("Wrong user name or password."))],
    )
    next = HiddenField(validators=[Length(max=2000)])


class LanguageForm(FlaskForm):
    lang = HiddenField()
    next = HiddenField()


def _throttle(kind: str) -> Throttle:
    """The sign-in throttles, by what they count failures of:
    "pair" (one name from one client), "client" (any name: spraying), "account" (one name
    from anywhere; a browser where the user has signed in before is not held by it)."""
    key = f"login_throttle_{kind}"
    throttle = current_app.extensions.get(key)
    if throttle is None:
        config = current_app.config
        free = {
            "pair": config["LOGIN_FREE_PER_ACCOUNT_AND_CLIENT"],
            "client": config["LOGIN_FREE_PER_CLIENT"],
            "account": config["LOGIN_FREE_PER_ACCOUNT"],
        }[kind]
        throttle = current_app.extensions.setdefault(
            key,
            Throttle(
                free=int(free),
                max_delay=float(config["LOGIN_MAX_DELAY_SECONDS"]),
                max_keys=int(config["THROTTLE_MAX_KEYS"]),
            ),
        )
    return throttle


KNOWN_DEVICE_SALT = "known-device"
KNOWN_DEVICE_DAYS = 90
KNOWN_DEVICE_NAMES = 5


def _device_cookie_name() -> str:
    return "__Host-device" if current_app.config["HTTPS"] else "device"


def _known_names() -> list[str]:
    """User names that have signed in on this browser (a signed cookie, so not forgeable)."""
    from itsdangerous import BadSignature, URLSafeTimedSerializer

    raw = request.cookies.get(_device_cookie_name(), "")
    if not raw or len(raw) > 2000:
        return []
    signer = URLSafeTimedSerializer(secret_key(), salt=KNOWN_DEVICE_SALT)
    try:
        names = signer.loads(raw, max_age=KNOWN_DEVICE_DAYS * 86400)
    except BadSignature:
        return []
    return [str(n) for n in names][:KNOWN_DEVICE_NAMES] if isinstance(names, list) else []


def _remember_device(response: Response, name: str) -> None:
    from itsdangerous import URLSafeTimedSerializer

    names = [name] + [n for n in _known_names() if n != name]
    signer = URLSafeTimedSerializer(secret_key(), salt=KNOWN_DEVICE_SALT)
    response.set_cookie(
        _device_cookie_name(),
        signer.dumps(names[:KNOWN_DEVICE_NAMES]),
        max_age=KNOWN_DEVICE_DAYS * 86400,
        secure=bool(current_app.config["HTTPS"]),
        httponly=True,
        samesite="Lax",
        path="/",
    )


def _wait_message(seconds: float) -> str:
    if seconds > 90:
        return _(
            "Too many failed sign-ins. Wait %(n)d minutes and try again, or ask your "
            "administrator for a new password.",
            n=math.ceil(seconds / 60),
        )
    return ngettext(
        "Too many failed sign-ins. Wait %(num)d second and try again.",
        "Too many failed sign-ins. Wait %(num)d seconds and try again.",
        max(1, math.ceil(seconds)),
    )


@bp.before_app_request
def first_run() -> ResponseReturnValue | None:
    """Until the administrator exists, every page leads to the one-time setup."""
    if request.endpoint in ("auth.setup", "static", "auth.language") or request.path.startswith("/api/"):
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
        user = accounts.first_setup(
            db,
            form.username.data,
            form.password.data,
            display_name=form.display_name.data or "",
            org_name=form.org_name.data,
        )
        if user is None:  # another setup got there first
            return redirect(url_for("auth.login"))
        start_session(user)
        log_event("setup", user=user)
        flash(_("Welcome! The administrator and the organisation have been created."), "success")
        # The administrator's next steps (add users, the first assessment) are listed there.
        return redirect(url_for("admin.index"))
    return render_template("auth/setup.html", form=form), (400 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")[:2000]
    status = 200
    # A refused sign-in is about the whole form (which of the two was wrong is not told),
    # so it is shown on the form, not on the password field.
    refused = ""
    if form.validate_on_submit():
        name, client = form.username.data.strip().lower(), client_address()
        throttles = [("pair", f"{name}\n{client}"), ("client", client)]
        if name not in _known_names():  # a real user's usual browser is never held back
            throttles.append(("account", name))
        wait = max(_throttle(kind).wait(key) for kind, key in throttles)
        if wait > 0:
            refused = _wait_message(wait)
            status = 429
        else:
            user = accounts.authenticate(get_db(), form.username.data, form.password.data)
            if user is not None and user["disabled"]:
                log_event("login", "disabled", user=user)
                refused = _("This account has been disabled. Ask your administrator.")
                status = 403
            elif user is not None:
                for kind, key in throttles:
                    if kind != "client":  # one success must not lift a spraying client's wait
                        _throttle(kind).reset(key)
                start_session(user)
                log_event("login", user=user)
                response = redirect(safe_next(form.next.data))
                _remember_device(response, name)
                return response
            else:
                earned = max(_throttle(kind).fail(key) for kind, key in throttles)
                log_event("login", "failed", username=name)
                if earned > 0:
                    log_event("login.throttled", "refused", username=name, detail=f"wait {int(earned)} s")
                refused = _("Wrong user name or password.")
    if (form.errors or refused) and status == 200:
        status = 400
    return render_template("auth/login.html", form=form, refused=refused), status


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    if g.user is not None:
        log_event("logout")
    end_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data))


@bp.app_context_processor
def inject_forms() -> dict:
    # formdata=None: an error page (a body too large, say) must render without reading the body.
    return {"language_form": LanguageForm(formdata=None), "current_user": g.get("user")}
