"""An organisation's overview, its landing page: what a lead sees in each state, and what a
viewer, an administrator and another organisation's user get."""

from __future__ import annotations

import pytest

from assess import clock, joincodes
from assess.storage import assessments, metrics, plan, rounds
from assess.storage import history as history_store
from tests.conftest import ADMIN, LEAD, VIEWER, login, post_form, soup


def content_of(app):
    return app.extensions["content"]


def overview(client, org_id: int):
    response = client.get(f"/orgs/{org_id}")
    assert response.status_code == 200
    return soup(response)


def section_text(page, heading_id: str) -> str:
    return page.find(id=heading_id).find_parent("section").get_text(" ", strip=True)


def steps(page) -> str:
    return section_text(page, "next-heading")


def single(db, app, seeded, *, year: int, final: bool = False) -> dict:
    row = assessments.create_assessment(
        db,
        org_id=seeded["org"]["id"],
        year=year,
        questionnaire="quick",
        content_version=content_of(app).version,
        kind="single",
        created_by=seeded["lead"]["id"],
    )
    if final:
        # Answered: only an assessment with answers can count for its year.
        item = content_of(app).questionnaire("quick").items[0]
        respondent = assessments.shared_respondent(db, row["id"])
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="all",
            changes={item: 3},
            base={},
            comment=None,
            base_comment=None,
        )
        assessments.finalise(db, row["id"])
    return assessments.get_assessment(db, row["id"])


def open_round(db, app, seeded, *, answers: int, joined: int, deadline: str | None = None) -> dict:
    """An open round this year: ``joined`` people joined, the first ``answers`` answered."""
    row = rounds.open_round(
        db,
        org_id=seeded["org"]["id"],
        year=clock.today().year,
        questionnaire="quick",
        content_version=content_of(app).version,
        created_by=seeded["lead"]["id"],
        anonymous=False,
        deadline=deadline,
        title="Hankintatiimi",
    )
    item = content_of(app).questionnaire("quick").items[0]
    for n in range(joined):
        person, _ = rounds.join(db, row["id"], joincodes.new_token(), f"Vastaaja {n + 1}")
        if n < answers:
            assessments.save_area(
                db,
                respondent_id=person["id"],
                area="x",
                changes={item: 3},
                base={},
                comment=None,
                base_comment=None,
            )
    return rounds.get_round(db, row["id"])


# --- the states ------------------------------------------------------------------------------


def test_a_fresh_organisation_is_told_to_start_an_assessment_with_the_time_it_takes(seeded, lead):
    page = overview(lead, seeded["org"]["id"])
    assert page.h1.get_text(strip=True) == "Hyvinkää"
    text = steps(page)
    assert f"Vuodelle {clock.today().year} ei ole vielä arviointia." in text
    assert "Pikakysely: 44 väittämää, noin 15 min" in text
    assert "Laaja kysely: 224 väittämää, noin 75 min" in text
    start = page.find("a", string="Aloita arviointi")
    assert start["href"] == f"/orgs/{seeded['org']['id']}/assessments/new"
    assert "Laskettavaa tulosta ei vielä ole" in section_text(page, "standing-heading")
    assert page.find("table", class_="overview-table") is None
    # Nothing of the assessments list: that moved under "Arvioinnit".
    assert "Kenelläkään ei ole" not in text  # the lead and the viewer have access


def test_a_viewer_is_told_who_starts_it_and_gets_no_start_button(seeded, viewer):
    page = overview(viewer, seeded["org"]["id"])
    assert "Organisaation vastuuhenkilö aloittaa sen." in steps(page)
    assert page.find("a", string="Aloita arviointi") is None


def test_an_organisation_without_users_asks_the_administrator_to_add_them(client, seeded):
    login(client, ADMIN)
    other = seeded["other"]["id"]
    page = overview(client, other)
    text = steps(page)
    assert "Kenelläkään ei ole vielä pääsyä organisaatioon Muu kunta." in text
    link = page.find("a", string="Lisää organisaatioon käyttäjiä")
    assert link["href"] == f"/admin/orgs/{other}"


def test_an_open_single_assessment_this_year_is_to_be_continued(app, db, seeded, lead):
    row = single(db, app, seeded, year=clock.today().year)
    page = overview(lead, seeded["org"]["id"])
    assert f"Vuoden {clock.today().year} arviointi on kesken." in steps(page)
    assert page.find("a", string="Jatka arviointia")["href"] == f"/assessments/{row['id']}"
    assert "ei ole vielä arviointia" not in steps(page)


def test_an_open_round_shows_who_has_answered_and_the_deadline(app, db, seeded, lead):
    deadline = clock.today().replace(month=12, day=31)
    row = open_round(db, app, seeded, answers=1, joined=3, deadline=deadline.isoformat())
    page = overview(lead, seeded["org"]["id"])
    link = page.find("a", string="Hankintatiimi")
    assert link["href"] == f"/assessments/{row['id']}/round"
    assert (
        " ".join(link.find_parent("li").get_text().split())
        == f"Hankintatiimi: 1/3 mukaan tulleesta on vastannut, määräpäivä 31.12.{deadline.year}."
    )
    # Still answering: nothing to agree on yet.
    assert "Sovi vaiheet" not in steps(page)


