"""The anonymous benchmark: organisations' counted results summarised per area (pure).

Plain data in, plain data out. The caller gives one ``Entry`` per organisation for a year
(the year's counted assessment of each consenting organisation of this installation, and
the pooled rows of other installations); this module builds the member sets of every
figure the installation could show, asks assess.benchmark_privacy which may be shown, and
computes the requested ones: how many organisations, how many answered which
questionnaire, the median and quartiles of stage and of index, and where the reader's own
organisation stands, in words.

Quartiles are computed with the "inclusive" method (Hyndman & Fan type 7, linear
interpolation between the ordered values; the same as Excel's QUARTILE.INC and NumPy's
default), so a reader can check a figure in a spreadsheet.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from .benchmark_privacy import K, Verdict, decide

GROUP_KINDS = ("all", "type", "size", "region")
"""Peer groups: every organisation, the same type, the same size band, the same region."""

ALL_QUESTIONNAIRES = "all"
"""The questionnaire filter that takes every counted result (stage is comparable across
questionnaires; the index only within one, which the reader chooses on request)."""

NEAR_INDEX = 0.1
"""An index within this distance of the median is "near the median"."""

Position = Literal["top", "above", "near", "below", "bottom"]
GroupKey = tuple[str, str | None]
"""("all", None), ("type", type id), ("size", band id) or ("region", region id)."""


class AreaValue(NamedTuple):
    """One organisation's result in one area: the stage that counts (the agreed one where
    the team agreed) and the maturity index; both None when the area had too few answers.
    (A named tuple, not a dataclass: a page builds thousands of them.)"""

    stage: int | None
    # The domain's word; as a named tuple's field it hides tuple.index, which nothing here calls.
    index: float | None  # type: ignore[assignment]


class Entry(NamedTuple):
    """One organisation's counted result for a year, without its name: ``key`` is opaque
    and only tells entries apart."""

    key: str
    org_type: str | None
    size_class: str | None
    region: str | None
    questionnaire: str
    areas: Mapping[str, AreaValue]

    def group_value(self, kind: str) -> str | None:
        return {"type": self.org_type, "size": self.size_class, "region": self.region}.get(kind)


@dataclass(frozen=True)
class Quartiles:
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class Figure:
    """What is shown of one area for one group: never any single organisation's value."""

    n: int
    by_questionnaire: Mapping[str, int]
    stage: Quartiles
    index: Quartiles


@dataclass(frozen=True)
class AreaRow:
    """One area of one group on the page: the figure (None when hidden, see ``verdict``)
    and the reader's own organisation's values and position (None when it has none)."""

    area: str
    verdict: Verdict
    figure: Figure | None
    own: AreaValue | None
    stage_position: Position | None
    index_position: Position | None


def quartiles(values: Sequence[float]) -> Quartiles:
    """Q1, median and Q3 by the inclusive method (see the module docstring)."""
    if not values:
        raise ValueError("no values")
    if len(values) == 1:
        only = float(values[0])
        return Quartiles(only, only, only)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Quartiles(_tidy(q1), _tidy(median), _tidy(q3))


def _tidy(value: float) -> float:
    # Interpolation leaves float noise (2.4999999999999996); figures are read to 2 decimals.
    return round(value, 6)


def position(value: float | None, q: Quartiles, near: float = 0.0) -> Position | None:
    """Where a value stands against a group's quartiles, in five plain steps.

    "near" wins when the value is within ``near`` of the median, so an organisation at
    the median of a group whose quartiles coincide is "near the median", not "top".
    """
    if value is None:
        return None
    if abs(value - q.median) <= near + 1e-9:
        return "near"
    if value > q.q3:
        return "top"
    if value < q.q1:
        return "bottom"
    return "above" if value > q.median else "below"


def group_keys(kinds_and_ids: Mapping[str, Sequence[str]]) -> list[GroupKey]:
    """Every peer group in the fixed order of the privacy decision: all, then each type,
    size band and region in the order given (the order of questionnaires/benchmark.yaml)."""
    keys: list[GroupKey] = [("all", None)]
    for kind in GROUP_KINDS[1:]:
        keys += [(kind, ident) for ident in kinds_and_ids.get(kind, ())]
    return keys


