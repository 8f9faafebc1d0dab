"""Request helpers shared by several blueprints: redirects, downloads, loading a round."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue

from .content import Content, Questionnaire
from .export.files import content_disposition
from .security import require_org
from .state import get_db
from .storage import rounds
from .storage.rows import AssessmentRow, OrgWithRole, RespondentRow


def secret_key() -> str | bytes:
    """The app's secret key, which the app factory always sets (SECRET_KEY)."""
    key = current_app.secret_key
    if key is None:
        raise RuntimeError("the app has no SECRET_KEY")
    return key


def questionnaire_or_404(version: Content, row: AssessmentRow) -> Questionnaire:
    """The questionnaire an assessment was answered with, in its own content version: 404
    when that version does not hold it (content the app no longer has)."""
    questionnaire = version.questionnaire(row["questionnaire"])
    if questionnaire is None:
        abort(404)
    return questionnaire


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would help phishing.

    Browsers read a backslash as a slash ("/\\evil.example" goes to another host) and
    drop tabs and newlines, so those are refused as well as "//host" and "scheme:".
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 32 or ord(c) == 127 for c in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


def safe_path(target: str | None) -> str | None:
    """``target`` when it is a same-site path (the sign-in page's rule), else None."""
    return target if target and safe_next(target) == target else None


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """A file the browser saves rather than shows."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def load_round(assessment_id: int, *, lead: bool = False) -> tuple[AssessmentRow, OrgWithRole]:
    """(round, organisation) if the user may see it: 404 for other organisations' rounds."""
    row = rounds.get_round(get_db(), assessment_id)
    if row is None:
        abort(404)
    org = require_org(row["org_id"], lead=lead)
    return row, org


def invalid_link() -> ResponseReturnValue:
    """One answer for every bad code or token: nothing tells which part was wrong."""
    return render_template("rounds/invalid_link.html"), 404


def find_respondent(code: str, token: str) -> tuple[AssessmentRow, RespondentRow] | None:
    """(round, respondent) of a personal link; None for any bad code or token."""
    return rounds.find_respondent(get_db(), code, token)
