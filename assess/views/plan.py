"""The organisation's action plan: adding (from a suggestion or freely), the plan page, editing.

The plan belongs to the organisation and carries over from year to year. Steps, goals and
items are checked against the current content; an edit made on an older revision of an
entry is refused with a message instead of overwriting someone else's change.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from .. import charts, domain
from ..content import Content
from ..domain import FIRST_YEAR, LAST_YEAR
from ..i18n import current_lang
from ..pages.plan_rows import StatusForm, entry_view, shorten
from ..plan_text import suggested_action
from ..security import login_required, require_org
from ..state import content, get_db
from ..storage import accounts, assessments
from ..storage import plan as plan_store
from ..storage.rows import OrgWithRole, PlanEntryRow
from ..templating import choices, plan_status_label
from ..web import safe_path

bp = Blueprint("plan", __name__, url_prefix="/orgs/<int:org_id>/plan")

TEXT_MAX = 500


def _year(_form: FlaskForm, field: StringField) -> None:
    if domain.year_from_text(field.data) is None:
        raise ValidationError(
            _("Give the year as a number between %(min)d and %(max)d.", min=FIRST_YEAR, max=LAST_YEAR)
        )


class EntryForm(FlaskForm):
    """A plan entry as the lead writes or edits it."""

    text = TextAreaField(
        _l("Action"),
        validators=[
            InputRequired(_l("Write what will be done.")),
            Length(max=TEXT_MAX, message=_l("Keep the action to %(max)d characters at most.", max=TEXT_MAX)),
        ],
    )
    step = SelectField(
        _l("Roadmap step"),
        validators=[InputRequired(_l("Choose a roadmap step."))],
        invalid_choice_message=_l("Choose one of the roadmap steps listed."),
    )
    goal = SelectField(
        _l("Programme goal"),
        validators=[InputRequired(_l("Choose a programme goal."))],
        invalid_choice_message=_l("Choose one of the programme goals listed."),
    )
    responsible = StringField(
        _l("Responsible (Vastuutaho)"),
        validators=[
            Length(max=200, message=_l("Keep the responsible party to %(max)d characters at most.", max=200))
        ],
        description=_l("A person, a unit or a group, e.g. “Hankintapalvelut”."),
    )
    owner = SelectField(
        _l("Responsible user"),
        default="",
        validate_choice=True,
        invalid_choice_message=_l(
            "Choose one of the organisation's users listed, or none and write the responsible below."
        ),
        description=_l("A user of the organisation, or leave this and write the responsible party below."),
    )
    year = StringField(_l("Year"), validators=[InputRequired(_l("Give the year.")), _year])
    quarter = SelectField(_l("Quarter"), invalid_choice_message=_l("Choose a quarter or the whole year."))
    status = SelectField(_l("Status"), invalid_choice_message=_l("Choose one of the statuses listed."))
    item = HiddenField()
    revision = HiddenField()

    def __init__(
        self, source: Content, lang: str, *args: Any, members: list[dict] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m["id"]): (m["display_name"] or m["username"]) for m in members or []}
        self.owner.choices = [("", _("None: written below"))] + list(self.members.items())
        self.step.choices = [("", _("Choose…"))] + [
            (
                step.id,
                f"{area.title.get(lang)} – {_('step %(n)d', n=step.year)}: {shorten(step.title.get(lang))}",
            )
            for area in source.areas
            for step in area.steps
        ]
        self.goal.choices = [("", _("Choose…"))] + [
            (str(goal.number), f"{goal.number}. {shorten(goal.text.get(lang))}") for goal in source.goals
        ]
        self.quarter.choices = [("", _("Whole year"))] + [
            (str(q), _("Quarter %(n)d", n=q)) for q in domain.QUARTERS
        ]
        self.status.choices = choices("plan_status")

    def validate_item(self, field: HiddenField) -> None:
        if not field.data:
            return
        found = content().items.get(field.data)
        if found is None:
            raise ValidationError(_("The roadmap statement of this entry is not known."))
        if self.step.data and found.step != self.step.data:
            raise ValidationError(_("The roadmap statement does not belong to the chosen step."))

    def values(self) -> dict[str, Any]:
        """The entry fields for storage."""
        return {
            "text": self.text.data.strip(),
            "step": self.step.data,
            "goal": int(self.goal.data),
            "item": self.item.data or None,
            # A picked user's name is stored too: it stays if the user is deleted.
            "responsible": (
                self.members[self.owner.data] if self.owner.data else (self.responsible.data or "").strip()
            ),
            "responsible_user": int(self.owner.data) if self.owner.data else None,
            "schedule_year": int(self.year.data.strip()),
            "schedule_quarter": int(self.quarter.data) if self.quarter.data else None,
            "status": self.status.data,
        }


class SuggestionForm(FlaskForm):
    """ "Add to plan" beside a suggested statement on the results page."""

    item = HiddenField(validators=[InputRequired()])
    step = HiddenField(validators=[InputRequired()])
    goal = HiddenField()
    created_in = HiddenField(validators=[InputRequired()])


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _members(org: OrgWithRole) -> list[dict]:
    """The organisation's users a plan entry can name as its responsible."""
    return accounts.org_members(get_db(), org["id"])


