"""The lead's side of a team round: opening it, inviting people, following progress, recording
the agreed stages and closing it. Respondents' pages are in views/respond.py."""

from __future__ import annotations

import io
from datetime import date

import segno
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask import g as flask_g
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .. import answering, clock, round_summary
from ..content import Content
from ..content.estimate import answer_minutes
from ..domain import FIRST_YEAR, LAST_YEAR, STAGES, reason_missing
from ..formatting import format_date
from ..forms import ConfirmForm
from ..i18n import current_lang
from ..pages import plan_carry, round_team
from ..pages.lifecycle_panel import panel as lifecycle_panel
from ..pages.lifecycle_text import respondent_label
from ..pages.links import assessment_title
from ..security import login_required, require_org
from ..state import content, content_at, get_db
from ..storage import assessments, rounds, workshops
from ..storage import results as result_store
from ..storage.rows import AssessmentRow
from ..web import load_round, questionnaire_or_404

bp = Blueprint("rounds", __name__)
QUICK = "quick"  # the questionnaire a new team round proposes


def _not_in_past(_form: FlaskForm, fld: DateField) -> None:
    if fld.data is not None and fld.data < clock.today():
        raise ValidationError(_("The deadline cannot be in the past."))


class NewRoundForm(FlaskForm):
    year = IntegerField(
        _l("Year assessed"),
        validators=[
            InputRequired(_l("Give the year.")),
            NumberRange(FIRST_YEAR, LAST_YEAR, _l("The year must be between 2000 and 2100.")),
        ],
    )
    questionnaire = RadioField(_l("Questionnaire"), validators=[InputRequired(_l("Choose a questionnaire."))])
    anonymity = RadioField(
        _l("Names"),
        choices=[
            SelectChoice(
                "named", _l("Named: respondents give their name and the lead sees who has answered")
            ),
            SelectChoice(
                "anonymous", _l("Anonymous: no names are asked, and small answer groups are hidden")
            ),
        ],
        default="named",
        validators=[InputRequired(_l("Choose named or anonymous."))],
    )
    deadline = DateField(
        _l("Deadline (optional)"),
        validators=[Optional(), _not_in_past],
        description=_l("The last day people can join the round."),
    )
    title = StringField(
        _l("Name of the round (optional)"),
        validators=[Length(max=200)],
        description=_l("For example the team or unit answering."),
    )


def _questionnaire_choices(current: Content, lang: str) -> list[SelectChoice]:
    """Each questionnaire with its size and the time one respondent takes to answer it."""
    return [
        SelectChoice(
            q.id,
            _(
                "%(title)s: %(num)d statements, about %(minutes)d min",
                title=q.title.get(lang),
                num=len(q.items),
                minutes=answer_minutes(q),
            ),
        )
        for q in current.questionnaires
    ]


