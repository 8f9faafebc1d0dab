"""Both UI languages are complete: every UI string has its Finnish translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from assess import ROOT
from assess.i18n import TRANSLATIONS

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def ui_strings() -> dict[str, str]:
    """Every msgid used in the code and templates, with where it was first seen."""
    found: dict[str, str] = {}
    sources = [
        (ROOT / "assess", [("**.py", "python")]),
        (ROOT / "templates", [("**.html", "jinja2.ext:babel_extract")]),
    ]
    for folder, method_map in sources:
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            str(folder), method_map, keywords=KEYWORDS, options_map={"**.html": {}}
        ):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.setdefault(msgid, f"{folder.name}/{filename}:{lineno}")
    return found


def finnish() -> dict[str, str]:
    translations: dict[str, str] = {}
    for po_path in sorted((TRANSLATIONS / "fi" / "parts").glob("*.po")):
        with po_path.open("rb") as fh:
            for message in read_po(fh, locale="fi"):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for msgid, msgstr in zip(ids, strings, strict=False):
                    if msgid and msgstr:
                        translations[msgid] = msgstr
    return translations


def test_every_ui_string_has_a_finnish_translation():
    strings, fi = ui_strings(), finnish()
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in strings.items() if msgid not in fi)
    assert not missing, f"{len(missing)} UI strings lack Finnish:\n" + "\n".join(missing[:80])


def test_finnish_keeps_the_placeholders():
    fi = finnish()
    import re

    wrong = [
        m
        for m, t in fi.items()
        if sorted(re.findall(r"%\(\w+\)[sd]", m)) != sorted(re.findall(r"%\(\w+\)[sd]", t))
    ]
    assert not wrong, f"placeholders differ: {wrong[:20]}"


def test_a_string_is_translated_the_same_way_in_every_part():
    """The parts are merged into one catalogue: two wordings for one string would be a lottery."""
    seen: dict[tuple[str, str | None], tuple[str, str]] = {}
    clashes = []
    for po_path in sorted((TRANSLATIONS / "fi" / "parts").glob("*.po")):
        with po_path.open("rb") as fh:
            for message in read_po(fh, locale="fi"):
                if not message.id or not message.string:
                    continue
                key = (str(message.id), message.context)
                if key in seen and seen[key][1] != message.string:
                    clashes.append(
                        f"{key[0]!r}: {seen[key][0]} {seen[key][1]!r} vs {po_path.name} {message.string!r}"
                    )
                seen.setdefault(key, (po_path.name, message.string))
    assert not clashes, "\n".join(clashes)