# --- the plan page -----------------------------------------------------------------------


def _timeline(views: list[dict], lang: str) -> dict:
    return charts.timeline(
        [
            {
                "label": f"{v['number']}. {shorten(v['text'], 40)}",
                "year": v["schedule_year"],
                "quarter": v["schedule_quarter"],
                "status": v["status"],
                "schedule_text": v["schedule"],
            }
            for v in views
        ],
        dict(choices("plan_status")),
        lang=lang,
    )


def _render_plan(
    org: OrgWithRole, form: EntryForm | None = None, code: int = 200, problem: str | None = None
):
    source = content()
    lang = current_lang()
    views = [entry_view(e, source, lang) for e in plan_store.entries(get_db(), org["id"])]
    by_goal: dict[int | None, list[dict]] = {}
    for view in views:
        key = view["goal"] if view["goal"] is not None and source.has_goal(view["goal"]) else None
        by_goal.setdefault(key, []).append(view)
    themes = [
        (theme, [g for g in source.goals if g.theme == theme.id and g.number in by_goal])
        for theme in source.themes
    ]
    if form is None and org["role"] == "lead":
        form = EntryForm(source, lang, formdata=None, status="planned", members=_members(org))
    return render_template(
        "plan/show.html",
        org=org,
        content=source,
        entries=views,
        by_goal=by_goal,
        themes=[(t, goals) for t, goals in themes if goals],
        idle_goals=[g for g in source.goals if g.number not in by_goal],
        timeline=_timeline(views, lang) if views else None,
        form=form,
        status_form=StatusForm(formdata=None),
        problem=problem,
        nav_active="plan.show",
    ), code


@bp.route("")
@login_required
def show(org_id: int):
    org = require_org(org_id)
    return _render_plan(org)


# --- adding ------------------------------------------------------------------------------


def _refuse(messages: list[str]):
    return render_template(
        "error.html",
        title=_("Not added to the plan"),
        message=_("Nothing was added to the plan:"),
        problems=messages,
    ), 400


def _add_suggestion(org: OrgWithRole):
    form = SuggestionForm()
    if not form.validate_on_submit():
        return _refuse([_("The suggestion was incomplete. Reload the results page and try again.")])
    source = content()
    created_in = _int(form.created_in.data)
    assessment = assessments.get_assessment(get_db(), created_in) if created_in else None
    if assessment is None or assessment["org_id"] != org["id"]:
        abort(404)
    problems = []
    item = source.items.get(form.item.data)
    if item is None:
        problems.append(_("The roadmap statement is not known."))
    elif item.step != form.step.data:
        problems.append(_("The roadmap statement does not belong to that step."))
    goal = _int(form.goal.data) if form.goal.data else None
    if form.goal.data and (goal is None or not source.has_goal(goal)):
        problems.append(_("There is no such programme goal."))
    elif goal is None and item is not None and source.goals_for_step(item.step):
        problems.append(_("Choose the programme goal the action serves."))
    if problems or item is None:  # an unknown statement is always among the problems
        return _refuse(problems)
    # Back where the lead was: the suggestion, with the confirmation shown beside it (the
    # results page reads ?added= and moves the focus there).
    back = url_for("results.show", assessment_id=assessment["id"], added=item.id, _anchor=f"added-{item.id}")
    db = get_db()
    existing = plan_store.open_entry_for_item(db, org["id"], item.id)
    if existing is not None:
        return redirect(back)
    plan_store.add_entry(
        db,
        org["id"],
        text=suggested_action(source, item.id, goal, current_lang()),
        step=item.step,
        goal=goal,
        item=item.id,
        schedule_year=assessment["year"],
        created_in=assessment["id"],
    )
    return redirect(back)