def own_groups(org_type: str | None, size_class: str | None, region: str | None) -> list[GroupKey]:
    """The peer groups shown to an organisation: all, and the same type, size and region
    where its profile names them."""
    keys: list[GroupKey] = [("all", None)]
    for kind, value in (("type", org_type), ("size", size_class), ("region", region)):
        if value is not None:
            keys.append((kind, value))
    return keys


class Year:
    """One year's entries with the member set of every candidate figure, built once."""

    def __init__(
        self,
        entries: Sequence[Entry],
        areas: Sequence[str],
        universe: Sequence[GroupKey],
        filters: Sequence[str],
    ) -> None:
        self.entries = list(entries)
        self.areas = list(areas)
        self.universe = list(universe)
        self.filters = list(filters)
        groups: dict[GroupKey, int] = {("all", None): 0}
        by_filter: dict[str, int] = {f: 0 for f in filters}
        by_area: dict[str, int] = {a: 0 for a in areas}
        for i, entry in enumerate(self.entries):
            bit = 1 << i
            groups[("all", None)] |= bit
            for kind in GROUP_KINDS[1:]:
                value = entry.group_value(kind)
                if value is not None:
                    groups[(kind, value)] = groups.get((kind, value), 0) | bit
            by_filter[ALL_QUESTIONNAIRES] = by_filter.get(ALL_QUESTIONNAIRES, 0) | bit
            if entry.questionnaire in by_filter:
                by_filter[entry.questionnaire] |= bit
            for area, area_value in entry.areas.items():
                if area in by_area and area_value.stage is not None and area_value.index is not None:
                    by_area[area] |= bit
        self._groups, self._filters, self._areas = groups, by_filter, by_area
        self._verdicts: dict[int, dict] = {}

    def members(self, area: str, group: GroupKey, questionnaire: str) -> int:
        return self._groups.get(group, 0) & self._filters.get(questionnaire, 0) & self._areas.get(area, 0)

    def verdicts(self, area: str) -> dict:
        """(questionnaire filter, group) -> Verdict for every candidate figure of the area.

        Areas with the same contributors (the usual case: most results cover every area)
        have the same candidate member sets, so they share one decision.
        """
        contributors = self._areas.get(area, 0)
        if contributors not in self._verdicts:
            candidates = [((f, g), self.members(area, g, f)) for f in self.filters for g in self.universe]
            self._verdicts[contributors] = decide(candidates)
        return self._verdicts[contributors]

    def _values(self, members: int) -> Iterable[Entry]:
        while members:
            low = members & -members
            yield self.entries[low.bit_length() - 1]
            members ^= low

    def figure(self, area: str, members: int) -> Figure:
        entries = list(self._values(members))
        values = [e.areas[area] for e in entries]
        counts: dict[str, int] = {}
        for e in entries:
            counts[e.questionnaire] = counts.get(e.questionnaire, 0) + 1
        return Figure(
            n=len(entries),
            by_questionnaire=counts,
            stage=quartiles(sorted(float(v.stage) for v in values if v.stage is not None)),
            index=quartiles(sorted(v.index for v in values if v.index is not None)),
        )

    def rows(
        self, group: GroupKey, questionnaire: str, own: Mapping[str, AreaValue] | None = None
    ) -> list[AreaRow]:
        """The page's rows for one group and questionnaire filter, one per area; a hidden
        figure keeps its verdict (why) and nothing else of the group."""
        own = own or {}
        result = []
        for area in self.areas:
            verdict = self.verdicts(area)[(questionnaire, group)]
            mine = own.get(area)
            if mine is not None and mine.stage is None:
                mine = None
            if not verdict.shown:
                result.append(AreaRow(area, verdict, None, mine, None, None))
                continue
            figure = self.figure(area, self.members(area, group, questionnaire))
            result.append(
                AreaRow(
                    area,
                    verdict,
                    figure,
                    mine,
                    position(mine.stage, figure.stage) if mine else None,
                    position(mine.index, figure.index, NEAR_INDEX) if mine else None,
                )
            )
        return result


def group_median(values: Iterable[float | None]) -> float | None:
    """The median of a named comparison group's values (members are shown by name there,
    by their consent, so no k-rule applies); None when no member has a value."""
    known = [v for v in values if v is not None]
    return _tidy(statistics.median(known)) if known else None


__all__ = [
    "K",
    "AreaRow",
    "AreaValue",
    "Entry",
    "Figure",
    "Quartiles",
    "Year",
    "group_keys",
    "group_median",
    "own_groups",
    "position",
    "quartiles",
]
