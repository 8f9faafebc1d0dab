"""The one place where the Jinja filters and the pure template helpers are registered.

Every filter formats through assess/formatting.py in the reader's language and every label
comes from assess/labels.py, so a template never formats a date, a number or a code itself:

- filters: ``date``, ``datetime``, ``number``, ``index``, ``team_value``, ``spread``,
  ``fulfilment_percent`` and the older names ``index_number``, ``answer_value``,
  ``local_date``, ``local_datetime``;
- helpers: ``quarter(q, year)``, ``plan_schedule_text(year, quarter)``, ``label(table, code)``,
  ``plan_status_label``, ``role_label``, ``kind_label``, ``round_number``;
- naming and linking: ``assessment_url(a)``, ``assessment_title(a)`` (assess/pages/links.py),
  ``org_section(endpoint)`` and ``org_sections`` (assess/org_sections.py);
- assets: ``plotly_urls()`` and ``plotly_style_ids()`` (assess/vendor_assets.py,
  assess/plotly_assets.py).

No other module registers a template global (tests/test_layers.py checks), and nothing here
reads the database: a route gathers what its page shows and passes it to the template.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import gettext, pgettext

from . import formatting, labels, org_sections, plotly_assets, vendor_assets
from .i18n import current_lang
from .pages import links


def label(table: str, code: str | None) -> str:
    """The reader's word for a stored code (labels.TABLES[table]); the code itself if unknown."""
    if code is None:
        return formatting.EMPTY
    msgid = labels.TABLES[table].get(code)
    if msgid is None:
        return code
    context = labels.CONTEXTS.get(table)
    return pgettext(context, msgid) if context else gettext(msgid)


def plan_status_label(status: str) -> str:
    return label("plan_status", status)


def role_label(role: str) -> str:
    return label("role", role)


def kind_label(kind: str) -> str:
    """ "Single assessment" or "Team round"."""
    return label("assessment_kind", kind)


def choices(table: str) -> list[tuple[str, str]]:
    """A label table as (code, label) choices for a form field, in the table's order."""
    return [(code, label(table, code)) for code in labels.TABLES[table]]


def date(value: formatting.When) -> str:
    return formatting.format_date(value, current_lang())


def datetime(value: formatting.When) -> str:
    return formatting.format_datetime(value, current_lang())


def quarter(number: int, year: int) -> str:
    return formatting.format_quarter(number, year, current_lang())


def plan_schedule_text(year: int | None, quarter: int | None) -> str:
    """ "2025" or the quarter ("2. neljännes 2025" / "Q2 2025"); "–" when not scheduled."""
    return formatting.format_schedule(year, quarter, current_lang())


def number(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    if value is None:
        return formatting.EMPTY
    return formatting.format_number(value, current_lang(), decimals=decimals)


def index(value: float | None) -> str:
    """A maturity index with two decimals ("2,50"); "–" for none."""
    return formatting.format_index(value, current_lang())


def team_value(value: float | None) -> str:
    """An item value: a whole answer ("3") or a team median ("2,5")."""
    return formatting.format_team_value(value, current_lang())


def spread(value: float | None) -> str:
    return formatting.format_spread(value, current_lang())


def fulfilment_percent(value: float | None) -> str:
    """A step's fulfilment (0-1) as a whole percent in the reader's language; "–" for none."""
    return formatting.format_fulfilment(value, current_lang())


def round_number(value: float | None) -> str:
    """A stage index or a spread as the reader's language writes it: two decimals ("2,45")."""
    return formatting.format_index(value, current_lang())


FILTERS: dict[str, Callable[..., str]] = {
    "date": date,
    "datetime": datetime,
    "number": number,
    "index": index,
    "team_value": team_value,
    "spread": spread,
    "fulfilment_percent": fulfilment_percent,
    # The names templates used before this module: the same functions.
    "index_number": index,
    "answer_value": team_value,
    "local_date": date,
    "local_datetime": datetime,
}

GLOBALS: dict[str, Any] = {
    "quarter": quarter,
    "plan_schedule_text": plan_schedule_text,
    "label": label,
    "plan_status_label": plan_status_label,
    "role_label": role_label,
    "kind_label": kind_label,
    "round_number": round_number,
    "assessment_url": links.assessment_url,
    "assessment_title": links.assessment_title,
    "org_section": org_sections.section_of,
    "org_sections": org_sections.SECTIONS,  # a tuple, not a function: the navigation's entries
    "plotly_urls": vendor_assets.plotly_urls,
    "plotly_style_ids": plotly_assets.injected_style_ids,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
