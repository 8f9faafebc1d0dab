"""The action plan: adding from a suggestion or freely, the plan page, editing with stale-edit
protection, the quick status change, and every refusal."""

from __future__ import annotations

from assess.storage import assessments
from assess.storage import plan as store
from assess.storage.db import rows
from tests.conftest import LEAD, VIEWER, csrf_token, login, soup


def plan_url(org_id: int, tail: str = "") -> str:
    return f"/orgs/{org_id}/plan{tail}"


def make_assessment(app, db, org_id: int, year: int = 2025) -> dict:
    return assessments.create_assessment(
        db,
        org_id=org_id,
        year=year,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )


def post(client, path: str, data: dict):
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, "/"))
    return client.post(path, data=data)


def free_entry(**changes) -> dict:
    data = {
        "source": "free",
        "text": "Laaditaan hankintastrategia",
        "step": "strategia-2",
        "goal": "17",
        "responsible": "Hankintapalvelut",
        "year": "2025",
        "quarter": "2",
        "status": "planned",
    }
    data.update(changes)
    return data


def entries(db, org_id: int) -> list[dict]:
    return rows(db, "SELECT * FROM plan_entries WHERE org_id = ? ORDER BY id", (org_id,))


def textarea(element) -> str:
    """A textarea's value as a browser reads it: the newline right after the tag is dropped."""
    return element.get_text().removeprefix("\r\n").removeprefix("\n")


def error_texts(response) -> str:
    return soup(response).find(class_="error-summary").get_text(" ", strip=True)


# --- the plan page ---------------------------------------------------------------------------


def test_plan_page_refusals(client, seeded) -> None:
    org_id = seeded["org"]["id"]
    response = client.get(plan_url(org_id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, LEAD)
    assert client.get(plan_url(seeded["other"]["id"])).status_code == 404
    assert client.get(plan_url(99999)).status_code == 404


def test_empty_plan_for_lead_and_viewer(client, seeded) -> None:
    org_id = seeded["org"]["id"]
    login(client, LEAD)
    page = soup(client.get(plan_url(org_id)))
    assert page.h1.get_text().startswith("Toimenpidesuunnitelma")
    assert page.find("form", action=plan_url(org_id, "/add"))
    assert not page.find(id="timeline")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, VIEWER)
    response = client.get(plan_url(org_id))
    assert response.status_code == 200
    assert not soup(response).find("form", action=plan_url(org_id, "/add"))


