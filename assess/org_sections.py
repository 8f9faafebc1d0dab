"""An organisation's five sections: which page belongs to which top-level entry (pure).

The organisation's navigation shows only the sections; each section's landing page lists
its other pages (``Section.pages``). A page not named here (a new one) marks no section
until it is added: the navigation still works, it only marks nothing as current.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    endpoint: str
    label: str
    """The English label (a msgid: the template translates it)."""
    lead_only: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    landing: str
    """The endpoint the section's entry opens (its arguments are the organisation's id)."""
    pages: tuple[Page, ...]
    """The section's other pages, linked from its landing page, in reading order."""
    prefixes: tuple[str, ...]
    """Endpoints (or "blueprint." prefixes) whose pages belong to the section."""


SECTIONS: tuple[Section, ...] = (
    Section("overview", "At a glance", "orgs.dashboard", (), ("orgs.dashboard",)),
    Section(
        "assessments",
        "Assessments",
        "orgs.assessment_list",
        # Starting a single assessment is the landing page's own button.
        (
            Page("rounds.new", "Open a team round", lead_only=True),
            Page("rounds.index", "Team rounds and workshops"),
        ),
        (
            "orgs.assessment_list",
            "orgs.new_assessment",
            "orgs.set_counts",
            "assessments.",
            "rounds.",
            "workshop.",
            "results.",
            "retire.delete_assessment",
            "retire.erase_respondent",
        ),
    ),
    Section(
        "plan",
        "Plan",
        "plan.show",
        (Page("metrics.targets_index", "Targets"),),
        ("plan.", "metrics.targets", "retire.delete_plan_entry"),
    ),
    Section(
        "followup",
        "Follow-up",
        "history.show",
        (
            Page("metrics.values_index", "Programme metrics"),
            Page("metrics.followup", "Programme follow-up"),
            Page("exports.index", "Exports and the yearly report"),
        ),
        ("history.", "metrics.values", "metrics.followup", "exports."),
    ),
    Section(
        "settings",
        "Settings",
        "org_settings.show",
        (
            Page("owndata.index", "Own data"),
            Page("benchmark.page", "Benchmark"),
            Page("retire.archive", "Archived items"),
        ),
        ("org_settings.", "owndata.", "benchmark.", "retire.archive", "retire.restore"),
    ),
)


def section_of(endpoint: str | None) -> Section | None:
    """The section a page belongs to; the longest matching prefix decides (so
    "metrics.targets_index" is in the plan although "metrics." pages are elsewhere)."""
    if not endpoint:
        return None
    best: tuple[int, Section] | None = None
    for section in SECTIONS:
        for prefix in section.prefixes:
            if endpoint.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), section)
    return best[1] if best else None


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)
