"""The WTForms form of one area page, built from the questionnaire's items in that area.

Used by the one area-answering flow (pages/area_flow.py) for single assessments and round
respondents: build the form with area_form(), render it with
templates/assessments/_area_form.html, and read a post with
read_post(), which gives exactly the arguments storage.assessments.save_area takes; then
saved_message(), conflict_list() and unsaved_list() say what happened to it.
Field names: "a-<item id>" is the radio group, "b-<item id>" the hidden base (what the page
showed), "comment" / "comment_base" the area comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length, ValidationError

from .. import answering
from ..content import Content, Item, Questionnaire
from ..storage.assessments import COMMENT_CONFLICT

try:  # WTForms >= 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice as choice
except ImportError:  # pragma: no cover - older WTForms

    def choice(value: str, label: str) -> tuple[str, str]:
        return (value, label)


ANSWER_PREFIX = "a-"
BASE_PREFIX = "b-"
COMMENT_MAX = 5000


@dataclass(frozen=True)
class GoalGroup:
    """A goal and the actions listed under it, as a page shows them: in a questionnaire that
    asks actions, each action stands under its goal rather than as an equal of it."""

    goal: Item | None  # None: actions whose goal this questionnaire does not ask
    actions: tuple[Item, ...]


@dataclass(frozen=True)
class StepSection:
    """One step's heading data and its items on the page, in questionnaire order."""

    step_id: str
    year: int
    title: str
    items: tuple[str, ...]
    groups: tuple[GoalGroup, ...] = ()


@dataclass
class AreaPost:
    """A validated post, ready for save_area."""

    changes: dict[str, answering.Change]
    base: dict[str, answering.Stored]
    comment: str | None
    base_comment: str | None
    errors: list[str] = field(default_factory=list)


def sections(content: Content, questionnaire: Questionnaire, area_id: str, lang: str) -> list[StepSection]:
    """The area's steps that have items in this questionnaire."""
    steps = dict(content.area_items(questionnaire))[area_id]
    return [
        StepSection(
            step_id,
            content.steps[step_id].year,
            content.steps[step_id].title.get(lang),
            tuple(ids),
            _groups([content.items[i] for i in ids]),
        )
        for step_id, ids in steps
        if ids
    ]


def _groups(items: list[Item]) -> tuple[GoalGroup, ...]:
    """The step's items as goal groups, in the order of the goals' first appearance."""
    goals = {i.id: i for i in items if i.kind == "goal"}
    order: list[str | None] = []
    actions: dict[str | None, list[Item]] = {}
    for item in items:
        key = item.id if item.kind == "goal" else (item.goal if item.goal in goals else None)
        if key not in actions:
            order.append(key)
            actions[key] = []
        if item.kind == "action":
            actions[key].append(item)
    return tuple(GoalGroup(goals.get(key) if key else None, tuple(actions[key])) for key in order)


def answerable_areas(content: Content, questionnaire: Questionnaire) -> list[str]:
    """The ids of the areas that have items in this questionnaire, in roadmap order."""
    return [area for area, steps in content.area_items(questionnaire) if any(ids for _s, ids in steps)]


def _scale_choices(questionnaire: Questionnaire, lang: str) -> list:
    return [choice(answering.encode(o.value), o.label.get(lang)) for o in questionnaire.scale]


def _answer_code(_form: FlaskForm, fld: Field) -> None:
    if fld.data in (None, ""):
        fld.data = None
        return
    if fld.data != answering.CLEAR and fld.data not in answering.VALUE_CODES:
        raise ValidationError(_("“%(value)s” is not a value on the answer scale.", value=fld.data))


def _base_code(_form: FlaskForm, fld: Field) -> None:
    try:
        answering.decode_base(fld.data or "")
    except ValueError:
        raise ValidationError(_("The form was altered: reload the page.")) from None


def area_form(
    content: Content,
    questionnaire: Questionnaire,
    area_id: str,
    lang: str,
    *,
    answers: Mapping[str, int | None] | None = None,
    comment: str | None = None,
    formdata: MultiDict | None = None,
) -> FlaskForm:
    """The area page's form: on GET filled from ``answers``/``comment``; on POST from the post.

    On a post, pass no answers: a radio group the user left empty must read as empty.
    """

    class AreaForm(FlaskForm):
        comment_base = HiddenField()
        comment = TextAreaField(
            _l("Comment on this area (optional)"),
            description=_l("For example reasons for the answers, or what should be checked."),
            validators=[Length(max=COMMENT_MAX)],
        )

    choices = _scale_choices(questionnaire, lang) + [choice(answering.CLEAR, _("Clear the answer"))]
    for section in sections(content, questionnaire, area_id, lang):
        for item_id in section.items:
            setattr(
                AreaForm,
                ANSWER_PREFIX + item_id,
                RadioField(
                    content.items[item_id].claim(lang),
                    choices=choices,
                    validate_choice=False,
                    validators=[_answer_code],
                ),
            )
            setattr(AreaForm, BASE_PREFIX + item_id, HiddenField(validators=[_base_code]))
    if formdata is not None:
        return AreaForm(formdata=formdata)
    data: dict[str, str | None] = {"comment": comment or "", "comment_base": comment or ""}
    for item_id, value in (answers or {}).items():
        data[ANSWER_PREFIX + item_id] = answering.encode(value)
        data[BASE_PREFIX + item_id] = answering.encode(value)
    return AreaForm(formdata=None, data=data)