def test_plan_in_programme_layout_with_timeline(app, client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    first = store.add_entry(
        db,
        org_id,
        text="Strategia",
        step="strategia-2",
        goal=17,
        responsible="Hankintapalvelut",
        schedule_year=2025,
        schedule_quarter=2,
    )
    store.add_entry(
        db, org_id, text="Data", step="tieto-ja-data-3", goal=13, schedule_year=2026, status="in_progress"
    )
    store.add_entry(db, org_id, text="Vanha", step=None, goal=None, schedule_year=2024, status="done")
    store.add_entry(
        db, seeded["other"]["id"], text="Muun kunnan", step="strategia-1", goal=13, schedule_year=2025
    )
    login(client, VIEWER)
    page = soup(client.get(plan_url(org_id)))
    headers = [th.get_text(strip=True) for th in page.find("table", class_="plan-table").thead.find_all("th")]
    assert headers == ["Tavoite", "Toimenpiteet", "Mittarit", "Vastuutaho", "Aikataulu", "Tila"]
    goal17 = page.find("tbody", id="goal-17")
    assert "Strategia" in goal17.find(class_="entry-cell").get_text()
    cells = [td.get_text(" ", strip=True) for td in goal17.find_all("td")]
    assert "Hankintapalvelut" in cells and "2. neljännes 2025" in cells
    metric = app.extensions["content"].goal(17).actions[0].metrics[0].text.fi
    assert metric in goal17.get_text()
    assert "Data" in page.find("tbody", id="goal-13").get_text()
    assert "Vanha" in page.find(id="no-goal").find_next("table").get_text()
    assert "Muun kunnan" not in page.get_text()
    # The timeline and its table.
    assert page.find("div", id="timeline", role="img")
    table = page.find("table", id="timeline-table")
    assert [tr.th.get_text(strip=True) for tr in table.tbody.find_all("tr")] == [
        "3. Vanha",
        "1. Strategia",
        "2. Data",
    ]  # schedule order; each keeps its own number
    assert page.find("a", href=f"#entry-{first['id']}")
    # A viewer gets no editing controls.
    assert not page.find("form", class_="status-form")
    assert not page.find("a", class_="edit-link")


# --- adding from a suggestion ----------------------------------------------------------------


def suggestion(assessment_id: int, **changes) -> dict:
    data = {
        "source": "suggestion",
        "item": "tieto-ja-data-3-g1",
        "step": "tieto-ja-data-3",
        "goal": "13",
        "created_in": str(assessment_id),
    }
    data.update(changes)
    return data


def test_add_suggestion_once(app, client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    assessment = make_assessment(app, db, org_id, year=2026)
    respondent = assessments.shared_respondent(db, assessment["id"])
    assessments.save_area(
        db,
        respondent_id=respondent["id"],
        area="tieto-ja-data",
        changes={
            "tieto-ja-data-1-g1": 4,
            "tieto-ja-data-2-g1": 4,
            "tieto-ja-data-3-g1": 1,
            "tieto-ja-data-4-g1": 1,
        },
        base={},
        comment=None,
        base_comment=None,
    )
    login(client, LEAD)
    before = soup(client.get(f"/assessments/{assessment['id']}/results"))
    assert before.find(id="suggestion-tieto-ja-data-3-g1").find("form", class_="add-to-plan")
    response = post(client, plan_url(org_id, "/add"), suggestion(assessment["id"]))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/assessments/{assessment['id']}/results?added=tieto-ja-data-3-g1#added-tieto-ja-data-3-g1"
    )
    [entry] = entries(db, org_id)
    # A roadmap goal is a state: the entry takes the linked programme goal's action.
    action = app.extensions["content"].goal(13).actions[0]
    assert (entry["item"], entry["step"], entry["goal"], entry["created_in"]) == (
        "tieto-ja-data-3-g1",
        "tieto-ja-data-3",
        13,
        assessment["id"],
    )
    assert entry["text"] == action.text.fi and entry["status"] == "planned"
    assert entry["schedule_year"] == 2026 and entry["schedule_quarter"] is None
    assert [e["status"] for e in store.events(db, entry["id"])] == ["planned"]
    # A second click (or a double submit) adds nothing.
    again = post(client, plan_url(org_id, "/add"), suggestion(assessment["id"]))
    assert again.status_code == 302
    assert len(entries(db, org_id)) == 1
    # The results page now says it is in the plan.
    page = soup(client.get(f"/assessments/{assessment['id']}/results"))
    item_li = page.find(id="suggestion-tieto-ja-data-3-g1")
    assert item_li.find(class_="in-plan").get_text(strip=True) == "Suunnitelmassa: Suunniteltu"
    assert not item_li.find("form")


def test_suggestion_refusals_change_nothing(app, client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    assessment = make_assessment(app, db, org_id)
    theirs = make_assessment(app, db, seeded["other"]["id"])
    login(client, LEAD)
    url = plan_url(org_id, "/add")
    for bad, message in (
        ({"item": "no-such-item"}, "väittämää ei tunneta"),
        ({"item": "strategia-1-g1"}, "ei kuulu tähän askeleeseen"),
        ({"goal": "99"}, "ei ole tällaista tavoitetta"),
        ({"goal": "abc"}, "ei ole tällaista tavoitetta"),
        ({"goal": ""}, "Valitse toimenpideohjelman tavoite"),
    ):
        response = post(client, url, suggestion(assessment["id"], **bad))
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad
    assert post(client, url, suggestion(theirs["id"])).status_code == 404
    assert post(client, url, suggestion(99999)).status_code == 404
    assert post(client, url, suggestion(assessment["id"], created_in="")).status_code == 400
    assert client.post(url, data=suggestion(assessment["id"])).status_code == 400  # no CSRF token
    assert entries(db, org_id) == []


def test_adding_needs_a_lead_of_the_organisation(app, client, db, seeded) -> None:
    assessment = make_assessment(app, db, seeded["org"]["id"])
    login(client, VIEWER)
    assert (
        post(client, plan_url(seeded["org"]["id"], "/add"), suggestion(assessment["id"])).status_code == 403
    )
    assert post(client, plan_url(seeded["org"]["id"], "/add"), free_entry()).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, LEAD)
    assert post(client, plan_url(seeded["other"]["id"], "/add"), free_entry()).status_code == 404
    assert entries(db, seeded["org"]["id"]) == [] and entries(db, seeded["other"]["id"]) == []


# --- adding freely ---------------------------------------------------------------------------


def test_add_free_entry(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    login(client, LEAD)
    response = post(client, plan_url(org_id, "/add"), free_entry())
    assert response.status_code == 302
    [entry] = entries(db, org_id)
    assert response.headers["Location"].endswith(f"/orgs/{org_id}/plan#entry-{entry['id']}")
    assert (
        entry["text"],
        entry["step"],
        entry["goal"],
        entry["responsible"],
        entry["schedule_year"],
        entry["schedule_quarter"],
        entry["status"],
        entry["item"],
    ) == ("Laaditaan hankintastrategia", "strategia-2", 17, "Hankintapalvelut", 2025, 2, "planned", None)
    post(client, plan_url(org_id, "/add"), free_entry())  # the same form sent twice
    assert len(entries(db, org_id)) == 1
    post(client, plan_url(org_id, "/add"), free_entry(text="Toinen", quarter="", status="done"))
    second = entries(db, org_id)[1]
    assert second["schedule_quarter"] is None and second["done_at"] is not None


def test_free_entry_validation(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    login(client, LEAD)
    for bad, message in (
        ({"text": ""}, "Kirjoita, mitä tehdään."),
        ({"text": "x" * 501}, "enintään 500 merkillä"),
        ({"year": "1999"}, "väliltä 2000–2100"),
        ({"year": "2101"}, "väliltä 2000–2100"),
        ({"year": "vuosi"}, "väliltä 2000–2100"),
        ({"quarter": "5"}, "Valitse vuosineljännes"),
        ({"status": "finished"}, "Valitse jokin luettelon tiloista"),
        ({"step": "strategia-9"}, "Valitse jokin luettelon tulevaisuuspolun askelista"),
        ({"goal": "21"}, "Valitse jokin luettelon toimenpideohjelman tavoitteista"),
        ({"goal": ""}, "Valitse toimenpideohjelman tavoite"),
        ({"item": "strategia-1-g1"}, "ei kuulu valittuun askeleeseen"),
    ):
        response = post(client, plan_url(org_id, "/add"), free_entry(**bad))
        assert response.status_code == 400, bad
        assert message in error_texts(response), bad
        # The form keeps what the user wrote.
        kept = soup(response).find(id="text")
        assert textarea(kept) == free_entry(**bad)["text"], bad
    assert entries(db, org_id) == []
    assert client.post(plan_url(org_id, "/add"), data=free_entry()).status_code == 400  # no CSRF
    assert entries(db, org_id) == []


def test_a_text_of_500_characters_is_fine(client, db, seeded) -> None:
    login(client, LEAD)
    assert post(client, plan_url(seeded["org"]["id"], "/add"), free_entry(text="x" * 500)).status_code == 302


# --- editing ---------------------------------------------------------------------------------


def test_edit_entry_and_its_history(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    entry = store.add_entry(db, org_id, text="Alku", step="strategia-2", goal=17, schedule_year=2025)
    login(client, LEAD)
    page = soup(client.get(plan_url(org_id, f"/{entry['id']}/edit")))
    assert textarea(page.find(id="text")) == "Alku"
    assert page.find("input", attrs={"name": "revision"})["value"] == "0"
    response = post(
        client,
        plan_url(org_id, f"/{entry['id']}/edit"),
        free_entry(text="Muutettu", revision="0", status="done", responsible="Talousjohtaja", quarter="4"),
    )
    assert response.status_code == 302
    saved = store.get_entry(db, org_id, entry["id"])
    assert (
        saved["text"],
        saved["status"],
        saved["responsible"],
        saved["schedule_quarter"],
        saved["revision"],
    ) == ("Muutettu", "done", "Talousjohtaja", 4, 1)
    assert saved["done_at"] is not None
    assert [e["status"] for e in store.events(db, entry["id"])] == ["planned", "done"]
    history = soup(client.get(plan_url(org_id, f"/{entry['id']}/edit"))).find("table", class_="events-table")
    statuses = [tr.find_all("td")[1].get_text() for tr in history.tbody.find_all("tr")]
    assert statuses == ["Suunniteltu", "Tehty"]


def test_stale_edit_is_refused_and_nothing_is_lost(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    entry = store.add_entry(db, org_id, text="Alku", step="strategia-2", goal=17, schedule_year=2025)
    login(client, LEAD)
    # Another lead saves first.
    store.update_entry(db, org_id, entry["id"], 0, responsible="Toinen liidi")
    response = post(
        client, plan_url(org_id, f"/{entry['id']}/edit"), free_entry(text="Minun versioni", revision="0")
    )
    assert response.status_code == 409
    page = soup(response)
    assert "Toinen liidi" in page.find(class_="error-summary").get_text()
    assert textarea(page.find(id="text")) == "Minun versioni"
    saved = store.get_entry(db, org_id, entry["id"])
    assert saved["text"] == "Alku" and saved["responsible"] == "Toinen liidi"
    # Saving again from that page is a deliberate choice and goes through.
    revision = page.find("input", attrs={"name": "revision"})["value"]
    assert revision == "1"
    again = post(
        client, plan_url(org_id, f"/{entry['id']}/edit"), free_entry(text="Minun versioni", revision=revision)
    )
    assert again.status_code == 302
    assert store.get_entry(db, org_id, entry["id"])["text"] == "Minun versioni"


def test_edit_refusals(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    mine = store.add_entry(db, org_id, text="Oma", step="strategia-2", goal=17, schedule_year=2025)
    theirs = store.add_entry(
        db, seeded["other"]["id"], text="Muun", step="strategia-2", goal=17, schedule_year=2025
    )
    login(client, LEAD)
    assert client.get(plan_url(org_id, f"/{theirs['id']}/edit")).status_code == 404
    assert client.get(plan_url(seeded["other"]["id"], f"/{theirs['id']}/edit")).status_code == 404
    assert (
        post(client, plan_url(org_id, f"/{theirs['id']}/edit"), free_entry(revision="0")).status_code == 404
    )
    bad = post(client, plan_url(org_id, f"/{mine['id']}/edit"), free_entry(revision="0", year="1800"))
    assert bad.status_code == 400
    assert (
        client.post(plan_url(org_id, f"/{mine['id']}/edit"), data=free_entry(revision="0")).status_code == 400
    )  # no CSRF
    assert store.get_entry(db, org_id, mine["id"])["text"] == "Oma"
    assert store.get_entry(db, seeded["other"]["id"], theirs["id"])["text"] == "Muun"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, VIEWER)
    assert client.get(plan_url(org_id, f"/{mine['id']}/edit")).status_code == 403
    assert post(client, plan_url(org_id, f"/{mine['id']}/edit"), free_entry(revision="0")).status_code == 403


# --- quick status change ---------------------------------------------------------------------


def test_quick_status_change(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    entry = store.add_entry(db, org_id, text="Tila", step="strategia-2", goal=17, schedule_year=2025)
    login(client, LEAD)
    url = plan_url(org_id, f"/{entry['id']}/status")
    response = post(client, url, {"status": "done", "revision": "0"})
    assert response.status_code == 302
    saved = store.get_entry(db, org_id, entry["id"])
    assert saved["status"] == "done" and saved["done_at"] is not None
    # Stale: the form still had revision 0.
    stale = post(client, url, {"status": "dropped", "revision": "0"})
    assert stale.status_code == 409
    assert "joku muu muutti" in error_texts(stale)
    assert store.get_entry(db, org_id, entry["id"])["status"] == "done"
    # Back out of done clears done_at.
    post(client, url, {"status": "in_progress", "revision": "1"})
    saved = store.get_entry(db, org_id, entry["id"])
    assert saved["status"] == "in_progress" and saved["done_at"] is None
    assert [e["status"] for e in store.events(db, entry["id"])] == ["planned", "done", "in_progress"]


def test_quick_status_refusals(client, db, seeded) -> None:
    org_id = seeded["org"]["id"]
    entry = store.add_entry(db, org_id, text="Tila", step="strategia-2", goal=17, schedule_year=2025)
    theirs = store.add_entry(
        db, seeded["other"]["id"], text="Muun", step="strategia-2", goal=17, schedule_year=2025
    )
    login(client, LEAD)
    url = plan_url(org_id, f"/{entry['id']}/status")
    assert post(client, url, {"status": "finished", "revision": "0"}).status_code == 400
    assert post(client, url, {"status": "done", "revision": "x"}).status_code == 400
    assert client.post(url, data={"status": "done", "revision": "0"}).status_code == 400  # no CSRF
    assert (
        post(
            client, plan_url(org_id, f"/{theirs['id']}/status"), {"status": "done", "revision": "0"}
        ).status_code
        == 404
    )
    assert store.get_entry(db, org_id, entry["id"])["status"] == "planned"
    assert store.get_entry(db, seeded["other"]["id"], theirs["id"])["status"] == "planned"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, VIEWER)
    assert post(client, url, {"status": "done", "revision": "0"}).status_code == 403
