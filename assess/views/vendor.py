"""Third-party assets the app serves itself (nothing is loaded from another host): plotly.js.

Served like the static files (static_files): gzipped once ahead of time (plotly.min.js moves
1.5 MB instead of 4.8 MB), and cached for a year under URLs that carry the digest of their
content (?v=…, see templates/results/_chart_*.html), so an upgrade changes the URL.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, url_for

from .. import plotly_assets, static_files

bp = Blueprint("vendor", __name__, url_prefix="/vendor")
bp.add_app_template_global(plotly_assets.injected_style_ids, "plotly_style_ids")


def _js() -> static_files.Asset:
    return static_files.file_asset(plotly_assets.BUNDLE, static_files.cache_folder())


def _css() -> static_files.Asset:
    return _css_in(static_files.cache_folder())


@lru_cache(maxsize=8)
def _css_in(cache: Path) -> static_files.Asset:
    return static_files.bytes_asset("plotly.css", plotly_assets.plotly_css().encode(), cache)


@bp.app_template_global("plotly_urls")
def plotly_urls() -> dict[str, str]:
    """The versioned URLs of plotly.js and its CSS, for the chart pages."""
    return {"js": url_for("vendor.plotly_js", v=_js().digest),
            "css": url_for("vendor.plotly_css", v=_css().digest)}


@bp.route("/plotly.min.js")
def plotly_js() -> Response:
    return static_files.send(_js())


@bp.route("/plotly.css")
def plotly_css() -> Response:
    """plotly.js's base styles as a file, so that it needs no inline <style> under our CSP."""
    return static_files.send(_css())
