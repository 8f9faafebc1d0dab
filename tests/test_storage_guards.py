"""The storage layer's own guards, tested below the views: a lookup scoped to one organisation
never reaches another's rows, and nothing is written into a closed round."""

from __future__ import annotations

import pytest

from assess.storage import assessments, plan, rounds, workshops
from assess.storage import history as history_store
from tests.conftest import LEAD, login, post_form


def _final(app, db, org_id: int, year: int = 2024) -> dict:
    row = assessments.create_assessment(
        db,
        org_id=org_id,
        year=year,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )
    # Answered: an empty final assessment cannot count for its year.
    respondent = assessments.shared_respondent(db, row["id"])
    db["answers"].insert(
        {
            "respondent_id": respondent["id"],
            "item": "strategia-1-g1",
            "value": 2,
            "updated_at": "2024-01-01T00:00:00+00:00",
        }
    )
    assessments.finalise(db, row["id"])
    return assessments.get_assessment(db, row["id"])


def _second_final(app, db, org_id: int) -> dict:
    """A final assessment that does not count: its year already has a counted one."""
    first = _final(app, db, org_id)
    second = _final(app, db, org_id)
    assert (_counts(db, first["id"]), _counts(db, second["id"])) == (1, 0)
    return second


def _counts(db, assessment_id: int) -> int:
    return db.execute("SELECT counts FROM assessments WHERE id = ?", (assessment_id,)).fetchone()[0]


def test_another_organisations_assessment_cannot_be_made_to_count(app, db, seeded):
    own = _second_final(app, db, seeded["org"]["id"])
    foreign = _second_final(app, db, seeded["other"]["id"])
    assert history_store.mark_counting(db, seeded["org"]["id"], foreign["id"]) is None
    assert _counts(db, foreign["id"]) == 0
    assert history_store.mark_counting(db, seeded["org"]["id"], own["id"])["id"] == own["id"]
    assert _counts(db, own["id"]) == 1


def test_the_counted_result_form_refuses_another_organisations_assessment(app, client, db, seeded):
    _second_final(app, db, seeded["org"]["id"])
    foreign = _second_final(app, db, seeded["other"]["id"])
    login(client, LEAD)
    org_id = seeded["org"]["id"]
    response = post_form(
        client,
        f"/orgs/{org_id}/history/counts/2024",
        {"y2024-assessment": str(foreign["id"])},
        token_from=f"/orgs/{org_id}/history",
    )
    assert response.status_code in (200, 400)
    assert _counts(db, foreign["id"]) == 0


def test_carried_over_plan_entries_are_the_organisations_own(app, db, seeded):
    own_org, other_org = seeded["org"]["id"], seeded["other"]["id"]
    earlier_own = _final(app, db, own_org, 2023)
    earlier_other = _final(app, db, other_org, 2023)
    plan.add_entry(
        db, own_org, text="Oma toimenpide", step="strategia-1", goal=None, created_in=earlier_own["id"]
    )
    plan.add_entry(
        db,
        other_org,
        text="Toisen organisaation toimenpide",
        step="strategia-1",
        goal=None,
        created_in=earlier_other["id"],
    )
    # An entry of the other organisation that points at this organisation's assessment (as a
    # broken import could leave it) must not leak either.
    plan.add_entry(
        db, other_org, text="Vieras viittaus", step="strategia-1", goal=None, created_in=earlier_own["id"]
    )
    now = assessments.create_assessment(
        db,
        org_id=own_org,
        year=2024,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )
    texts = [e["text"] for e in plan.carried_over(db, own_org, now, None)]
    assert texts == ["Oma toimenpide"]


def test_an_open_entry_is_carried_over_however_long_ago_its_status_was_set(app, db, seeded):
    """Open entries (planned, in progress) always carry over; a done or dropped one only when
    it took that status at or after ``since``. The statuses are matched as stored, lower case."""
    org_id = seeded["org"]["id"]
    earlier = _final(app, db, org_id, 2023)
    texts = {}
    for status in ("planned", "in_progress", "done", "dropped"):
        entry = plan.add_entry(
            db,
            org_id,
            text=f"Tila {status}",
            step="strategia-1",
            goal=None,
            status=status,
            created_in=earlier["id"],
        )
        texts[entry["id"]] = entry["text"]
    now = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2024,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )

    def carried(since: str | None) -> list[str]:
        return [e["text"] for e in plan.carried_over(db, org_id, now, since)]

    every = ["Tila planned", "Tila in_progress", "Tila done", "Tila dropped"]
    assert carried(None) == every
    # Every status was set before this: only the open entries remain.
    assert carried("2999-01-01T00:00:00+00:00") == ["Tila planned", "Tila in_progress"]
    # Every status was set after this: the done and dropped ones are shown too.
    assert carried("2000-01-01T00:00:00+00:00") == every


