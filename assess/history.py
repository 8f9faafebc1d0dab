"""An organisation's history: yearly results side by side and what changed between two years.

Pure: plain data in, plain data out. The caller gives one ``YearResult`` per year (the
assessment that counts for it), already scored; this module lines them up per area,
compares two years item by item (by item id, so that answers on different content
versions meet where their items do), marks content version changes and groups the plan
entries done in between by roadmap area.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any, Literal, TypeVar

from assess.progress import Position, expected_step, path_position
from assess.scoring import round_half_up

ItemStatus = Literal["both", "only_before", "only_after"]
"""Whether an item was asked in both years' content versions or in only one of them."""

MOVES_PER_AREA = 3
"""How many moved items the change table shows beside each area."""


@dataclass(frozen=True)
class AreaYear:
    """One area in one year: computed stage and index, and the team's agreed stage if any."""

    stage: int | None
    index: float | None
    agreed: int | None = None

    @property
    def effective_stage(self) -> int | None:
        """The stage that counts: the agreed one when the team agreed on one."""
        return self.agreed if self.agreed is not None else self.stage


@dataclass(frozen=True)
class YearResult:
    """The result of the assessment that counts for a year.

    ``items`` maps item id -> value (the answer, or a round's team value); None is
    "don't know"; an unanswered item is missing. ``asked`` holds the ids the
    questionnaire asked in the assessment's content version. ``closed_at`` (ISO time)
    is when it was finalised or closed: the boundary for plan entries done in between.
    """

    year: int
    assessment_id: int
    content_version: str
    areas: Mapping[str, AreaYear]
    items: Mapping[str, float | None] = field(default_factory=dict)
    asked: frozenset[str] = frozenset()
    kind: str = "single"
    questionnaire: str = ""
    closed_at: str | None = None


@dataclass(frozen=True)
class SeriesPoint:
    """One area in one year, with where it stands on the path and the year's target."""

    year: int
    assessment_id: int
    stage: int | None
    index: float | None
    agreed: int | None
    expected: int | None
    position: Position | None
    target: int | None


@dataclass(frozen=True)
class ItemMove:
    """One item compared between two years; ``delta`` is None unless both have a value."""

    item: str
    area: str | None
    before: float | None
    after: float | None
    delta: float | None
    status: ItemStatus


@dataclass(frozen=True)
class AreaChange:
    """One area between two years: stage from -> to, index delta, position each year."""

    area: str
    stage_from: int | None
    stage_to: int | None
    agreed_from: int | None
    agreed_to: int | None
    index_from: float | None
    index_to: float | None
    index_delta: float | None
    expected_from: int | None
    expected_to: int | None
    position_from: Position | None
    position_to: Position | None
    moved: tuple[ItemMove, ...] = ()
    done: tuple[Mapping, ...] = ()

    @property
    def effective_from(self) -> int | None:
        return self.agreed_from if self.agreed_from is not None else self.stage_from

    @property
    def effective_to(self) -> int | None:
        return self.agreed_to if self.agreed_to is not None else self.stage_to

    @property
    def stage_delta(self) -> int | None:
        if self.effective_from is None or self.effective_to is None:
            return None
        return self.effective_to - self.effective_from


@dataclass(frozen=True)
class VersionChange:
    """The content version changed between the previous counted year and ``year``."""

    year: int
    previous_year: int
    previous_version: str
    version: str


@dataclass(frozen=True)
class Comparison:
    """Everything the change table needs for two years."""

    before: YearResult
    after: YearResult
    areas: tuple[AreaChange, ...]
    moved: tuple[ItemMove, ...]
    only_before: tuple[ItemMove, ...]
    only_after: tuple[ItemMove, ...]
    version_changed: bool
    done_unplaced: tuple[Mapping, ...]
    """Plan entries done in between that have no roadmap step (so no area)."""


def by_year(results: Iterable[YearResult]) -> list[YearResult]:
    """Results ordered by year; two results for one year is the caller's error."""
    ordered = sorted(results, key=lambda r: r.year)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.year == later.year:
            raise ValueError(f"two results for year {later.year}")
    return ordered


