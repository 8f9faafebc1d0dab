"""The facilitator's side of a workshop: starting it on a round, the projector view, and the
state changes the projector makes (move, reveal, show the code, record the agreed stage).

Every state change is a POST with its CSRF token. Without JavaScript each one is a plain
form post that redirects back to the projector; projector.js sends the same forms with
fetch (Accept: application/json) and gets the state JSON back, so full screen survives.
The participants' side is views/workshop_live.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from .. import workshop
from ..content import Content
from ..domain import STAGES, reason_missing
from ..i18n import current_lang
from ..pages import round_team
from ..pages.slides import slide_heading, step_label
from ..security import login_required
from ..state import content_at, get_db
from ..storage import rounds, workshops
from ..storage.rows import AssessmentRow, OrgWithRole, WorkshopRow
from ..web import load_round, questionnaire_or_404

bp = Blueprint("workshop", __name__)


# --- forms -------------------------------------------------------------------------


class ActionForm(FlaskForm):
    """A one-button action: its CSRF token only."""


class MoveForm(FlaskForm):
    to = IntegerField(validators=[InputRequired(_l("Say which slide to go to."))])


class FlagForm(FlaskForm):
    value = RadioField(
        choices=[SelectChoice("1"), SelectChoice("0")],
        validate_choice=True,
        validators=[InputRequired(_l("Say whether to show or hide."))],
    )


class AgreeForm(FlaskForm):
    area = HiddenField(validators=[InputRequired()])
    stage = RadioField(
        _l("Agreed stage"),
        choices=[SelectChoice(str(n)) for n in STAGES],
        validators=[InputRequired(_l("Choose the agreed stage, 0 to 5."))],
    )
    reason = TextAreaField(
        _l("Short note"),
        validators=[
            Length(
                max=rounds.MAX_REASON, message=_l("Write at most %(max)d characters.", max=rounds.MAX_REASON)
            )
        ],
    )
    base_stage = HiddenField()
    base_reason = HiddenField()


# --- loading -----------------------------------------------------------------------


def _walk(row: AssessmentRow) -> tuple[Content, list[workshop.Slide]]:
    version = content_at(row["content_version"])
    return version, workshop.slides_for(version, questionnaire_or_404(version, row))


def _running(assessment_id: int) -> tuple[AssessmentRow, OrgWithRole, WorkshopRow]:
    """(round, organisation, workshop row) for a lead; 404 when no workshop was started."""
    row, org = load_round(assessment_id, lead=True)
    state = workshops.get(get_db(), assessment_id)
    if state is None:
        abort(404)
    return row, org, state


def projector_state(row: AssessmentRow, state: WorkshopRow, slides: list[workshop.Slide]) -> dict[str, Any]:
    """The JSON the projector polls: where the walk is, the room, and per statement the count
    of answers; distributions and team values only once revealed."""
    db = get_db()
    position = workshop.clamp_position(state["position"], len(slides))
    slide = slides[position] if position < len(slides) else None
    revealed = bool(state["revealed"])
    items = slide.items if slide else ()
    tallies = workshop.tally(
        items,
        workshops.slide_answers(db, row["id"], items),
        revealed=revealed,
        anonymous=bool(row["anonymous"]),
    )
    return {
        "position": position,
        "slides": len(slides),
        "slide": slide.id if slide else "end",
        "revealed": revealed,
        "show_code": bool(state["show_code"]),
        "ended": bool(state["ended"]),
        "closed": row["status"] == "final",
        "respondents": workshops.respondent_count(db, row["id"]),
        "items": workshop.tally_json(tallies, revealed=revealed),
    }


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _done(row: AssessmentRow, state: WorkshopRow | None, slides: list[workshop.Slide]) -> ResponseReturnValue:
    """After a state change: the state JSON for fetch, else back to the projector (PRG).
    ``state`` is the workshop as stored after the change: None if it went meanwhile (the
    round was deleted between loading and writing)."""
    if state is None:
        abort(404)
    if _wants_json():
        return jsonify(projector_state(row, state, slides))
    return redirect(url_for(".projector", assessment_id=row["id"]))


def _refuse(row: AssessmentRow, message: str, status: int = 400):
    if _wants_json():
        return jsonify({"error": message}), status
    return render_template("error.html", title=_("Not changed"), message=message), status


# --- routes ------------------------------------------------------------------------


@bp.route("/assessments/<int:assessment_id>/workshop/start", methods=["POST"])
@login_required
def start(assessment_id: int) -> ResponseReturnValue:
    row, _org = load_round(assessment_id, lead=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    if row["status"] == "final":
        return _refuse(row, _("The round has been closed, so a workshop can no longer be run on it."))
    _state, created = workshops.start(get_db(), assessment_id)
    if created:
        # A new workshop opens on how to join; one already under way goes on where it was.
        return redirect(url_for(".opening", assessment_id=assessment_id))
    return redirect(url_for(".projector", assessment_id=assessment_id))


@bp.route("/assessments/<int:assessment_id>/workshop/opening")
@login_required
def opening(assessment_id: int) -> ResponseReturnValue:
    """The opening slide: the join code, address and QR code large, the room growing."""
    row, _org, current = _running(assessment_id)
    _version, slides = _walk(row)
    return render_template(
        "workshop/opening.html",
        round=row,
        state=projector_state(row, current, slides),
        join_url=url_for("respond.join", _external=True),
    )


@bp.route("/assessments/<int:assessment_id>/workshop")
@login_required
def projector(assessment_id: int) -> ResponseReturnValue:
    row, org, state = _running(assessment_id)
    return _render(row, org, state)


def _render(
    row: AssessmentRow,
    org: OrgWithRole,
    state: WorkshopRow,
    *,
    agree_form: AgreeForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
):
    db = get_db()
    lang = current_lang()
    version, slides = _walk(row)
    questionnaire = questionnaire_or_404(version, row)
    data = projector_state(row, state, slides)
    slide = slides[data["position"]] if data["position"] < len(slides) else None
    entries = [version.items[i] for i in slide.items] if slide else []
    texts = [entry.claim(lang) for entry in entries]
    # A per-area slide mixes steps: each statement names its own; a per-step slide has it above.
    step_labels = [
        step_label(version, entry.step, lang) if slide and slide.step is None else "" for entry in entries
    ]
    team = None
    agreement = None
    if slide is None or (slide.last_of_area and data["revealed"]):
        team = round_team.team_result(db, row, version)
    if team is not None and slide is not None:  # the area's last slide, revealed
        stored = team["agreements"].get(slide.area)
        if agree_form is None:
            agree_form = AgreeForm(
                formdata=None,
                data={
                    "area": slide.area,
                    "stage": str(stored["agreed_stage"]) if stored else None,
                    "reason": stored["reason"] if stored else "",
                    "base_stage": str(stored["agreed_stage"]) if stored else "",
                    "base_reason": stored["reason"] if stored else "",
                },
            )
        agreement = {"form": agree_form, "area": team["areas"][slide.area], "stored": stored}
    area_numbers = {a.id: n for n, a in enumerate(version.areas, start=1)}
    heading = slide_heading(version, slide, lang)
    # The summary's count goes under its title, keeping the rows for areas.
    if slide is None and team is not None:
        heading["subtitle"] = ngettext(
            "%(num)d respondent answered.", "%(num)d respondents answered.", team["respondents"]
        )
    return render_template(
        "workshop/projector.html",
        round=row,
        org=org,
        state=data,
        slide=slide,
        heading=heading,
        texts=texts,
        entries=entries,
        tallies={t["id"]: t for t in data["items"]},
        bars={
            t["id"]: workshop.bar_heights(t["distribution"], t.get("dont_know", 0))
            for t in data["items"]
            if t.get("distribution")
        },
        scale=[("dk" if o.value is None else str(o.value), o.label.get(lang)) for o in questionnaire.scale],
        step_labels=step_labels,
        stage_titles=round_team.stage_titles(version, lang),
        team=team,
        agreement=agreement,
        errors=errors or [],
        area_number=area_numbers.get(slide.area) if slide else None,
        area_count=len(version.areas),
        version=version,
        join_url=url_for("respond.join", _external=True),
        action=ActionForm(),
    ), status


@bp.route("/assessments/<int:assessment_id>/workshop/state")
@login_required
def state(assessment_id: int) -> ResponseReturnValue:
    row, _org, current = _running(assessment_id)
    _version, slides = _walk(row)
    return jsonify(projector_state(row, current, slides))


@bp.route("/assessments/<int:assessment_id>/workshop/move", methods=["POST"])
@login_required
def move(assessment_id: int) -> ResponseReturnValue:
    row, _org, _state = _running(assessment_id)
    _version, slides = _walk(row)
    form = MoveForm()
    if not form.validate_on_submit():
        return _refuse(row, _("The slide to go to was not understood."))
    current = workshops.move(get_db(), assessment_id, form.to.data, len(slides))
    return _done(row, current, slides)


def _set_flag(assessment_id: int, flag: str):
    row, _org, _state = _running(assessment_id)
    _version, slides = _walk(row)
    form = FlagForm()
    if not form.validate_on_submit():
        return _refuse(row, _("Say whether to show or hide."))
    current = workshops.set_flag(get_db(), assessment_id, flag, form.value.data == "1")
    return _done(row, current, slides)


@bp.route("/assessments/<int:assessment_id>/workshop/reveal", methods=["POST"])
@login_required
def reveal(assessment_id: int) -> ResponseReturnValue:
    return _set_flag(assessment_id, "revealed")


@bp.route("/assessments/<int:assessment_id>/workshop/code", methods=["POST"])
@login_required
def code(assessment_id: int) -> ResponseReturnValue:
    return _set_flag(assessment_id, "show_code")


def _reason_missing(row: AssessmentRow, version: Content, form: AgreeForm) -> bool:
    team = round_team.team_result(get_db(), row, version)
    return reason_missing(
        int(form.stage.data), round_team.computed_stage(team, form.area.data), form.reason.data or ""
    )


@bp.route("/assessments/<int:assessment_id>/workshop/agree", methods=["POST"])
@login_required
def agree(assessment_id: int) -> ResponseReturnValue:
    row, org, current = _running(assessment_id)
    version, slides = _walk(row)
    form = AgreeForm()
    area_ids = {a.id for a in version.areas}
    errors: list[str] = []
    if row["status"] == "final":
        errors.append(_("The round has been closed: the agreement can no longer be changed."))
    elif (
        not form.validate_on_submit()
        or form.area.data not in area_ids
        or (form.base_stage.data or "") not in {"", *map(str, STAGES)}
    ):
        if form.area.data not in area_ids:
            errors.append(_("The area was not recognised: reload the page."))
        errors += [e for name, errs in form.errors.items() if name not in ("area",) for e in errs]
    elif _reason_missing(row, version, form):
        message = _("Write a short reason: the agreed stage differs from the computed one.")
        form.reason.errors = [*form.reason.errors, message]
        errors.append(message)
    else:
        area = form.area.data
        base_stage = int(form.base_stage.data) if form.base_stage.data else None
        try:
            conflicts = rounds.save_agreements(
                get_db(),
                assessment_id,
                {area: (int(form.stage.data), form.reason.data or "")},
                {area: (base_stage, form.base_reason.data or "")},
            )
        except rounds.RoundClosed:
            errors.append(_("The round was closed meanwhile: the agreement was not changed."))
        else:
            title = version.area(area).title.get(current_lang())
            if conflicts:
                message = _(
                    "Another lead changed the agreed stage of %(area)s meanwhile: their version was kept.",
                    area=title,
                )
                if _wants_json():
                    return jsonify({"error": message}), 409
                flash(message, "warning")
                return _done(row, current, slides)
            message = _("Agreed stage of %(area)s saved: %(stage)s.", area=title, stage=form.stage.data)
            if _wants_json():
                return jsonify({**projector_state(row, current, slides), "message": message})
            flash(message, "success")
            return _done(row, current, slides)
    if _wants_json():
        return jsonify({"error": " ".join(str(e) for e in errors)}), 400
    return _render(row, org, current, agree_form=form, errors=errors, status=400)
