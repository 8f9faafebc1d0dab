"""What a lead sees of a team round: the areas the team sees most differently, which
distributions anonymity allows to show, and the deadline (pure: no Flask, no SQL).

Each respondent's progress is assess.answering.progress, as for a single assessment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .answering import Progress

MIN_ANONYMOUS_ANSWERS = 3
"""In an anonymous round an item's distribution is shown only from this many answered values:
with fewer, one person's answer could be read off the chart."""


def participation(progresses: Sequence[Progress]) -> dict[str, int]:
    """How many respondents have joined, answered everything, started and not started."""
    return {
        "joined": len(progresses),
        "complete": sum(1 for p in progresses if p.answered == p.total),
        "started": sum(1 for p in progresses if 0 < p.answered < p.total),
        "not_started": sum(1 for p in progresses if p.answered == 0),
    }


def distribution_visible(anonymous: bool, answered: int) -> bool:
    """May the distribution of an item with ``answered`` values be shown?"""
    return not anonymous or answered >= MIN_ANONYMOUS_ANSWERS


def hide_small_groups(result: Mapping[str, Any]) -> dict[str, Any]:
    """An anonymous round's result as it may be shown anywhere (pages, projector, exports):
    an item with fewer than MIN_ANONYMOUS_ANSWERS answered values has no team value, no
    distribution and no span, so no one's answer can be read from it. The area scores and
    the "to discuss" flags (which say the answers differ, not what they are) are kept.
    """
    items = result.get("items")
    values = result.get("values", {})

    def answered(item: str) -> int:
        if items is not None and item in items:
            return int(items[item]["answered"])
        # One respondent: the values are that person's own answers.
        return result.get("respondents", 0) if values.get(item) is not None else 0

    hidden = {i for i in {*values, *(items or {})} if answered(i) < MIN_ANONYMOUS_ANSWERS}
    if not hidden:
        return dict(result)
    shown = dict(result)
    shown["values"] = {i: v for i, v in values.items() if i not in hidden}
    if items is not None:
        shown["items"] = {
            i: (dict(d, value=None, distribution=None, span=None) if i in hidden else d)
            for i, d in items.items()
        }
    shown["areas"] = [
        dict(
            area,
            next_actions=[
                dict(a, value=None) if a["item"] in hidden else a for a in area.get("next_actions", [])
            ],
        )
        for area in result["areas"]
    ]
    return shown


def areas_by_spread(spreads: Mapping[str, float | None], order: Sequence[str]) -> list[str]:
    """Areas sorted so the ones the team sees most differently come first.

    Areas without a spread (fewer than two answers on every item) come last; ties keep
    the roadmap ``order``.
    """
    position = {area: n for n, area in enumerate(order)}
    return sorted(
        (a for a in order if a in spreads),
        key=lambda a: (spreads[a] is None, -(spreads[a] or 0.0), position[a]),
    )


def past_deadline(deadline: date | None, today: date) -> bool:
    """A deadline is a whole day: joining is open until the end of it."""
    return deadline is not None and today > deadline
