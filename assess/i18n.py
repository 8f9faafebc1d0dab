"""UI language: Finnish by default, English on request; catalogues compiled on start."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, session
from flask_babel import Babel

LANGUAGES = ("fi", "en")
TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogues(folder: Path = TRANSLATIONS) -> None:
    """Merge each language's .po files into LC_MESSAGES/messages.mo, when any is newer.

    Translations are kept as one .po file per user journey under <lang>/parts/, so the
    catalogue for a journey sits in one place; only .po files are in version control, so
    a fresh checkout needs no build step.
    """
    for lang_dir in (d for d in folder.iterdir() if d.is_dir()):
        sources = sorted(lang_dir.glob("parts/*.po"))
        if not sources:
            continue
        mo_path = lang_dir / "LC_MESSAGES" / "messages.mo"
        newest = max(p.stat().st_mtime for p in sources)
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        merged = Catalog(locale=lang_dir.name)
        for po_path in sources:
            with po_path.open("rb") as fh:
                for message in read_po(fh, locale=lang_dir.name):
                    if message.id and message.string:
                        merged.add(message.id, message.string, context=message.context)
        mo_path.parent.mkdir(exist_ok=True)
        tmp = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, merged)
        tmp.replace(mo_path)  # atomic: a concurrent start never reads half a file


def init_app(app: Flask) -> None:
    compile_catalogues()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=current_lang)

    @app.context_processor
    def inject_lang() -> dict:
        return {"lang": current_lang(), "languages": LANGUAGES}


def current_lang() -> str:
    """The UI language: the user's choice, else Finnish (the users are Finnish staff)."""
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "fi"