@bp.route("/add", methods=["POST"])
@login_required
def add(org_id: int):
    org = require_org(org_id, lead=True)
    if request.form.get("source") == "suggestion":
        return _add_suggestion(org)
    form = EntryForm(content(), current_lang(), members=_members(org))
    if not form.validate_on_submit():
        return _render_plan(org, form, 400)
    values = form.values()
    db = get_db()
    for entry in plan_store.entries(db, org["id"]):
        # The same entry posted twice (a double click) is added once.
        if entry["status"] in ("planned", "in_progress") and all(
            entry[k] == values[k] for k in ("text", "step", "goal", "schedule_year", "schedule_quarter")
        ):
            flash(_("This entry is already in the plan."), "info")
            return redirect(url_for("plan.show", org_id=org_id, _anchor=f"entry-{entry['id']}"))
    entry = plan_store.add_entry(db, org["id"], **values)
    flash(_("Added to the plan."), "success")
    return redirect(url_for("plan.show", org_id=org_id, _anchor=f"entry-{entry['id']}"))


# --- editing -----------------------------------------------------------------------------


def _entry_or_404(org_id: int, entry_id: int) -> PlanEntryRow:
    entry = plan_store.get_entry(get_db(), org_id, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int, entry_id: int):
    org = require_org(org_id, lead=True)
    entry = _entry_or_404(org_id, entry_id)
    source, lang = content(), current_lang()
    if request.method == "GET":
        form = EntryForm(
            source,
            lang,
            formdata=None,
            data={
                "text": entry["text"],
                "step": entry["step"] or "",
                "goal": str(entry["goal"]) if entry["goal"] is not None else "",
                "responsible": entry["responsible"],
                "year": str(entry["schedule_year"]) if entry["schedule_year"] else "",
                "quarter": str(entry["schedule_quarter"] or ""),
                "status": entry["status"],
                "item": entry["item"] or "",
                "revision": str(entry["revision"]),
                "owner": str(entry["responsible_user"] or ""),
            },
            members=_members(org),
        )
        if form.owner.data not in form.members:
            form.owner.data = ""  # no longer a user of the organisation: the name stays below
        return _render_edit(org, entry, form)
    form = EntryForm(source, lang, members=_members(org))
    if not form.validate_on_submit():
        return _render_edit(org, entry, form, 400)
    revision = _int(form.revision.data)
    if revision is None:
        return _render_edit(org, entry, form, 400)
    try:
        plan_store.update_entry(get_db(), org_id, entry_id, revision, **form.values())
    except plan_store.StaleEdit as stale:
        # Keep what the user wrote, show what is saved now; saving again is a deliberate choice.
        form.revision.data = str(stale.current["revision"])
        return _render_edit(org, stale.current, form, 409, stale=True)
    except LookupError:
        abort(404)
    flash(_("The plan entry was saved."), "success")
    return redirect(url_for("plan.show", org_id=org_id, _anchor=f"entry-{entry_id}"))


def _render_edit(
    org: OrgWithRole, entry: PlanEntryRow, form: EntryForm, code: int = 200, stale: bool = False
):
    view = entry_view(entry, content(), current_lang())
    return render_template(
        "plan/edit.html",
        org=org,
        entry=view,
        form=form,
        stale=stale,
        events=plan_store.events(get_db(), entry["id"]),
        nav_active="plan.show",
    ), code


@bp.route("/<int:entry_id>/status", methods=["POST"])
@login_required
def status(org_id: int, entry_id: int):
    org = require_org(org_id, lead=True)
    entry = _entry_or_404(org_id, entry_id)
    form = StatusForm()
    revision = _int(form.revision.data)
    back = safe_path(form.next.data)
    if back is not None:
        back = back.split("#", 1)[0] + f"#entry-{entry_id}"
    if not form.validate_on_submit() or revision is None:
        problem = _(
            "The status of “%(entry)s” was not changed: choose one of the statuses listed.",
            entry=shorten(entry["text"], 60),
        )
        return _status_refused(org, back, problem, 400)
    try:
        plan_store.set_status(get_db(), org_id, entry_id, revision, form.status.data)
    except plan_store.StaleEdit:
        return _status_refused(
            org,
            back,
            _(
                "The status of “%(entry)s” was not changed: someone else changed the entry "
                "meanwhile. Check it below and change the status again if needed.",
                entry=shorten(entry["text"], 60),
            ),
            409,
        )
    flash(_("Status changed to “%(status)s”.", status=plan_status_label(form.status.data)), "success")
    return redirect(back or url_for("plan.show", org_id=org_id, _anchor=f"entry-{entry_id}"))


def _status_refused(org: OrgWithRole, back: str | None, problem: str, code: int):
    """A refused quick status change: on the plan page, or back on the page it came from
    with the message, where the list then shows what is stored now."""
    if back is None:
        return _render_plan(org, code=code, problem=problem)
    flash(problem, "error")
    return redirect(back)