def area_series(
    results: Iterable[YearResult],
    areas: Sequence[str],
    *,
    start_year: int | None = None,
    targets: Mapping[int, Mapping[str, int]] | None = None,
) -> dict[str, list[SeriesPoint]]:
    """Per area, one point per year (oldest first): stage, index, agreed, path and target.

    The path position uses the agreed stage when there is one, as the team's word is
    the organisation's stage for that year.
    """
    targets = targets or {}
    series: dict[str, list[SeriesPoint]] = {area: [] for area in areas}
    for result in by_year(results):
        expected = expected_step(start_year, result.year)
        for area in areas:
            value = result.areas.get(area, AreaYear(None, None))
            series[area].append(
                SeriesPoint(
                    year=result.year,
                    assessment_id=result.assessment_id,
                    stage=value.stage,
                    index=value.index,
                    agreed=value.agreed,
                    expected=expected,
                    position=path_position(value.effective_stage, expected),
                    target=targets.get(result.year, {}).get(area),
                )
            )
    return series


def _delta(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    # Through Fraction(str()) so 2.35 - 1.1 is 1.25, not 1.2500000000000002.
    return round_half_up(Fraction(str(after)) - Fraction(str(before)))


def area_changes(
    before: YearResult, after: YearResult, areas: Sequence[str], *, start_year: int | None = None
) -> list[AreaChange]:
    """Per area (in the given order): stage from -> to, index delta, path position each year."""
    expected_from = expected_step(start_year, before.year)
    expected_to = expected_step(start_year, after.year)
    changes = []
    for area in areas:
        a = before.areas.get(area, AreaYear(None, None))
        b = after.areas.get(area, AreaYear(None, None))
        changes.append(
            AreaChange(
                area=area,
                stage_from=a.stage,
                stage_to=b.stage,
                agreed_from=a.agreed,
                agreed_to=b.agreed,
                index_from=a.index,
                index_to=b.index,
                index_delta=_delta(a.index, b.index),
                expected_from=expected_from,
                expected_to=expected_to,
                position_from=path_position(a.effective_stage, expected_from),
                position_to=path_position(b.effective_stage, expected_to),
            )
        )
    return changes


def item_moves(before: YearResult, after: YearResult, item_area: Mapping[str, str]) -> list[ItemMove]:
    """Every item asked in either year, compared by id, in ``item_area`` order.

    ``item_area`` maps item id -> area for the items of both content versions, in
    roadmap order (ties in "moved most" keep that order). An item asked in only one
    year's version gets status only_before / only_after and no delta.
    """
    order = {item: i for i, item in enumerate(item_area)}
    asked = before.asked | after.asked
    moves = []
    for item in sorted(asked, key=lambda i: (order.get(i, len(order)), i)):
        in_before, in_after = item in before.asked, item in after.asked
        status: ItemStatus = (
            "both" if in_before and in_after else ("only_before" if in_before else "only_after")
        )
        value_before = before.items.get(item) if in_before else None
        value_after = after.items.get(item) if in_after else None
        moves.append(
            ItemMove(
                item=item,
                area=item_area.get(item),
                before=value_before,
                after=value_after,
                delta=_delta(value_before, value_after) if status == "both" else None,
                status=status,
            )
        )
    return moves


def moved_most(moves: Iterable[ItemMove], limit: int | None = None) -> list[ItemMove]:
    """Items whose value moved, largest move first (either direction); ties keep order."""
    moved = [m for m in moves if m.delta]
    ranked = sorted(moved, key=lambda m: -abs(m.delta or 0))
    return ranked if limit is None else ranked[:limit]


def version_changes(results: Iterable[YearResult]) -> list[VersionChange]:
    """Where the content version differs from the previous counted year's."""
    ordered = by_year(results)
    return [
        VersionChange(later.year, earlier.year, earlier.content_version, later.content_version)
        for earlier, later in zip(ordered, ordered[1:], strict=False)
        if earlier.content_version != later.content_version
    ]


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    # Stored times are UTC; a bare date or naive time is read as UTC too.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def plan_done_between(
    entries: Iterable[Mapping],
    since: str | None,
    until: str | None,
    step_area: Mapping[str, str],
) -> dict[str | None, list[Mapping]]:
    """Plan entries marked done after ``since`` and up to ``until``, grouped by area.

    Entries are mappings with ``status``, ``done_at`` (ISO time) and ``step`` (roadmap
    step id or None). The area is the area of the entry's step (``step_area``); entries
    without a known step go under None. ``since`` None means from the beginning, and
    ``until`` None means up to now. Order within an area: by done_at, then as given.
    """
    start, end = _instant(since), _instant(until)
    grouped: dict[str | None, list[tuple[datetime, int, Mapping]]] = {}
    for n, entry in enumerate(entries):
        if entry.get("status") != "done":
            continue
        done_at = _instant(entry.get("done_at"))
        if done_at is None:
            continue
        if start is not None and done_at <= start:
            continue
        if end is not None and done_at > end:
            continue
        area = step_area.get(entry.get("step") or "")
        grouped.setdefault(area, []).append((done_at, n, entry))
    return {
        area: [e for _, _, e in sorted(items, key=lambda t: (t[0], t[1]))] for area, items in grouped.items()
    }


