"""Compiling the translation catalogues from their .po parts (Babel only, no Flask: setup.py
runs it at build time)."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parent / "translations"  # the .po parts, per language


def compile_catalogues(folder: Path = TRANSLATIONS, target: Path | None = None) -> None:
    """Merge each language's .po files into <target>/<lang>/LC_MESSAGES/messages.mo (target:
    ``folder`` itself unless given), when any part is newer than the compiled file.

    Translations are kept as one .po file per user journey under <lang>/parts/, so the
    catalogue for a journey sits in one place; only .po files are in version control, so
    a fresh checkout needs no build step.
    """
    for lang_dir in (d for d in folder.iterdir() if d.is_dir()):
        sources = sorted(lang_dir.glob("parts/*.po"))
        if not sources:
            continue
        mo_path = (target or folder) / lang_dir.name / "LC_MESSAGES" / "messages.mo"
        newest = max(p.stat().st_mtime for p in sources)
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        merged = Catalog(locale=lang_dir.name)
        for po_path in sources:
            with po_path.open("rb") as fh:
                for message in read_po(fh, locale=lang_dir.name):
                    if message.id and message.string:
                        merged.add(message.id, message.string, context=message.context)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, merged)
        tmp.replace(mo_path)  # atomic: a concurrent start never reads half a file
