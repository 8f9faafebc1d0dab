"""Third-party assets the app serves itself (nothing is loaded from another host): plotly.js.

Served like the static files (static_files): gzipped once ahead of time (plotly.min.js moves
1.5 MB instead of 4.8 MB), and cached for a year under URLs that carry the digest of their
content (?v=…, see templates/results/_chart_*.html and assess/vendor_assets.py), so an
upgrade changes the URL.
"""

from __future__ import annotations

from flask import Blueprint, Response

from .. import static_files, vendor_assets

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.route("/plotly.min.js")
def plotly_js() -> Response:
    return static_files.send(vendor_assets.js())


@bp.route("/plotly.css")
def plotly_css() -> Response:
    """plotly.js's base styles as a file, so that it needs no inline <style> under our CSP."""
    return static_files.send(vendor_assets.css())
