"""An organisation's overview: where it stands, what is under way and what to do next (pure).

The route gathers an ``OverviewContext`` from storage (the counted results per year, open
assessments, the plan, metric values, the number of users) and ``build`` turns it into what
the page shows. No Flask, no SQL: every state of the page can be tested with plain data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .history import SeriesPoint
from .progress import Position

FEW_ANSWERS_SHARE = 0.5
"""An area whose counted result rests on fewer than half of its statements answered is
flagged: its stage says less than it seems to."""


@dataclass(frozen=True)
class OpenRound:
    """An open team round as the overview needs it."""

    id: int
    year: int
    title: str
    joined: int
    answered: int
    deadline: date | None
    agreed_areas: int
    area_count: int
    workshop_running: bool = False


@dataclass(frozen=True)
class AssessmentRow:
    """Any assessment of the organisation (open or final, single or round), not archived."""

    id: int
    year: int
    kind: str
    status: str
    counts: bool


@dataclass(frozen=True)
class PlanEntry:
    id: int
    text: str
    status: str
    schedule_year: int | None
    schedule_quarter: int | None


@dataclass(frozen=True)
class OverviewContext:
    """Everything the overview is built from; the route fills it from storage."""

    today: date
    members: int
    areas: Sequence[str]
    series: Mapping[str, Sequence[SeriesPoint]]
    """Per area, one point per year with a counted result (history.area_series), oldest first."""
    answered: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Per area of the latest counted result: (statements answered, statements asked)."""
    assessments: Sequence[AssessmentRow] = ()
    counted: Mapping[int, int] = field(default_factory=dict)
    """Year -> id of the assessment that counts for it (storage.history.counting)."""
    to_choose: Sequence[int] = ()
    """Years whose counted result a lead must choose (storage.history.years_to_choose: the
    same rule as the history, the report and the exports)."""
    rounds: Sequence[OpenRound] = ()
    plan: Sequence[PlanEntry] = ()
    metrics_expected: int = 0
    metrics_filled_last_year: int = 0


@dataclass(frozen=True)
class AreaRow:
    area: str
    stage: int | None
    index: float | None
    change: float | None
    """Index change from the previous counted year; None when either is missing."""
    position: Position | None
    target: int | None


@dataclass(frozen=True)
class Attention:
    """A plain-language note about one area: kind is below_target, dropped or few_answers."""

    area: str
    kind: str
    stage: int | None = None
    target: int | None = None
    answered: int = 0
    total: int = 0


@dataclass(frozen=True)
class NextStep:
    """kind: add_users, start_assessment, continue_assessment, agree, choose_counted."""

    kind: str
    assessment_id: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Overview:
    year: int | None
    previous_year: int | None
    rows: tuple[AreaRow, ...]
    attention: tuple[Attention, ...]
    rounds: tuple[OpenRound, ...]
    waiting: tuple[OpenRound, ...]
    late: tuple[PlanEntry, ...]
    due: tuple[PlanEntry, ...]
    metrics_missing: int
    metrics_year: int
    steps: tuple[NextStep, ...]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _effective(point: SeriesPoint) -> int | None:
    return point.agreed if point.agreed is not None else point.stage


def waiting_for_agreement(round_: OpenRound, today: date) -> bool:
    """An open round ready for the team's agreement: answers are in (the deadline has
    passed, or at least two have joined and all of them have answered) and not every area
    has an agreed stage yet."""
    if round_.answered == 0 or round_.agreed_areas >= round_.area_count:
        return False
    past_deadline = round_.deadline is not None and round_.deadline < today
    everyone_in = round_.joined >= 2 and round_.answered >= round_.joined
    return past_deadline or everyone_in


