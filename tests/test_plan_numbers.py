"""Plan entries keep their number for life (on the page, in buttons' names, exports and the
transfer file); the carried-over plan lists only earlier years; owners are picked from the
organisation's users or written; "Add to plan" proposes an action and comes back to the
suggestion; viewers read targets; a team round proposes the quick questionnaire."""

from __future__ import annotations

import csv
import io
import json

from assess import plan_text, transfer
from assess.storage import assessments, lifecycle, schema
from assess.storage import plan as store
from assess.storage import transfer as transfer_store
from assess.storage.db import now
from tests.conftest import ADMIN, LEAD, VIEWER, csrf_token, login, post_form, soup


def add(db, org_id, text, year, quarter=None, **kw):
    return store.add_entry(
        db, org_id, text=text, step="strategia-2", goal=17, schedule_year=year, schedule_quarter=quarter, **kw
    )


def numbers_on_page(client, org_id) -> dict[str, int]:
    page = soup(client.get(f"/orgs/{org_id}/plan"))
    found = {}
    for cell in page.select("td.entry-cell p.entry-text"):
        number, text = cell.get_text(strip=True).split(". ", 1)
        found[text] = int(number)
    return found


def test_numbers_stay_when_entries_are_rescheduled_or_deleted(client, db, seeded):
    org_id = seeded["org"]["id"]
    a = add(db, org_id, "Eka", 2026)
    b = add(db, org_id, "Toka", 2025)
    c = add(db, org_id, "Kolmas", 2027)
    assert (a["number"], b["number"], c["number"]) == (1, 2, 3)
    login(client, LEAD)
    assert numbers_on_page(client, org_id) == {"Eka": 1, "Toka": 2, "Kolmas": 3}
    store.update_entry(db, org_id, c["id"], c["revision"], schedule_year=2024)
    lifecycle.delete_plan_entry(db, org_id, a["id"], by_user=None, label="Eka")
    assert numbers_on_page(client, org_id) == {"Toka": 2, "Kolmas": 3}
    # A deleted entry's number is never given again.
    assert add(db, org_id, "Neljäs", 2025)["number"] == 4
    # Numbers are the organisation's own.
    assert add(db, seeded["other"]["id"], "Muualla", 2025)["number"] == 1


def test_mark_done_button_is_named_by_the_entry_number(client, db, seeded):
    org_id = seeded["org"]["id"]
    add(db, org_id, "Eka", 2026)
    second = add(db, org_id, "Toka", 2025)
    login(client, LEAD)
    page = soup(client.get(f"/orgs/{org_id}/plan"))
    button = page.find("button", attrs={"aria-label": "Merkitse toimenpide 2 tehdyksi"})
    assert button is not None and "Merkitse tehdyksi" in button.get_text()
    form = button.find_parent("form")
    data = {i["name"]: i["value"] for i in form.find_all("input")}
    assert client.post(form["action"], data=data).status_code == 302
    assert store.get_entry(db, org_id, second["id"])["status"] == "done"


def test_migration_numbers_existing_entries_in_the_order_the_plan_showed(tmp_path):
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    db = Database(tmp_path / "old.db")
    # The schema as it was before the numbers: every migration but the last.
    old = Migrations("hankintapolku")
    old._migrations = [m for m in schema.migrations._migrations if m.name != "m008_plan_numbers"]
    old.apply(db)
    db.execute("INSERT INTO organisations (id, slug, name, created_at) VALUES (1, 'a', 'A', ?)", (now(),))
    for text, year, quarter in (
        ("Myöhään", 2027, None),
        ("Aikaisin", 2025, 3),
        ("Aikatauluton", None, None),
        ("Ensin", 2025, 1),
    ):
        db.execute(
            "INSERT INTO plan_entries (org_id, text, schedule_year, schedule_quarter, "
            "created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?)",
            (text, year, quarter, now(), now()),
        )
    db.conn.commit()
    schema.migrate(db)
    got = {r[0]: r[1] for r in db.execute("SELECT text, number FROM plan_entries")}
    assert got == {"Ensin": 1, "Aikaisin": 2, "Myöhään": 3, "Aikatauluton": 4}
    assert db.execute("SELECT plan_numbers_used FROM organisations").fetchone()[0] == 4


