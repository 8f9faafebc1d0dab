"""Programme metrics per year, targets and the path start year, and the follow-up page.

The follow-up page is made for the management group ("johtoryhmä") and for print.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Optional, ValidationError

from .. import clock, domain
from ..domain import FIRST_YEAR, LAST_YEAR
from ..i18n import current_lang
from ..metric_form import Stored, read_form
from ..owndata.proposals import Proposal, from_figures, same_value
from ..pages import metric_pages as pages
from ..pages import owndata_pages
from ..progress import expected_step
from ..security import login_required, require_org
from ..state import content, get_db
from ..storage import followup
from ..storage import metrics as store
from ..storage import owndata as own_store
from ..templating import choices

bp = Blueprint("metrics", __name__)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)


def _year_links(year: int, data_years: list[int] | set[int]) -> list[int]:
    """Years to offer in the year selector: those with data, the neighbours and this year."""
    years = set(data_years) | {year - 1, year, year + 1, clock.today().year}
    return sorted(y for y in years if FIRST_YEAR <= y <= LAST_YEAR)


# --- metric values --------------------------------------------------------------------


class ValuesForm(FlaskForm):
    """Only the CSRF token: the metric fields depend on the content (see metric_form)."""


@bp.route("/orgs/<int:org_id>/metrics", methods=["GET"])
@login_required
def values_index(org_id: int) -> ResponseReturnValue:
    """The year selector's target: ?year=YYYY (or this year) -> that year's page."""
    require_org(org_id)
    year = request.args.get("year", type=int) or clock.today().year
    _check_year(year)
    return redirect(url_for("metrics.values", org_id=org_id, year=year))


@bp.route("/orgs/<int:org_id>/metrics/<int:year>", methods=["GET", "POST"])
@login_required
def values(org_id: int, year: int) -> ResponseReturnValue:
    _check_year(year)
    org = require_org(org_id, lead=request.method == "POST")
    db, lang, current = get_db(), current_lang(), content()
    form = ValuesForm()
    stored = store.values_for_year(db, org_id, year)
    chosen = store.chosen_kinds(db, org_id)
    status = 200
    result = None
    proposals = from_figures(year, own_store.figures_for_year(db, org_id, year))
    if form.validate_on_submit():
        result = read_form(pages.metric_list(current), chosen, stored, request.form)
        if result.ok:
            store.save_year(db, org_id, year, result.changes, result.kinds)
            own_store.record_origins(db, org_id, year, {c.metric: c.value for c in result.changes}, proposals)
            flash(_("Metric values for %(year)d saved.", year=year), "success")
            return redirect(url_for("metrics.values", org_id=org_id, year=year))
        status = 400
    tree = pages.value_rows(
        current,
        lang,
        stored=stored,
        previous=store.values_for_year(db, org_id, year - 1),
        chosen=chosen,
        posted=result.raw if result else None,
        posted_was={m: request.form.get(f"was-{m}", "") for m in result.raw} if result else None,
        errors=result.errors if result else None,
    )
    return render_template(
        "metrics/values.html",
        org=org,
        year=year,
        tree=tree,
        form=form,
        can_edit=org["role"] == "lead",
        summary=pages.error_summary(tree),
        years=_year_links(year, store.years_with_values(db, org_id)),
        kind_labels=dict(choices("metric_value_kind")),
        proposals={m: _proposal_view(p, org_id, lang, stored.get(m)) for m, p in proposals.items()},
        origins={
            m: owndata_pages.origin_text(o[year], lang)
            for m, o in own_store.origins(db, org_id).items()
            if year in o
        },
    ), status


def _proposal_view(proposal: Proposal, org_id: int, lang: str, saved: Stored | None) -> dict:
    """A computed figure beside a metric's field: its value, source and method, accept link,
    and whether it is already the saved value."""
    return {
        "saved": saved is not None and same_value(proposal, saved.value),
        "value": owndata_pages.proposal_value(proposal, lang),
        "source": owndata_pages.source_text(proposal, lang),
        "accept": url_for("owndata.accept", org_id=org_id, year=proposal.year, metric=proposal.metric),
    }


# --- targets and the path start year --------------------------------------------------


def _valid_year(_form: FlaskForm, field: StringField) -> None:
    text = (field.data or "").strip()
    if not text:
        field.data = None
        return
    year = domain.year_from_text(text)
    if year is None:
        raise ValidationError(
            _("Enter a year from %(first)d to %(last)d, for example 2024.", first=FIRST_YEAR, last=LAST_YEAR)
        )
    field.data = year


STAGES = [str(n) for n in domain.STAGES]


def _targets_form(lang: str, data: dict) -> FlaskForm:
    """A form with the start year and one stage select per roadmap area."""

    class TargetsForm(FlaskForm):
        start_year = StringField(
            _l("Year the organisation started the path (its year 1)"),
            validators=[_valid_year],
            description=_l(
                "Leave empty if not decided. The expected step for each year follows from this year."
            ),
        )

    choices = [SelectChoice("", _("No target"))] + [SelectChoice(s, s) for s in STAGES]
    for area in content().areas:
        setattr(
            TargetsForm,
            f"target-{area.id}",
            SelectField(
                area.title.get(lang),
                choices=choices,
                validate_choice=False,
                validators=[
                    Optional(),
                    AnyOf(STAGES, message=_l("Choose a target stage from 0 to 5, or no target.")),
                ],
            ),
        )
    return TargetsForm(data=data)


@bp.route("/orgs/<int:org_id>/targets", methods=["GET"])
@login_required
def targets_index(org_id: int) -> ResponseReturnValue:
    """The targets of ?year=YYYY (or this year)."""
    require_org(org_id)
    year = request.args.get("year", type=int) or clock.today().year
    _check_year(year)
    return redirect(url_for("metrics.targets", org_id=org_id, year=year))


@bp.route("/orgs/<int:org_id>/targets/<int:year>", methods=["GET", "POST"])
@login_required
def targets(org_id: int, year: int) -> ResponseReturnValue:
    _check_year(year)
    # Viewers read the targets (as the history shows them); only leads change them.
    org = require_org(org_id, lead=request.method == "POST")
    db, lang = get_db(), current_lang()
    saved = store.targets_for_year(db, org_id, year)
    data = {f"target-{area}": str(stage) for area, stage in saved.items()}
    data["start_year"] = str(org["path_start_year"] or "")
    form = _targets_form(lang, data)
    status = 200
    if form.validate_on_submit():
        chosen = {
            area.id: (int(v) if (v := form[f"target-{area.id}"].data) else None) for area in content().areas
        }
        store.save_targets(db, org_id, year, chosen, start_year=form.start_year.data)
        flash(_("Targets for %(year)d saved.", year=year), "success")
        return redirect(url_for("metrics.targets", org_id=org_id, year=year))
    if form.is_submitted():
        status = 400
    start = org["path_start_year"]
    expected = expected_step(start, year)
    rows = [(area, form[f"target-{area.id}"], expected) for area in content().areas]
    return render_template(
        "metrics/targets.html",
        org=org,
        year=year,
        form=form,
        rows=rows,
        start_year=start,
        saved=saved,
        years=_year_links(year, set(store.all_targets(db, org_id))),
    ), status


# --- programme follow-up --------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/programme", endpoint="followup")
@login_required
def followup_page(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    db, lang, current = get_db(), current_lang(), content()
    data_years = store.years_with_values(db, org_id)
    if "year" in request.args:
        year = request.args.get("year", type=int)
        if year is None:
            abort(404)
        _check_year(year)
    else:
        year = data_years[-1] if data_years else clock.today().year
    columns = pages.follow_columns(data_years, year)
    plan = followup.entries_by_goal(db, org_id)
    tree = pages.follow_tree(current, lang, values=store.all_values(db, org_id), columns=columns, plan=plan)
    return render_template(
        "metrics/followup.html",
        org=org,
        year=year,
        columns=columns,
        tree=tree,
        programme_title=current.programme_title.get(lang),
        unlinked=[pages.plan_row(e) for e in plan.get(None, [])],
        computed={
            m
            for m, by_year in own_store.origins(db, org_id).items()
            if by_year.get(year, {}).get("status") == "computed"
        },
        years=_year_links(year, data_years),
    )