@bp.route("/orgs/<int:org_id>/rounds/new", methods=["GET", "POST"])
@login_required
def new(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    current = content()
    form = NewRoundForm()
    form.questionnaire.choices = _questionnaire_choices(current, current_lang())
    if request.method == "GET":
        form.year.data = clock.today().year
        # A team round asks every respondent: the quick questionnaire is the default, since
        # each person answers alone and a short one gets more of them to finish.
        ids = [q.id for q in current.questionnaires]
        form.questionnaire.data = QUICK if QUICK in ids else (ids[0] if ids else None)
    if form.validate_on_submit():
        created = rounds.open_round(
            get_db(),
            org_id=org["id"],
            year=form.year.data,
            questionnaire=form.questionnaire.data,
            content_version=current.version,
            created_by=flask_g.user["id"],
            anonymous=form.anonymity.data == "anonymous",
            deadline=form.deadline.data.isoformat() if form.deadline.data else None,
            title=form.title.data or "",
        )
        flash(_("The round is open. Share the link or the code with the respondents."), "success")
        return redirect(url_for("rounds.show", assessment_id=created["id"]))
    status = 400 if request.method == "POST" else 200
    return render_template("rounds/new.html", org=org, form=form, nav_active="rounds.index"), status


@bp.route("/orgs/<int:org_id>/rounds")
@login_required
def index(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    items = [a for a in assessments.for_org(get_db(), org_id) if a["kind"] == "round"]
    return render_template("rounds/index.html", org=org, items=items, nav_active="rounds.index")


def participant_url(row: AssessmentRow) -> str:
    return url_for("respond.join_round", code=row["join_code"], _external=True)


def reminder_text(row: AssessmentRow, deadline: date | None) -> str:
    """A message the lead can paste into an email or chat to remind the team."""
    values = {
        "title": assessment_title(row),
        "link": participant_url(row),
        "join": url_for("respond.join", _external=True),
        "code": row["join_code"],
    }
    if deadline is not None:
        first = _(
            "Reminder: please answer our team self-assessment “%(title)s” by %(deadline)s.",
            deadline=format_date(deadline, current_lang()),
            **values,
        )
    else:
        first = _("Reminder: please answer our team self-assessment “%(title)s”.", **values)
    rest = _(
        "Open this link on any device; no account is needed:\n%(link)s\n\nOr go to %(join)s "
        "and type the code %(code)s.\n\nIf you have already started, continue from your "
        "personal link: your answers are saved.",
        **values,
    )
    return f"{first}\n\n{rest}"


@bp.route("/assessments/<int:assessment_id>/round")
@login_required
def show(assessment_id: int) -> ResponseReturnValue:
    row, org = load_round(assessment_id)
    db = get_db()
    version = content_at(row["content_version"])
    questionnaire = questionnaire_or_404(version, row)
    area_items = version.area_items(questionnaire)
    answers = assessments.answers_by_respondent(db, assessment_id)
    people = []
    for person in rounds.respondents(db, assessment_id):
        progress = answering.progress(area_items, answers.get(person["id"], {}))
        people.append(
            {
                "id": person["id"],
                "name": person["name"],
                "alias": person["alias"],
                "label": respondent_label(person),
                "updated_at": person["updated_at"],
                "progress": progress,
            }
        )
    summary = round_summary.participation([p["progress"] for p in people])
    deadline = date.fromisoformat(row["deadline"]) if row["deadline"] else None
    return render_template(
        "rounds/show.html",
        round=row,
        org=org,
        questionnaire=questionnaire,
        people=[] if row["anonymous"] else people,
        summary=summary,
        link=participant_url(row),
        join_url=url_for("respond.join", _external=True),
        deadline_text=format_date(deadline, current_lang()) if deadline else None,
        agreements=rounds.agreements(db, assessment_id),
        reminder=reminder_text(row, deadline),
        plan_carry=plan_carry.section(org, row),
        remove_form=ConfirmForm(),
        workshop=workshops.get(db, assessment_id),
        life=lifecycle_panel(db, row, org),
        nav_active="rounds.index",
    )


@bp.route("/assessments/<int:assessment_id>/qr.svg")
@login_required
def qr(assessment_id: int) -> ResponseReturnValue:
    """The participant link as a QR code: black modules on white with the standard quiet zone,
    so phone cameras read it from a projector too."""
    row, _org = load_round(assessment_id)
    code = segno.make(participant_url(row), error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=10,
        border=4,
        dark="#000000",
        light="#ffffff",
        xmldecl=True,
        svgns=True,
        title=_("QR code of the respondent link"),
    )
    return Response(out.getvalue(), mimetype="image/svg+xml")


# --- agreement ---------------------------------------------------------------------

STAGE_CHOICES = [SelectChoice("", _l("Not agreed yet"))] + [SelectChoice(str(n)) for n in STAGES]


def _stage_code(_form: FlaskForm, fld) -> None:
    if fld.data not in {choice.value for choice in STAGE_CHOICES}:
        raise ValidationError(_("The agreed stage must be a whole number from 0 to 5."))


def _titled_choices(titles: dict[int, str]) -> list[SelectChoice]:
    """The stage choices of one area, each named by the step reached at that stage."""
    return [STAGE_CHOICES[0]] + [
        SelectChoice(c.value, f"{c.value} – {titles[int(c.value)]}" if int(c.value) in titles else c.value)
        for c in STAGE_CHOICES[1:]
    ]


def agreement_form(
    area_ids: list[str],
    area_titles: dict[str, str],
    *,
    stored: dict | None = None,
    formdata=None,
    stage_titles: dict[str, dict[int, str]] | None = None,
) -> FlaskForm:
    """One select and one reason per area, each with a hidden copy of what the page showed."""

    class AgreementForm(FlaskForm):
        pass

    for area in area_ids:
        choices = _titled_choices((stage_titles or {}).get(area, {}))
        setattr(
            AgreementForm,
            f"stage-{area}",
            SelectField(
                _l("Agreed stage: %(area)s", area=area_titles[area]),
                choices=choices,
                validate_choice=False,
                validators=[_stage_code],
            ),
        )
        setattr(
            AgreementForm,
            f"reason-{area}",
            TextAreaField(
                _l("Reason: %(area)s", area=area_titles[area]),
                description=_l("Required when the agreed stage differs from the computed one."),
                validators=[
                    Length(
                        max=rounds.MAX_REASON,
                        message=_l("Write at most %(max)d characters.", max=rounds.MAX_REASON),
                    )
                ],
            ),
        )
        setattr(AgreementForm, f"base-stage-{area}", HiddenField(validators=[_stage_code]))
        setattr(AgreementForm, f"base-reason-{area}", HiddenField())
    if formdata is not None:
        return AgreementForm(formdata=formdata)
    data = {}
    for area in area_ids:
        row = (stored or {}).get(area)
        stage = "" if row is None else str(row["agreed_stage"])
        reason = "" if row is None else row["reason"]
        data.update(
            {
                f"stage-{area}": stage,
                f"base-stage-{area}": stage,
                f"reason-{area}": reason,
                f"base-reason-{area}": reason,
            }
        )
    return AgreementForm(formdata=None, data=data)


def _as_agreement(stage: str | None, reason: str | None) -> rounds.Agreement:
    return (int(stage) if stage else None, reason or "")


def require_reasons(form: FlaskForm, team: dict, area_ids: list[str]) -> bool:
    """Marks each agreed stage that differs from the computed one without its short reason
    (domain.reason_missing); True when none does."""
    ok = True
    for area in area_ids:
        stage = form[f"stage-{area}"].data
        # A stage off the scale is the select's own error, not a missing reason.
        if reason_missing(
            int(stage) if stage in {str(n) for n in STAGES} else None,
            round_team.computed_stage(team, area),
            form[f"reason-{area}"].data or "",
        ):
            form[f"reason-{area}"].errors = [
                *form[f"reason-{area}"].errors,
                _("Write a short reason: the agreed stage differs from the computed one."),
            ]
            ok = False
    return ok


@bp.route("/assessments/<int:assessment_id>/agreement", methods=["GET", "POST"])
@login_required
def agreement(assessment_id: int) -> ResponseReturnValue:
    row, org = load_round(assessment_id, lead=True)
    db = get_db()
    version = content_at(row["content_version"])
    lang = current_lang()
    area_ids = [a.id for a in version.areas]
    area_titles = {a.id: a.title.get(lang) for a in version.areas}
    team = round_team.team_result(db, row, version)
    titles = round_team.stage_titles(version, lang)
    refused: list[str] = []
    if request.method == "POST":
        form = agreement_form(area_ids, area_titles, formdata=request.form, stage_titles=titles)
        if row["status"] == "final":
            refused.append(_("The round is closed: the agreement can no longer be changed."))
        elif form.validate() & require_reasons(form, team, area_ids):
            changes = {a: _as_agreement(form[f"stage-{a}"].data, form[f"reason-{a}"].data) for a in area_ids}
            base = {
                a: _as_agreement(form[f"base-stage-{a}"].data, form[f"base-reason-{a}"].data)
                for a in area_ids
            }
            try:
                conflicts = rounds.save_agreements(db, assessment_id, changes, base)
            except rounds.RoundClosed:
                refused.append(_("The round was closed meanwhile: the agreement was not changed."))
                closed = rounds.get_round(db, assessment_id)
                if closed is None:  # deleted meanwhile
                    abort(404)
                row = closed
            else:
                if conflicts:
                    flash(
                        _(
                            "Another lead changed the agreement of %(areas)s meanwhile: their "
                            "version was kept. Check it and save again if needed.",
                            areas=", ".join(area_titles[a] for a in conflicts),
                        ),
                        "warning",
                    )
                else:
                    flash(_("The agreement was saved."), "success")
                return redirect(url_for("rounds.agreement", assessment_id=assessment_id, saved=1))
        status = 400
    else:
        form = agreement_form(
            area_ids, area_titles, stored=rounds.agreements(db, assessment_id), stage_titles=titles
        )
        status = 200
    return render_template(
        "rounds/agreement.html",
        round=row,
        org=org,
        form=form,
        team=team,
        area_ids=area_ids,
        saved=request.method == "GET" and request.args.get("saved") == "1",
        area_titles=area_titles,
        refused=refused,
        nav_active="rounds.index",
    ), status


# --- options -------------------------------------------------------------------------


class OptionsForm(FlaskForm):
    show_team = RadioField(
        choices=[SelectChoice("1"), SelectChoice("0")],
        validate_choice=True,
        validators=[InputRequired(_l("Say whether to show or hide."))],
    )


@bp.route("/assessments/<int:assessment_id>/round/options", methods=["POST"])
@login_required
def options(assessment_id: int) -> ResponseReturnValue:
    row, _org = load_round(assessment_id, lead=True)
    form = OptionsForm()
    if not form.validate_on_submit():
        return render_template(
            "error.html", title=_("Not changed"), message=_("Say whether to show or hide.")
        ), 400
    show = form.show_team.data == "1"
    rounds.set_show_team(get_db(), assessment_id, show)
    flash(
        _("Respondents will see their answers beside the team's values once the round closes.")
        if show
        else _("Respondents no longer see the team's values."),
        "success",
    )
    return redirect(url_for("rounds.show", assessment_id=assessment_id))


# --- closing -------------------------------------------------------------------------


@bp.route("/assessments/<int:assessment_id>/round/remove-unanswered", methods=["POST"])
@login_required
def remove_unanswered(assessment_id: int) -> ResponseReturnValue:
    row, _org = load_round(assessment_id, lead=True)
    ConfirmForm().validate()  # only the CSRF token, which CSRFProtect has checked
    try:
        removed = rounds.remove_unanswered(get_db(), assessment_id)
    except rounds.RoundClosed:
        flash(_("The round has been closed, so its respondents can no longer change."), "info")
    else:
        flash(
            _("Removed %(n)d respondents who had not answered anything.", n=removed)
            if removed
            else _("Everyone who joined has answered something."),
            "success",
        )
    return redirect(url_for("rounds.show", assessment_id=assessment_id))


class CloseForm(FlaskForm):
    """Closing a round; when its year already has a counted result, which one counts after."""

    counts = RadioField(
        _l("Which assessment counts for the year after closing"),
        choices=[
            SelectChoice("keep", _l("Keep the current one")),
            SelectChoice("this", _l("Make this round count")),
        ],
        validators=[InputRequired(message=_l("Choose which assessment counts for the year."))],
        invalid_choice_message=_l("Choose which assessment counts for the year."),
    )


@bp.route("/assessments/<int:assessment_id>/close", methods=["GET", "POST"])
@login_required
def close(assessment_id: int) -> ResponseReturnValue:
    row, org = load_round(assessment_id, lead=True)
    db = get_db()
    current = assessments.counted_in_year(db, org["id"], row["year"])
    if row["status"] == "final" or (current is not None and current["id"] == row["id"]):
        current = None  # closed already: nothing to choose
    form = CloseForm()
    if current is None:
        # Nothing to choose between: the round will count for its year.
        del form.counts
    else:
        form.counts.choices = [
            SelectChoice("keep", _("Keep “%(title)s”", title=assessment_title(current))),
            SelectChoice("this", _("Make this round count instead")),
        ]
    if form.validate_on_submit():
        make_count = current is None or form.counts.data == "this"
        if rounds.close_round(db, assessment_id, make_count=make_count):
            # The answers are frozen now: compute the team result once and keep it.
            closed = rounds.get_round(db, assessment_id)
            if closed is not None:  # a closed round cannot be deleted, but read it safely
                result_store.result_for(db, closed, content_at(row["content_version"]))
            if make_count or current is None:  # no current one: the round counts
                flash(
                    _(
                        "The round is closed. Its answers and agreement are frozen, and it is "
                        "now the organisation's assessment for %(year)s.",
                        year=row["year"],
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "The round is closed. Its answers and agreement are frozen; “%(title)s” "
                        "still counts for %(year)s.",
                        title=assessment_title(current),
                        year=row["year"],
                    ),
                    "success",
                )
        else:
            flash(_("The round had already been closed."), "info")
        return redirect(url_for("rounds.show", assessment_id=assessment_id))
    status = 400 if request.method == "POST" else 200
    version = content_at(row["content_version"])
    area_items = version.area_items(questionnaire_or_404(version, row))
    answers = assessments.answers_by_respondent(db, assessment_id)
    people = rounds.respondents(db, assessment_id)
    # Warned before closing: who has not answered everything (only how many, when anonymous).
    unfinished = [p for p in people if not answering.progress(area_items, answers.get(p["id"], {})).complete]
    return render_template(
        "rounds/close.html",
        round=row,
        org=org,
        form=form,
        respondents=len(people),
        unfinished=len(unfinished),
        unfinished_names=[] if row["anonymous"] else [p["name"] or p["alias"] for p in unfinished],
        current=current,
        agreed=len(rounds.agreements(db, assessment_id)),
        nav_active="rounds.index",
    ), status
