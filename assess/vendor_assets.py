"""plotly.js and its CSS as the app serves them (nothing is loaded from another host):
gzipped once ahead of time and cached under URLs that carry the digest of their content.

The vendor blueprint sends these assets; the chart pages link them through ``plotly_urls``
(a template helper in assess/templating.py); the server warms them before forking.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import url_for

from . import plotly_assets, static_files


def js() -> static_files.Asset:
    return static_files.file_asset(plotly_assets.BUNDLE, static_files.cache_folder())


def css() -> static_files.Asset:
    return _css_in(static_files.cache_folder())


@lru_cache(maxsize=8)
def _css_in(cache: Path) -> static_files.Asset:
    return static_files.bytes_asset("plotly.css", plotly_assets.plotly_css().encode(), cache)


def plotly_urls() -> dict[str, str]:
    """The versioned URLs of plotly.js and its CSS, for the chart pages."""
    return {
        "js": url_for("vendor.plotly_js", v=js().digest),
        "css": url_for("vendor.plotly_css", v=css().digest),
    }
