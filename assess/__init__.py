"""Hankintapolku: the Flask application factory."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from . import clock, resources

# The repository's root in a checkout (tests read its folders); see resources.py.
ROOT = resources.CHECKOUT


class ConfigError(Exception):
    """instance/config.py exists but cannot be used: the app must not start without it."""


def _local_settings(app: Flask, instance: Path) -> None:
    """instance/config.py, where operators put local settings (README, Security)."""
    path = instance / "config.py"
    if not path.exists():
        return
    try:
        app.config.from_pyfile(str(path))
    except Exception as exc:  # any failure here means settings the operator meant are missing
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
        raise ConfigError(f"cannot read the settings file {path}: {reason}") from exc


def _https(app: Flask) -> None:
    """HTTPS=True: the cookie only over HTTPS and bound to this host; browsers told to stay on it."""
    if app.config["HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"  # no Domain, Path=/, Secure
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["PREFERRED_URL_SCHEME"] = "https"


def _secret_key(instance: Path) -> str:
    """The instance's secret key, generated on first start and kept only in instance/."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; raises ContentError (listing every problem) when content is broken."""
    instance = Path(os.environ.get("ASSESS_INSTANCE_PATH", resources.default_instance()))
    if test_config and "INSTANCE_PATH" in test_config:
        instance = Path(test_config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(resources.data_dir("templates")),
        static_folder=None,  # served by static_files: versioned, precompressed, cached
    )
    app.config.from_mapping(
        DATABASE=str(instance / "assess.db"),
        CONTENT_DIR=os.environ.get("ASSESS_CONTENT_DIR", str(resources.data_dir("questionnaires"))),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        HTTPS=False,
        TRUSTED_PROXIES=0,
        SESSION_IDLE_MINUTES=120,
        SESSION_MAX_HOURS=12,
        SECURITY_LOG_DAYS=180,
        LOGIN_FREE_PER_ACCOUNT_AND_CLIENT=5,
        LOGIN_FREE_PER_CLIENT=20,
        LOGIN_FREE_PER_ACCOUNT=10,
        LOGIN_MAX_DELAY_SECONDS=900,
        THROTTLE_MAX_KEYS=10_000,
        JOIN_BURST_PER_CLIENT=250,
        JOIN_PER_MINUTE_PER_CLIENT=10,
        WORKSHOP_JOIN_BURST_PER_CLIENT=1200,
        JOIN_CODE_FAILURES_FREE=20,
        # A long form (the full questionnaire) may take a while: tie CSRF tokens to the
        # session rather than to the default one hour.
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        # Form fields other than files: no text field needs more than this.
        MAX_FORM_MEMORY_SIZE=500 * 1024,
        MAX_FORM_PARTS=2000,
        BABEL_DEFAULT_LOCALE="fi",
        # Where the users are: dates and the calendar year follow this zone, never the server's.
        TIME_ZONE=clock.DEFAULT_ZONE,
    )
    _local_settings(app, instance)
    if test_config:
        app.config.update(test_config)
    try:
        clock.set_zone(app.config["TIME_ZONE"])
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    # The cookie lives as long as a session may (the server decides when it has ended).
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=float(app.config["SESSION_MAX_HOURS"]))
    _https(app)
    if int(app.config["TRUSTED_PROXIES"]) > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        # Flask's documented way to add WSGI middleware; mypy sees a method being replaced.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    from . import (
        audit,
        compression,
        i18n,
        retention,
        room_gate,
        security,
        state,
        static_files,
        templating,
    )
    from .views import register_views

    state.init_app(app)  # loads and validates content, migrates the database
    i18n.init_app(app)
    templating.init_app(app)  # filters and pure template helpers, in one place
    audit.init_app(app)
    security.init_app(app)
    static_files.init_app(app, resources.data_dir("static"))
    compression.init_app(app)
    retention.init_app(app)  # after security: the signed-in user is known first
    register_views(app)
    # In front of the app: cheap "nothing changed" answers to workshop phones, and under
    # overload phones shed before the facilitator (SERVER_THREADS is set by `assess serve`).
    room_gate.install(app, app.config.get("SERVER_THREADS"))
    from .cli import register_commands

    register_commands(app)
    return app
