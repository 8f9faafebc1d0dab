"""A respondent's side of a team round: no account, a join code and then a personal link.

The personal link /r/<code>/<token> is the respondent's only key: it is never shown to
anyone else, and a tampered or foreign one gets the same 404 as an unknown one.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from .. import answering, clock, joincodes
from ..audit import client_address
from ..i18n import current_lang
from ..login_limit import Bucket, Throttle
from ..pages import answer_form, area_flow, links
from ..round_summary import past_deadline
from ..state import content_at, get_db
from ..storage import assessments, rounds, workshops
from ..storage import results as result_store
from ..storage.rows import AssessmentRow, RespondentRow
from ..web import find_respondent, invalid_link, questionnaire_or_404, secret_key

bp = Blueprint("respond", __name__)

REMEMBERED = 10  # personal links kept in the session, so a reload of the join page finds its own


class CodeForm(FlaskForm):
    """Typing the code: a GET form (nothing changes), so no CSRF token is needed."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Join code"),
        validators=[Length(max=40)],
        description=_l("Six letters and digits, for example ABC234."),
    )


class JoinForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=rounds.MAX_NAME)])
    nonce = HiddenField()


def _code_throttle() -> Throttle:
    """Join codes tried that led to no open round, per client address: guessing slows down."""
    throttle = current_app.extensions.get("join_code_throttle")
    if throttle is None:
        config = current_app.config
        throttle = current_app.extensions.setdefault(
            "join_code_throttle",
            Throttle(
                free=int(config["JOIN_CODE_FAILURES_FREE"]),
                max_delay=float(config["LOGIN_MAX_DELAY_SECONDS"]),
                forget_after=24 * 3600,
                max_keys=int(config["THROTTLE_MAX_KEYS"]),
            ),
        )
    return throttle


def _join_bucket(workshop: bool) -> Bucket:
    """New respondents per client address: a team behind one address fits in the burst.

    While a workshop runs on the round, the whole hall usually joins through one venue
    network in a few minutes, with the facilitator watching the joined count on the
    projector: that round gets a room-sized allowance of its own (per address and round)."""
    name = "join_bucket_workshop" if workshop else "join_bucket"
    bucket = current_app.extensions.get(name)
    if bucket is None:
        config = current_app.config
        burst = config["WORKSHOP_JOIN_BURST_PER_CLIENT" if workshop else "JOIN_BURST_PER_CLIENT"]
        bucket = current_app.extensions.setdefault(
            name,
            Bucket(
                burst=int(burst),
                per_minute=float(config["JOIN_PER_MINUTE_PER_CLIENT"]),
                max_keys=int(config["THROTTLE_MAX_KEYS"]),
            ),
        )
    return bucket


