"""Which programme metrics a computed figure proposes a value for, and the proposal.

A proposal carries its value and its trace (source, year, rows or notices, method
figures) as plain data; the pages word it in the user's language. The lead decides:
nothing here saves anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SPEND_METRIC = "p3-a3-m1"
"""Goal 3: the share of annual spend with businesses of the area (a percentage)."""

NOTICE_METRICS = {
    "p4-a1-m1": "new_to_buyer",
    "p4-a2-m1": "innovative",
    "p5-a3-m1": "not_open_procedure",
    "p18-a2-m1": "environmental",
    "p19-a2-m1": "social",
}
"""Metric -> the notice count proposed for it."""

SOURCES = ("invoices", "hilma")


@dataclass(frozen=True)
class Proposal:
    metric: str
    kind: str  # the value kind: "percent" or "count"
    value: float | int
    source: str  # "invoices" or "hilma"
    year: int
    trace: dict
    """What the figure was computed from: rows/notices and method figures (JSON-safe)."""


def from_figures(year: int, figures: Mapping[str, Mapping]) -> dict[str, Proposal]:
    """Proposals by metric id from a year's stored figures by source ("invoices", "hilma")."""
    proposals: dict[str, Proposal] = {}
    spend = figures.get("invoices")
    if spend and spend.get("total_eur", 0) - spend.get("excluded_eur", 0) > 0:
        share = round(float(spend["local_share"]) * 100, 2)
        proposals[SPEND_METRIC] = Proposal(
            SPEND_METRIC,
            "percent",
            share,
            "invoices",
            year,
            {
                "rows": spend["rows"],
                "local_share": spend["local_share"],
                "excluded_eur": spend["excluded_eur"],
                "excluded_rows": spend["excluded_rows"],
                "local_municipalities": list(spend.get("local_municipalities", [])),
            },
        )
    notices = figures.get("hilma")
    if notices and notices.get("notices"):
        for metric, figure in NOTICE_METRICS.items():
            proposals[metric] = Proposal(
                metric,
                "count",
                int(notices[figure]),
                "hilma",
                year,
                {"notices": notices["notices"], "figure": figure},
            )
    return proposals


def same_value(proposal: Proposal, value: object) -> bool:
    """Whether a saved value is the proposed one (to two decimals)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return round(float(value), 2) == round(float(proposal.value), 2)
