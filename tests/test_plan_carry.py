"""The plan carried over: earlier years' plan entries on a new assessment's overview and a new
round's page, the lead's status change there (back to the same page), and every refusal."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from assess import clock
from assess.pages.plan_carry import previous_counting
from assess.storage import assessments, rounds
from assess.storage import plan as store
from assess.storage.db import rows
from tests.conftest import LEAD, VIEWER, csrf_token, login, soup

THIS_YEAR = clock.today().year
LAST_YEAR = THIS_YEAR - 1


def make_assessment(app, db, org_id: int, year: int) -> dict:
    return assessments.create_assessment(
        db,
        org_id=org_id,
        year=year,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )


def make_round(app, db, org_id: int, year: int) -> dict:
    return rounds.open_round(
        db,
        org_id=org_id,
        year=year,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        created_by=None,
        anonymous=False,
    )


def set_time(db, sql: str, params: tuple) -> None:
    with db.conn:
        db.execute(sql, params)


@pytest.fixture
def plan(app, db, seeded) -> dict:
    """Last year's counting assessment with entries made from it or written freely, and a
    new assessment and a new round for this year."""
    org_id = seeded["org"]["id"]
    last = make_assessment(app, db, org_id, LAST_YEAR)
    open_entry = store.add_entry(
        db,
        org_id,
        text="Laaditaan hankintastrategia",
        step="strategia-2",
        goal=17,
        responsible="Hankintapalvelut",
        schedule_year=LAST_YEAR,
        schedule_quarter=3,
        created_in=last["id"],
    )
    going = store.add_entry(
        db,
        org_id,
        text="Kootaan hankintadata",
        step="tieto-ja-data-3",
        goal=13,
        schedule_year=THIS_YEAR,
        status="in_progress",
        created_in=last["id"],
    )
    free = store.add_entry(
        db, org_id, text="Koulutetaan tilaajat", step=None, goal=None, schedule_year=LAST_YEAR
    )
    done_long_ago = store.add_entry(
        db, org_id, text="Vanha valmis", step=None, goal=None, created_in=last["id"], status="done"
    )
    done_since = store.add_entry(db, org_id, text="Uusi valmis", step=None, goal=None, created_in=last["id"])
    store.set_status(db, org_id, done_since["id"], done_since["revision"], "done")
    respondent = assessments.shared_respondent(db, last["id"])
    db["answers"].insert(
        {
            "respondent_id": respondent["id"],
            "item": "strategia-1-g1",
            "value": 2,
            "updated_at": f"{LAST_YEAR}-09-01T12:00:00+00:00",
        }
    )
    assessments.finalise(db, last["id"])  # answered, so it counts for last year
    # Last year's assessment was finalised in the autumn; one entry was done before it.
    set_time(
        db,
        "UPDATE assessments SET finalised_at = ? WHERE id = ?",
        (f"{LAST_YEAR}-10-01T12:00:00+00:00", last["id"]),
    )
    set_time(
        db,
        "UPDATE plan_events SET at = ? WHERE entry_id = ?",
        (f"{LAST_YEAR}-06-01T12:00:00+00:00", done_long_ago["id"]),
    )
    set_time(
        db,
        "UPDATE plan_entries SET created_at = ? WHERE id = ?",
        (f"{LAST_YEAR}-05-01T12:00:00+00:00", free["id"]),
    )
    new = make_assessment(app, db, org_id, THIS_YEAR)
    team = make_round(app, db, org_id, THIS_YEAR)
    for row in (new, team):
        set_time(
            db,
            "UPDATE assessments SET created_at = ? WHERE id = ?",
            (f"{THIS_YEAR}-01-01T00:00:00+00:00", row["id"]),
        )
    # Made this year from the new assessment, or written after it was started: not carried over.
    store.add_entry(db, org_id, text="Tämän vuoden ehdotus", step=None, goal=None, created_in=new["id"])
    store.add_entry(db, org_id, text="Kirjoitettu myöhemmin", step=None, goal=None)
    return {
        "org_id": org_id,
        "last": last,
        "new": new,
        "round": team,
        "open": open_entry,
        "going": going,
        "free": free,
        "done_long_ago": done_long_ago,
        "done_since": done_since,
    }


def overview_url(plan: dict) -> str:
    return f"/assessments/{plan['new']['id']}"


def round_url(plan: dict) -> str:
    return f"/assessments/{plan['round']['id']}/round"


def status_url(org_id: int, entry_id: int) -> str:
    return f"/orgs/{org_id}/plan/{entry_id}/status"


def carried(response) -> dict[str, dict]:
    """Entry text -> what its row in the carried-over section shows."""
    section = soup(response).find("section", class_="plan-carry")
    assert section is not None and section.h2.get_text(strip=True) == "Suunnitelma edellisiltä vuosilta"
    found = {}
    for row in section.select("table.plan-carry-table tbody tr"):
        text = row.find(class_="entry-text").get_text(strip=True).split(". ", 1)[1]
        cells = row.find_all("td")
        found[text] = {
            "row": row,
            "goal": cells[1].get_text(" ", strip=True),
            "responsible": cells[2].get_text(strip=True),
            "schedule": cells[3].get_text(strip=True),
            "status": row.find(class_="badge").get_text(strip=True),
        }
    return found


def entry(db, entry_id: int) -> dict:
    return rows(db, "SELECT * FROM plan_entries WHERE id = ?", (entry_id,))[0]


def events(db, entry_id: int) -> list[str]:
    return [
        e["status"]
        for e in rows(db, "SELECT status FROM plan_events WHERE entry_id = ? ORDER BY id", (entry_id,))
    ]


def change(
    client, org_id: int, entry_id: int, *, revision: int, status: str, next: str | None, token_from: str = "/"
):
    data = {"csrf_token": csrf_token(client, token_from), "revision": str(revision), "status": status}
    if next is not None:
        data["next"] = next
    return client.post(status_url(org_id, entry_id), data=data)


def sign_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


# --- what is carried over --------------------------------------------------------------------


# This year's own entries (from this year's assessments, or written this year) are not
# carried over: they are listed apart, as this year's.
@pytest.mark.parametrize("page", [overview_url, round_url])
def test_new_assessment_and_round_open_with_earlier_plan(client, plan, page) -> None:
    login(client, LEAD)
    response = client.get(page(plan))
    assert response.status_code == 200
    shown = carried(response)
    # Open entries of earlier years, and the one done since last year's assessment; not the one
    # done before it, nor entries written after the assessment was started. Schedule order
    # (unscheduled last), as on the plan page.
    assert list(shown) == [
        "Laaditaan hankintastrategia",
        "Koulutetaan tilaajat",
        "Kootaan hankintadata",
        "Uusi valmis",
    ]
    own = soup(response).find("table", class_="plan-this-year-table").get_text()
    assert "Tämän vuoden ehdotus" in own and "Kirjoitettu myöhemmin" in own
    strategy = shown["Laaditaan hankintastrategia"]
    assert strategy["status"] == "Suunniteltu"
    assert strategy["responsible"] == "Hankintapalvelut"
    assert strategy["schedule"] == f"3. neljännes {LAST_YEAR}"
    assert strategy["goal"].startswith("17. ")
    assert "Strategia" in strategy["row"].find(class_="hint").get_text()
    assert shown["Kootaan hankintadata"]["status"] == "Käynnissä"
    assert shown["Uusi valmis"]["status"] == "Tehty"
    assert shown["Koulutetaan tilaajat"]["goal"] == "–"
    intro = soup(response).find("section", class_="plan-carry").p.get_text()
    assert str(LAST_YEAR) in intro
    # The lead can change each status here and open the entry for editing.
    form = strategy["row"].find("form")
    assert form["action"] == status_url(plan["org_id"], plan["open"]["id"])
    assert form.find("input", attrs={"name": "next"})["value"] == page(plan)
    assert form.find("input", attrs={"name": "revision"})["value"] == "0"
    assert form.find("label", attrs={"for": form.find("select")["id"]})
    assert strategy["row"].find("a", href=f"/orgs/{plan['org_id']}/plan/{plan['open']['id']}/edit")


def test_last_years_assessment_does_not_carry_its_own_entries(client, plan) -> None:
    login(client, LEAD)
    shown = carried(client.get(f"/assessments/{plan['last']['id']}"))
    # Made from last year's assessment itself, so not "from before" it.
    assert "Laaditaan hankintastrategia" not in shown
    assert "Tämän vuoden ehdotus" not in shown


def test_first_assessment_has_nothing_carried_over(app, client, db, seeded) -> None:
    first = make_assessment(app, db, seeded["org"]["id"], THIS_YEAR)
    login(client, LEAD)
    section = soup(client.get(f"/assessments/{first['id']}")).find("section", class_="plan-carry")
    assert "Edellisiltä vuosilta ei siirry" in section.get_text()
    assert not section.find("table")


def test_previous_counting_is_the_latest_earlier_year() -> None:
    counting = {2023: {"id": 1}, 2024: {"id": 2}, 2026: {"id": 3}}
    assert previous_counting(counting, 2026) == {"id": 2}
    assert previous_counting(counting, 2027) == {"id": 3}
    assert previous_counting(counting, 2023) is None


# --- changing the status there ---------------------------------------------------------------


@pytest.mark.parametrize("page", [overview_url, round_url])
def test_lead_changes_status_and_returns_to_the_page(client, db, plan, page) -> None:
    login(client, LEAD)
    entry_id = plan["open"]["id"]
    response = change(client, plan["org_id"], entry_id, revision=0, status="done", next=page(plan))
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert (target.path, target.fragment) == (page(plan), f"entry-{entry_id}")
    stored = entry(db, entry_id)
    assert (stored["status"], stored["revision"]) == ("done", 1)
    assert stored["done_at"] is not None
    assert events(db, entry_id) == ["planned", "done"]
    back = client.get(page(plan))
    assert "Tilaksi muutettiin ”Tehty”" in soup(back).find(class_="flash-success").get_text()
    assert carried(back)["Laaditaan hankintastrategia"]["status"] == "Tehty"


def test_stale_status_change_is_refused(client, db, plan) -> None:
    login(client, LEAD)
    entry_id = plan["open"]["id"]
    # Someone else moved it on after the page was loaded at revision 0.
    store.set_status(db, plan["org_id"], entry_id, 0, "in_progress")
    response = change(client, plan["org_id"], entry_id, revision=0, status="dropped", next=overview_url(plan))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == overview_url(plan)
    stored = entry(db, entry_id)
    assert (stored["status"], stored["revision"]) == ("in_progress", 1)
    assert events(db, entry_id) == ["planned", "in_progress"]
    back = client.get(overview_url(plan))
    message = soup(back).find(class_="flash-error").get_text()
    assert "ei muutettu" in message and "Laaditaan hankintastrategia" in message
    # The page now shows what is stored, at the new revision.
    row = carried(back)["Laaditaan hankintastrategia"]
    assert row["status"] == "Käynnissä"
    assert row["row"].find("input", attrs={"name": "revision"})["value"] == "1"


def test_unknown_status_is_refused(client, db, plan) -> None:
    login(client, LEAD)
    entry_id = plan["open"]["id"]
    response = change(client, plan["org_id"], entry_id, revision=0, status="finished", next=round_url(plan))
    assert urlsplit(response.headers["Location"]).path == round_url(plan)
    assert entry(db, entry_id)["status"] == "planned"
    assert events(db, entry_id) == ["planned"]
    assert soup(client.get(round_url(plan))).find(class_="flash-error")


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"]
)
def test_unsafe_next_is_ignored(client, db, plan, target) -> None:
    login(client, LEAD)
    entry_id = plan["open"]["id"]
    response = change(client, plan["org_id"], entry_id, revision=0, status="in_progress", next=target)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == f"/orgs/{plan['org_id']}/plan"
    assert entry(db, entry_id)["status"] == "in_progress"


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [overview_url, round_url])
def test_viewer_sees_the_list_read_only(client, db, plan, page) -> None:
    login(client, VIEWER)
    response = client.get(page(plan))
    shown = carried(response)
    assert shown["Laaditaan hankintastrategia"]["status"] == "Suunniteltu"
    section = soup(response).find("section", class_="plan-carry")
    assert not section.find("form")
    assert not section.find("a", class_="edit-link")
    refused = change(client, plan["org_id"], plan["open"]["id"], revision=0, status="done", next=page(plan))
    assert refused.status_code == 403
    assert entry(db, plan["open"]["id"])["status"] == "planned"


def test_other_organisation_is_not_found(app, client, db, plan, seeded) -> None:
    other_id = seeded["other"]["id"]
    foreign = store.add_entry(db, other_id, text="Muun kunnan", step=None, goal=None)
    foreign_assessment = make_assessment(app, db, other_id, THIS_YEAR)
    login(client, LEAD)
    assert client.get(f"/assessments/{foreign_assessment['id']}").status_code == 404
    for org_id in (other_id, plan["org_id"]):
        response = change(client, org_id, foreign["id"], revision=0, status="done", next=overview_url(plan))
        assert response.status_code == 404
    assert entry(db, foreign["id"])["status"] == "planned"
    assert "Muun kunnan" not in carried(client.get(overview_url(plan)))


def test_missing_csrf_is_refused(client, db, plan) -> None:
    login(client, LEAD)
    response = client.post(
        status_url(plan["org_id"], plan["open"]["id"]),
        data={"revision": "0", "status": "done", "next": overview_url(plan)},
    )
    assert response.status_code == 400
    assert entry(db, plan["open"]["id"])["status"] == "planned"


def test_signed_out_post_goes_to_sign_in(client, db, plan) -> None:
    response = change(
        client,
        plan["org_id"],
        plan["open"]["id"],
        revision=0,
        status="done",
        next=overview_url(plan),
        token_from="/login",
    )
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert entry(db, plan["open"]["id"])["status"] == "planned"