def test_a_round_whose_answers_are_in_waits_for_agreement(app, db, seeded, lead, viewer_client):
    row = open_round(db, app, seeded, answers=2, joined=2)
    page = overview(lead, seeded["org"]["id"])
    assert "Tiimikierroksen vastaukset ovat koossa" in steps(page)
    assert page.find("a", string="Sovi vaiheet")["href"] == f"/assessments/{row['id']}/agreement"
    # A viewer, who cannot agree, is pointed at the round instead.
    page = overview(viewer_client, seeded["org"]["id"])
    assert page.find("a", string="Sovi vaiheet") is None
    assert page.find("a", string="Katso kierros")["href"] == f"/assessments/{row['id']}/round"
    # Once every area has its agreed stage, nothing waits.
    rounds.save_agreements(db, row["id"], {a.id: (2, "") for a in content_of(app).areas}, {})
    assert "Sovi vaiheet" not in steps(overview(lead, seeded["org"]["id"]))


@pytest.fixture
def viewer_client(app, seeded):
    client = app.test_client()
    login(client, VIEWER)
    return client


def test_a_year_without_a_chosen_counted_assessment_asks_to_choose(app, db, seeded, lead):
    year = clock.today().year - 1
    org_id = seeded["org"]["id"]
    marked = single(db, app, seeded, year=year, final=True)
    first = single(db, app, seeded, year=year, final=True)
    single(db, app, seeded, year=year, final=True)
    history_store.mark_counting(db, org_id, marked["id"])
    page = overview(lead, org_id)
    assert page.find("a", string=f"Valitse vuoden {year} laskettava arviointi") is None
    # The one chosen is reopened: two remain that may count and none is chosen.
    assessments.reopen(db, marked["id"])
    page = overview(lead, org_id)
    assert f"Vuoden {year} laskettavaa arviointia ei ole valittu." in steps(page)
    link = page.find("a", string=f"Valitse vuoden {year} laskettava arviointi")
    assert link["href"] == f"/orgs/{org_id}/history#year-{year}"
    # Chosen on purpose: the step goes.
    history_store.mark_counting(db, org_id, first["id"])
    page = overview(lead, org_id)
    assert page.find("a", string=f"Valitse vuoden {year} laskettava arviointi") is None


def test_late_and_due_plan_entries_are_listed(db, seeded, lead):
    today = clock.today()
    quarter = (today.month - 1) // 3 + 1
    org = seeded["org"]["id"]
    plan.add_entry(
        db,
        org,
        text="Hankintastrategian päivitys",
        step=None,
        goal=None,
        schedule_year=today.year - 1,
        schedule_quarter=2,
    )
    plan.add_entry(
        db,
        org,
        text="Markkinavuoropuhelun malli",
        step=None,
        goal=None,
        schedule_year=today.year,
        schedule_quarter=quarter,
    )
    plan.add_entry(
        db,
        org,
        text="Valmis jo",
        step=None,
        goal=None,
        schedule_year=today.year - 1,
        schedule_quarter=1,
        status="done",
    )
    plan.add_entry(
        db, org, text="Ensi vuonna", step=None, goal=None, schedule_year=today.year + 1, schedule_quarter=1
    )
    underway = section_text(overview(lead, org), "underway-heading")
    assert f"Myöhässä Hankintastrategian päivitys (2. neljännes {today.year - 1})" in underway
    assert (
        f"Ajoitettu tälle neljännekselle Markkinavuoropuhelun malli ({quarter}. neljännes "
        f"{today.year})" in underway
    )
    assert "Valmis jo" not in underway and "Ensi vuonna" not in underway


def test_missing_metric_values_of_last_year_are_counted(app, db, seeded, lead):
    org = seeded["org"]["id"]
    last_year = clock.today().year - 1
    total = len(content_of(app).metrics)
    underway = section_text(overview(lead, org), "underway-heading")
    assert f"{total} toimenpideohjelman mittarilla ei ole arvoa vuodelle {last_year}." in underway
    metric = next(iter(content_of(app).metrics))
    metrics.set_value(db, org, last_year, metric, "count", 3)
    underway = section_text(overview(lead, org), "underway-heading")
    assert f"{total - 1} toimenpideohjelman mittarilla ei ole arvoa vuodelle {last_year}." in underway
    link = overview(lead, org).find("a", string=f"Täytä mittarien arvot vuodelle {last_year}")
    assert link["href"] == f"/orgs/{org}/metrics/{last_year}"


