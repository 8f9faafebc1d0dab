"""Views, one blueprint per user journey; each view stays thin over storage and pure logic."""

from __future__ import annotations

import importlib

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

# Blueprint modules, each exposing `bp`. A module listed here that does not exist yet is an
# error: every journey registers itself explicitly.
BLUEPRINTS = (
    "auth", "account", "home", "admin", "browse", "api", "orgs", "assessments", "metrics", "rounds",
    "respond", "history", "workshop", "workshop_live", "results", "plan", "vendor", "exports", "transfer",
    "owndata",
    "benchmark", "org_settings", "benchmark_admin",
    "retire", "admin_retire", "my_data", "pages",
)


def register_views(app: Flask) -> None:
    for name in BLUEPRINTS:
        module = importlib.import_module(f"{__name__}.{name}")
        app.register_blueprint(module.bp)

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> ResponseReturnValue:
        return render_template(
            "error.html", title=_("Page not found"),
            message=_("There is no such page, or you do not have access to it."),
        ), 404

    @app.errorhandler(403)
    def forbidden(_exc: Exception) -> ResponseReturnValue:
        from flask import request

        from ..audit import log_event

        log_event("access", "refused", detail=f"403 {request.method} {request.path}"[:200])
        return render_template(
            "error.html", title=_("Not allowed"),
            message=_("Your role does not allow this. Ask a lead of the organisation."),
        ), 403

    @app.errorhandler(400)
    def bad_request(exc: Exception) -> ResponseReturnValue:
        return render_template(
            "error.html", title=_("Request not accepted"),
            # Werkzeug's own default description is English; only a message given with abort() is shown.
            message=(exc.description if getattr(exc, "description", None)
                     and exc.description != type(exc).description
                     else _("The request was not understood.")),
        ), 400

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> ResponseReturnValue:
        return render_template(
            "error.html", title=_("Too large"), message=_("The file or form was too large."),
        ), 413
