"""Administrators archiving, restoring and deleting organisations, and removing users."""

from __future__ import annotations

from assess import joincodes
from assess.storage import accounts, assessments, metrics, plan, rounds
from assess.storage.db import rows
from tests.conftest import ADMIN, LEAD, VIEWER, login, post_form, soup


def content_of(app):
    return app.extensions["content"]


def fill(db, app, seeded, org_key: str) -> None:
    """Give an organisation some of everything: a closed round with answers, comments and an
    agreement, a single assessment, plan entries with history, targets and metrics."""
    org_id = seeded[org_key]["id"]
    version = content_of(app).version
    items = list(content_of(app).questionnaire("quick").items)
    area = content_of(app).areas[0].id
    row = rounds.open_round(
        db,
        org_id=org_id,
        year=2024,
        questionnaire="quick",
        content_version=version,
        created_by=seeded["lead"]["id"],
        anonymous=False,
    )
    for name in ("Maija", "Pekka"):
        person, _ = rounds.join(db, row["id"], joincodes.new_token(), f"{name} {org_key}")
        assessments.save_area(
            db,
            respondent_id=person["id"],
            area=area,
            changes={items[0]: 3, items[1]: None},
            base={},
            comment="Hyvä",
            base_comment="",
        )
    rounds.save_agreements(db, row["id"], {area: (2, "sovittu")}, {})
    rounds.close_round(db, row["id"])
    db.execute(
        "INSERT INTO result_cache (assessment_id, result, computed_at) VALUES (?, '{}', '2025-01-01')",
        (row["id"],),
    )
    assessments.create_assessment(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=version,
        kind="single",
        created_by=seeded["lead"]["id"],
    )
    entry = plan.add_entry(
        db, org_id, text=f"Toimenpide {org_key}", step=None, goal=None, created_in=row["id"]
    )
    plan.set_status(db, org_id, entry["id"], entry["revision"], "done")
    db.execute("INSERT INTO targets (org_id, year, area, stage) VALUES (?, 2026, ?, 3)", (org_id, area))
    metric = next(iter(content_of(app).metrics))
    metrics.set_kind(db, org_id, metric, "count")
    metrics.set_value(db, org_id, 2024, metric, "count", 5)


def dump(db) -> set[str]:
    return set(db.conn.iterdump())


# --- archiving ---------------------------------------------------------------------------


def test_an_archived_organisation_is_hidden_from_its_users_and_kept(app, db, seeded, client):
    org_id = seeded["org"]["id"]
    fill(db, app, seeded, "org")
    before = {
        t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("assessments", "answers", "plan_entries")
    }
    login(client, ADMIN)
    assert (
        post_form(client, f"/admin/orgs/{org_id}/archive", {}, token_from=f"/admin/orgs/{org_id}").status_code
        == 302
    )
    admin_page = client.get("/admin/").get_data(as_text=True)
    assert "Arkistoitu" in admin_page
    lead = app.test_client()
    login(lead, LEAD)
    assert lead.get(f"/orgs/{org_id}").status_code == 404
    assert f"/orgs/{org_id}" not in lead.get("/").get_data(as_text=True)
    assert {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in before} == before
    assert (
        post_form(client, f"/admin/orgs/{org_id}/restore", {}, token_from=f"/admin/orgs/{org_id}").status_code
        == 302
    )
    assert lead.get(f"/orgs/{org_id}").status_code == 200
    actions = [
        r["action"]
        for r in rows(db, "SELECT action FROM lifecycle_events WHERE kind = 'organisation' ORDER BY id")
    ]
    assert actions == ["archived", "restored"]


def test_organisation_actions_are_for_administrators_only(app, db, seeded, client):
    org_id = seeded["org"]["id"]
    login(client, LEAD)
    for path in (
        f"/admin/orgs/{org_id}/archive",
        f"/admin/orgs/{org_id}/restore",
        f"/admin/orgs/{org_id}/delete",
        f"/admin/users/{seeded['viewer']['id']}/delete",
    ):
        assert post_form(client, path, {"name": "Hyvinkää"}, token_from=f"/orgs/{org_id}").status_code == 403
    admin = app.test_client()
    login(admin, ADMIN)
    assert admin.get(f"/admin/orgs/{org_id}/archive").status_code == 405
    assert admin.post(f"/admin/orgs/{org_id}/archive").status_code == 400
    assert admin.post(f"/admin/orgs/{org_id}/delete", data={"name": "Hyvinkää"}).status_code == 400
    assert post_form(admin, "/admin/orgs/9999/delete", {"name": "x"}, token_from="/admin/").status_code == 404
    assert accounts.get_org(db, org_id)["archived_at"] is None


# --- deleting ------------------------------------------------------------------------------


def test_deleting_an_organisation_needs_its_name_typed(app, db, seeded, client):
    org_id = seeded["org"]["id"]
    login(client, ADMIN)
    page = client.get(f"/admin/orgs/{org_id}/delete")
    assert page.status_code == 200
    response = post_form(client, f"/admin/orgs/{org_id}/delete", {"name": "Hyvinkaa"})
    assert response.status_code == 400
    assert "Nimi ei täsmää" in soup(response).get_text(" ", strip=True)
    response = post_form(client, f"/admin/orgs/{org_id}/delete", {"name": ""})
    assert response.status_code == 400
    assert accounts.get_org(db, org_id) is not None


