"""The pages a Finnish public web service must have: the accessibility statement
(saavutettavuusseloste) and the privacy notice (tietosuojaseloste), public, in fi and en.

The operator's own details come from installation settings (instance/config.py); until
they are set, the pages show a visible placeholder and the administration page warns.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from ..i18n import current_lang
from ..operator_settings import OPERATOR_SETTINGS

bp = Blueprint("pages", __name__)

# The supervisory authority for the accessibility of public digital services: Traficom's
# accessibility supervision since 1.1.2025 (before, the Regional State Administrative Agency
# for Southern Finland). A setting ACCESSIBILITY_AUTHORITY (same keys) overrides it.
AUTHORITY = {
    "name_fi": "Liikenne- ja viestintävirasto Traficom, saavutettavuusvalvonta",
    "name_en": "Finnish Transport and Communications Agency Traficom, accessibility supervision",
    "web": "https://www.saavutettavuusvaatimukset.fi",
    "email": "saavutettavuus@traficom.fi",
    "phone": "029 534 5000",
}

# The Data Protection Ombudsman, to whom anyone may complain about the processing.
OMBUDSMAN = {
    "name_fi": "Tietosuojavaltuutetun toimisto",
    "name_en": "Office of the Data Protection Ombudsman",
    "web": "https://tietosuoja.fi",
    "email": "tietosuoja@om.fi",
    "address": "PL 800, 00531 Helsinki",
    "phone": "029 566 6700",
}


def _settings() -> dict:
    config = current_app.config
    values = {key: str(config.get(key) or "").strip() or None for key in OPERATOR_SETTINGS}
    values["RETENTION_MONTHS"] = config.get("RETENTION_MONTHS")
    return values


def _date(value: str | None) -> str | None:
    """A YYYY-MM-DD setting as d.m.yyyy; anything else is shown as it was written."""
    if not value:
        return None
    parts = value.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[2])}.{int(parts[1])}.{int(parts[0])}"
    return value


def _render(page: str) -> ResponseReturnValue:
    lang = current_lang()
    settings = _settings()
    return render_template(
        f"pages/{page}_{lang}.html",
        s=settings,
        authority=current_app.config.get("ACCESSIBILITY_AUTHORITY") or AUTHORITY,
        ombudsman=OMBUDSMAN,
        assessed_on=_date(settings["ACCESSIBILITY_ASSESSED_ON"]),
        updated_on=_date(settings["STATEMENTS_UPDATED_ON"]),
    )


@bp.route("/saavutettavuusseloste")
def accessibility() -> ResponseReturnValue:
    return _render("accessibility")


@bp.route("/tietosuojaseloste")
def privacy() -> ResponseReturnValue:
    return _render("privacy")
