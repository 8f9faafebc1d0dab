"""Hankintapolku: the Flask application factory."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from . import clock

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance: Path) -> str:
    """The instance's secret key, generated on first start and kept only in instance/."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; raises ContentError (listing every problem) when content is broken."""
    instance = Path(os.environ.get("ASSESS_INSTANCE_PATH", ROOT / "instance"))
    if test_config and "INSTANCE_PATH" in test_config:
        instance = Path(test_config["INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=None,  # served by static_files: versioned, precompressed, cached
    )
    app.config.from_mapping(
        DATABASE=str(instance / "assess.db"),
        CONTENT_DIR=os.environ.get("ASSESS_CONTENT_DIR", str(ROOT / "questionnaires")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        # A long form (the full questionnaire) may take a while: tie CSRF tokens to the
        # session rather than to the default one hour.
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        BABEL_DEFAULT_LOCALE="fi",
        LOGIN_ATTEMPTS=10,
        # Where the users are: dates and the calendar year follow this zone, never the server's.
        TIME_ZONE=clock.DEFAULT_ZONE,
    )
    app.config.from_pyfile("config.py", silent=True)  # local settings live in instance/
    if test_config:
        app.config.update(test_config)
    clock.set_zone(app.config["TIME_ZONE"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    from . import compression, i18n, retention, room_gate, security, state, static_files
    from .views import register_views

    state.init_app(app)  # loads and validates content, migrates the database
    i18n.init_app(app)
    security.init_app(app)
    static_files.init_app(app, ROOT / "static")
    compression.init_app(app)
    retention.init_app(app)  # after security: the signed-in user is known first
    register_views(app)
    # In front of the app: cheap "nothing changed" answers to workshop phones, and under
    # overload phones shed before the facilitator (SERVER_THREADS is set by `assess serve`).
    room_gate.install(app, app.config.get("SERVER_THREADS"))
    from .cli import register_commands

    register_commands(app)
    return app
