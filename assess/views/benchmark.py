"""The benchmark: the own organisation compared with its peers (anonymous figures under the
privacy rule), and the named comparison groups it is a member of."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.validators import InputRequired

from .. import benchmark, benchmark_charts
from ..benchmark_privacy import K
from ..i18n import current_lang
from ..pages import benchmark_data
from ..security import login_required, require_org
from ..state import content, get_db
from ..storage import benchmark as store

bp = Blueprint("benchmark", __name__)


class ChooseForm(FlaskForm):
    """GET form: the year and the questionnaire filter. No CSRF: it changes nothing."""

    class Meta:
        csrf = False

    year = SelectField(
        _l("Year"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a year."))],
        invalid_choice_message=_l("Choose one of the years listed."),
    )
    questionnaire = SelectField(
        _l("Results compared"),
        invalid_choice_message=_l("Choose one of the options listed."),
        description=_l(
            "The stage is comparable across the questionnaires. Compare the index "
            "within one questionnaire, as its items differ."
        ),
    )


def chart_labels() -> dict[str, str]:
    return {
        "middle": _("Middle half of the organisations (Q1–Q3)"),
        "median": _("Median"),
        "own": _("Own organisation"),
        "index": _("Maturity index (0–5)"),
    }


@bp.route("/orgs/<int:org_id>/benchmark")
@login_required
def page(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id)
    db, lang = get_db(), current_lang()
    years = store.years(db, demo=bool(org["is_demo"]))
    defaults = {"questionnaire": benchmark.ALL_QUESTIONNAIRES}
    if years:
        defaults["year"] = str(years[-1])
    form = ChooseForm(MultiDict({**defaults, **request.args.to_dict()}))
    form.year.choices = [(y, str(y)) for y in reversed(years)]
    form.questionnaire.choices = benchmark_data.questionnaire_choices(lang)
    refused = bool(request.args) and not form.validate()
    if refused or not years:
        form.year.data = years[-1] if years else None
        form.questionnaire.data = benchmark.ALL_QUESTIONNAIRES
    year, questionnaire = form.year.data, form.questionnaire.data
    area_labels = {a.id: a.title.get(lang) for a in content().areas}
    q_labels = {q.id: q.title.get(lang) for q in content().questionnaires}
    own, groups = (
        benchmark_data.peer_rows(db, org, year, questionnaire, lang) if year is not None else (None, [])
    )
    charts = {
        g.key: benchmark_charts.index_spread(g.rows, area_labels, chart_labels(), lang=lang)
        for g in groups
        if g.any_shown
    }
    prof = store.profile(db, org_id)
    return render_template(
        "benchmark/page.html",
        org=org,
        form=form,
        years=years,
        year=year,
        questionnaire=questionnaire,
        groups=groups,
        charts=charts,
        own=own,
        profile=prof,
        area_labels=area_labels,
        q_labels=q_labels,
        positions=benchmark_data.position_texts(),
        hidden_text=lambda r: benchmark_data.hidden_text(r, q_labels, lang),
        questionnaire_parts=lambda f: benchmark_data.questionnaire_parts(f, q_labels),
        num=benchmark_data.num,
        k=K,
        local_date=lambda v: benchmark_data.local_date(v, lang),
        sources=[] if org["is_demo"] else store.sources(db),
        memberships=[g for g in store.groups_of(db, org_id) if g["status"] == "member"],
        nav_active="benchmark.page",
    ), 400 if refused else 200


@bp.route("/orgs/<int:org_id>/benchmark/groups/<int:group_id>")
@login_required
def group(org_id: int, group_id: int) -> ResponseReturnValue:
    """A named comparison group's results side by side: for the leads of its members."""
    org = require_org(org_id, lead=True)
    db, lang = get_db(), current_lang()
    found = store.group(db, group_id)
    membership = store.membership(db, group_id, org_id)
    if found is None or membership is None or membership["status"] != "member":
        abort(404)
    members = store.group_members(db, group_id)
    table = benchmark_data.group_table(db, members)
    years = sorted(table)
    form = ChooseForm(MultiDict({"year": str(years[-1]) if years else "", **request.args.to_dict()}))
    form.year.choices = [(y, str(y)) for y in reversed(years)]
    del form.questionnaire
    refused = bool(request.args) and not form.validate()
    if refused or not years:
        form.year.data = years[-1] if years else None
    year = form.year.data
    values = table.get(year, {}) if year is not None else {}
    areas = [a.id for a in content().areas]
    medians = {
        area: (
            benchmark.group_median(v[area].stage for v in values.values() if area in v),
            benchmark.group_median(v[area].index for v in values.values() if area in v),
        )
        for area in areas
    }
    return render_template(
        "benchmark/group.html",
        org=org,
        group=found,
        members=members,
        form=form,
        year=year,
        years=years,
        values=values,
        medians=medians,
        areas=areas,
        area_labels={a.id: a.title.get(lang) for a in content().areas},
        num=benchmark_data.num,
        nav_active="benchmark.page",
    ), 400 if refused else 200
