"""What a lead sees of a team round: the areas the team sees most differently, which
distributions anonymity allows to show, and the deadline (pure: no Flask, no SQL).

Each respondent's progress is assess.answering.progress, as for a single assessment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

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
