"""Deterministic demo data: a fictional town that improves year by year (pure: no Flask, no SQL).

Everything comes from a seeded random generator, so `assess demo` builds the same
organisation every time. The storage work is done by assess/demo/build.py.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from assess.content import Content
from assess.content.document import content_version
from assess.content.model import Questionnaire

SEED = 20240601
YEARS = 4
ROUND_YEAR_INDEX = 2
"""The third demo year is a team round; the others are single assessments."""
ROUND_RESPONDENTS = ("Aino", "Eero", "Helmi", "Juho", "Kaisa", "Oskari")

# Where each area stands in the first demo year (a maturity level 0..5 as a float) and how
# much it grows a year: a mix of areas ahead of, on and behind the path.
AREA_LEVELS: dict[str, tuple[float, float]] = {
    "strategia": (1.4, 0.9),
    "johtaminen": (0.9, 0.7),
    "organisaatio": (1.5, 0.85),
    "osaaminen": (2.3, 0.9),
    "asenne": (1.2, 0.6),
    "tieto-ja-data": (0.5, 0.55),
    "tyokalut": (1.1, 0.95),
    "tekeminen": (1.7, 0.75),
}
DEFAULT_LEVEL = (1.0, 0.7)
DONT_KNOW = 0.03


def area_level(area: str, year_index: int) -> float:
    """The demo town's maturity level in an area in its n-th demo year (0-based)."""
    start, growth = AREA_LEVELS.get(area, DEFAULT_LEVEL)
    return min(5.0, start + growth * year_index)


def answer_value(level: float, step_year: int, rng: random.Random) -> int | None:
    """A plausible answer for an item of a step, given the organisation's level in its area.

    A step well behind the level is answered mostly 3-4, the step at the level partly,
    steps beyond it mostly 0-1; now and then "don't know".
    """
    if rng.random() < DONT_KNOW:
        return None
    progress = max(0.0, min(1.0, level - (step_year - 1)))
    mean = 0.5 + 3.1 * progress
    return max(0, min(4, round(rng.gauss(mean, 0.5))))


def answers(
    content: Content, questionnaire: Questionnaire, levels: Mapping[str, float], rng: random.Random
) -> dict[str, int | None]:
    """One respondent's answers to every item of a questionnaire."""
    result: dict[str, int | None] = {}
    for item_id in questionnaire.items:
        item = content.items[item_id]
        result[item_id] = answer_value(levels.get(item.area, 0.0), item.year, rng)
    return result


def year_levels(content: Content, year_index: int) -> dict[str, float]:
    """The demo town's level in every area in its n-th demo year (see area_level)."""
    return {area.id: area_level(area.id, year_index) for area in content.areas}


def respondent_levels(levels: Mapping[str, float], rng: random.Random) -> dict[str, float]:
    """A team member's own view: the team's level with a personal bias per area."""
    return {area: max(0.0, min(5.0, level + rng.gauss(0, 0.35))) for area, level in levels.items()}


def earlier_edition(content: Content, questionnaire_id: str = "full") -> tuple[Content, list[str]]:
    """An earlier edition of the content: the questionnaire without the last action of each
    area's step 2. Returns (content with its own version, the items it lacks).

    The demo's first years were answered on it, so the history shows a change of content
    version and items missing from one version.
    """
    questionnaire = content.questionnaire(questionnaire_id)
    if questionnaire is None:
        raise ValueError(f"no questionnaire {questionnaire_id!r}")
    dropped = []
    for area in content.areas:
        step = next((s for s in area.steps if s.year == 2), None)
        if step and step.actions and step.actions[-1].id in questionnaire.items:
            dropped.append(step.actions[-1].id)
    earlier_q: Questionnaire = replace(
        questionnaire,
        items=tuple(i for i in questionnaire.items if i not in dropped),
        version=max(0, questionnaire.version - 1),
    )
    files = dict(content.file_versions)
    files[questionnaire_id] = earlier_q.version
    earlier = replace(
        content,
        version="",
        questionnaires=tuple(earlier_q if q.id == questionnaire_id else q for q in content.questionnaires),
        file_versions=files,
    )
    return replace(earlier, version=content_version(earlier)), dropped


