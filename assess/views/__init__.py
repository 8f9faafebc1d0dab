"""Views, one blueprint per user journey; each view stays thin over storage and pure logic."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from . import (
    account,
    admin,
    admin_retire,
    api,
    assessments,
    auth,
    benchmark,
    benchmark_admin,
    browse,
    exports,
    history,
    home,
    metrics,
    my_data,
    org_settings,
    orgs,
    owndata,
    pages,
    plan,
    respond,
    results,
    retire,
    rounds,
    transfer,
    vendor,
    workshop,
    workshop_live,
)

# Every journey's blueprint, registered in this order; a blueprint never imports another.
BLUEPRINTS = (
    auth.bp,
    account.bp,
    home.bp,
    admin.bp,
    browse.bp,
    api.bp,
    orgs.bp,
    assessments.bp,
    metrics.bp,
    rounds.bp,
    respond.bp,
    history.bp,
    workshop.bp,
    workshop_live.bp,
    results.bp,
    plan.bp,
    vendor.bp,
    exports.bp,
    transfer.bp,
    owndata.bp,
    benchmark.bp,
    org_settings.bp,
    benchmark_admin.bp,
    retire.bp,
    admin_retire.bp,
    my_data.bp,
    pages.bp,
)


def register_views(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

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