def compare(
    before: YearResult,
    after: YearResult,
    areas: Sequence[str],
    *,
    item_area: Mapping[str, str],
    step_area: Mapping[str, str],
    plan_entries: Iterable[Mapping] = (),
    start_year: int | None = None,
    per_area: int = MOVES_PER_AREA,
) -> Comparison:
    """The change table between two years (``before`` must be the earlier one).

    Each area gets its stage change, its ``per_area`` most moved items and the plan
    entries done between the two assessments (after ``before`` closed, up to when
    ``after`` closed).
    """
    if before.year >= after.year:
        raise ValueError("compare needs an earlier and a later year")
    moves = item_moves(before, after, item_area)
    ranked = moved_most(moves)
    done = plan_done_between(plan_entries, before.closed_at, after.closed_at, step_area)
    changes = []
    for change in area_changes(before, after, areas, start_year=start_year):
        area_moves = tuple(m for m in ranked if m.area == change.area)[:per_area]
        changes.append(replace(change, moved=area_moves, done=tuple(done.get(change.area, ()))))
    unplaced = tuple(e for area, entries in done.items() if area not in areas for e in entries)
    return Comparison(
        before=before,
        after=after,
        areas=tuple(changes),
        moved=tuple(ranked),
        only_before=tuple(m for m in moves if m.status == "only_before"),
        only_after=tuple(m for m in moves if m.status == "only_after"),
        version_changed=before.content_version != after.content_version,
        done_unplaced=unplaced,
    )


# An assessment row of any shape that has year, id and counts (storage's AssessmentRow).
Candidate = TypeVar("Candidate", bound=Mapping[str, Any])


def counting_per_year(assessments: Iterable[Candidate]) -> dict[int, Candidate]:
    """The assessment that counts for each year, from the organisation's candidates: final,
    not archived, with at least one answer (see storage.history.final_assessments).

    Rows have ``year``, ``id`` and ``counts`` (1 when it was chosen to count). The chosen one
    counts. A year whose only candidate was never chosen (data from before choosing existed)
    counts that one: there is nothing to choose between. A year with several candidates and
    none chosen has no counted result until a lead chooses one; nothing is picked silently.
    Years ascending.
    """
    grouped: dict[int, list[Candidate]] = {}
    for row in assessments:
        grouped.setdefault(row["year"], []).append(row)
    chosen: dict[int, Candidate] = {}
    for year, candidates in grouped.items():
        marked = [row for row in candidates if row["counts"]]
        if marked:
            chosen[year] = max(marked, key=lambda row: row["id"])
        elif len(candidates) == 1:
            chosen[year] = candidates[0]
    return dict(sorted(chosen.items()))


def year_result(
    assessment: Mapping, result: Mapping, agreed: Mapping[str, int], asked: Iterable[str]
) -> YearResult:
    """A YearResult from an assessment row, its computed result (assess.results.compute
    shape), its agreed stages and the item ids its questionnaire asked."""
    areas = {a["area"]: AreaYear(a["stage"], a["index"], agreed.get(a["area"])) for a in result["areas"]}
    return YearResult(
        year=assessment["year"],
        assessment_id=assessment["id"],
        content_version=assessment["content_version"],
        areas=areas,
        items=dict(result.get("values", {})),
        asked=frozenset(asked),
        kind=assessment["kind"],
        questionnaire=assessment["questionnaire"],
        closed_at=assessment.get("finalised_at"),
    )
