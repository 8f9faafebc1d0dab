"""Third-party assets the app serves itself (nothing is loaded from another host): plotly.js."""

from __future__ import annotations

from flask import Blueprint, Response, send_file

from .. import plotly_assets

bp = Blueprint("vendor", __name__, url_prefix="/vendor")
bp.add_app_template_global(plotly_assets.plotly_version, "plotly_version")
bp.add_app_template_global(plotly_assets.injected_style_ids, "plotly_style_ids")

# The URLs carry the plotly version (?v=…, see templates/results/_chart_assets.html), so the
# files can be cached for a year: an upgrade changes the URL.
MAX_AGE = 365 * 24 * 3600


@bp.route("/plotly.min.js")
def plotly_js() -> Response:
    return send_file(plotly_assets.BUNDLE, mimetype="text/javascript", max_age=MAX_AGE,
                     conditional=True)


@bp.route("/plotly.css")
def plotly_css() -> Response:
    """plotly.js's base styles as a file, so that it needs no inline <style> under our CSP."""
    response = Response(plotly_assets.plotly_css(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response