def _slow_down(wait: float) -> ResponseReturnValue:
    message = _(
        "Too many codes that lead to no open round have been tried from this network. "
        "Wait %(n)d minutes and try again.",
        n=int(wait // 60) + 1,
    )
    return render_template("error.html", title=_("Wait a moment"), message=message), 429


def _open_round(code: str | None) -> tuple[AssessmentRow | None, ResponseReturnValue | None]:
    """The open round with this code, or the refusal to send: an unknown code and a closed
    round's code answer alike (a closed round is shown only to a browser that joined it),
    and each counts as a guess."""
    client = client_address()
    wait = _code_throttle().wait(client)
    if wait > 0:
        return None, _slow_down(wait)
    row = rounds.round_by_code(get_db(), code)
    if row is not None and (_closed_reason(row) is None or _remembered(row)):
        return row, None
    if code:  # an empty code field is not a guess
        _code_throttle().fail(client)
    return None, None


def _remember(round_id: int, token: str) -> None:
    tokens = dict(session.get("round_tokens", {}))
    tokens.pop(str(round_id), None)
    tokens[str(round_id)] = token
    session["round_tokens"] = dict(list(tokens.items())[-REMEMBERED:])


def _remembered(row: AssessmentRow) -> str | None:
    """This browser's personal link for the round, if it joined before and the link still works."""
    token = session.get("round_tokens", {}).get(str(row["id"]))
    if token and rounds.find_respondent(get_db(), row["join_code"], token):
        return token
    return None


@bp.route("/join")
def join() -> ResponseReturnValue:
    form = CodeForm(request.args)
    status = 200
    if "code" in request.args:
        if not form.validate():
            return render_template("rounds/join_code.html", form=form), 400
        row, refusal = _open_round(request.args.get("code"))
        if refusal is not None:
            return refusal
        if row is not None:
            return redirect(url_for(".join_round", code=row["join_code"]))
        form.code.errors = [
            _(
                "No open round has this code. Check the code: it has six letters "
                "and digits, and it was shown by whoever invited you. A round "
                "that has closed can no longer be joined."
            )
        ]
        status = 404
    return render_template("rounds/join_code.html", form=form), status


def _closed_reason(row: AssessmentRow) -> str | None:
    if row["status"] == "final":
        return _("This round has been closed, so it can no longer be joined or answered.")
    deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
    if past_deadline(deadline, clock.today()):
        return _(
            "The deadline of this round has passed, so it can no longer be joined. Ask the "
            "person who invited you."
        )
    return None


@bp.route("/r/<code>", methods=["GET", "POST"])
def join_round(code: str) -> ResponseReturnValue:
    db = get_db()
    row, refusal = _open_round(code)
    if refusal is not None:
        return refusal
    if row is None:
        return invalid_link()
    if code != row["join_code"] and request.method == "GET":
        return redirect(url_for(".join_round", code=row["join_code"]))
    version = content_at(row["content_version"])
    questionnaire = questionnaire_or_404(version, row)
    context = {"round": row, "questionnaire": questionnaire, "remembered": _remembered(row)}
    reason = _closed_reason(row)
    if reason:
        return render_template("rounds/join_closed.html", message=reason, **context), 410
    form = JoinForm()
    named = not row["anonymous"]
    form.name.flags.required = named
    if request.method == "GET":
        form.nonce.data = joincodes.new_nonce()
        return render_template("rounds/join.html", form=form, **context)
    if context["remembered"]:
        # This browser has joined already: its own respondent, never a second one.
        return redirect(url_for(".home", code=row["join_code"], token=context["remembered"]))
    if form.validate_on_submit():
        running = workshops.get(db, row["id"])
        in_workshop = running is not None and not running["ended"]
        key = f"{client_address()} {row['id']}" if in_workshop else client_address()
        if not _join_bucket(in_workshop).take(key):
            return render_template(
                "error.html",
                title=_("Wait a moment"),
                message=_(
                    "Very many people have joined from this network just now. Wait a minute and try again."
                ),
            ), 429
        if not joincodes.is_nonce(form.nonce.data):
            form.nonce.errors = [_("The form was altered: reload the page and join again.")]
        elif named and not (form.name.data or "").strip():
            form.name.errors = [_("This round is named: write your name so the team knows who answered.")]
        else:
            token = joincodes.derive_token(secret_key(), row["id"], form.nonce.data)
            try:
                _respondent, created = rounds.join(db, row["id"], token, form.name.data if named else None)
            except rounds.RoundClosed:
                closed = rounds.get_round(db, row["id"])
                if closed is None:  # deleted meanwhile: as for any unknown code
                    abort(404)
                return render_template(
                    "rounds/join_closed.html", message=_closed_reason(closed), **context
                ), 410
            _remember(row["id"], token)
            if created:
                flash(
                    _("Welcome! Save your personal link below: with it you can come back to your answers."),
                    "success",
                )
            return redirect(url_for(".home", code=row["join_code"], token=token))
    return render_template("rounds/join.html", form=form, **context), 400


@bp.route("/r/<code>/<token>")
def home(code: str, token: str) -> ResponseReturnValue:
    found = find_respondent(code, token)
    if found is None:
        return invalid_link()
    row, respondent = found
    version = content_at(row["content_version"])
    questionnaire = questionnaire_or_404(version, row)
    answers = assessments.respondent_answers(get_db(), respondent["id"])
    progress = answering.progress(version.area_items(questionnaire), answers)
    return render_template(
        "rounds/respondent_home.html",
        round=row,
        respondent=respondent,
        questionnaire=questionnaire,
        progress=progress,
        content=version,
        areas=answer_form.answerable_areas(version, questionnaire),
        personal_link=url_for(".home", code=row["join_code"], token=token, _external=True),
        token=token,
        workshop_running=workshops.running(get_db(), row["id"]),
    )


@bp.route("/r/<code>/<token>/compare")
def compare(code: str, token: str) -> ResponseReturnValue:
    """After the round closes, and only if the lead turned it on: the respondent's own answers
    beside the team's values (an anonymous round hides an item fewer than 3 valued)."""
    found = find_respondent(code, token)
    if found is None:
        return invalid_link()
    row, respondent = found
    if row["status"] != "final" or not row["show_team_to_respondents"]:
        return render_template(
            "error.html",
            title=_("Not available"),
            message=_(
                "Your answers beside the team's values can be seen once the round has "
                "closed, if the round's lead has turned it on."
            ),
        ), 404
    db = get_db()
    version = content_at(row["content_version"])
    questionnaire = questionnaire_or_404(version, row)
    lang = current_lang()
    result = result_store.result_for(db, row, version)
    own = assessments.respondent_answers(db, respondent["id"])
    scale = {o.value: o.label.get(lang) for o in questionnaire.scale}
    areas = []
    for area_id, steps in version.area_items(questionnaire):
        rows = []
        for _step, ids in steps:
            for item in ids:
                rows.append(
                    {
                        "text": version.items[item].claim(lang),
                        "own": own.get(item),
                        "answered": item in own,
                        "team": result["values"].get(item),
                    }
                )
        if rows:
            areas.append({"title": version.area(area_id).title.get(lang), "rows": rows})
    return render_template(
        "rounds/respondent_compare.html",
        round=row,
        respondent=respondent,
        areas=areas,
        scale=scale,
        token=token,
        anonymous=bool(row["anonymous"]),
    )


def _answerer(row: AssessmentRow, respondent: RespondentRow, token: str) -> area_flow.Answerer:
    """The respondent of a personal link, answering for themself in the round's frame."""
    version = content_at(row["content_version"])
    closed = row["status"] == "final"
    code = row["join_code"]
    return area_flow.Answerer(
        who="respondent",
        content=version,
        questionnaire=questionnaire_or_404(version, row),
        respondent_id=respondent["id"],
        frame=area_flow.Frame(
            title=links.assessment_title(row),
            home_url=url_for(".home", code=code, token=token),
            badge=_("Closed") if closed else None,
        ),
        read_only=_("The round has been closed: your answers are shown but cannot be changed.")
        if closed
        else None,
        refusal=_("The round has been closed, so nothing was saved.") if closed else None,
        area_url=lambda area_id: url_for(".area", code=code, token=token, area_id=area_id),
        reload=lambda: _answerer(rounds.get_round(get_db(), row["id"]) or row, respondent, token),
    )


@bp.route("/r/<code>/<token>/areas/<area_id>", methods=["GET", "POST"])
def area(code: str, token: str, area_id: str) -> ResponseReturnValue:
    found = find_respondent(code, token)
    if found is None:
        return invalid_link()
    answerer = _answerer(*found, token)
    if area_id not in answerer.areas:
        return invalid_link()
    if request.method == "GET":
        return area_flow.show(answerer, area_id)
    return area_flow.receive(answerer, area_id, request.form)