def item_ids(form: FlaskForm) -> list[str]:
    return [name[len(ANSWER_PREFIX) :] for name in form._fields if name.startswith(ANSWER_PREFIX)]


def unknown_items(form: FlaskForm, formdata: MultiDict) -> list[str]:
    """Item ids in the post that are not on this area page (tampered or from another area)."""
    known = set(item_ids(form))
    found = []
    for key in formdata:
        for prefix in (ANSWER_PREFIX, BASE_PREFIX):
            if key.startswith(prefix) and key[len(prefix) :] not in known and key[len(prefix) :] not in found:
                found.append(key[len(prefix) :])
    return found


def read_post(form: FlaskForm, formdata: MultiDict) -> AreaPost:
    """Validate a posted area form; errors (in the UI language) mean nothing may be saved."""
    errors: list[str] = []
    unknown = unknown_items(form, formdata)
    if unknown:
        errors.append(
            _(
                "The form contained statements that are not on this page: %(ids)s. Nothing was saved.",
                ids=", ".join(unknown),
            )
        )
    ids = item_ids(form)
    missing_base = [
        i for i in ids if formdata.get(ANSWER_PREFIX + i) is not None and (BASE_PREFIX + i) not in formdata
    ]
    if missing_base:
        errors.append(_("The form was incomplete. Reload the page and answer again."))
    if not form.validate():
        for name, messages in form.errors.items():
            if name == "csrf_token":
                continue
            hidden = name.startswith(BASE_PREFIX) or name == "comment_base"
            label = "" if hidden else form[name].label.text
            for message in messages:
                errors.append(f"{label}: {message}" if label else str(message))
    if errors:
        return AreaPost({}, {}, None, None, errors)
    posted = {i: form[ANSWER_PREFIX + i].data for i in ids}
    base = {i: form[BASE_PREFIX + i].data or "" for i in ids}
    changed, bases = answering.changes(posted, base)
    comment = form.comment.data if "comment" in formdata else None
    return AreaPost(changed, bases, comment, form.comment_base.data or "")


# --- after a post: what was saved, what was not ------------------------------------------


def scale_labels(questionnaire: Questionnaire, lang: str) -> dict[str, str]:
    """Answer code ("0".."4", "dk") -> the scale's label in the reader's language."""
    return {answering.encode(o.value): o.label.get(lang) for o in questionnaire.scale}


def _chosen(scale: Mapping[str, str], value: answering.Change) -> str:
    # CLEAR is the one text a change can be.
    return _("clear") if isinstance(value, str) else scale[answering.encode(value)]


def saved_message(post: AreaPost) -> str:
    """The flash message after a saved post."""
    count = len(post.changes)
    return (
        ngettext("Saved: %(num)d answer changed.", "Saved: %(num)d answers changed.", count)
        if count
        else _("Saved.")
    )


def others_saved(post: AreaPost, conflicts: list[str]) -> bool:
    """Whether a post that met conflicts also asked for changes besides them (which were saved)."""
    comment_changed = post.comment is not None and " ".join(post.comment.split()) != " ".join(
        (post.base_comment or "").split()
    )
    return len(post.changes) + comment_changed > len(conflicts)


def next_area(areas: list[str], area_id: str) -> str | None:
    """The area after ``area_id`` on the way through the questionnaire; None after the last."""
    index = areas.index(area_id)
    return areas[index + 1] if index + 1 < len(areas) else None


def unsaved_list(
    content: Content, scale: Mapping[str, str], post: AreaPost, lang: str
) -> list[dict[str, str]]:
    """The changes a refused post asked for ({"text", "yours"}), so none is lost unseen."""
    return [
        {"text": content.items[item].claim(lang), "yours": _chosen(scale, value)}
        for item, value in post.changes.items()
    ]


def conflict_list(
    content: Content,
    scale: Mapping[str, str],
    post: AreaPost,
    conflicts: list[str],
    stored: Mapping[str, int | None],
    lang: str,
) -> list[dict]:
    """What the page wanted and what had been saved meanwhile, per conflicting item
    ({"text", "yours", "kept"}) or for the area comment ({"comment": True, "yours"})."""
    listed: list[dict] = []
    for item in conflicts:
        if item == COMMENT_CONFLICT:
            listed.append({"comment": True, "yours": post.comment or ""})
            continue
        listed.append(
            {
                "text": content.items[item].claim(lang),
                "yours": _chosen(scale, post.changes[item]),
                "kept": scale.get(answering.encode(stored[item]) if item in stored else "", _("no answer")),
            }
        )
    return listed