def test_numbers_in_exports_report_and_transfer(app, client, db, seeded):
    org_id = seeded["org"]["id"]
    first = add(db, org_id, "Eka", 2026)
    add(db, org_id, "Toka", 2025)
    lifecycle.delete_plan_entry(db, org_id, first["id"], by_user=None, label="Eka")
    login(client, LEAD)
    text = client.get(f"/orgs/{org_id}/export/plan.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))[:2]
    assert header[-1] == "Toimenpiteen numero" and row[-1] == "2" and row[1] == "Toka"
    document = json.loads(transfer.dump(transfer_store.export_org(db, org_id)))
    assert [(e["text"], e["number"]) for e in document["plan_entries"]] == [("Toka", 2)]
    # Imported elsewhere, the entry keeps its number, and the next one follows it.
    checked = transfer.validate(document, app.extensions["content"])
    assert checked.ok, checked.problems
    copy = transfer_store.import_org(db, document, checked.contents, name="Kopio")
    assert [e["number"] for e in store.entries(db, copy["id"])] == [2]
    assert add(db, copy["id"], "Uusi", 2025)["number"] == 3


def test_transfer_file_with_a_repeated_number_is_refused(app, client, db, seeded):
    org_id = seeded["org"]["id"]
    add(db, org_id, "Eka", 2026)
    add(db, org_id, "Toka", 2025)
    document = json.loads(transfer.dump(transfer_store.export_org(db, org_id)))
    document["plan_entries"][1]["number"] = document["plan_entries"][0]["number"]
    problems = transfer.validate(document, app.extensions["content"]).problems
    assert any(p.path == "plan_entries[1].number" for p in problems)


def test_carried_over_lists_only_earlier_years_and_this_years_apart(app, client, db, seeded):
    org_id = seeded["org"]["id"]
    cont = app.extensions["content"]
    earlier = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2024,
        questionnaire="quick",
        content_version=cont.version,
        kind="single",
        created_by=None,
    )
    add(db, org_id, "Viime vuodelta", 2025, created_in=earlier["id"])
    this = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="full",
        content_version=cont.version,
        kind="single",
        created_by=None,
    )
    add(db, org_id, "Tältä vuodelta", 2025, created_in=this["id"])
    other_this_year = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=cont.version,
        kind="single",
        created_by=None,
    )
    add(db, org_id, "Toisesta tämän vuoden arvioinnista", 2025, created_in=other_this_year["id"])
    login(client, LEAD)
    page = soup(client.get(f"/assessments/{this['id']}"))
    carried = page.find("table", class_="plan-carry-table").get_text()
    assert "Viime vuodelta" in carried
    assert "Tältä vuodelta" not in carried and "Toisesta tämän" not in carried
    own = page.find("table", class_="plan-this-year-table").get_text()
    assert "Tältä vuodelta" in own and "Toisesta tämän" in own and "Viime" not in own
    assert "2025" in page.find(id="plan-this-year-heading").get_text()


def test_owner_picked_from_users_or_written_and_kept_as_text(client, db, seeded):
    org_id = seeded["org"]["id"]
    login(client, LEAD)
    page = soup(client.get(f"/orgs/{org_id}/plan"))
    options = {o["value"]: o.get_text() for o in page.find("select", id="owner").find_all("option")}
    assert str(seeded["lead"]["id"]) in options and "Liisa Lead" in options.values()
    assert str(seeded["admin"]["id"]) not in options  # not a member of the organisation
    data = {
        "source": "free",
        "text": "Laaditaan strategia",
        "step": "strategia-2",
        "goal": "17",
        "owner": str(seeded["lead"]["id"]),
        "responsible": "",
        "year": "2025",
        "quarter": "",
        "status": "planned",
    }
    assert (
        post_form(client, f"/orgs/{org_id}/plan/add", data, token_from=f"/orgs/{org_id}/plan").status_code
        == 302
    )
    entry = store.entries(db, org_id)[0]
    assert (entry["responsible"], entry["responsible_user"]) == ("Liisa Lead", seeded["lead"]["id"])
    # A forged owner (someone outside the organisation) is refused; nothing is added.
    data.update(owner=str(seeded["admin"]["id"]), text="Toinen")
    response = post_form(client, f"/orgs/{org_id}/plan/add", data, token_from=f"/orgs/{org_id}/plan")
    assert response.status_code == 400 and len(store.entries(db, org_id)) == 1
    # Written freely, as before.
    data.update(owner="", responsible="Hankintapalvelut", text="Kolmas")
    post_form(client, f"/orgs/{org_id}/plan/add", data, token_from=f"/orgs/{org_id}/plan")
    assert store.entries(db, org_id)[-1]["responsible"] == "Hankintapalvelut"
    # The user deleted: the entry still names them, as text.
    db.execute("DELETE FROM users WHERE id = ?", (seeded["lead"]["id"],))
    db.conn.commit()
    first = store.get_entry(db, org_id, entry["id"])
    assert first["responsible"] == "Liisa Lead" and first["responsible_user"] is None
    login(client, ADMIN)
    assert "Liisa Lead" in soup(client.get(f"/orgs/{org_id}/plan")).get_text()