def _rows(ctx: OverviewContext) -> tuple[int | None, int | None, list[AreaRow], list[Attention]]:
    rows: list[AreaRow] = []
    attention: list[Attention] = []
    year = previous = None
    for area in ctx.areas:
        points = list(ctx.series.get(area, ()))
        latest = points[-1] if points else None
        before = points[-2] if len(points) > 1 else None
        if latest is None:
            continue
        year = latest.year
        previous = before.year if before else None
        change = None
        if before is not None and latest.index is not None and before.index is not None:
            change = round(latest.index - before.index, 2)
        stage = _effective(latest)
        rows.append(AreaRow(area, stage, latest.index, change, latest.position, latest.target))
        if latest.target is not None and stage is not None and stage < latest.target:
            attention.append(Attention(area, "below_target", stage=stage, target=latest.target))
        before_stage = _effective(before) if before else None
        if stage is not None and before_stage is not None and stage < before_stage:
            attention.append(Attention(area, "dropped", stage=stage))
        answered, total = ctx.answered.get(area, (0, 0))
        if total and answered < total * FEW_ANSWERS_SHARE:
            attention.append(Attention(area, "few_answers", answered=answered, total=total))
    return year, previous, rows, attention


def _plan(ctx: OverviewContext) -> tuple[list[PlanEntry], list[PlanEntry]]:
    """(late, due this quarter) among entries still planned or in progress."""
    now = (ctx.today.year, quarter_of(ctx.today))
    late, due = [], []
    for entry in ctx.plan:
        if entry.status not in ("planned", "in_progress") or entry.schedule_year is None:
            continue
        # An entry scheduled for a year without a quarter is late only once the year is over.
        when = (entry.schedule_year, entry.schedule_quarter or 4)
        if when < now:
            late.append(entry)
        elif when == now:
            due.append(entry)
    return late, due


def _steps(ctx: OverviewContext, waiting: list[OpenRound]) -> list[NextStep]:
    steps: list[NextStep] = []
    if ctx.members == 0:
        steps.append(NextStep("add_users"))
    this_year = [a for a in ctx.assessments if a.year == ctx.today.year]
    if not this_year:
        steps.append(NextStep("start_assessment", year=ctx.today.year))
    else:
        for row in this_year:
            if row.kind == "single" and row.status == "open":
                steps.append(NextStep("continue_assessment", assessment_id=row.id, year=row.year))
    steps.extend(NextStep("agree", assessment_id=r.id, year=r.year) for r in waiting)
    steps.extend(NextStep("choose_counted", year=y) for y in sorted(ctx.to_choose))
    return steps


def build(ctx: OverviewContext) -> Overview:
    """The overview of an organisation in this context (see the module docstring)."""
    year, previous, rows, attention = _rows(ctx)
    waiting = [r for r in ctx.rounds if waiting_for_agreement(r, ctx.today)]
    late, due = _plan(ctx)
    return Overview(
        year=year,
        previous_year=previous,
        rows=tuple(rows),
        attention=tuple(attention),
        rounds=tuple(ctx.rounds),
        waiting=tuple(waiting),
        late=tuple(late),
        due=tuple(due),
        metrics_missing=max(0, ctx.metrics_expected - ctx.metrics_filled_last_year),
        metrics_year=ctx.today.year - 1,
        steps=tuple(_steps(ctx, waiting)),
    )


@dataclass(frozen=True)
class AdminStep:
    """kind: create_org, add_users (org_id), first_assessment (org_id)."""

    kind: str
    org_id: int | None = None
    org_name: str = ""


def admin_steps(
    orgs: Sequence[Mapping], members: Mapping[int, int], assessed: set[int] | frozenset[int]
) -> list[AdminStep]:
    """What the administrator does next: an organisation to create, users to add to an
    organisation nobody can open, an organisation whose first assessment is still to start.
    ``orgs`` are the active organisations (id, name); ``members`` org id -> users with a role;
    ``assessed`` the ids of organisations with at least one assessment."""
    if not orgs:
        return [AdminStep("create_org")]
    steps = [AdminStep("add_users", o["id"], o["name"]) for o in orgs if not members.get(o["id"])]
    steps += [
        AdminStep("first_assessment", o["id"], o["name"])
        for o in orgs
        if members.get(o["id"]) and o["id"] not in assessed
    ]
    return steps
