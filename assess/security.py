"""Security by default: CSRF on every form, security headers, the signed-in user, access checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.routing import IntegerConverter

from .audit import client_address, log_event
from .signed_cache import CachedCookieSessions, CachedCSRFProtect
from .storage import accounts, sessions
from .storage.rows import OrgWithRole, UserRow

# Signatures of the session cookie and the CSRF token are checked once a minute per value
# (signed_cache): the same check, at a fraction of a workshop phone's CPU.
csrf = CachedCSRFProtect()

# No inline scripts or styles anywhere, so the policy can forbid them outright. Images may
# come from blob: URLs, which only the page's own scripts can make: plotly.js draws a chart
# into one to save it as a PNG.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)


# A body that is not a file upload (a form, JSON) never needs more than this; only
# multipart uploads (imports) may use MAX_CONTENT_LENGTH. Werkzeug caps only multipart text
# parts, so without this a 16 MB user name would be read into memory.
MAX_PLAIN_BODY = 1024 * 1024


# Form fields that take a file; a file part under any other name is refused (a text field
# would otherwise receive a file object): the organisation import's "file", the own-data
# uploads' "invoices", "suppliers" and "notices".
FILE_FIELDS = frozenset({"file", "invoices", "suppliers", "notices"})


def accepts_json(view: Callable) -> Callable:
    """Marks a view that reads a JSON body itself. Every other view refuses one: Flask-WTF
    would take a JSON body as a form's data and hand its fields lists, numbers and objects."""
    view.accepts_json = True  # type: ignore[attr-defined]  # a mark the JSON guard reads
    return view


class BoundedInt(IntegerConverter):
    """<int:…> in URLs: ids and years, 1 up to what SQLite's 64-bit integers hold, so a larger
    number is a 404 (not an overflow deep in a query). Only ASCII digits: Python's \\d and int()
    also take other scripts' digits ("١٢" would be id 12 under a second URL)."""

    regex = r"[0-9]+"

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        kwargs.setdefault("min", 1)
        super().__init__(url_map, *args, **kwargs)


class SafeJSON(DefaultJSONProvider):
    """JSON bodies: nesting too deep for the parser is invalid JSON (a 400), not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered (the int converter applies to their routes)."""
    app.url_map.converters["int"] = BoundedInt
    app.session_interface = CachedCookieSessions()
    app.json = SafeJSON(app)

    @app.before_request
    def bound_body() -> None:
        # Registered before CSRFProtect's check, which is the first to read the body.
        if (
            request.is_json
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not getattr(app.view_functions.get(request.endpoint or ""), "accepts_json", False)
        ):
            abort(400, _("This address takes a form, not JSON. Nothing was saved."))
        if request.mimetype != "multipart/form-data":
            request.max_content_length = min(MAX_PLAIN_BODY, app.config["MAX_CONTENT_LENGTH"])
            return
        if any(name not in FILE_FIELDS for name in request.files):
            abort(400, _("The form contained a file where text was expected. Nothing was saved."))

    @app.after_request
    def headers(response: Any) -> Any:
        # Added in one pass over the response's headers (a workshop room sends hundreds of
        # requests a second): each header only where the view has not set its own.
        wanted = list(SECURITY_HEADERS)
        if current_app.config["HTTPS"]:
            wanted.append(("Strict-Transport-Security", "max-age=31536000"))
        if not request.path.startswith("/static/"):
            # Pages carry personal and organisational data: never keep them in shared caches.
            wanted.append(("Cache-Control", "no-store"))
        present = {name.lower() for name in response.headers.keys()}
        for name, value in wanted:
            if name.lower() not in present:
                response.headers.add(name, value)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> Any:
        from flask import render_template

        log_event("csrf", "refused", detail=f"{request.method} {request.path}"[:200])
        message = _(
            "The form had expired or was sent without its security token, so nothing was "
            "saved. Reload the page and send it again."
        )
        return render_template("error.html", title=_("Form not accepted"), message=message), 400

    @app.before_request
    def load_user() -> Any:
        g.user = None
        g.session_id = None
        token = session.get("sid")
        if token is None:
            if "user_id" in session:  # a cookie from before server-side sessions
                _forget_session()
            return None
        from .state import get_db

        found = sessions.resume(get_db(), str(token), idle=idle_timeout(), lifetime=max_lifetime())
        # Signed out, timed out, disabled, or the epoch was bumped (new password, deletion).
        if found is None:
            _forget_session()
            return None
        row, user = found
        g.user, g.session_id = user, row["id"]
        if user["must_change_password"] and request.endpoint not in PASSWORD_CHANGE_ALLOWED:
            flash(
                _("Your password was set by an administrator. Choose your own password before you go on."),
                "info",
            )
            return redirect(url_for("account.index"))
        return None

    # Last: its check runs after the user is known, so a refusal is logged with the user.
    csrf.init_app(app)


# What a user who must change their password may still reach.
PASSWORD_CHANGE_ALLOWED = ("account.index", "account.password", "auth.logout", "auth.language", "static")


def idle_timeout() -> timedelta:
    return timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"]))


def max_lifetime() -> timedelta:
    return timedelta(hours=float(current_app.config["SESSION_MAX_HOURS"]))


def _forget_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start_session(user: UserRow) -> None:
    """Sign the user in: a fresh cookie session (defeats fixation) and a server-side session."""
    from .state import get_db

    _forget_session()
    session.permanent = True
    session["sid"] = sessions.start(
        get_db(), user, client=client_address(), user_agent=request.headers.get("User-Agent", "")
    )
    g.user = user


def end_session() -> None:
    """Sign out: the server forgets the session, so a copy of the cookie is worthless."""
    from .state import get_db

    token = session.get("sid")
    if token:
        sessions.end(get_db(), str(token))
    _forget_session()


def login_required(view: Callable) -> Callable:
    """A view for signed-in users only: others go to the sign-in page and come back."""

    @wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            flash(_("Please sign in first."), "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    """A view for administrators only: 403 for other signed-in users."""

    @wraps(view)
    @login_required
    def wrapped(**kwargs: Any) -> Any:
        if not g.user["is_admin"]:
            abort(403)
        return view(**kwargs)

    return wrapped


def require_org(org_id: int, *, lead: bool = False) -> OrgWithRole:
    """The organisation, if the user may see it (404 otherwise: its existence is not revealed).
    An administrator is a lead in every organisation.

    With lead=True a viewer gets 403: they may see the organisation but not change it.
    """
    from .state import get_db

    db = get_db()
    org = accounts.get_org(db, org_id) if g.user is not None else None
    role = (
        None if org is None else ("lead" if g.user["is_admin"] else accounts.role(db, g.user["id"], org_id))
    )
    if org is None or role is None:
        if g.user is not None:
            log_event("access", "refused", detail=f"organisation {org_id}: {request.path}"[:200])
        abort(404)
    if lead and role != "lead":
        abort(403)
    return OrgWithRole(**org, role=role)
