"""Answering one area page, for whoever answers: one flow for a lead and a round respondent.

A lead answers a single assessment for the organisation, beside the other leads, in the
organisation's frame; a respondent answers a team round for themself, through a personal link,
in the round's frame. Everything else is the same and lives here once: the form, the checks of
a post, saving with the page's base values (optimistic concurrency), telling what was saved
meanwhile, refusing a post once the assessment is final or the round closed, the progress, the
way to the previous and next area, and where "Save and continue" goes.

A blueprint checks access, builds an Answerer and calls show() or receive(); the page is
templates/assessments/area.html.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from .. import answering
from ..content import Content, Questionnaire
from ..i18n import current_lang
from ..state import get_db
from ..storage import assessments
from ..storage.rows import OrgWithRole
from . import answer_form

Who = Literal["lead", "respondent"]


@dataclass(frozen=True)
class Frame:
    """What surrounds the form: the assessment's (a lead's) or the round's (a respondent's)."""

    title: str  # the assessment's or the round's title, linked back to home_url
    home_url: str  # the assessment's overview, or the respondent's personal page
    badge: str | None  # "Final" / "Closed" beside the title, None while answers can change
    org: OrgWithRole | None = None  # the organisation whose navigation heads a lead's page


@dataclass(frozen=True)
class Answerer:
    """Who answers, and what their page needs that the flow cannot know by itself.

    ``who`` chooses the words: a lead reads of "another user" and of the organisation, a
    respondent of "another tab or window" and of themself. ``read_only`` is the notice of a
    page whose answers cannot be changed (None: the form is shown); ``refusal`` is the error
    of a post that arrives after the assessment was marked final or the round closed (None
    while it is open). ``reload`` builds the answerer again from the database, after a save
    that found changes made meanwhile."""

    who: Who
    content: Content
    questionnaire: Questionnaire
    respondent_id: int
    frame: Frame
    read_only: str | None
    refusal: str | None
    area_url: Callable[[str], str]
    reload: Callable[[], Answerer]

    @property
    def areas(self) -> list[str]:
        return answer_form.answerable_areas(self.content, self.questionnaire)

    def answers(self) -> dict[str, int | None]:
        return assessments.respondent_answers(get_db(), self.respondent_id)

    def comment(self, area_id: str) -> str:
        return assessments.respondent_comments(get_db(), self.respondent_id).get(area_id, "")


@dataclass(frozen=True)
class AreaLink:
    """One area in the list of areas above the form."""

    area_id: str
    title: str
    url: str
    answered: int
    total: int
    complete: bool


def show(answerer: Answerer, area_id: str) -> ResponseReturnValue:
    """The page on GET: the stored answers in the form (or as text when read-only)."""
    return _render(answerer, area_id, _fresh_form(answerer, area_id))


def receive(answerer: Answerer, area_id: str, formdata: MultiDict) -> ResponseReturnValue:
    """A posted area form: saved and redirected, or the page again with what went wrong
    (400: nothing saved; 409: some answers had been changed meanwhile, the rest saved)."""
    lang = current_lang()
    form = answer_form.area_form(answerer.content, answerer.questionnaire, area_id, lang, formdata=formdata)
    post = answer_form.read_post(form, formdata)
    if answerer.refusal is not None:
        return _refuse(answerer, area_id, post)
    if post.errors:
        return _render(answerer, area_id, form, status=400, errors=post.errors)
    try:
        conflicts = assessments.save_area(
            get_db(),
            respondent_id=answerer.respondent_id,
            area=area_id,
            changes=post.changes,
            base=post.base,
            comment=post.comment,
            base_comment=post.base_comment,
        )
    except assessments.AssessmentFinal:  # marked final or closed while this page was open
        return _refuse(answerer.reload(), area_id, post)
    if conflicts:
        # Show the stored state, so the user decides again on what is really there.
        fresh = answerer.reload()
        listed = answer_form.conflict_list(
            fresh.content,
            answer_form.scale_labels(fresh.questionnaire, lang),
            post,
            conflicts,
            fresh.answers(),
            lang,
        )
        return _render(
            fresh,
            area_id,
            _fresh_form(fresh, area_id),
            status=409,
            conflicts=listed,
            others_saved=answer_form.others_saved(post, conflicts),
        )
    flash(answer_form.saved_message(post), "success")
    if formdata.get("action") == "continue":
        following = answer_form.next_area(answerer.areas, area_id)
        return redirect(answerer.area_url(following) if following else answerer.frame.home_url)
    return redirect(answerer.area_url(area_id))


def _refuse(answerer: Answerer, area_id: str, post: answer_form.AreaPost) -> ResponseReturnValue:
    """A post to a final assessment or a closed round: nothing saved; list what was asked."""
    lang = current_lang()
    unsaved = answer_form.unsaved_list(
        answerer.content, answer_form.scale_labels(answerer.questionnaire, lang), post, lang
    )
    return _render(
        answerer,
        area_id,
        _fresh_form(answerer, area_id),
        status=400,
        errors=[answerer.refusal or ""],
        unsaved=unsaved,
    )


def _fresh_form(answerer: Answerer, area_id: str) -> FlaskForm:
    return answer_form.area_form(
        answerer.content,
        answerer.questionnaire,
        area_id,
        current_lang(),
        answers=answerer.answers(),
        comment=answerer.comment(area_id),
    )


def _render(
    answerer: Answerer,
    area_id: str,
    form: FlaskForm,
    *,
    status: int = 200,
    errors: Sequence[str] = (),
    conflicts: Sequence[dict] = (),
    unsaved: Sequence[dict] = (),
    others_saved: bool = False,
) -> ResponseReturnValue:
    lang = current_lang()
    content = answerer.content
    areas = answerer.areas
    index = areas.index(area_id)
    answers = answerer.answers()
    progress = answering.progress(content.area_items(answerer.questionnaire), answers)
    links = [
        AreaLink(
            a,
            content.area(a).title.get(lang),
            answerer.area_url(a),
            progress.area(a).answered,
            progress.area(a).total,
            progress.area(a).complete,
        )
        for a in areas
    ]
    following = answer_form.next_area(areas, area_id)
    return render_template(
        "assessments/area.html",
        who=answerer.who,
        frame=answerer.frame,
        org=answerer.frame.org,
        area=content.area(area_id),
        area_number=index + 1,
        area_count=len(areas),
        area_links=links,
        previous_link=links[index - 1] if index > 0 else None,
        next_area=following,
        next_link=links[index + 1] if following else None,
        sections=answer_form.sections(content, answerer.questionnaire, area_id, lang),
        form=form,
        errors=list(errors),
        conflicts=list(conflicts),
        unsaved=list(unsaved),
        others_saved=others_saved,
        read_only=answerer.read_only,
        scale=answer_form.scale_labels(answerer.questionnaire, lang),
        progress=progress,
        answers=answers,
        items=content.items,
        comment=answerer.comment(area_id),
    ), status
