"""The plan carried over: what an assessment's overview and a round's page show of the
organisation's plan entries from earlier years (templates/plan/_carried_over.html).

Status changes go to the plan's own quick status route with the page as ``next``, so the
lead updates the entries where the new year's work starts and stays there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request

from ..i18n import current_lang
from ..state import content, get_db
from ..storage import history
from ..storage import plan as plan_store
from ..storage.rows import AssessmentRow, OrgWithRole, PlanEntryRow
from .plan_rows import StatusForm, entry_view


def previous_counting(counting: Mapping[int, Mapping], year: int) -> Mapping | None:
    """The assessment that counts for the latest year before ``year`` (None if none does)."""
    earlier = [y for y in counting if y < year]
    return counting[max(earlier)] if earlier else None


def section(org: OrgWithRole, assessment: AssessmentRow) -> dict[str, Any]:
    """What the carried-over partial needs for this assessment or round.

    Entries from earlier years: done and dropped ones are listed since the previous counting
    assessment was finalised, so the team sees what was achieved since it was last assessed.
    The year's own entries are listed apart, as such.
    """
    db = get_db()
    previous = previous_counting(history.counting(db, org["id"]), assessment["year"])
    since = previous["finalised_at"] if previous else None
    source, lang = content(), current_lang()

    def view(entry: PlanEntryRow) -> dict[str, Any]:
        shown = entry_view(entry, source, lang)
        goal = entry["goal"]
        shown["goal_text"] = (
            f"{goal}. {source.goal(goal).text.get(lang)}"
            if goal is not None and source.has_goal(goal)
            else None
        )
        return shown

    views = [view(e) for e in plan_store.carried_over(db, org["id"], assessment, since)]
    own = [view(e) for e in plan_store.this_years(db, org["id"], assessment["year"])]
    return {
        "entries": views,
        "this_year": own,
        "year": assessment["year"],
        "previous_year": previous["year"] if previous else None,
        "status_form": StatusForm(formdata=None) if org["role"] == "lead" else None,
        "next": request.path,
    }
