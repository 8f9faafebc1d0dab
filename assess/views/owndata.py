"""The own-data page: purchase invoices and Hilma notices in, yearly figures out, and the
figures proposed for the programme's metrics (the lead accepts them on the metrics page).

Leads upload and remove; viewers read; other organisations get 404.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from .. import clock, hilma_fetch, import_jobs, own_import, own_uploads
from ..domain import FIRST_YEAR, LAST_YEAR
from ..formatting import format_count, format_date
from ..i18n import current_lang
from ..owndata import csvfile, notices, proposals, spend
from ..owndata.spend import Refused
from ..pages import owndata_pages as pages
from ..security import login_required, require_org
from ..state import content, get_db
from ..storage import metrics as metrics_store
from ..storage import owndata as store
from ..storage.db import open_db
from ..storage.rows import OrgWithRole

bp = Blueprint("owndata", __name__)

DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
_BUSINESS_ID = re.compile(r"^\d{7}-\d$")


def _instance() -> Path:
    return Path(current_app.instance_path)


def _max_upload() -> int:
    return int(current_app.config.get("OWN_DATA_MAX_UPLOAD", DEFAULT_MAX_UPLOAD))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)


# --- forms ------------------------------------------------------------------------------


def _lines(text: str | None) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"[\n,;]", text or "") if p.strip()]


def _valid_business_ids(_form: FlaskForm, field: StringField) -> None:
    bad = [b for b in _lines(field.data) if not _BUSINESS_ID.match(spend.normalise_business_id(b))]
    if bad:
        raise ValidationError(
            _("Not a business id: %(ids)s. Use the format 1234567-8.", ids=", ".join(bad[:5]))
        )
    if len(_lines(field.data)) > store.MAX_BUSINESS_IDS:
        raise ValidationError(_("At most %(n)d business ids.", n=store.MAX_BUSINESS_IDS))


def _valid_municipalities(_form: FlaskForm, field: TextAreaField) -> None:
    names = _lines(field.data)
    if len(names) > store.MAX_MUNICIPALITIES:
        raise ValidationError(_("At most %(n)d municipalities.", n=store.MAX_MUNICIPALITIES))
    if any(len(n) > 100 for n in names):
        raise ValidationError(_("A municipality's name can be at most 100 characters."))


class SettingsForm(FlaskForm):
    home_municipality = StringField(
        _l("Home municipality"),
        validators=[Length(max=100)],
        description=_l(
            "The municipality whose suppliers count as local, unless you list the "
            "area's municipalities below."
        ),
    )
    local_municipalities = TextAreaField(
        _l("Municipalities of the area (optional)"),
        validators=[_valid_municipalities],
        description=_l("One per line. When given, suppliers in any of these count as local."),
    )
    business_ids = StringField(
        _l("The organisation's business ids (optional)"),
        validators=[_valid_business_ids],
        description=_l(
            "Separated by commas. Only notices naming one of them as buyer are "
            "counted; without them every notice in the file is."
        ),
    )


class InvoiceUploadForm(FlaskForm):
    invoices = FileField(
        _l("Purchase invoices (CSV)"), validators=[FileRequired(_l("Choose the invoice file."))]
    )
    suppliers = FileField(
        _l("Suppliers' municipalities (CSV)"), validators=[FileRequired(_l("Choose the suppliers file."))]
    )


class NoticeUploadForm(FlaskForm):
    notices = FileField(
        _l("Hilma notices (JSON or CSV)"), validators=[FileRequired(_l("Choose the notices file."))]
    )


class FetchForm(FlaskForm):
    year = SelectField(_l("Year"), validate_choice=True)


class ActionForm(FlaskForm):
    """Only the CSRF token: removing a year, accepting a proposal, starting an import."""


def _mapping_form(headers: tuple[str, ...], mapping: dict[str, str]) -> FlaskForm:
    class MappingForm(FlaskForm):
        pass

    choices = [SelectChoice("", _("– not in the file –"))] + [SelectChoice(h, h) for h in headers]
    for name in spend.INVOICE_FIELDS:
        required = name in spend.INVOICE_REQUIRED
        label = str(pages.FIELD_LABELS[name]) + ("" if required else " " + _("(optional)"))
        setattr(
            MappingForm, f"map_{name}", SelectField(label, choices=choices, default=mapping.get(name, ""))
        )
    return MappingForm()


# --- the page ---------------------------------------------------------------------------


def _page(
    org: OrgWithRole,
    *,
    status: int = 200,
    problems: list[str] | None = None,
    problem_title: str = "",
    settings_form: SettingsForm | None = None,
    invoice_form: InvoiceUploadForm | None = None,
    notice_form: NoticeUploadForm | None = None,
) -> ResponseReturnValue:
    db, lang = get_db(), current_lang()
    org_id = org["id"]
    found = store.settings(db, org_id)
    if settings_form is None:
        settings_form = SettingsForm(
            data={
                "home_municipality": found["home_municipality"],
                "local_municipalities": "\n".join(found["local_municipalities"]),
                "business_ids": ", ".join(found["business_ids"]),
            }
        )
    years = []
    for year, by_source in sorted(store.figures(db, org_id).items(), reverse=True):
        years.append(
            {
                "year": year,
                "spend": pages.spend_view(year, by_source["invoices"], lang)
                if "invoices" in by_source
                else None,
                "notices": pages.notice_view(year, by_source["hilma"], lang)
                if "hilma" in by_source
                else None,
                "proposals": len(proposals.from_figures(year, by_source)),
            }
        )
    return render_template(
        "owndata/index.html",
        org=org,
        settings=found,
        settings_form=settings_form,
        fetch_form=_fetch_form() if current_app.config.get("HILMA_API_KEY") else None,
        local=store.local_municipalities(found),
        invoice_form=invoice_form or InvoiceUploadForm(),
        notice_form=notice_form or NoticeUploadForm(),
        action_form=ActionForm(),
        years=years,
        problems=problems or [],
        problem_title=problem_title,
        invoice_years=[dict(r, rows=format_count(r["rows"], lang)) for r in store.invoice_years(db, org_id)],
        notice_years=[
            dict(r, notices=format_count(r["notices"], lang)) for r in store.notice_years(db, org_id)
        ],
        max_upload_mb=_max_upload() // (1024 * 1024),
        can_edit=org["role"] == "lead",
    ), status


@bp.route("/orgs/<int:org_id>/own-data")
@login_required
def index(org_id: int) -> ResponseReturnValue:
    return _page(require_org(org_id))


@bp.route("/orgs/<int:org_id>/own-data/settings", methods=["POST"])
@login_required
def save_settings(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(org, status=400, settings_form=form)
    store.save_settings(
        get_db(),
        org_id,
        home_municipality=" ".join((form.home_municipality.data or "").split()),
        local_municipalities=_lines(form.local_municipalities.data),
        business_ids=[spend.normalise_business_id(b) for b in _lines(form.business_ids.data)],
    )
    flash(_("Own data settings saved."), "success")
    return redirect(url_for("owndata.index", org_id=org_id))


UPLOAD_ENDPOINTS = ("owndata.upload_invoices", "owndata.upload_notices")


@bp.url_value_preprocessor
def _upload_limit(endpoint: str | None, _values: dict | None) -> None:
    """Uploads may be larger than other forms. Set before any before_request (the CSRF
    check reads the body), so the own-data limit is the one applied."""
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = _max_upload()


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> ResponseReturnValue:
    # The refused body is never read again (the page's own forms would try to).
    request.form = ImmutableMultiDict()
    request.files = ImmutableMultiDict()
    return render_template(
        "error.html",
        title=_("The file was not imported"),
        message=_(
            "The upload is too large: at most %(mb)d MB at a time. Split the invoice file by "
            "year, or ask the administrator to raise the limit.",
            mb=_max_upload() // (1024 * 1024),
        ),
    ), 413


# --- invoices ---------------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/own-data/invoices", methods=["POST"])
@login_required
def upload_invoices(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    form = InvoiceUploadForm()
    if not form.validate_on_submit():
        return _page(org, status=400, invoice_form=form)
    token = own_uploads.stage(
        _instance(),
        org_id,
        {
            "invoices.csv": form.invoices.data.stream,
            "suppliers.csv": form.suppliers.data.stream,
        },
        {
            "invoices": (form.invoices.data.filename or "")[:200],
            "suppliers": (form.suppliers.data.filename or "")[:200],
        },
    )
    return redirect(url_for("owndata.check_invoices", org_id=org_id, token=token))


@bp.route("/orgs/<int:org_id>/own-data/invoices/check/<token>", methods=["GET", "POST"])
@login_required
def check_invoices(org_id: int, token: str) -> ResponseReturnValue:
    """What was detected in the file, the column mapping, and the go-ahead to import."""
    org = require_org(org_id, lead=True)
    staged = own_uploads.folder(_instance(), org_id, token)
    if staged is None:
        abort(404)
    names = own_uploads.meta(staged)
    try:
        detected = own_import.detect_invoices(staged / "invoices.csv")
    except Refused as refused:
        own_uploads.remove(staged)
        return _page(
            org,
            status=400,
            problem_title=_("The invoice file was not imported"),
            problems=pages.problem_list(refused.problems, refused.more),
        )
    form = _mapping_form(detected.headers, detected.mapping)
    local = store.local_municipalities(store.settings(get_db(), org_id))
    status = 200
    errors: list[str] = []
    if form.validate_on_submit():
        mapping = {name: form[f"map_{name}"].data for name in spend.INVOICE_FIELDS}
        chosen = csvfile.with_mapping(detected, mapping, spend.INVOICE_REQUIRED)
        used = [h for h in chosen.mapping.values()]
        if chosen.missing:
            errors.append(
                _(
                    "Choose a column for: %(fields)s.",
                    fields=", ".join(str(pages.FIELD_LABELS[f]) for f in chosen.missing),
                )
            )
        if len(used) != len(set(used)):
            errors.append(_("Each column can be chosen for one field only."))
        if not local:
            errors.append(_("Set the home municipality (or the area's municipalities) first."))
        if not errors:
            return _start_import(org, staged, chosen, local, names["invoices"])
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "owndata/check.html",
        org=org,
        form=form,
        detected=detected,
        names=names,
        local=local,
        errors=errors,
        token=token,
        sample=_sample(staged / "invoices.csv", detected),
    ), status


def _sample(path: Path, detected: csvfile.Detected, count: int = 3) -> list[list[str]]:
    """The first rows as read with the detected settings, to show the user."""
    shown = []
    whole = csvfile.Detected(
        detected.encoding,
        detected.delimiter,
        detected.decimal,
        detected.headers,
        {h: h for h in detected.headers},
    )
    try:
        for _line, cells in csvfile.rows(path, whole):
            shown.append([cells[h][:60] for h in detected.headers])
            if len(shown) >= count:
                break
    except csvfile.FileProblem:
        pass
    return shown


def _start_import(
    org: OrgWithRole, staged: Path, detected: csvfile.Detected, local: list[str], file_name: str
) -> ResponseReturnValue:
    db_path, org_id = current_app.config["DATABASE"], org["id"]

    def work(progress: Callable[[float], None]) -> dict:
        db = open_db(db_path)
        try:
            result = own_import.import_invoices(
                db,
                org_id,
                staged / "invoices.csv",
                detected,
                staged / "suppliers.csv",
                local,
                file_name=file_name,
                progress=progress,
            )
        finally:
            db.conn.close()
        return result.contract()

    try:
        job = import_jobs.start(org_id, work, Refused, cleanup=lambda: own_uploads.remove(staged))
    except import_jobs.Busy:
        return render_template(
            "error.html",
            title=_("Please wait a moment"),
            message=_("Other imports are running. Try again in a minute."),
        ), 503
    return redirect(url_for("owndata.job", org_id=org_id, token=job.token))


@bp.route("/orgs/<int:org_id>/own-data/jobs/<token>")
@login_required
def job(org_id: int, token: str) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    found = import_jobs.get(token, org_id)
    if found is None:
        abort(404)
    state = found.snapshot()
    problems: list[str] = []
    if state["state"] == "refused" and isinstance(found.result, hilma_fetch.FetchError):
        problems = [pages.fetch_problem(str(found.result))]
    elif state["state"] == "refused" and isinstance(found.result, Refused):
        # (a refused job's result is what it raised: one of the two types it was started with)
        problems = pages.problem_list(found.result.problems, found.result.more)
    years = []
    if state["state"] == "done" and isinstance(found.result, dict):  # the work's contract()
        years = sorted(int(y) for y in found.result["years"])
    return render_template(
        "owndata/job.html", org=org, token=token, state=state, problems=problems, years=years, kind=found.kind
    )


@bp.route("/orgs/<int:org_id>/own-data/jobs/<token>/status")
@login_required
def job_status(org_id: int, token: str) -> ResponseReturnValue:
    require_org(org_id, lead=True)
    found = import_jobs.get(token, org_id)
    if found is None:
        abort(404)
    return jsonify(found.snapshot())


@bp.route("/orgs/<int:org_id>/own-data/invoices/<int:year>/delete", methods=["POST"])
@login_required
def delete_invoices(org_id: int, year: int) -> ResponseReturnValue:
    _check_year(year)
    require_org(org_id, lead=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    removed = store.delete_invoice_year(get_db(), org_id, year)
    flash(
        _(
            "The invoice rows of %(year)d were removed (%(n)s rows). Saved metric values were kept.",
            year=year,
            n=removed,
        ),
        "success",
    )
    return redirect(url_for("owndata.index", org_id=org_id))


# --- notices ----------------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/own-data/notices", methods=["POST"])
@login_required
def upload_notices(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    form = NoticeUploadForm()
    if not form.validate_on_submit():
        return _page(org, status=400, notice_form=form)
    db = get_db()
    try:
        kept = own_import.import_notices(
            db,
            org_id,
            form.notices.data.stream.read(),
            store.settings(db, org_id)["business_ids"],
            file_name=(form.notices.data.filename or "")[:200],
        )
    except Refused as refused:
        return _page(
            org,
            status=400,
            problem_title=_("The notices were not imported"),
            problems=pages.problem_list(refused.problems, refused.more),
        )
    flash(_("%(n)s notices imported.", n=len(kept)), "success")
    return redirect(url_for("owndata.index", org_id=org_id))


def _fetch_form() -> FetchForm:
    form = FetchForm()
    this_year = clock.today().year
    form.year.choices = [SelectChoice(str(y), str(y)) for y in range(this_year, this_year - 5, -1)]
    return form


@bp.route("/orgs/<int:org_id>/own-data/notices/fetch", methods=["POST"])
@login_required
def fetch_notices(org_id: int) -> ResponseReturnValue:
    """Fetch a year's notices from Hilma's API in the background (when a key is configured)."""
    org = require_org(org_id, lead=True)
    key = current_app.config.get("HILMA_API_KEY")
    if not key:
        abort(404)
    form = _fetch_form()
    if not form.validate_on_submit():
        return _page(org, status=400)
    year = int(form.year.data)
    url = current_app.config.get("HILMA_API_URL", hilma_fetch.DEFAULT_URL)
    interval = float(current_app.config.get("HILMA_API_MIN_INTERVAL", 1.0))
    db_path = current_app.config["DATABASE"]
    state = _instance() / "hilma_fetch" / f"{org_id}-{year}.json"
    business_ids = store.settings(get_db(), org_id)["business_ids"]

    def work(progress: Callable[[float], None]) -> dict:
        found = hilma_fetch.fetch_year(
            url, key, year, business_ids, state, min_interval=interval, progress=progress
        )
        db = open_db(db_path)
        try:
            own_import.import_notices(
                db, org_id, json.dumps(found).encode("utf-8"), business_ids, file_name=f"Hilma API {year}"
            )
        finally:
            db.conn.close()
        return {"years": {str(year): {}}}

    try:
        job = import_jobs.start(org_id, work, (Refused, hilma_fetch.FetchError), kind="hilma")
    except import_jobs.Busy:
        return render_template(
            "error.html",
            title=_("Please wait a moment"),
            message=_("Other imports are running. Try again in a minute."),
        ), 503
    return redirect(url_for("owndata.job", org_id=org_id, token=job.token))


@bp.route("/orgs/<int:org_id>/own-data/notices/<int:year>")
@login_required
def notice_list(org_id: int, year: int) -> ResponseReturnValue:
    _check_year(year)
    org = require_org(org_id)
    figure = request.args.get("figure", "")
    if figure and figure not in notices.FIGURES and figure != "not_open_procedure":
        abort(404)
    found = store.notices_for_year(get_db(), org_id, year)
    if figure:
        found = [n for n in found if figure in n["figures"]]
    for n in found:
        n["url"] = pages.HILMA_NOTICE_URL.format(notice_id=n["notice_id"])
        n["published_text"] = format_date(n["published"][:10], current_lang())
        n["labels"] = [str(pages.FIGURE_LABELS[f]) for f in n["figures"] if f in pages.FIGURE_LABELS]
        n["procedure"] = str(pages.PROCEDURE_LABELS.get(n["procedure_type"], n["procedure_type"]))
    return render_template(
        "owndata/notices.html",
        org=org,
        year=year,
        notices=found,
        figure=figure,
        figure_label=pages.FIGURE_LABELS.get(figure, ""),
        figure_labels=pages.FIGURE_LABELS,
    )


@bp.route("/orgs/<int:org_id>/own-data/notices/<int:year>/delete", methods=["POST"])
@login_required
def delete_notices(org_id: int, year: int) -> ResponseReturnValue:
    _check_year(year)
    require_org(org_id, lead=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    removed = store.delete_notice_year(get_db(), org_id, year)
    flash(
        _(
            "The notices of %(year)d were removed (%(n)s notices). Saved metric values were kept.",
            year=year,
            n=removed,
        ),
        "success",
    )
    return redirect(url_for("owndata.index", org_id=org_id))


# --- proposals into the programme metrics -----------------------------------------------


@bp.route("/orgs/<int:org_id>/metrics/<int:year>/proposals/<metric>/accept", methods=["POST"])
@login_required
def accept(org_id: int, year: int, metric: str) -> ResponseReturnValue:
    """Save a computed figure as the metric's value for the year, with its source."""
    _check_year(year)
    require_org(org_id, lead=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    db = get_db()
    if metric not in content().metrics:
        abort(404)
    proposal = proposals.from_figures(year, store.figures_for_year(db, org_id, year)).get(metric)
    if proposal is None:
        abort(404)
    metric_kind = content().metrics[metric][2].kind
    kind = metric_kind if metric_kind == proposal.kind else proposal.kind
    if metric_kind not in ("hilma", "planned_separately") and metric_kind != proposal.kind:
        abort(409)
    stored = metrics_store.values_for_year(db, org_id, year).get(metric)
    store.accept(
        db,
        org_id,
        proposal,
        kind=kind,
        choose_kind=metric_kind == "hilma",
        source_text=pages.source_text(proposal, current_lang()),
        note=stored.note if stored else "",
    )
    flash(_("The computed value was saved for %(year)d.", year=year), "success")
    return redirect(url_for("metrics.values", org_id=org_id, year=year) + f"#metric-{metric}")
