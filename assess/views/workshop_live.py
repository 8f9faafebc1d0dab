"""A participant's phone in a workshop: the statements being voted on now, following the
facilitator, answered with one thumb.

The phone is reached by the personal link of the round (views/respond.py), so the answers
are the respondent's own round answers. live.js polls the state (every 1.2-1.8 s, by the
room's size) and posts each tap as JSON; without JavaScript every tap is a plain form post
that comes back to the page. An unchanged state is answered 304 by room_gate.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .. import answering, workshop
from ..domain import is_answer_value
from ..i18n import current_lang
from ..pages.slides import slide_heading
from ..room_gate import phone_etag
from ..security import accepts_json
from ..state import content_at, get_db
from ..storage import assessments, live_state, workshops
from ..storage.rows import AssessmentRow, RespondentRow, WorkshopRow
from ..web import find_respondent, invalid_link, questionnaire_or_404, secret_key

bp = Blueprint("live", __name__)

# What the phone shows: the workshop has not started, a slide to vote on, or it is over.
WAITING, VOTING, ENDED = "waiting", "voting", "ended"


def phone_state(
    row: AssessmentRow, respondent: RespondentRow, current: WorkshopRow | None, *, have: str | None = None
) -> dict[str, Any]:
    """The JSON a phone polls: status, the slide and its statements, and the respondent's own
    answers to them (``current`` is the workshop row). The statement texts are left out when
    the phone already shows the slide (``have``), which keeps a room's polling light."""
    db = get_db()
    lang = current_lang()
    version = content_at(row["content_version"])
    slides = workshop.slides_for(version, questionnaire_or_404(version, row))
    if row["status"] == "final" or (current is not None and current["ended"]):
        return {"status": ENDED, "slide": None, "closed": row["status"] == "final"}
    if current is None:
        return {"status": WAITING, "slide": None, "closed": False}
    position = workshop.clamp_position(current["position"], len(slides))
    if position >= len(slides):
        return {"status": ENDED, "slide": None, "closed": False}
    slide = slides[position]
    own = workshops.own_answers(db, respondent["id"], slide.items)
    data: dict[str, Any] = {
        "status": VOTING,
        "closed": False,
        "position": position,
        "slides": len(slides),
        "revealed": bool(current["revealed"]),
        "slide": {"id": slide.id, "items": list(slide.items)},
        "answers": {item: answering.encode(value) for item, value in own.items()},
    }
    if have != slide.id:
        data["slide"].update(slide_heading(version, slide, lang))
        data["slide"]["texts"] = {i: version.items[i].claim(lang) for i in slide.items}
        # The roadmap text each statement comes from, and what "fully" means (none for content
        # from before statements: the text is then the roadmap's own).
        data["slide"]["sources"] = {i: version.items[i].source(lang) for i in slide.items}
        data["slide"]["guidance"] = {i: version.items[i].guidance(lang) for i in slide.items}
    return data


@bp.route("/r/<code>/<token>/live")
def page(code: str, token: str) -> ResponseReturnValue:
    found = find_respondent(code, token)
    if found is None:
        return invalid_link()
    row, respondent = found
    return _render(row, respondent, token)


def _render(
    row: AssessmentRow, respondent: RespondentRow, token: str, *, error: str | None = None, status: int = 200
):
    lang = current_lang()
    version = content_at(row["content_version"])
    questionnaire = questionnaire_or_404(version, row)
    data = phone_state(row, respondent, workshops.get(get_db(), row["id"]))
    return render_template(
        "workshop/live.html",
        round=row,
        respondent=respondent,
        token=token,
        state=data,
        scale=[(answering.encode(o.value), o.label.get(lang)) for o in questionnaire.scale],
        error=error,
    ), status


@bp.route("/r/<code>/<token>/live/state")
def state(code: str, token: str) -> ResponseReturnValue:
    found = find_respondent(code, token)
    join_code = found[0].get("join_code") if found is not None else None
    if found is None or join_code is None:  # a round found by its code always has one
        return jsonify({"error": _("This personal link does not work.")}), 404
    row, respondent = found
    db = get_db()
    current = workshops.get(db, row["id"])
    data = phone_state(row, respondent, current, have=request.args.get("have"))
    data["poll_ms"] = workshop.poll_interval_ms(workshops.respondent_count(db, row["id"]))
    response = jsonify(data)
    # The version of what this answer shows: while the room's published version is the same,
    # room_gate answers the phone's next polls 304 without coming here (see storage.live_state).
    response.headers["ETag"] = phone_etag(
        secret_key(), join_code, token, live_state.room_version(row["status"], current)
    )
    return response


def _parse_answer(questionnaire_items: frozenset[str]) -> tuple[str, int | None] | str:
    """(item, value) from a JSON body {"item", "value": 0..4 or null} or a form post
    (value code "0".."4" or "dk"); a message when the post is not acceptable."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or "item" not in body or "value" not in body:
            return _('Send the statement and the answer as {"item": …, "value": …}.')
        item, value = body["item"], body["value"]
        valid = value is None or is_answer_value(value)
    else:
        item = request.form.get("item")
        code = request.form.get("value", "")
        valid = code in answering.VALUE_CODES
        value = answering.decode_value(code) if valid else None
    if not isinstance(item, str) or item not in questionnaire_items:
        return _("This statement is not part of the round's questionnaire.")
    if not valid:
        return _("The answer must be a whole number from 0 to 4 or “don't know”.")
    return item, value


_ITEM_SETS: dict[tuple[str, str], frozenset[str]] = {}


def _items_of(row: AssessmentRow) -> frozenset[str]:
    key = (row["content_version"], row["questionnaire"])
    if key not in _ITEM_SETS:
        version = content_at(row["content_version"])
        _ITEM_SETS[key] = frozenset(questionnaire_or_404(version, row).items)
    return _ITEM_SETS[key]


@bp.route("/r/<code>/<token>/live/answer", methods=["POST"])
@accepts_json
def answer(code: str, token: str) -> ResponseReturnValue:
    """Store one answer. Any statement of the round's questionnaire is accepted while the round
    is open (a slow phone may finish a statement after the facilitator moved on)."""
    found = find_respondent(code, token)
    if found is None:
        if request.is_json:
            return jsonify({"error": _("This personal link does not work.")}), 404
        return invalid_link()
    row, respondent = found
    parsed = _parse_answer(_items_of(row))
    if isinstance(parsed, str):
        if request.is_json:
            return jsonify({"error": parsed}), 400
        return _render(row, respondent, token, error=parsed, status=400)
    item, value = parsed
    area = content_at(row["content_version"]).items[item].area
    try:
        workshops.save_answer(get_db(), respondent["id"], area, item, value)
    except assessments.AssessmentFinal:
        message = _("The round has been closed, so the answer was not saved.")
        if request.is_json:
            return jsonify({"error": message}), 409
        return _render(row, respondent, token, error=message, status=409)
    if request.is_json:
        return jsonify({"item": item, "value": answering.encode(value)})
    return redirect(url_for(".page", code=row["join_code"], token=token), code=303)