@dataclass(frozen=True)
class MetricPlan:
    """A demo metric: its id, the value kind (chosen for planned_separately/hilma ones) and
    the value in each demo year."""

    metric: str
    kind: str
    chosen: bool
    values: tuple[bool | int | float | str, ...]


def metric_plans(content: Content, years: int = YEARS) -> list[MetricPlan]:
    """Values for a handful of programme metrics of every kind, improving over the years."""
    by_kind: dict[str, list[str]] = {}
    for metric_id, (_goal, _action, metric) in content.metrics.items():
        by_kind.setdefault(metric.kind, []).append(metric_id)
    plans: list[MetricPlan] = []

    def pick(kind: str, n: int) -> list[str]:
        return by_kind.get(kind, [])[:n]

    for i, metric_id in enumerate(pick("yes_no", 4)):
        # Each yes/no turns to "yes" a year later than the previous one.
        plans.append(MetricPlan(metric_id, "yes_no", False, tuple(y >= i + 1 for y in range(years))))
    for i, metric_id in enumerate(pick("count", 3)):
        plans.append(MetricPlan(metric_id, "count", False, tuple(2 + 3 * i + 2 * y for y in range(years))))
    for metric_id in pick("percent", 2):
        plans.append(
            MetricPlan(metric_id, "percent", False, tuple(round(18.5 + 9.25 * y, 2) for y in range(years)))
        )
    for metric_id in pick("euro", 1):
        plans.append(
            MetricPlan(metric_id, "euro", False, tuple(round(12500.0 + 4300.5 * y, 2) for y in range(years)))
        )
    for metric_id in pick("hilma", 2):
        plans.append(MetricPlan(metric_id, "count", True, tuple(5 + 4 * y for y in range(years))))
    for metric_id in pick("planned_separately", 1):
        plans.append(MetricPlan(metric_id, "percent", True, tuple(10.0 + 15.0 * y for y in range(years))))
    return plans


@dataclass(frozen=True)
class PlanSpec:
    """A demo plan entry made in one demo year from one roadmap item."""

    item: str
    step: str
    goal: int | None
    year_index: int
    status: str
    responsible: str
    quarter: int


RESPONSIBLE = (
    "Hankintapalvelut",
    "Talousjohtaja",
    "Hankintojen ohjausryhmä",
    "Tietohallinto",
    "Henkilöstöpalvelut",
)
STATUS_CYCLE = ("done", "done", "in_progress", "planned", "done", "dropped")


def plan_specs(
    content: Content, questionnaire: Questionnaire, years: int = YEARS, per_year: int = 6, seed: int = SEED
) -> list[PlanSpec]:
    """Plan entries the demo town made each year from the next step's items of its areas.

    Entries made in earlier years are mostly done by now; the latest year's are mostly
    planned or in progress, as a real plan would look.
    """
    rng = random.Random(seed + 7)
    by_step: dict[str, list[str]] = {}
    for item_id in questionnaire.items:
        by_step.setdefault(content.items[item_id].step, []).append(item_id)
    specs: list[PlanSpec] = []
    used: set[str] = set()
    for year_index in range(years):
        areas = [a for a in content.areas]
        rng.shuffle(areas)
        for n, area in enumerate(areas[:per_year]):
            next_year = min(5, int(area_level(area.id, year_index)) + 1)
            step = next(s for s in area.steps if s.year == next_year)
            candidates = [i for i in by_step.get(step.id, []) if i not in used]
            if not candidates:
                continue
            item = candidates[0]
            used.add(item)
            links = content.goals_for_step(step.id)
            if year_index == years - 1:
                status = ("planned", "in_progress")[n % 2]
            else:
                status = STATUS_CYCLE[(n + year_index) % len(STATUS_CYCLE)]
            specs.append(
                PlanSpec(
                    item,
                    step.id,
                    links[0].goal if links else None,
                    year_index,
                    status,
                    RESPONSIBLE[(n + year_index) % len(RESPONSIBLE)],
                    1 + (n % 4),
                )
            )
    return specs


def agreed_adjustments(areas: Sequence[str]) -> dict[str, int]:
    """Areas where the demo team agrees a stage other than the computed one (+1 or -1)."""
    adjustments = {}
    if len(areas) > 1:
        adjustments[areas[1]] = 1
    if len(areas) > 6:
        adjustments[areas[6]] = -1
    return adjustments
