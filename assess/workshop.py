"""A workshop's walk through a questionnaire, and what the room sees of each slide (pure: no
Flask, no SQL).

The walk has one slide per area, or one per step when an area has more statements than fit
on a projector at once (the `full` questionnaire). A step that itself has more than
MAX_SLIDE_ITEMS statements is shown in consecutive parts, so every slide stays readable
from the back of the room without scrolling. After the last slide comes the end slide
(position == number of slides) with the result summary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import round_summary, team
from .content import Content, Questionnaire
from .scoring import Answers

MAX_SLIDE_ITEMS = 7
"""The most statements on one slide: at 1280x720 with 24 px text seven still fit with their
distributions and the agreement form (measured on the longest slides of `quick` and `full`)."""

DENSE_CHARS = 700
"""Slides whose statements are longer than this in total use the smaller (dense) type."""


@dataclass(frozen=True)
class Slide:
    """One slide of the walk. ``id`` is stable for a content version: "area:<area>" or
    "step:<step>" (with ":<part>" when a long step is split); ``last_of_area`` marks the slide
    after whose reveal the room agrees the area's stage."""

    position: int
    id: str
    area: str
    step: str | None
    part: int
    parts: int
    items: tuple[str, ...]
    last_of_area: bool


def _chunks(items: Sequence[str]) -> list[tuple[str, ...]]:
    """Split into the fewest parts of at most MAX_SLIDE_ITEMS, sized as evenly as possible."""
    count = math.ceil(len(items) / MAX_SLIDE_ITEMS)
    size, extra = divmod(len(items), count)
    parts, start = [], 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        parts.append(tuple(items[start:end]))
        start = end
    return parts


def build_slides(content: Content, questionnaire: Questionnaire) -> list[Slide]:
    """The walk for a questionnaire: per area when every area fits on one slide, else per step."""
    grouped = content.area_items(questionnaire)
    per_area = all(sum(len(ids) for _s, ids in steps) <= MAX_SLIDE_ITEMS for _a, steps in grouped)
    # (area, step or None, items) in roadmap order, empty areas and steps left out.
    units: list[tuple[str, str | None, list[str]]] = []
    for area, steps in grouped:
        if per_area:
            items = [i for _s, ids in steps for i in ids]
            if items:
                units.append((area, None, items))
        else:
            units.extend((area, step, list(ids)) for step, ids in steps if ids)
    slides: list[Slide] = []
    for n, (area, step, items) in enumerate(units):
        last = n + 1 == len(units) or units[n + 1][0] != area
        parts = _chunks(items)
        for part_no, part in enumerate(parts, start=1):
            base = f"area:{area}" if step is None else f"step:{step}"
            slides.append(Slide(
                position=len(slides), id=base if len(parts) == 1 else f"{base}:{part_no}",
                area=area, step=step, part=part_no, parts=len(parts), items=part,
                last_of_area=last and part_no == len(parts),
            ))
    return slides


_CACHE: dict[tuple[str, str], list[Slide]] = {}


def slides_for(content: Content, questionnaire: Questionnaire) -> list[Slide]:
    """build_slides, kept per content version: a version's content never changes, and the
    state endpoints that phones poll every second should not rebuild the walk."""
    key = (content.version, questionnaire.id)
    if key not in _CACHE:
        _CACHE[key] = build_slides(content, questionnaire)
    return _CACHE[key]


POLL_MS_MIN, POLL_MS_MAX = 1200, 1800


def poll_interval_ms(room: int) -> int:
    """How often the phones of a room of this size poll the state, in milliseconds.

    A small room polls every 1.2 s; from 400 phones the interval grows by a millisecond per
    phone up to 1.8 s, so 1,000 phones make about 550 polls a second instead of 830 while a
    move still reaches every phone within two seconds.
    """
    return max(POLL_MS_MIN, min(POLL_MS_MAX, 800 + room))


def clamp_position(position: int, slide_count: int) -> int:
    """A position on the walk: 0..slide_count, where slide_count is the end slide."""
    return max(0, min(position, slide_count))


def is_dense(texts: Sequence[str]) -> bool:
    """Does a slide with these statements need the smaller type to fit without scrolling?"""
    return len(texts) > 6 or sum(len(t) for t in texts) > DENSE_CHARS


@dataclass(frozen=True)
class ItemTally:
    """What the room sees of one statement. ``answered`` counts every answer, "don't know"
    included; the rest is filled only when revealed (``distribution`` None also when an
    anonymous round has too few answers to show it)."""

    item: str
    answered: int
    value: float | None = None
    distribution: dict[int, int] | None = None
    dont_know: int = 0


def tally(items: Sequence[str], responses: Sequence[Answers], *, revealed: bool,
          anonymous: bool) -> list[ItemTally]:
    """Answered counts per item, and when revealed the distribution and the team value (the
    median of team.aggregate_item, exactly as in the team result)."""
    result = []
    for item in items:
        answered = sum(1 for r in responses if item in r)
        if not revealed:
            result.append(ItemTally(item, answered))
            continue
        agg = team.aggregate_item(item, responses)
        visible = round_summary.distribution_visible(anonymous, agg.answered)
        result.append(ItemTally(item, answered, agg.value if visible else None,
                                dict(agg.distribution) if visible else None, agg.dont_know))
    return result


def tally_json(tallies: Sequence[ItemTally], *, revealed: bool) -> list[dict]:
    """The tallies as the projector's state JSON has them: values only when revealed."""
    out = []
    for t in tallies:
        entry: dict = {"id": t.item, "answered": t.answered}
        if revealed:
            entry["value"] = t.value
            entry["dont_know"] = t.dont_know
            entry["distribution"] = (None if t.distribution is None
                                     else {str(k): v for k, v in t.distribution.items()})
        out.append(entry)
    return out


def bar_heights(distribution: Mapping[int, int] | Mapping[str, int],
                dont_know: int) -> dict[str, int]:
    """Bar heights 0..100 for the scale points "0".."4" and "dk", relative to the tallest."""
    counts = {str(k): v for k, v in distribution.items()}
    counts["dk"] = dont_know
    top = max(counts.values(), default=0)
    return {k: (round(100 * v / top) if top else 0) for k, v in counts.items()}
