"""UI language: Finnish by default, English on request.

The Finnish catalogue is compiled from the .po parts at build time into the wheel (setup.py);
in a checkout it is compiled on start, when a part is newer, into build/translations; never
into the package at run time.
"""

from __future__ import annotations

from pathlib import Path

from babel.support import NullTranslations
from flask import Flask, g, session
from flask_babel import Babel, get_translations

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
    # Flask-Babel's template callables look the catalogue up again for every string (a page
    # has hundreds): the request's catalogue is looked up once instead. The language is fixed
    # for the request as before, since Flask-Babel keeps the locale per request too.
    # (jinja2.ext.i18n, which Flask-Babel added, gives the environment this method at run time)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.context_processor
    def inject_lang() -> dict:
        return {"lang": current_lang(), "languages": LANGUAGES}


def _catalogue() -> NullTranslations:
    """The request's catalogue (Flask-Babel's get_translations), kept on g."""
    catalogue = g.get("_catalogue")
    if catalogue is None:
        catalogue = g._catalogue = get_translations()
    return catalogue


def current_lang() -> str:
    """The UI language: the user's choice, else Finnish (the users are Finnish staff)."""
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "fi"
