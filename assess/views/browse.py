"""The content browser: the roadmap grid, a roadmap step, and the programme table."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from ..content.glossary import shown
from ..i18n import current_lang
from ..security import login_required
from ..state import content
from ..templating import choices

bp = Blueprint("browse", __name__)


@bp.route("/roadmap")
@login_required
def roadmap() -> ResponseReturnValue:
    c = content()
    years = [s.year for s in c.areas[0].steps] if c.areas else []
    return render_template("browse/roadmap.html", areas=c.areas, years=years)


@bp.route("/roadmap/<step_id>")
@login_required
def step(step_id: str) -> ResponseReturnValue:
    c = content()
    step = c.steps.get(step_id)
    if step is None:
        abort(404)
    area = c.area(step.area)
    actions = {g.id: [a for a in step.actions if a.goal == g.id] for g in step.goals}
    links = [(lk, c.goal(lk.goal)) for lk in c.goals_for_step(step.id)]
    themes = {t.id: t for t in c.themes}
    position = area.steps.index(step)
    return render_template(
        "browse/step.html",
        step=step,
        area=area,
        actions=actions,
        links=links,
        themes=themes,
        previous=area.steps[position - 1] if position > 0 else None,
        next_step=area.steps[position + 1] if position + 1 < len(area.steps) else None,
    )


@bp.route("/programme")
@login_required
def programme() -> ResponseReturnValue:
    c = content()
    themes = [(t, [g for g in c.goals if g.theme == t.id]) for t in c.themes]
    # For each goal, the roadmap steps that advance it, with their areas.
    steps_for = {
        g.number: [(c.steps[lk.step], c.area(c.steps[lk.step].area)) for lk in c.steps_for_goal(g.number)]
        for g in c.goals
    }
    return render_template(
        "browse/programme.html",
        title=c.programme_title,
        themes=themes,
        steps_for=steps_for,
        kind_labels=dict(choices("metric_kind")),
    )


@bp.route("/glossary")
def glossary() -> ResponseReturnValue:
    """The words the tool uses, one per concept, in both languages. Open to everyone: a
    respondent answering with a personal link has no account but meets the same words."""
    terms = content().glossary
    lang = current_lang()
    return render_template("browse/glossary.html", terms=terms, avoid={t.id: shown(t, lang) for t in terms})
