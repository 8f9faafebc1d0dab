"""Deleting mistakes, archiving and restoring assessments, rounds and plan entries (leads),
with the refusals: viewers 403, other organisations 404, GET 405, no CSRF token 400."""

from __future__ import annotations

import json

import pytest

from assess import joincodes
from assess.storage import assessments, plan, rounds
from assess.storage import history as history_store
from assess.storage import transfer as transfer_store
from assess.storage.db import rows
from tests.conftest import LEAD, VIEWER, login, post_form, soup


def content_of(app):
    return app.extensions["content"]


def single(db, app, seeded, *, org="org", year=2025, counts=False, final=False) -> dict:
    row = assessments.create_assessment(
        db,
        org_id=seeded[org]["id"],
        year=year,
        questionnaire="quick",
        content_version=content_of(app).version,
        kind="single",
        created_by=seeded["lead"]["id"],
    )
    if final:
        assessments.finalise(db, row["id"])
    elif counts:
        assessments.set_counts(db, row["id"])
    return assessments.get_assessment(db, row["id"])


def round_with_answers(
    db, app, seeded, *, names=("Maija", "Pekka"), close=False, year=2025, org="org"
) -> dict:
    """A named round; each respondent answers the first two items (3 and 1)."""
    row = rounds.open_round(
        db,
        org_id=seeded[org]["id"],
        year=year,
        questionnaire="quick",
        content_version=content_of(app).version,
        created_by=seeded["lead"]["id"],
        anonymous=False,
    )
    items = list(content_of(app).questionnaire("quick").items)[:2]
    for value, name in zip((4, 0), names, strict=False):
        person, _ = rounds.join(db, row["id"], joincodes.new_token(), name)
        assessments.save_area(
            db,
            respondent_id=person["id"],
            area="x",
            changes={items[0]: value, items[1]: 1},
            base={},
            comment=None,
            base_comment=None,
        )
    rounds.save_agreements(db, row["id"], {content_of(app).areas[0].id: (2, "ok")}, {})
    if close:
        rounds.close_round(db, row["id"])
    return rounds.get_round(db, row["id"])


def count(db, table: str, where: str = "1", params: tuple = ()) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]


def events(db) -> list[dict]:
    return rows(
        db, "SELECT kind, action, label, by_user, org_id, assessment_id FROM lifecycle_events ORDER BY id"
    )


# --- deleting an assessment ----------------------------------------------------------------


def test_lead_deletes_a_mistaken_empty_assessment_after_a_confirmation(app, db, seeded, lead):
    row = single(db, app, seeded)
    overview = lead.get(f"/assessments/{row['id']}")
    assert f"/assessments/{row['id']}/delete" in overview.get_data(as_text=True)
    page = lead.get(f"/assessments/{row['id']}/delete")
    assert page.status_code == 200
    listed = soup(page).find("ul", class_="loss-list").get_text(" ", strip=True)
    assert "0 vastausta" in listed
    assert assessments.get_assessment(db, row["id"]) is not None  # GET changes nothing
    response = post_form(lead, f"/assessments/{row['id']}/delete", {})
    assert response.status_code == 302
    assert assessments.get_assessment(db, row["id"]) is None
    assert count(db, "respondents", "assessment_id = ?", (row["id"],)) == 0
    [event] = events(db)
    assert (event["kind"], event["action"], event["by_user"], event["org_id"], event["assessment_id"]) == (
        "assessment",
        "deleted",
        seeded["lead"]["id"],
        seeded["org"]["id"],
        row["id"],
    )
    assert event["label"].endswith("2025")
    dashboard = lead.get(f"/orgs/{seeded['org']['id']}")
    assert "poistettiin" in dashboard.get_data(as_text=True)


def test_deleting_a_round_removes_exactly_its_rows_and_keeps_plan_entries(app, db, seeded, lead):
    doomed = round_with_answers(db, app, seeded)
    kept = round_with_answers(db, app, seeded, names=("Liisa",))
    entry = plan.add_entry(
        db, seeded["org"]["id"], text="Hankintastrategia", step=None, goal=None, created_in=doomed["id"]
    )
    before = {t: count(db, t) for t in ("respondents", "answers", "agreements", "assessments")}
    page = lead.get(f"/assessments/{doomed['id']}/delete")
    text = soup(page).get_text(" ", strip=True)
    assert "2 vastaajaa" in text and "4 vastausta" in text and "1 sovittu taso" in text
    assert "pysyy toimenpidesuunnitelmassa" in text
    assert f"/assessments/{doomed['id']}/export.json" in page.get_data(as_text=True)
    assert post_form(lead, f"/assessments/{doomed['id']}/delete", {}).status_code == 302
    after = {t: count(db, t) for t in before}
    assert before["assessments"] - after["assessments"] == 1
    assert before["respondents"] - after["respondents"] == 2
    assert before["answers"] - after["answers"] == 4
    assert before["agreements"] - after["agreements"] == 1
    assert rounds.get_round(db, kept["id"]) is not None
    assert len(rounds.respondents(db, kept["id"])) == 1
    assert plan.get_entry(db, seeded["org"]["id"], entry["id"])["created_in"] is None