def test_deleting_an_organisation_removes_all_its_rows_and_nothing_else(app, db, seeded, client):
    fill(db, app, seeded, "org")
    fill(db, app, seeded, "other")
    org_id = seeded["org"]["id"]
    # Every row of the organisation, as the dump writes it, collected before deleting.
    from assess.storage import lifecycle

    owned = lifecycle.org_rows(db, org_id)
    assert owned["answers"] == 4 and owned["plan_events"] == 2 and owned["metric_values"] == 1
    login(client, ADMIN)
    before = dump(db)
    page = client.get(f"/admin/orgs/{org_id}/delete")
    assert "vastaukset: 4" in soup(page).get_text(" ", strip=True)
    response = post_form(client, f"/admin/orgs/{org_id}/delete", {"name": "Hyvinkää"})
    assert response.status_code == 302
    after = dump(db)
    removed, added = before - after, after - before
    # The organisation row and exactly as many rows as it owned went; nothing was changed.
    assert len(removed) == sum(owned.values()) + 1
    assert all(line.startswith("INSERT INTO") for line in removed)
    assert {line.split('"')[1] for line in removed} <= set(owned) | {"organisations"}
    assert not any("other" in line for line in removed)
    # The only new row is the record of the deletion (kept without the organisation).
    assert len(added) == 1 and next(iter(added)).startswith('INSERT INTO "lifecycle_events"')
    assert accounts.get_org(db, org_id) is None
    assert all(n == 0 for n in lifecycle.org_rows(db, org_id).values())
    # The administration page keeps the record of the deletion.
    record = soup(client.get("/admin/")).find(id="admin-record-heading").parent
    assert "Hyvinkää" in record.get_text(" ") and "poistettu" in record.get_text(" ")
    # Users and the shared content versions stay.
    assert accounts.get_user(db, seeded["lead"]["id"]) is not None
    assert db.execute("SELECT COUNT(*) FROM content_versions").fetchone()[0] >= 1


# --- users ---------------------------------------------------------------------------------


def test_removing_a_user_ends_their_sessions_and_keeps_what_they_did(app, db, seeded, client):
    lead_id = seeded["lead"]["id"]
    row = assessments.create_assessment(
        db,
        org_id=seeded["org"]["id"],
        year=2025,
        questionnaire="quick",
        content_version=content_of(app).version,
        kind="single",
        created_by=lead_id,
    )
    assessments.finalise(db, row["id"])
    lead = app.test_client()
    login(lead, LEAD)
    post_form(lead, f"/assessments/{row['id']}/archive", {}, token_from=f"/assessments/{row['id']}")
    assert lead.get(f"/orgs/{seeded['org']['id']}").status_code == 200
    login(client, ADMIN)
    page = client.get(f"/admin/users/{lead_id}/delete")
    assert page.status_code == 200
    assert post_form(client, f"/admin/users/{lead_id}/delete", {}).status_code == 302
    # Their session has ended, and they cannot sign in again.
    assert lead.get(f"/orgs/{seeded['org']['id']}").status_code == 302
    retry = app.test_client()
    response = post_form(retry, "/login", LEAD)
    assert response.status_code != 302
    stored = accounts.get_user(db, lead_id)
    assert stored["removed_at"] and stored["display_name"] == "" and "liisa" not in stored["username"]
    assert rows(db, "SELECT 1 FROM memberships WHERE user_id = ?", (lead_id,)) == []
    assert assessments.get_assessment(db, row["id"])["created_by"] == lead_id
    # What they did is shown as done by a removed user.
    viewer = app.test_client()
    login(viewer, VIEWER)
    archive = soup(viewer.get(f"/orgs/{seeded['org']['id']}/archived")).get_text(" ", strip=True)
    assert "poistettu käyttäjä" in archive and "Liisa" not in archive
    client.get("/admin/")  # the flash message names them once
    assert "liisa" not in soup(client.get("/admin/")).get_text(" ", strip=True).lower()
    assert client.get(f"/admin/users/{lead_id}").status_code == 404
    # The name is free for a new user.
    assert accounts.add_user(db, "liisa", "salasana-000")["id"] != lead_id


def test_an_administrator_cannot_remove_themselves_or_the_last_administrator(app, db, seeded, client):
    admin_id = seeded["admin"]["id"]
    login(client, ADMIN)
    response = post_form(client, f"/admin/users/{admin_id}/delete", {})
    assert response.status_code == 409
    assert "omaa käyttäjätunnustasi" in soup(response).get_text(" ", strip=True)
    other_admin = accounts.create_user(db, "toinen", "salasana-999", is_admin=True)
    second = app.test_client()
    login(second, {"username": "toinen", "password": "salasana-999"})
    assert post_form(second, f"/admin/users/{admin_id}/delete", {}).status_code == 302
    assert accounts.get_user(db, admin_id)["removed_at"]
    # Now "toinen" is the last administrator: nobody can remove them (not even themselves).
    assert post_form(second, f"/admin/users/{other_admin['id']}/delete", {}).status_code == 409
    assert accounts.get_user(db, other_admin["id"])["removed_at"] is None