def test_suggested_action_reads_as_an_action_in_the_ui_language(app):
    cont = app.extensions["content"]
    goal_item = next(i for i in cont.items.values() if i.kind == "goal")
    action_item = next(i for i in cont.items.values() if i.kind == "action")
    links = cont.goals_for_step(goal_item.step)
    goal = links[0].goal if links else None
    for lang in ("fi", "en"):
        text = plan_text.suggested_action(cont, goal_item.id, goal, lang)
        assert text != goal_item.text.get(lang)  # a state is not an action
        if goal is not None:
            assert text == cont.goal(goal).actions[0].text.get(lang)
        assert plan_text.suggested_action(cont, action_item.id, None, lang) == action_item.text.get(lang)
    assert plan_text.suggested_action(cont, goal_item.id, goal, "fi") != plan_text.suggested_action(
        cont, goal_item.id, goal, "en"
    )


def test_add_to_plan_comes_back_to_the_suggestion_with_the_confirmation(app, client, db, seeded):
    org_id = seeded["org"]["id"]
    cont = app.extensions["content"]
    row = assessments.create_assessment(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=cont.version,
        kind="single",
        created_by=None,
    )
    respondent = assessments.shared_respondent(db, row["id"])
    db["answers"].insert_all(
        [
            {"respondent_id": respondent["id"], "item": i, "value": 1, "updated_at": now()}
            for i in cont.questionnaire("quick").items
        ]
    )
    login(client, LEAD)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = soup(client.get(f"/assessments/{row['id']}/results"))
    form = page.find("form", class_="add-to-plan")
    assert form is not None
    data = {i["name"]: i["value"] for i in form.find_all("input")}
    select = form.find("select")
    if select:
        data[select["name"]] = select.find("option")["value"]
    response = client.post(form["action"], data=data)
    item = data["item"]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"?added={item}#added-{item}")
    entry = store.entries(db, org_id)[0]
    goal = int(data["goal"]) if data.get("goal") else None
    assert entry["text"] == plan_text.suggested_action(cont, item, goal, "en")
    back = soup(client.get(response.headers["Location"]))
    note = back.find(id=f"added-{item}")
    assert note is not None and note.has_attr("data-focus-on-load")
    assert note.find_parent("li", id=f"suggestion-{item}") is not None
    assert "entry 1" in note.get_text()


def test_viewer_reads_targets_but_cannot_change_them(client, db, seeded):
    org_id = seeded["org"]["id"]
    login(client, LEAD)
    area = "strategia"
    post_form(
        client,
        f"/orgs/{org_id}/targets/2025",
        {f"target-{area}": "3", "start_year": ""},
        token_from=f"/orgs/{org_id}/targets/2025",
    )
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, VIEWER)
    response = client.get(f"/orgs/{org_id}/targets/2025")
    assert response.status_code == 200
    page = soup(response)
    assert not page.find("form", method="post", class_="form")
    assert "3" in page.find("table", class_="targets-table").get_text()
    response = post_form(
        client,
        f"/orgs/{org_id}/targets/2025",
        {f"target-{area}": "5"},
        token_from=f"/orgs/{org_id}/targets/2025",
    )
    assert response.status_code == 403


def test_a_new_team_round_proposes_the_quick_questionnaire(client, seeded):
    login(client, LEAD)
    page = soup(client.get(f"/orgs/{seeded['org']['id']}/rounds/new"))
    chosen = page.find("input", attrs={"name": "questionnaire", "checked": True})
    assert chosen is not None and chosen["value"] == "quick"
