"""The pages a Finnish public web service must have: the accessibility statement
(saavutettavuusseloste) and the privacy notice (tietosuojaseloste), public, in fi and en.

The operator's own details come from installation settings (instance/config.py); until
they are set, the pages show a visible placeholder and the administration page warns.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ..i18n import current_lang

bp = Blueprint("pages", __name__)

# Installation settings the two pages read, with what each is (shown in the admin warning).
OPERATOR_SETTINGS = {
    "OPERATOR_NAME": _l("the organisation that provides the service (controller)"),
    "OPERATOR_ADDRESS": _l("its postal address"),
    "OPERATOR_EMAIL": _l("the address for data protection requests and accessibility feedback"),
    "OPERATOR_DPO": _l("the data protection officer's contact details"),
    "ACCESSIBILITY_ASSESSED_ON": _l("the date of the last accessibility assessment (YYYY-MM-DD)"),
    "STATEMENTS_UPDATED_ON": _l("the date the two statements were last reviewed (YYYY-MM-DD)"),
    "SECURITY_LOG_RETENTION": _l("how long the security log is kept, e.g. “12 kuukautta / 12 months”"),
}

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


def missing_settings() -> list[tuple[str, str]]:
    """The operator settings not given yet: (key, what it is)."""
    return [(key, str(what)) for key, what in OPERATOR_SETTINGS.items()
            if not str(current_app.config.get(key) or "").strip()]


@bp.app_template_global("operator_placeholders")
def operator_placeholders() -> list[tuple[str, str]]:
    return missing_settings()


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
        f"pages/{page}_{lang}.html", s=settings, authority=current_app.config.get(
            "ACCESSIBILITY_AUTHORITY") or AUTHORITY, ombudsman=OMBUDSMAN,
        assessed_on=_date(settings["ACCESSIBILITY_ASSESSED_ON"]),
        updated_on=_date(settings["STATEMENTS_UPDATED_ON"]),
    )


@bp.route("/saavutettavuusseloste")
def accessibility() -> ResponseReturnValue:
    return _render("accessibility")


@bp.route("/tietosuojaseloste")
def privacy() -> ResponseReturnValue:
    return _render("privacy")
