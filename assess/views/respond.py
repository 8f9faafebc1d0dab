"""A respondent's side of a team round: no account, a join code and then a personal link.

The personal link /r/<code>/<token> is the respondent's only key: it is never shown to
anyone else, and a tampered or foreign one gets the same 404 as an unknown one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
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
from ..pages import answer_form
from ..round_summary import past_deadline
from ..state import content_at, get_db
from ..storage import assessments, rounds, workshops
from ..storage import results as result_store
from ..web import find_respondent, invalid_link

bp = Blueprint("respond", __name__)

REMEMBERED = 10  # personal links kept in the session, so a reload of the join page finds its own


class CodeForm(FlaskForm):
    """Typing the code: a GET form (nothing changes), so no CSRF token is needed."""

    class Meta:
        csrf = False

    code = StringField(_l("Join code"), validators=[Length(max=40)],
                       description=_l("Six letters and digits, for example ABC234."))


class JoinForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[Length(max=rounds.MAX_NAME)])
    nonce = HiddenField()


def _code_throttle() -> Throttle:
    """Join codes tried that led to no open round, per client address: guessing slows down."""
    throttle = current_app.extensions.get("join_code_throttle")
    if throttle is None:
        config = current_app.config
        throttle = current_app.extensions.setdefault("join_code_throttle", Throttle(
            free=int(config["JOIN_CODE_FAILURES_FREE"]),
            max_delay=float(config["LOGIN_MAX_DELAY_SECONDS"]),
            forget_after=24 * 3600, max_keys=int(config["THROTTLE_MAX_KEYS"])))
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
        bucket = current_app.extensions.setdefault(name, Bucket(
            burst=int(burst), per_minute=float(config["JOIN_PER_MINUTE_PER_CLIENT"]),
            max_keys=int(config["THROTTLE_MAX_KEYS"])))
    return bucket


def _slow_down(wait: float) -> ResponseReturnValue:
    message = _("Too many codes that lead to no open round have been tried from this network. "
                "Wait %(n)d minutes and try again.", n=int(wait // 60) + 1)
    return render_template("error.html", title=_("Wait a moment"), message=message), 429


def _open_round(code: str | None) -> tuple[dict | None, ResponseReturnValue | None]:
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


def _remembered(row: dict) -> str | None:
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
        form.code.errors = [_("No open round has this code. Check the code: it has six letters "
                              "and digits, and it was shown by whoever invited you. A round "
                              "that has closed can no longer be joined.")]
        status = 404
    return render_template("rounds/join_code.html", form=form), status


def _closed_reason(row: dict) -> str | None:
    if row["status"] == "final":
        return _("This round has been closed, so it can no longer be joined or answered.")
    deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
    if past_deadline(deadline, clock.today()):
        return _("The deadline of this round has passed, so it can no longer be joined. Ask the "
                 "person who invited you.")
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
    questionnaire = version.questionnaire(row["questionnaire"])
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
            return render_template("error.html", title=_("Wait a moment"), message=_(
                "Very many people have joined from this network just now. Wait a minute and "
                "try again.")), 429
        if not joincodes.is_nonce(form.nonce.data):
            form.nonce.errors = [_("The form was altered: reload the page and join again.")]
        elif named and not (form.name.data or "").strip():
            form.name.errors = [_("This round is named: write your name so the team knows who "
                                  "answered.")]
        else:
            token = joincodes.derive_token(current_app.secret_key, row["id"], form.nonce.data)
            try:
                _respondent, created = rounds.join(db, row["id"], token,
                                                   form.name.data if named else None)
            except rounds.RoundClosed:
                return render_template("rounds/join_closed.html", message=_closed_reason(
                    rounds.get_round(db, row["id"])), **context), 410
            _remember(row["id"], token)
            if created:
                flash(_("Welcome! Save your personal link below: with it you can come back to "
                        "your answers."), "success")
            return redirect(url_for(".home", code=row["join_code"], token=token))
    return render_template("rounds/join.html", form=form, **context), 400


@bp.route("/r/<code>/<token>")
def home(code: str, token: str) -> ResponseReturnValue:
    found = find_respondent(code, token)
    if found is None:
        return invalid_link()
    row, respondent = found
    version = content_at(row["content_version"])
    questionnaire = version.questionnaire(row["questionnaire"])
    answers = assessments.respondent_answers(get_db(), respondent["id"])
    progress = answering.progress(version.area_items(questionnaire), answers)
    return render_template(
        "rounds/respondent_home.html", round=row, respondent=respondent,
        questionnaire=questionnaire, progress=progress, content=version,
        areas=answer_form.answerable_areas(version, questionnaire),
        personal_link=url_for(".home", code=row["join_code"], token=token, _external=True),
        token=token,
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
            "error.html", title=_("Not available"),
            message=_("Your answers beside the team's values can be seen once the round has "
                      "closed, if the round's lead has turned it on.")), 404
    db = get_db()
    version = content_at(row["content_version"])
    questionnaire = version.questionnaire(row["questionnaire"])
    lang = current_lang()
    result = result_store.result_for(db, row, version)
    own = assessments.respondent_answers(db, respondent["id"])
    scale = {o.value: o.label.get(lang) for o in questionnaire.scale}
    areas = []
    for area_id, steps in version.area_items(questionnaire):
        rows = []
        for _step, ids in steps:
            for item in ids:
                rows.append({"text": version.items[item].claim(lang),
                             "own": own.get(item),
                             "answered": item in own,
                             "team": result["values"].get(item)})
        if rows:
            areas.append({"title": version.area(area_id).title.get(lang), "rows": rows})
    return render_template("rounds/respondent_compare.html", round=row, respondent=respondent,
                           areas=areas, scale=scale, token=token,
                           anonymous=bool(row["anonymous"]))


def _render_area(row: dict, respondent: dict, token: str, area_id: str, form: FlaskForm, *,
                 status: int = 200, errors: Sequence[str] = (), conflicts: Sequence[dict] = (),
                 unsaved: Sequence[dict] = ()) -> ResponseReturnValue:
    lang = current_lang()
    version = content_at(row["content_version"])
    questionnaire = version.questionnaire(row["questionnaire"])
    areas = answer_form.answerable_areas(version, questionnaire)
    index = areas.index(area_id)
    answers = assessments.respondent_answers(get_db(), respondent["id"])
    return render_template(
        "rounds/respondent_area.html", round=row, respondent=respondent, token=token,
        area=version.area(area_id), area_number=index + 1, area_count=len(areas),
        sections=answer_form.sections(version, questionnaire, area_id, lang),
        previous_area=areas[index - 1] if index > 0 else None,
        next_area=answer_form.next_area(areas, area_id),
        form=form, errors=list(errors), conflicts=list(conflicts), unsaved=list(unsaved),
        read_only=row["status"] == "final", scale=answer_form.scale_labels(questionnaire, lang),
        progress=answering.progress(version.area_items(questionnaire), answers),
        content=version, answers=answers,
        comment=assessments.respondent_comments(get_db(), respondent["id"]).get(area_id, ""),
    ), status


def _fresh_form(row: dict, respondent: dict, area_id: str) -> FlaskForm:
    version = content_at(row["content_version"])
    db = get_db()
    return answer_form.area_form(
        version, version.questionnaire(row["questionnaire"]), area_id, current_lang(),
        answers=assessments.respondent_answers(db, respondent["id"]),
        comment=assessments.respondent_comments(db, respondent["id"]).get(area_id, ""))


@bp.route("/r/<code>/<token>/areas/<area_id>", methods=["GET", "POST"])
def area(code: str, token: str, area_id: str) -> ResponseReturnValue:
    found = find_respondent(code, token)
    if found is None:
        return invalid_link()
    row, respondent = found
    version = content_at(row["content_version"])
    questionnaire = version.questionnaire(row["questionnaire"])
    areas = answer_form.answerable_areas(version, questionnaire)
    if area_id not in areas:
        return invalid_link()
    if request.method == "GET":
        return _render_area(row, respondent, token, area_id, _fresh_form(row, respondent, area_id))

    lang = current_lang()
    form = answer_form.area_form(version, questionnaire, area_id, lang, formdata=request.form)
    post = answer_form.read_post(form, request.form)
    if row["status"] == "final":
        return _refuse_closed(row, respondent, token, area_id, post)
    if post.errors:
        return _render_area(row, respondent, token, area_id, form, status=400, errors=post.errors)
    try:
        conflicts = assessments.save_area(
            get_db(), respondent_id=respondent["id"], area=area_id, changes=post.changes,
            base=post.base, comment=post.comment, base_comment=post.base_comment,
        )
    except assessments.AssessmentFinal:  # closed while the page was open
        return _refuse_closed(rounds.get_round(get_db(), row["id"]), respondent, token, area_id,
                              post)
    if conflicts:
        return _render_area(row, respondent, token, area_id, _fresh_form(row, respondent, area_id),
                            status=409, conflicts=_describe_conflicts(row, respondent, post,
                                                                      conflicts))
    flash(answer_form.saved_message(post), "success")
    if request.form.get("action") == "continue":
        following = answer_form.next_area(areas, area_id)
        if following is not None:
            return redirect(url_for(".area", code=row["join_code"], token=token,
                                    area_id=following))
        return redirect(url_for(".home", code=row["join_code"], token=token))
    return redirect(url_for(".area", code=row["join_code"], token=token, area_id=area_id))


def _describe_conflicts(row: dict, respondent: dict, post: answer_form.AreaPost,
                        conflicts: list[str]) -> list[dict]:
    """What this page wanted and what another tab of the same respondent had saved meanwhile."""
    version = content_at(row["content_version"])
    lang = current_lang()
    scale = answer_form.scale_labels(version.questionnaire(row["questionnaire"]), lang)
    stored = assessments.respondent_answers(get_db(), respondent["id"])
    return answer_form.conflict_list(version, scale, post, conflicts, stored, lang)


def _refuse_closed(row: dict, respondent: dict, token: str, area_id: str,
                   post: answer_form.AreaPost) -> ResponseReturnValue:
    """A post after the round closed: nothing saved; list what the respondent tried to change."""
    version = content_at(row["content_version"])
    lang = current_lang()
    scale = answer_form.scale_labels(version.questionnaire(row["questionnaire"]), lang)
    unsaved = answer_form.unsaved_list(version, scale, post, lang)
    message = _("The round has been closed, so nothing was saved.")
    return _render_area(row, respondent, token, area_id, _fresh_form(row, respondent, area_id),
                        status=400, errors=[message], unsaved=unsaved)