def test_the_export_offered_before_deleting_holds_the_assessment(app, db, seeded, lead):
    doomed = round_with_answers(db, app, seeded)
    round_with_answers(db, app, seeded, names=("Liisa",))
    response = lead.get(f"/assessments/{doomed['id']}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert [a["id"] for a in document["assessments"]] == [doomed["id"]]
    assert sorted(r["name"] for r in document["respondents"]) == ["Maija", "Pekka"]
    assert len(document["answers"]) == 4
    from assess import transfer

    assert transfer.validate(document, content_of(app)).problems == []


@pytest.mark.parametrize("kind", ["final_single", "counted", "closed_round"])
def test_final_or_counted_assessments_cannot_be_deleted(app, db, seeded, lead, kind):
    if kind == "closed_round":
        row = round_with_answers(db, app, seeded, close=True)
        expected = "Arkistoi se sen sijaan"
    else:
        row = single(db, app, seeded, final=kind == "final_single", counts=kind == "counted")
        expected = "avaa se ensin uudelleen" if kind == "final_single" else "lasketaan vuoden 2025"
    page = lead.get(f"/assessments/{row['id']}/delete")
    assert expected in soup(page).get_text(" ", strip=True)
    response = post_form(lead, f"/assessments/{row['id']}/delete", {})
    assert response.status_code == 409
    assert expected in soup(response).get_text(" ", strip=True)
    assert assessments.get_assessment(db, row["id"]) is not None
    assert events(db) == []


def test_a_round_run_as_a_live_workshop_cannot_be_deleted(app, db, seeded, lead):
    row = round_with_answers(db, app, seeded)
    db.execute("INSERT INTO workshops (assessment_id, updated_at) VALUES (?, '2025-01-01')", (row["id"],))
    response = post_form(
        lead, f"/assessments/{row['id']}/delete", {}, token_from=f"/orgs/{seeded['org']['id']}"
    )
    assert response.status_code == 409
    assert "työpajana" in soup(response).get_text(" ", strip=True)
    assert rounds.get_round(db, row["id"]) is not None


def test_deleting_is_refused_to_viewers_other_orgs_get_and_missing_csrf(app, db, seeded):
    mine = single(db, app, seeded)
    theirs = single(db, app, seeded, org="other")
    token_page = f"/orgs/{seeded['org']['id']}"
    viewer = app.test_client()
    login(viewer, VIEWER)
    for action in ("delete", "archive", "restore"):
        assert (
            post_form(viewer, f"/assessments/{mine['id']}/{action}", {}, token_from=token_page).status_code
            == 403
        )
    assert viewer.get(f"/assessments/{mine['id']}/delete").status_code == 403
    lead = app.test_client()
    login(lead, LEAD)
    assert (
        post_form(lead, f"/assessments/{theirs['id']}/delete", {}, token_from=token_page).status_code == 404
    )
    assert lead.get(f"/assessments/{theirs['id']}/delete").status_code == 404
    assert lead.get(f"/assessments/{theirs['id']}/export.json").status_code == 404
    assert lead.get(f"/assessments/{mine['id']}/archive").status_code == 405
    assert lead.get(f"/assessments/{mine['id']}/restore").status_code == 405
    assert lead.post(f"/assessments/{mine['id']}/delete", data={}).status_code == 400
    assert assessments.get_assessment(db, mine["id"]) is not None
    assert assessments.get_assessment(db, theirs["id"]) is not None
    assert events(db) == []


# --- archiving and restoring -----------------------------------------------------------------


def test_an_archived_round_leaves_lists_history_and_counting_and_comes_back(app, db, seeded, lead):
    org_id = seeded["org"]["id"]
    old = round_with_answers(db, app, seeded, close=True, year=2024)
    assert old["counts"] == 1
    assert (
        post_form(
            lead, f"/assessments/{old['id']}/archive", {}, token_from=f"/assessments/{old['id']}/round"
        ).status_code
        == 302
    )
    assert [a["id"] for a in assessments.for_org(db, org_id)] == []
    assert history_store.counting(db, org_id) == {}
    assert assessments.get_assessment(db, old["id"])["counts"] == 0
    dashboard = lead.get(f"/orgs/{org_id}/assessments").get_data(as_text=True)
    assert f"/assessments/{old['id']}/round" not in dashboard
    archive = lead.get(f"/orgs/{org_id}/archived")
    text = soup(archive).get_text(" ", strip=True)
    assert "Liisa Lead" in text and "arkistoitu" in text
    # Every row stays, and the organisation's export keeps it archived through an import.
    assert count(db, "answers") == 4
    document = transfer_store.export_org(db, org_id)
    assert document["assessments"][0]["archived_at"]
    from assess import transfer

    checked = transfer.validate(document, content_of(app))
    assert checked.problems == []
    copy = transfer_store.import_org(db, document, checked.contents, name="Kopio")
    copied = rows(db, "SELECT * FROM assessments WHERE org_id = ?", (copy["id"],))
    assert copied[0]["archived_at"] == document["assessments"][0]["archived_at"]
    assert assessments.for_org(db, copy["id"]) == []
    # Restoring brings it back into the lists and the year's count.
    response = post_form(lead, f"/assessments/{old['id']}/restore", {}, token_from=f"/orgs/{org_id}/archived")
    assert response.status_code == 302
    assert history_store.counting(db, org_id)[2024]["id"] == old["id"]
    assert [e["action"] for e in events(db)] == ["archived", "restored"]


def test_an_archived_assessment_cannot_be_made_to_count(app, db, seeded, lead):
    row = single(db, app, seeded, final=True)
    post_form(lead, f"/assessments/{row['id']}/archive", {}, token_from=f"/assessments/{row['id']}")
    post_form(lead, f"/assessments/{row['id']}/counts", {}, token_from=f"/orgs/{seeded['org']['id']}")
    assert assessments.get_assessment(db, row["id"])["counts"] == 0


def test_only_final_or_counted_assessments_are_archived(app, db, seeded, lead):
    row = single(db, app, seeded)
    response = post_form(
        lead, f"/assessments/{row['id']}/archive", {}, token_from=f"/assessments/{row['id']}"
    )
    assert response.status_code == 302
    assert assessments.get_assessment(db, row["id"])["archived_at"] is None
    followed = lead.get(response.headers["Location"])
    assert "voi poistaa" in soup(followed).get_text(" ", strip=True)


def test_results_page_of_an_archived_assessment_says_so(app, db, seeded, lead):
    row = single(db, app, seeded, final=True)
    post_form(lead, f"/assessments/{row['id']}/archive", {}, token_from=f"/assessments/{row['id']}")
    page = lead.get(f"/assessments/{row['id']}/results")
    assert "Arkistoitu" in soup(page).get_text(" ", strip=True)


# --- plan entries ------------------------------------------------------------------------------


def test_lead_deletes_a_mistaken_plan_entry_with_its_history(app, db, seeded, lead):
    org_id = seeded["org"]["id"]
    doomed = plan.add_entry(db, org_id, text="Väärä rivi", step=None, goal=None)
    plan.set_status(db, org_id, doomed["id"], doomed["revision"], "in_progress")
    kept = plan.add_entry(db, org_id, text="Oikea rivi", step=None, goal=None)
    path = f"/orgs/{org_id}/plan/{doomed['id']}/delete"
    page = lead.get(path)
    assert "Väärä rivi" in page.get_data(as_text=True) and "luovuttu" in page.get_data(as_text=True)
    assert post_form(lead, path, {}).status_code == 302
    assert plan.get_entry(db, org_id, doomed["id"]) is None
    assert count(db, "plan_events", "entry_id = ?", (doomed["id"],)) == 0
    assert plan.get_entry(db, org_id, kept["id"]) is not None
    assert count(db, "plan_events", "entry_id = ?", (kept["id"],)) == 1
    assert events(db)[0]["kind"] == "plan_entry"


def test_plan_entry_delete_refusals(app, db, seeded, client):
    org_id, other_id = seeded["org"]["id"], seeded["other"]["id"]
    mine = plan.add_entry(db, org_id, text="Oma", step=None, goal=None)
    theirs = plan.add_entry(db, other_id, text="Muiden", step=None, goal=None)
    login(client, VIEWER)
    assert (
        post_form(
            client, f"/orgs/{org_id}/plan/{mine['id']}/delete", {}, token_from=f"/orgs/{org_id}"
        ).status_code
        == 403
    )
    lead_client = app.test_client()
    login(lead_client, LEAD)
    assert (
        post_form(
            lead_client, f"/orgs/{org_id}/plan/{theirs['id']}/delete", {}, token_from=f"/orgs/{org_id}"
        ).status_code
        == 404
    )
    assert (
        post_form(
            lead_client, f"/orgs/{other_id}/plan/{theirs['id']}/delete", {}, token_from=f"/orgs/{org_id}"
        ).status_code
        == 404
    )
    assert lead_client.post(f"/orgs/{org_id}/plan/{mine['id']}/delete").status_code == 400
    assert plan.get_entry(db, org_id, mine["id"]) and plan.get_entry(db, other_id, theirs["id"])
