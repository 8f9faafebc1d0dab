"""The overview builder, the organisation's sections and the time a questionnaire takes (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from assess import org_sections
from assess.content.estimate import answer_minutes
from assess.content.model import Questionnaire, Text
from assess.history import SeriesPoint
from assess.overview import (
    AssessmentRow,
    OpenRound,
    OverviewContext,
    PlanEntry,
    admin_steps,
    build,
    waiting_for_agreement,
)

TODAY = date(2026, 12, 2)  # the fourth quarter


def point(year, stage, index, *, agreed=None, target=None, position=None):
    return SeriesPoint(
        year=year,
        assessment_id=year,
        stage=stage,
        index=index,
        agreed=agreed,
        expected=None,
        position=position,
        target=target,
    )


def ctx(**values) -> OverviewContext:
    values.setdefault("today", TODAY)
    values.setdefault("members", 2)
    values.setdefault("areas", ("strategia", "johtaminen"))
    values.setdefault("series", {})
    return OverviewContext(**values)


def kinds(overview) -> list[str]:
    return [s.kind for s in overview.steps]


def test_a_fresh_organisation_without_users_adds_users_then_starts_an_assessment():
    view = build(ctx(members=0))
    assert kinds(view) == ["add_users", "start_assessment"]
    assert view.steps[1].year == 2026
    assert view.rows == () and view.year is None


def test_an_assessment_of_this_year_replaces_the_start_step():
    open_single = AssessmentRow(7, 2026, "single", "open", False)
    assert kinds(build(ctx(assessments=[open_single]))) == ["continue_assessment"]
    final_single = AssessmentRow(7, 2026, "single", "final", True)
    assert kinds(build(ctx(assessments=[final_single], counted={2026: 7}))) == []
    last_year = AssessmentRow(7, 2025, "single", "final", True)
    assert kinds(build(ctx(assessments=[last_year], counted={2025: 7}))) == ["start_assessment"]


def test_rows_show_the_latest_year_its_change_and_the_effective_stage():
    series = {
        "strategia": [point(2025, 2, 2.4), point(2026, 3, 3.1, target=3)],
        "johtaminen": [point(2025, 3, 3.5), point(2026, 2, 2.75, agreed=3, target=4)],
    }
    view = build(ctx(series=series))
    assert (view.year, view.previous_year) == (2026, 2025)
    strategia, johtaminen = view.rows
    assert (strategia.stage, strategia.index, strategia.change, strategia.target) == (3, 3.1, 0.7, 3)
    # The team's agreed stage is the organisation's stage.
    assert (johtaminen.stage, johtaminen.change) == (3, -0.75)
    # Below the target; not "dropped" since the agreed stage 3 equals last year's 3.
    assert [(a.area, a.kind) for a in view.attention] == [("johtaminen", "below_target")]


def test_a_drop_and_too_few_answers_need_attention():
    series = {"strategia": [point(2025, 3, 3.2), point(2026, 1, 1.5)]}
    view = build(ctx(series=series, answered={"strategia": (2, 6)}))
    assert [a.kind for a in view.attention] == ["dropped", "few_answers"]
    assert (view.attention[1].answered, view.attention[1].total) == (2, 6)
    # Half answered is enough.
    assert [a.kind for a in build(ctx(series=series, answered={"strategia": (3, 6)})).attention] == [
        "dropped"
    ]


def test_a_single_year_has_no_change():
    view = build(ctx(series={"strategia": [point(2026, 2, 2.0)]}))
    assert view.rows[0].change is None and view.previous_year is None


@pytest.mark.parametrize(
    "joined, answered, agreed, deadline, waiting",
    [
        (2, 2, 0, None, True),  # everyone who joined has answered
        (3, 2, 0, None, False),  # still answering
        (3, 1, 0, date(2026, 12, 1), True),  # the deadline has passed
        (3, 1, 0, date(2026, 12, 2), False),  # the deadline is today
        (2, 2, 8, None, False),  # every area agreed
        (1, 1, 0, None, False),  # one respondent is not yet a team
        (2, 0, 0, date(2026, 1, 1), False),  # nobody answered
    ],
)
def test_a_round_waits_for_agreement_once_its_answers_are_in(joined, answered, agreed, deadline, waiting):
    round_ = OpenRound(1, 2026, "Kierros", joined, answered, deadline, agreed, 8)
    assert waiting_for_agreement(round_, TODAY) is waiting
    assert (
        kinds(build(ctx(rounds=[round_], assessments=[AssessmentRow(1, 2026, "round", "open", False)])))
        == ["agree"]
    ) is waiting


def test_plan_entries_late_or_due_this_quarter():
    entries = [
        PlanEntry(1, "late quarter", "planned", 2026, 3),
        PlanEntry(2, "due", "in_progress", 2026, 4),
        PlanEntry(3, "this year, no quarter", "planned", 2026, None),
        PlanEntry(4, "last year, no quarter", "planned", 2025, None),
        PlanEntry(5, "done", "done", 2025, 1),
        PlanEntry(6, "next year", "planned", 2027, 1),
        PlanEntry(7, "unscheduled", "planned", None, None),
    ]
    view = build(ctx(plan=entries))
    assert [e.id for e in view.late] == [1, 4]
    assert [e.id for e in view.due] == [2, 3]


def test_missing_metric_values_are_of_last_year():
    view = build(ctx(metrics_expected=57, metrics_filled_last_year=50))
    assert (view.metrics_missing, view.metrics_year) == (7, 2025)


def test_each_year_to_choose_is_a_next_step_in_year_order():
    # Which years need a choice is the counted-result rule's (storage.history.years_to_choose);
    # the overview turns each into a step, oldest first.
    view = build(ctx(to_choose=[2026, 2024]))
    assert [(s.kind, s.year) for s in view.steps if s.kind == "choose_counted"] == [
        ("choose_counted", 2024),
        ("choose_counted", 2026),
    ]
    assert "choose_counted" not in kinds(build(ctx()))


def test_admin_steps_follow_the_installation():
    assert [s.kind for s in admin_steps([], {}, set())] == ["create_org"]
    orgs = [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}, {"id": 3, "name": "C"}]
    steps = admin_steps(orgs, {2: 1, 3: 2}, {3})
    assert [(s.kind, s.org_name) for s in steps] == [("add_users", "A"), ("first_assessment", "B")]


def questionnaire(items: int) -> Questionnaire:
    return Questionnaire("q", Text("q", "q"), Text("", ""), 0.75, (), tuple(f"i{n}" for n in range(items)), 1)


@pytest.mark.parametrize("items, minutes", [(1, 1), (3, 1), (4, 2), (44, 15), (45, 15), (224, 75)])
def test_answer_minutes_are_items_times_twenty_seconds_rounded_up(items, minutes):
    assert answer_minutes(questionnaire(items)) == minutes


@pytest.mark.parametrize(
    "endpoint, key",
    [
        ("orgs.dashboard", "overview"),
        ("orgs.assessment_list", "assessments"),
        ("rounds.show", "assessments"),
        ("workshop.projector", "assessments"),
        ("results.show", "assessments"),
        ("plan.edit", "plan"),
        ("metrics.targets_index", "plan"),
        ("metrics.targets", "plan"),
        ("metrics.values", "followup"),
        ("metrics.followup", "followup"),
        ("exports.report_page", "followup"),
        ("history.show", "followup"),
        ("owndata.job", "settings"),
        ("benchmark.group", "settings"),
        ("retire.archive", "settings"),
        ("retire.delete_plan_entry", "plan"),
        ("retire.delete_assessment", "assessments"),
    ],
)
def test_every_page_belongs_to_one_section(endpoint, key):
    assert org_sections.section_of(endpoint).key == key


def test_there_are_at_most_five_sections_and_unknown_pages_mark_none():
    assert len(org_sections.SECTIONS) <= 5
    assert org_sections.section_of("home.index") is None
    assert org_sections.section_of(None) is None
