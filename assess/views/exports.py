"""Exports of one organisation (XLSX workbook, CSV per table) and its print-ready yearly report.

Anyone who may see the organisation (viewers too) may download; another organisation's
pages are 404 as everywhere.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_pgettext

from .. import clock
from ..audit import log_event
from ..export import data as export_data
from ..export import tables as exports
from ..export.files import CSV_MIME, XLSX_MIME, csv_dialect, to_csv, to_xlsx
from ..i18n import current_lang
from ..pages import report_page as report_pages
from ..security import login_required, require_org
from ..state import get_db
from ..storage.rows import OrganisationRow
from ..web import download

bp = Blueprint("exports", __name__)

# What a downloaded file is called, in the reader's language (the words of the file name).
FILE_WORDS = {
    "workbook": lazy_pgettext("file name", "export"),
    "results": lazy_pgettext("file name", "results"),
    "answers": lazy_pgettext("file name", "answers"),
    "plan": lazy_pgettext("file name", "plan"),
    "metrics": lazy_pgettext("file name", "metrics"),
    "benchmark": lazy_pgettext("file name", "benchmark"),
}


def _filename(org: OrganisationRow, stem: str, suffix: str) -> str:
    return f"{org['slug']}-{FILE_WORDS[stem]}-{clock.today().isoformat()}.{suffix}"


@bp.route("/orgs/<int:org_id>/exports")
@login_required
def index(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    db, lang = get_db(), current_lang()
    years = sorted(export_data.counted_years(db, org, lang).counted)
    delimiter, decimal = csv_dialect(lang)
    return render_template(
        "exports/index.html",
        org=org,
        years=years,
        tables=[(name, _(exports.TITLES[name])) for name in exports.TABLES],
        delimiter=delimiter,
        decimal=decimal,
        nav_active="exports.index",
    )


@bp.route("/orgs/<int:org_id>/export.xlsx")
@login_required
def workbook(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    tables = export_data.all_tables(get_db(), org, current_lang())
    log_event("export", detail=f"organisation {org_id}: workbook")
    return download(to_xlsx(tables), XLSX_MIME, _filename(org, "workbook", "xlsx"))


@bp.route("/orgs/<int:org_id>/export/<table>.csv")
@login_required
def table_csv(org_id: int, table: str) -> ResponseReturnValue:
    org = require_org(org_id)
    builder = export_data.BUILDERS.get(table)
    if builder is None:
        abort(404)
    lang = current_lang()
    log_event("export", detail=f"organisation {org_id}: {table}.csv")
    return download(to_csv(builder(get_db(), org, lang), lang), CSV_MIME, _filename(org, table, "csv"))


# --- the report -------------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/report/<int:year>")
@login_required
def report_page(org_id: int, year: int) -> ResponseReturnValue:
    org = require_org(org_id)
    page = report_pages.build(get_db(), org, year, current_lang())
    if page is None:
        abort(404)
    return render_template("exports/report.html", **page.context(), nav_active="exports.index")
