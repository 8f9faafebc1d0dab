"""The organisation's history across the years: stages, path position, two years compared."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired

from ..i18n import current_lang
from ..pages import history_page, links
from ..security import login_required, require_org
from ..state import get_db
from ..storage import history as store
from ..storage.rows import AssessmentRow, OrgWithRole

bp = Blueprint("history", __name__)


class CompareForm(FlaskForm):
    """GET form: the two years to compare. No CSRF: it changes nothing."""

    class Meta:
        csrf = False

    before = SelectField(
        _l("Earlier year"), coerce=int, validators=[InputRequired(message=_l("Choose the earlier year."))]
    )
    after = SelectField(
        _l("Later year"), coerce=int, validators=[InputRequired(message=_l("Choose the later year."))]
    )


class CountsForm(FlaskForm):
    """Which of a year's final assessments counts for the history. ``confirmed`` is set by
    the confirmation page that names the assessment the choice replaces."""

    assessment = RadioField(
        _l("Assessment that counts"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the assessment that counts."))],
        invalid_choice_message=_l("Choose one of the assessments listed for this year."),
    )
    confirmed = HiddenField()


def _counts_forms(
    grouped: dict[int, list[AssessmentRow]], counted: dict[int, AssessmentRow]
) -> dict[int, CountsForm]:
    """A form per year that has more than one assessment able to count."""
    forms = {}
    for year, candidates in grouped.items():
        if len(candidates) < 2:
            continue
        form = CountsForm(prefix=f"y{year}", formdata=None)
        form.assessment.choices = [(a["id"], links.assessment_title(a)) for a in candidates]
        form.assessment.data = counted[year]["id"] if year in counted else None
        forms[year] = form
    return forms


def _years_to_compare(years: list[int]) -> tuple[CompareForm, int | None, int | None, bool]:
    """The two years to compare: the chosen ones, else the latest two. Returns the form,
    the years and whether the request was refused (shown as errors, status 400)."""
    form = CompareForm(request.args)
    form.before.choices = [(y, str(y)) for y in years]
    form.after.choices = [(y, str(y)) for y in years]
    default = (years[-2], years[-1]) if len(years) >= 2 else (None, None)
    if "before" not in request.args and "after" not in request.args:
        form.before.data, form.after.data = default
        return form, default[0], default[1], False
    if not form.validate():
        form.before.data, form.after.data = default
        return form, default[0], default[1], True
    before, after = form.before.data, form.after.data
    if before == after:
        form.after.errors = [_("Choose two different years.")]
        form.before.data, form.after.data = default
        return form, default[0], default[1], True
    before, after = min(before, after), max(before, after)
    form.before.data, form.after.data = before, after
    return form, before, after, False


@bp.route("/orgs/<int:org_id>/history")
@login_required
def show(org_id: int) -> ResponseReturnValue:
    return _page(require_org(org_id))


def _page(org: OrgWithRole, posted: tuple[int, CountsForm] | None = None) -> ResponseReturnValue:
    """Render the history page; ``posted`` is a refused counts form to show with its errors."""
    db = get_db()
    found = history_page.yearly(db, org["id"])
    form, before_year, after_year, refused = _years_to_compare([r.year for r in found.years])
    counts_forms = _counts_forms(found.grouped, found.counted)
    if posted:
        counts_forms[posted[0]] = posted[1]
    page = history_page.build(
        db,
        org,
        current_lang(),
        found,
        compared=(before_year, after_year),
        form=form,
        counts_forms=counts_forms,
        compare_args=_compare_args(),
    )
    return render_template(
        "history/show.html", **page.context(), nav_active="history.show"
    ), 400 if refused or posted else 200


@bp.route("/orgs/<int:org_id>/history/counts/<int:year>", methods=["POST"])
@login_required
def set_counts(org_id: int, year: int) -> ResponseReturnValue:
    """Mark which of a year's final assessments counts for the history (leads only)."""
    org = require_org(org_id, lead=True)
    db = get_db()
    candidates = store.by_year(store.final_assessments(db, org_id)).get(year)
    if not candidates:
        abort(404)
    form = CountsForm(prefix=f"y{year}")
    form.assessment.choices = [(a["id"], links.assessment_title(a)) for a in candidates]
    if not form.validate_on_submit():
        return _page(org, (year, form))
    chosen = next(a for a in candidates if a["id"] == form.assessment.data)
    current = store.counting(db, org_id).get(year)
    if current is not None and current["id"] == chosen["id"]:
        flash(
            _("“%(title)s” already counts for %(year)d.", title=links.assessment_title(chosen), year=year),
            "info",
        )
        return redirect(url_for("history.show", org_id=org_id, **_compare_args()) + f"#year-{year}")
    if form.confirmed.data != "yes":
        # Making another one count is asked once more, naming the one it replaces.
        return render_template(
            "history/confirm_counts.html",
            org=org,
            year=year,
            chosen=chosen,
            current=current,
            post_url=url_for("history.set_counts", org_id=org_id, year=year, **_compare_args()),
            cancel_url=url_for("history.show", org_id=org_id, **_compare_args()) + f"#year-{year}",
            field=form.assessment.name,
            confirm_field=form.confirmed.name,
            nav_active="history.show",
        )
    row = store.mark_counting(db, org_id, chosen["id"])
    if row is None:  # cannot happen after validation, unless it changed meanwhile
        abort(409)
    flash(_("“%(title)s” now counts for %(year)d.", title=links.assessment_title(row), year=year), "success")
    return redirect(url_for("history.show", org_id=org_id, **_compare_args()) + f"#year-{year}")


def _compare_args() -> dict[str, Any]:
    """The chosen comparison, kept across the counts form's post and redirect."""
    return {k: v for k, v in request.args.items() if k in ("before", "after")}
