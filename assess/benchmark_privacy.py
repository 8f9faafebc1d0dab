"""The benchmark's privacy rule (pure: no Flask, no SQL): which figures may be shown.

A figure (the median and quartiles of one area in one year over one group of
organisations) is shown only when

1. at least K = 5 organisations contribute to it, and
2. it cannot be differenced against another figure that is shown: for the same year
   and area, two figures whose member sets differ (in either direction) by 1-4
   organisations would let a reader compare them and learn about those few. Identical
   member sets are fine (they show the same numbers).

The decision is made over every figure the installation could show for a year and area
(every peer group, with and without the questionnaire filter), in one fixed order that
does not depend on who is looking; a figure that would break rule 2 against a figure
earlier in that order is hidden. So which figures are shown is the same for every reader,
and no reader can combine two pages into one organisation's result.

Member sets are Python ints used as bit sets (bit i = the i-th organisation of the year):
the caller builds them once and every test here is a handful of integer operations,
fast enough to decide a few hundred candidate figures on every page view.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

K = 5
"""The least number of organisations a figure is made of, and the least difference
between two figures' member sets."""


@dataclass(frozen=True)
class Verdict:
    """Whether a figure is shown; when hidden, why (and the figure it would difference)."""

    shown: bool
    members: int
    reason: Literal["shown", "too_few", "differencing"] = "shown"
    conflicts_with: Hashable | None = None


def mask(indices: Iterable[int]) -> int:
    """A member set as a bit set: mask({0, 2}) == 0b101."""
    result = 0
    for i in indices:
        result |= 1 << i
    return result


def count(members: int) -> int:
    return members.bit_count()


def differ_too_little(a: int, b: int, k: int = K) -> bool:
    """Whether two different member sets differ by fewer than k organisations on some
    side (a figure of each would expose the few that make the difference)."""
    if a == b:
        return False
    only_a, only_b = count(a & ~b), count(b & ~a)
    return 0 < only_a < k or 0 < only_b < k


def decide(candidates: Sequence[tuple[Hashable, int]], k: int = K) -> dict[Hashable, Verdict]:
    """The verdict for each candidate figure (key, member set), taken in the given order.

    Call it once per year and area with every figure the installation could show, in an
    order that does not depend on the reader (see the module docstring). A key given twice
    keeps its first verdict.
    """
    verdicts: dict[Hashable, Verdict] = {}
    # (members, complement, key) of each distinct member set shown so far. The pair test of
    # differ_too_little is inlined: this loop runs thousands of times per page view.
    shown: list[tuple[int, int, Hashable]] = []
    for key, members in candidates:
        if key in verdicts:
            continue
        n = members.bit_count()
        if n < k:
            verdicts[key] = Verdict(False, n, "too_few")
            continue
        clash: Hashable | None = None
        same = False
        others = ~members
        for other, complement, other_key in shown:
            if other == members:
                same = True
                continue
            only_here = (members & complement).bit_count()
            only_there = (other & others).bit_count()
            if 0 < only_here < k or 0 < only_there < k:
                clash = other_key
                break
        if clash is not None:
            verdicts[key] = Verdict(False, n, "differencing", clash)
            continue
        verdicts[key] = Verdict(True, n)
        if not same:
            shown.append((members, others, key))
    return verdicts
