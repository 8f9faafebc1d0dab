"""Administrators move an organisation: download its whole data as JSON, import such a file.

The same format and checks as `assess export` / `assess import` (assess.transfer). A file
whose organisation name is already in use is kept aside under instance/imports/ while the
administrator gives a new name, so the file need not be chosen again.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from .. import clock, transfer
from ..audit import log_event
from ..forms import strip
from ..security import admin_required
from ..state import content, get_db
from ..storage import accounts
from ..storage import transfer as store
from ..web import download

bp = Blueprint("transfer", __name__, url_prefix="/admin")

MAX_SHOWN_PROBLEMS = 200
PENDING_MAX_AGE = 24 * 3600  # a file kept aside for a new name is removed after a day
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class ImportForm(FlaskForm):
    file = FileField(
        _l("Export file (JSON)"),
        description=_l("A file made with “Download the whole organisation as JSON” or `assess export`."),
    )
    name = StringField(
        _l("New name for the organisation (optional)"),
        filters=[strip],
        validators=[Length(max=transfer.MAX_NAME, message=_l("Too long."))],
        description=_l(
            "Needed only when an organisation of the same name already exists "
            "here. Leave empty to keep the name in the file."
        ),
    )
    pending = HiddenField()


@bp.route("/export/<int:org_id>")
@admin_required
def export(org_id: int) -> ResponseReturnValue:
    db = get_db()
    org = accounts.get_org(db, org_id)
    if org is None:
        abort(404)
    data = transfer.dump(store.export_org(db, org_id)).encode("utf-8")
    log_event("export", detail=f"organisation {org_id}: whole organisation")
    return download(data, "application/json", f"{org['slug']}-{clock.today().isoformat()}.json")


def _pending_dir() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    now = time.time()
    for old in folder.glob("*.json"):
        if now - old.stat().st_mtime > PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    return folder


def _keep_aside(raw: bytes) -> str:
    token = secrets.token_hex(16)
    (_pending_dir() / f"{token}.json").write_bytes(raw)
    return token


def _pending_file(token: str | None) -> Path | None:
    if not token or not _TOKEN.match(token):
        return None
    path = _pending_dir() / f"{token}.json"
    return path if path.exists() else None


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_org() -> ResponseReturnValue:
    form = ImportForm()
    problems: list[tuple[str, str]] = []
    more = 0
    pending = None
    if form.validate_on_submit():
        pending_path = _pending_file(form.pending.data)
        upload = form.file.data
        if upload and getattr(upload, "filename", ""):
            raw = upload.read()
            pending_path = None
        elif pending_path is not None:
            raw = pending_path.read_bytes()
        else:
            form.file.errors.append(
                _("Choose the file to import.")
                if not form.pending.data
                else _("The file kept aside is no longer available; choose it again.")
            )
            return _render(form, problems, more, None), 400
        doc, found = transfer.load(raw)
        checked = transfer.validate(doc, content()) if not found else None
        if checked is not None:
            found = checked.problems
        if found:
            texts = [(p.path, p.what(_)) for p in found]
            problems, more = texts[:MAX_SHOWN_PROBLEMS], max(0, len(texts) - MAX_SHOWN_PROBLEMS)
            form.file.errors.append(_problem_count(len(texts)))
            log_event("import", "failed", detail=f"{len(texts)} problems")
            if pending_path is not None:
                pending_path.unlink(missing_ok=True)
            form.pending.data = ""
            return _render(form, problems, more, None), 400
        assert checked is not None
        try:
            org = store.import_org(get_db(), doc, checked.contents, name=form.name.data or None)
        except store.NameTaken as exc:
            token = form.pending.data if pending_path is not None else _keep_aside(raw)
            form.pending.data = token
            pending = doc["organisation"]["name"]
            form.name.errors.append(
                _(
                    "An organisation named “%(name)s” already exists. Give the imported "
                    "organisation a new name.",
                    name=exc.name,
                )
            )
            return _render(form, problems, more, pending), 400
        if pending_path is not None:
            pending_path.unlink(missing_ok=True)
        log_event("import", detail=f"organisation {org['id']}")
        flash(_("Imported %(name)s (identifier %(slug)s).", name=org["name"], slug=org["slug"]), "success")
        return redirect(url_for("orgs.dashboard", org_id=org["id"]))
    status = 400 if form.is_submitted() else 200
    if form.pending.data and _pending_file(form.pending.data):
        pending = _("the file chosen earlier")
    return _render(form, problems, more, pending), status


def _problem_count(count: int) -> str:
    return ngettext(
        "The file has %(num)d problem; nothing was imported.",
        "The file has %(num)d problems; nothing was imported.",
        count,
    )


def _render(form: ImportForm, problems: list[tuple[str, str]], more: int, pending: str | None) -> str:
    return render_template("exports/import.html", form=form, problems=problems, more=more, pending=pending)