@pytest.fixture
def closed_round(app, db, seeded):
    row = rounds.open_round(
        db,
        org_id=seeded["org"]["id"],
        year=2024,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        created_by=None,
        anonymous=False,
    )
    respondent, _ = rounds.join(db, row["id"], "a" * 32, "Vastaaja")
    workshops.start(db, row["id"])
    assert rounds.close_round(db, row["id"])
    return row, respondent


def test_a_closed_round_takes_no_new_respondent(db, closed_round):
    row, _ = closed_round
    with pytest.raises(rounds.RoundClosed):
        rounds.join(db, row["id"], "b" * 32, "Myöhästynyt")
    assert len(rounds.respondents(db, row["id"])) == 1


def test_a_closed_round_takes_no_agreement(db, closed_round):
    row, _ = closed_round
    with pytest.raises(rounds.RoundClosed):
        rounds.save_agreements(db, row["id"], {"strategia": (2, "")}, {})
    assert rounds.agreements(db, row["id"]) == {}


def test_a_closed_round_takes_no_answer_from_a_page_or_a_phone(db, closed_round):
    _row, respondent = closed_round
    with pytest.raises(assessments.AssessmentFinal):
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="strategia",
            changes={"strategia-1-g1": 3},
            base={},
            comment=None,
            base_comment=None,
        )
    with pytest.raises(assessments.AssessmentFinal):
        workshops.save_answer(db, respondent["id"], "strategia", "strategia-1-g1", 3)
    assert assessments.respondent_answers(db, respondent["id"]) == {}


def test_the_history_reads_only_the_organisations_own_final_assessments(app, db, seeded):
    own_org, other_org = seeded["org"]["id"], seeded["other"]["id"]
    own_2023 = _final(app, db, own_org, 2023)
    own_2024 = _final(app, db, own_org, 2024)
    _final(app, db, other_org, 2023)
    _final(app, db, other_org, 2025)
    # An open assessment of the organisation itself is not part of its history either.
    assessments.create_assessment(
        db,
        org_id=own_org,
        year=2025,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )
    assert [r["id"] for r in history_store.final_assessments(db, own_org)] == [own_2023["id"], own_2024["id"]]
    counted = history_store.counting(db, own_org)
    assert {year: row["id"] for year, row in counted.items()} == {2023: own_2023["id"], 2024: own_2024["id"]}


def test_the_history_reads_only_the_organisations_own_plan_entries(db, seeded):
    own_org, other_org = seeded["org"]["id"], seeded["other"]["id"]
    own = plan.add_entry(db, own_org, text="Oma", step="strategia-1", goal=None, status="done")
    plan.add_entry(db, other_org, text="Vieras", step="strategia-1", goal=None, status="done")
    entries = history_store.plan_entries(db, own_org)
    # The history places each entry by its status, step and done time: those must be there.
    assert [(e["id"], e["text"], e["status"], e["step"], e["done_at"]) for e in entries] == [
        (own["id"], "Oma", "done", "strategia-1", own["done_at"])
    ]
    assert own["done_at"]


def test_a_plan_entry_is_found_only_under_its_own_organisation(db, seeded):
    own_org, other_org = seeded["org"]["id"], seeded["other"]["id"]
    entry = plan.add_entry(db, own_org, text="Oma", step=None, goal=None)
    assert plan.get_entry(db, own_org, entry["id"])["text"] == "Oma"
    assert plan.get_entry(db, other_org, entry["id"]) is None
    with pytest.raises(LookupError):
        plan.update_entry(db, other_org, entry["id"], entry["revision"], text="Kaapattu")
    assert plan.get_entry(db, own_org, entry["id"])["text"] == "Oma"


def test_a_missing_round_is_named_in_the_refusal(db, seeded):
    with pytest.raises(LookupError, match="^no round 999999$"):
        rounds.join(db, 999999, "c" * 32, "Kukaan")


# --- the organisation check itself, below the routes ------------------------------------------


def test_the_organisation_check_refuses_a_signed_out_request_with_404(app, seeded):
    # Every route runs it after login_required; on its own it still reveals nothing and never
    # fails on the missing user.
    from flask import g
    from werkzeug.exceptions import NotFound

    from assess.security import require_org

    with app.test_request_context(f"/orgs/{seeded['org']['id']}"):
        g.user = None
        with pytest.raises(NotFound):
            require_org(seeded["org"]["id"])
        with pytest.raises(NotFound):
            require_org(seeded["org"]["id"], lead=True)
