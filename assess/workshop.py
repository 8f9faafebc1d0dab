"""A workshop's walk through a questionnaire, and what the room sees of each slide (pure: no
Flask, no SQL).

The walk has one slide per area, or one per step when an area has more statements than fit
on a projector at once (the `full` questionnaire). An area or step whose statements do not
fit on one slide at the projector's smallest type (more than MAX_SLIDE_ITEMS statements, or
more than SLIDE_LINES estimated lines) is shown in consecutive parts "1/2", so every slide
stays readable from the back of the room without scrolling. After the last slide comes the end slide
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

SLIDE_LINES = 15.0
"""How many lines of statements one slide holds at the smallest projector type (24 px at
1280x720, proportionally larger on bigger screens) beside the distribution and the team value,
with the join panel open; AGREE_LINES on an area's last slide, where the agreement form takes
its rows. Measured by tests/browser/test_projector_fit.py,
which fails when a slide of `quick` or `full` does not fit in Finnish or English."""

AGREE_LINES = 10.0

LINE_CHARS = 52
"""Characters of a statement per projector line at the smallest type (kept low: words wrap)."""


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


def item_lines(chars: int) -> float:
    """Estimated projector lines of a statement of this many characters: a revealed row is at
    least two lines tall (its bars above their counts), and every row adds its padding."""
    return max(2, math.ceil(chars / LINE_CHARS)) + 0.15


def _weighted_chunks(items: Sequence[str], weights: Sequence[float], budget: float) -> list[tuple[str, ...]]:
    """The fewest consecutive parts of at most MAX_SLIDE_ITEMS items and `budget` weight,
    with the heaviest part as light as possible. A single item heavier than the budget still
    gets a part of its own (the projector's type then shrinks to its floor)."""
    n = len(items)
    prefix = [0.0]
    for w in weights:
        prefix.append(prefix[-1] + w)
    for count in range(max(1, math.ceil(n / MAX_SLIDE_ITEMS)), n + 1):
        # best[k][i]: the lightest heaviest part splitting items[:i] into k parts (and the cut).
        inf = float("inf")
        best = [[(inf, 0)] * (n + 1) for _ in range(count + 1)]
        best[0][0] = (0.0, 0)
        for k in range(1, count + 1):
            for i in range(k, n + 1):
                for j in range(max(k - 1, i - MAX_SLIDE_ITEMS), i):
                    heaviest = max(best[k - 1][j][0], prefix[i] - prefix[j])
                    if heaviest < best[k][i][0]:
                        best[k][i] = (heaviest, j)
        heaviest = best[count][n][0]
        single_too_heavy = heaviest > budget and count == n
        if heaviest <= budget or single_too_heavy:
            parts, end = [], n
            for k in range(count, 0, -1):
                start = best[k][end][1]
                parts.append(tuple(items[start:end]))
                end = start
            return parts[::-1]
    return [tuple(items)]  # pragma: no cover - count == n always returns


def _chunks(
    items: Sequence[str],
    weights: Sequence[float] | None = None,
    budget: float = SLIDE_LINES,
    last_budget: float | None = None,
) -> list[tuple[str, ...]]:
    """Split into the fewest parts of at most MAX_SLIDE_ITEMS (and, given weights, at most
    `budget` lines, the last part at most `last_budget`), sized as evenly as possible."""
    if weights is not None:
        if last_budget is None or sum(weights) <= last_budget and len(items) <= MAX_SLIDE_ITEMS:
            return _weighted_chunks(items, weights, budget if last_budget is None else last_budget)
        # The last part holds what fits beside the agreement form; the rest is split evenly.
        cut, room = len(items), last_budget
        while cut > 1 and len(items) - cut < MAX_SLIDE_ITEMS and weights[cut - 1] <= room:
            room -= weights[cut - 1]
            cut -= 1
        if cut == len(items):
            cut -= 1  # a statement too long for any slide still gets one of its own
        return _weighted_chunks(items[:cut], weights[:cut], budget) + [tuple(items[cut:])]
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
        # The longer language decides: every phone and the projector see the same slides.
        # A per-area slide starts each statement with its step ("Vuosi 2: <title> ·").
        weights = [
            item_lines(
                max(
                    len(content.items[i].claim(lang))
                    + (12 + len(content.steps[content.items[i].step].title.get(lang)) if per_area else 0)
                    for lang in ("fi", "en")
                )
            )
            for i in items
        ]
        parts = _chunks(items, weights, SLIDE_LINES, AGREE_LINES if last else None)
        for part_no, part in enumerate(parts, start=1):
            base = f"area:{area}" if step is None else f"step:{step}"
            slides.append(
                Slide(
                    position=len(slides),
                    id=base if len(parts) == 1 else f"{base}:{part_no}",
                    area=area,
                    step=step,
                    part=part_no,
                    parts=len(parts),
                    items=part,
                    last_of_area=last and part_no == len(parts),
                )
            )
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
    valued: int = 0
    """Answers with a value on the scale ("don't know" not counted): what the anonymity
    rule counts, so the projector can say why a distribution is hidden."""


def tally(
    items: Sequence[str], responses: Sequence[Answers], *, revealed: bool, anonymous: bool
) -> list[ItemTally]:
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
        result.append(
            ItemTally(
                item,
                answered,
                agg.value if visible else None,
                dict(agg.distribution) if visible else None,
                agg.dont_know,
                agg.answered,
            )
        )
    return result


def tally_json(tallies: Sequence[ItemTally], *, revealed: bool) -> list[dict]:
    """The tallies as the projector's state JSON has them: values only when revealed."""
    out = []
    for t in tallies:
        entry: dict = {"id": t.item, "answered": t.answered}
        if revealed:
            entry["value"] = t.value
            entry["dont_know"] = t.dont_know
            entry["valued"] = t.valued
            entry["distribution"] = (
                None if t.distribution is None else {str(k): v for k, v in t.distribution.items()}
            )
        out.append(entry)
    return out


def bar_heights(distribution: Mapping[int, int] | Mapping[str, int], dont_know: int) -> dict[str, int]:
    """Bar heights 0..100 for the scale points "0".."4" and "dk", relative to the tallest."""
    counts = {str(k): v for k, v in distribution.items()}
    counts["dk"] = dont_know
    top = max(counts.values(), default=0)
    return {k: (round(100 * v / top) if top else 0) for k, v in counts.items()}
