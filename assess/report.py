"""What the yearly report shows, as plain data (pure: no Flask, no SQL): the facts behind its
plain-language summary, the next actions per area and the plan grouped by programme goal.

The view turns the summary into sentences in the reader's language, e.g. "The organisation
is at stage 2 or further in 6 areas of 8; most progress: Tieto ja data (+0,8)".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .content import Content
from .history import AreaChange, YearResult
from .progress import expected_step, path_position


@dataclass(frozen=True)
class AreaDelta:
    """How much an area's maturity index changed from the previous counted year."""

    area: str
    delta: float


@dataclass(frozen=True)
class Summary:
    """What the summary says about one year.

    ``level`` is the stage the headline counts areas against: the path's expected step
    when the start year is known, else the highest stage at least half of the assessed
    areas have reached. ``at_level`` counts areas at that stage or further (the agreed
    stage where there is one). ``best``/``worst`` are the largest index rise and fall
    since the previous counted year (None when no area rose / fell).
    """

    year: int
    areas: int
    assessed: int
    insufficient: tuple[str, ...]
    expected: int | None
    level: int | None
    at_level: int
    behind: tuple[str, ...]
    ahead: tuple[str, ...]
    previous_year: int | None = None
    rose: int = 0
    fell: int = 0
    stage_up: tuple[str, ...] = ()
    stage_down: tuple[str, ...] = ()
    best: AreaDelta | None = None
    worst: AreaDelta | None = None


def _level(stages: Sequence[int]) -> int | None:
    """The highest stage that at least half of the areas have reached."""
    if not stages:
        return None
    ordered = sorted(stages, reverse=True)
    return ordered[(len(ordered) - 1) // 2]


def summarise(
    result: YearResult,
    areas: Sequence[str],
    *,
    start_year: int | None = None,
    changes: Sequence[AreaChange] | None = None,
    previous_year: int | None = None,
) -> Summary:
    """The summary of ``result`` (one counted year) over ``areas`` (roadmap order), compared
    with the previous counted year through ``changes`` (history.area_changes) if given."""
    expected = expected_step(start_year, result.year)
    effective: dict[str, int] = {}
    insufficient = []
    for area in areas:
        value = result.areas.get(area)
        stage = value.effective_stage if value else None
        if stage is None:
            insufficient.append(area)
        else:
            effective[area] = stage
    level = expected if expected is not None else _level(list(effective.values()))
    at_level = sum(1 for s in effective.values() if level is not None and s >= level)
    positions = {a: path_position(s, expected) for a, s in effective.items()}
    summary = Summary(
        year=result.year,
        areas=len(areas),
        assessed=len(effective),
        insufficient=tuple(insufficient),
        expected=expected,
        level=level,
        at_level=at_level,
        behind=tuple(a for a in areas if positions.get(a) == "behind"),
        ahead=tuple(a for a in areas if positions.get(a) == "ahead"),
    )
    if changes is None:
        return summary
    deltas = [AreaDelta(c.area, c.index_delta) for c in changes if c.index_delta is not None]
    rising = sorted((d for d in deltas if d.delta > 0), key=lambda d: -d.delta)
    falling = sorted((d for d in deltas if d.delta < 0), key=lambda d: d.delta)
    return replace(
        summary,
        previous_year=previous_year,
        rose=len(rising),
        fell=len(falling),
        stage_up=tuple(c.area for c in changes if (c.stage_delta or 0) > 0),
        stage_down=tuple(c.area for c in changes if (c.stage_delta or 0) < 0),
        best=rising[0] if rising else None,
        worst=falling[0] if falling else None,
    )


def previous_year(years: Sequence[int], year: int) -> int | None:
    """The latest counted year before ``year``."""
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None


def up_to(series: Mapping[str, Sequence], year: int) -> dict[str, list]:
    """A history series (area -> points with ``year``) cut at ``year``: a report for a
    year shows nothing of the years after it."""
    return {area: [p for p in points if p.year <= year] for area, points in series.items()}


def next_actions(result: dict, answered_on: Content, lang: str) -> list[dict[str, Any]]:
    """Per area: the next step, its weakest items and the programme goals it advances."""
    areas = []
    for a in result["areas"]:
        entry: dict[str, Any] = {
            "area": a["area"],
            "status": a["status"],
            "answered": a["answered"],
            "total": a["total"],
        }
        if a["status"] == "ok" and a["next_step"]:
            step = answered_on.steps[a["next_step"]]
            entry.update(
                step=step.year,
                step_title=step.title.get(lang),
                keep=a["stage"] == len(a["steps"]),
                # (statement, value, its roadmap source or None for content before statements)
                improve=[
                    (
                        answered_on.items[x["item"]].claim(lang),
                        x["value"],
                        answered_on.items[x["item"]].source(lang),
                    )
                    for x in a["next_actions"]
                    if x["kind"] != "find_out"
                ],
                find_out=[
                    answered_on.items[x["item"]].claim(lang)
                    for x in a["next_actions"]
                    if x["kind"] == "find_out"
                ],
                goals=[
                    (n, answered_on.goal(n).text.get(lang))
                    for n in a["programme_goals"]
                    if answered_on.has_goal(n)
                ],
            )
        areas.append(entry)
    return areas


def plan_groups(rows: list[tuple]) -> list[dict[str, Any]]:
    """Plan rows grouped by goal, as the programme's table shows them: the goal and its
    metrics once, beside every entry serving it (rows come sorted by goal)."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["goal"] != row[0]:
            groups.append({"goal": row[0], "metrics": row[2].split("\n") if row[2] else [], "rows": []})
        groups[-1]["rows"].append(row)
    return groups
