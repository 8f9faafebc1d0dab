"""A respondent's own data, on their personal link: exactly what is stored about them, and
removing their answers (or everything) while the round is open. No account is needed: the
personal link is the key, as for answering."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from .. import answering
from ..i18n import current_lang
from ..pages.links import assessment_title
from ..state import content_at, get_db
from ..storage import assessments, rounds
from ..storage import lifecycle as store
from ..storage.rows import AssessmentRow
from ..web import questionnaire_or_404

bp = Blueprint("my_data", __name__)


class RemoveForm(FlaskForm):
    what = RadioField(
        _l("What to remove"),
        choices=[
            SelectChoice("answers", _l("My answers and comments: I can still answer again on this link")),
            SelectChoice(
                "everything",
                _l(
                    "Everything: my name, my answers and comments, and this "
                    "personal link, which stops working"
                ),
            ),
        ],
        validators=[InputRequired(_l("Choose what to remove."))],
    )


def _invalid() -> ResponseReturnValue:
    return render_template("rounds/invalid_link.html"), 404


def stored_answers(row: AssessmentRow, respondent_id: int, lang: str) -> list[dict]:
    """The respondent's answers and comments by area, each answer with its statement and the
    scale label, in questionnaire order."""
    version = content_at(row["content_version"])
    questionnaire = questionnaire_or_404(version, row)
    answers = assessments.respondent_answers(get_db(), respondent_id)
    comments = assessments.respondent_comments(get_db(), respondent_id)
    scale = {answering.encode(o.value): o.label.get(lang) for o in questionnaire.scale}
    areas = []
    for area_id, steps in version.area_items(questionnaire):
        items = [
            {"text": version.items[i].text.get(lang), "answer": scale[answering.encode(answers[i])]}
            for _step, ids in steps
            for i in ids
            if i in answers
        ]
        if items or comments.get(area_id):
            areas.append(
                {
                    "title": version.area(area_id).title.get(lang),
                    "answers": items,
                    "comment": comments.get(area_id, ""),
                }
            )
    return areas


@bp.route("/r/<code>/<token>/my-data", methods=["GET", "POST"])
def show(code: str, token: str) -> ResponseReturnValue:
    db = get_db()
    found = rounds.find_respondent(db, code, token)
    if found is None:
        return _invalid()
    row, respondent = found
    form = RemoveForm()
    status = 200
    if request.method == "POST":
        status = 400
        if row["status"] != "open":
            form.what.errors = [
                _(
                    "The round has been closed, so nothing was removed. Ask a "
                    "lead of the organisation to erase your data."
                )
            ]
        elif form.validate_on_submit():
            try:
                if form.what.data == "answers":
                    store.remove_own_answers(db, row["id"], respondent["id"])
                else:
                    store.erase_respondent(
                        db,
                        row["id"],
                        respondent["id"],
                        keep_answers=False,
                        by_user=None,
                        label=assessment_title(row),
                        own=True,
                    )
            except store.Refused:
                form.what.errors = [_("The round was closed meanwhile, so nothing was removed.")]
            else:
                if form.what.data == "answers":
                    flash(_("Your answers and comments were removed."), "success")
                    return redirect(url_for(".show", code=row["join_code"], token=token))
                return render_template("lifecycle/my_data_removed.html", round=row)
    return render_template(
        "lifecycle/my_data.html",
        round=row,
        respondent=respondent,
        token=token,
        form=form,
        areas=stored_answers(row, respondent["id"], current_lang()),
        home=url_for("respond.home", code=row["join_code"], token=token),
    ), status
