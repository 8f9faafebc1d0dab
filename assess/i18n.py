"""UI language: Finnish by default, English on request.

The Finnish catalogue is compiled from the .po parts at build time into the wheel (setup.py);
in a checkout it is compiled on start, when a part is newer, into build/translations; never
into the package at run time.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, session
from flask_babel import Babel

from . import resources
from .catalogues import TRANSLATIONS, compile_catalogues

LANGUAGES = ("fi", "en")


def catalogue_dir() -> Path:
    """The folder of the compiled catalogues: the checkout's build/translations (compiled now
    when needed), or the installed package's, compiled when the wheel was built."""
    if resources.is_checkout():
        target = resources.CHECKOUT / "build" / "translations"
        compile_catalogues(TRANSLATIONS, target)
        return target
    return TRANSLATIONS


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(catalogue_dir()))
    Babel(app, locale_selector=current_lang)

    @app.context_processor
    def inject_lang() -> dict:
        return {"lang": current_lang(), "languages": LANGUAGES}


def current_lang() -> str:
    """The UI language: the user's choice, else Finnish (the users are Finnish staff)."""
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "fi"
