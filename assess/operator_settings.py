"""The operator's own details that the accessibility statement and the privacy notice show
(installation settings in instance/config.py), and which of them are still missing: the
administration page warns until every one is given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

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


def missing(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The operator settings not given yet: (key, what it is)."""
    return [
        (key, str(what)) for key, what in OPERATOR_SETTINGS.items() if not str(config.get(key) or "").strip()
    ]
