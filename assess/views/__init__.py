"""Views, one blueprint per user journey; each view stays thin over storage and pure logic."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

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
        return error_page(
            _("Page not found"), _("There is no such page, or you do not have access to it."), 404
        )

    @app.errorhandler(403)
    def forbidden(_exc: Exception) -> ResponseReturnValue:
        from flask import request

        from ..audit import log_event

        log_event("access", "refused", detail=f"403 {request.method} {request.path}"[:200])
        return error_page(
            _("Not allowed"), _("Your role does not allow this. Ask a lead of the organisation."), 403
        )

    @app.errorhandler(400)
    def bad_request(exc: HTTPException) -> ResponseReturnValue:
        # Werkzeug's own default description is English; only a message given with abort() is shown.
        given = getattr(exc, "description", None)
        message = given if given and given != type(exc).description else _("The request was not understood.")
        return error_page(_("Request not accepted"), message, 400)

    @app.errorhandler(413)
    def too_large(_exc: Exception) -> ResponseReturnValue:
        return error_page(_("Too large"), _("The file or form was too large."), 413)

    @app.errorhandler(405)
    def wrong_method(exc: HTTPException) -> ResponseReturnValue:
        response = exc.get_response()  # keeps the Allow header
        page = error_page(
            _("Request not accepted"), _("This address does not take that kind of request."), 405
        )
        return page[0], 405, {"Allow": response.headers.get("Allow", "")}

    @app.errorhandler(HTTPException)
    def other_http_error(exc: HTTPException) -> ResponseReturnValue:
        # Any other refusal by Werkzeug (a header too large, a media type not taken...): the
        # same page in the user's language rather than Werkzeug's English one.
        if exc.code is None or exc.code < 400:
            return exc
        if exc.code >= 500:
            return error_page(_("Something went wrong"), _("Nothing was saved. Try again later."), exc.code)
        return error_page(_("Request not accepted"), _("The request was not understood."), exc.code)

    @app.errorhandler(500)
    def server_error(_exc: Exception) -> ResponseReturnValue:
        # The last resort: every known cause answers 4xx before this; still no English page.
        return error_page(_("Something went wrong"), _("Nothing was saved. Try again later."), 500)


def error_page(title: str, message: str, status: int) -> tuple[str, int]:
    """The error page in the user's language. A request whose Host header could not be parsed
    has no URL adapter, and the page's links need one: bound to a neutral name instead."""
    from flask import current_app, request
    from flask.globals import request_ctx

    if request_ctx.url_adapter is None:
        request_ctx.url_adapter = current_app.url_map.bind(
            "localhost", script_name=request.script_root or "/", url_scheme=request.scheme
        )
    return render_template("error.html", title=title, message=message), status