def test_the_standing_is_the_counted_result_of_the_latest_year_as_the_history_has_it(client, demo, db):
    login(client, LEAD)
    page = overview(client, demo["id"])
    counted = history_store.counting(db, demo["id"])
    latest, before = sorted(counted)[-1], sorted(counted)[-2]
    assert page.find(id="standing-heading").get_text(strip=True) == f"Missä olemme: {latest}"
    table = page.find("table", class_="overview-table")
    head = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    assert head == [
        "Osa-alue",
        "Vaihe",
        "Kypsyysindeksi",
        f"Muutos vuodesta {before}",
        "Asema polulla",
        "Tavoitetaso",
    ]
    rows = table.find("tbody").find_all("tr")
    assert len(rows) == 8
    # The history page shows the same index for the same year and area.
    history = soup(client.get(f"/orgs/{demo['id']}/history")).get_text(" ", strip=True)
    first = [td.get_text(strip=True) for td in rows[0].find_all("td")]
    assert first[1] in history and first[2].startswith(("+", "−", "-", "0"))
    # One chart, with the table as its text alternative.
    assert len(page.select("div.chart")) == 1
    # Areas below their target stage are named in words.
    attention = page.find(class_="attention-list").get_text(" ", strip=True)
    assert "alle tavoitetason" in attention


# --- the navigation --------------------------------------------------------------------------


def test_the_organisation_navigation_has_five_sections_and_marks_the_current_one(seeded, lead):
    org = seeded["org"]["id"]
    nav = overview(lead, org).find("nav", class_="org-nav")
    labels = [a.get_text(strip=True) for a in nav.find_all("a")]
    assert labels == ["Yleiskuva", "Arvioinnit", "Suunnitelma", "Seuranta", "Asetukset"]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Yleiskuva"
    # A page deeper in a section marks its section; the landing page lists the section's pages.
    for path, section in (
        (f"/orgs/{org}/rounds", "Arvioinnit"),
        (f"/orgs/{org}/targets/2025", "Suunnitelma"),
        (f"/orgs/{org}/exports", "Seuranta"),
        (f"/orgs/{org}/own-data", "Asetukset"),
    ):
        page = soup(lead.get(path))
        current = page.find("nav", class_="org-nav").find("a", attrs={"aria-current": True})
        assert current.get_text(strip=True) == section, path
    landing = soup(lead.get(f"/orgs/{org}/history"))
    more = [a.get_text(strip=True) for a in landing.select("nav.section-links a")]
    assert more == ["Ohjelman mittarit", "Ohjelman seuranta", "Tiedostot ja vuosiraportti"]


def test_the_assessments_section_lists_every_assessment(app, db, seeded, lead):
    row = single(db, app, seeded, year=2025)
    page = soup(lead.get(f"/orgs/{seeded['org']['id']}/assessments"))
    assert page.find("a", href=f"/assessments/{row['id']}")
    assert (
        page.find("nav", class_="org-nav").find("a", attrs={"aria-current": "page"}).get_text(strip=True)
        == "Arvioinnit"
    )


def test_the_overview_is_refused_to_others(app, seeded, client):
    org = seeded["org"]["id"]
    assert client.get(f"/orgs/{org}").status_code == 302  # signed out: to the sign-in page
    assert client.get(f"/orgs/{org}/assessments").status_code == 302
    login(client, LEAD)
    assert client.get(f"/orgs/{seeded['other']['id']}").status_code == 404
    assert client.get(f"/orgs/{seeded['other']['id']}/assessments").status_code == 404
    assert client.get("/orgs/99999").status_code == 404


# --- the front page and the sign-in page ----------------------------------------------------


def test_the_front_page_lists_organisations_with_their_status(app, db, seeded, lead):
    open_round(db, app, seeded, answers=0, joined=1)
    row = [
        td.get_text(strip=True)
        for td in soup(lead.get("/")).find("table", class_="org-table").find("tbody").find_all("td")
    ]
    assert row[0] == "vastuuhenkilö"
    assert row[1] == "ei vielä"  # no counted year yet
    assert row[2] == "1"  # one open round
    assert row[3] != "ei vielä mitään"  # the round was just opened
    assert "T" not in row[3] and "." in row[3]  # a local d.m.yyyy time, not an ISO stamp


def test_the_sign_in_page_says_what_the_tool_is(client, seeded):
    page = soup(client.get("/login"))
    assert (
        "Hankintapolku on julkisten hankintojen itsearviointityökalu"
        in page.find("p", class_="lead").get_text()
    )


def test_a_failed_sign_in_is_announced_on_the_form(client, seeded):
    response = post_form(client, "/login", {"username": LEAD["username"], "password": "väärin-123"})
    assert response.status_code == 400
    message = soup(response).find("form", class_="form").find(id="login-error")
    assert message.get_text(strip=True) == "Väärä käyttäjätunnus tai salasana."
    assert soup(response).find("form", class_="form")["aria-describedby"] == "login-error"
