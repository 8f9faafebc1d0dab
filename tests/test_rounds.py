"""Team rounds: opening, joining without an account, answering, the lead's view, the agreed
stages, closing, anonymity, and saving under load."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest

from assess import clock, joincodes
from assess.storage import assessments, rounds
from tests.conftest import LEAD, VIEWER, csrf_token, form_state, login, post_form, soup

# --- helpers ---------------------------------------------------------------------------


def content_of(app):
    return app.extensions["content"]


def area_items(app, area: str, questionnaire: str = "quick") -> list[str]:
    content = content_of(app)
    steps = dict(content.area_items(content.questionnaire(questionnaire)))[area]
    return [i for _s, ids in steps for i in ids]


def all_items(app, questionnaire: str = "quick") -> list[str]:
    return list(content_of(app).questionnaire(questionnaire).items)


def area_ids(app) -> list[str]:
    return [a.id for a in content_of(app).areas]


def make_round(db, app, seeded, *, anonymous=False, org="org", year=2026, deadline=None) -> dict:
    return rounds.open_round(
        db,
        org_id=seeded[org]["id"],
        year=year,
        questionnaire="quick",
        content_version=content_of(app).version,
        created_by=seeded["lead"]["id"],
        anonymous=anonymous,
        deadline=deadline,
    )


def join(app, code: str, name: str | None = "Maija") -> tuple[object, str]:
    """A fresh browser joins the round; returns (its client, the personal link path)."""
    browser = app.test_client()
    page = browser.get(f"/r/{code}")
    assert page.status_code == 200, page.get_data(as_text=True)
    nonce = soup(page).find("input", attrs={"name": "nonce"})["value"]
    data = {"nonce": nonce}
    if name is not None:
        data["name"] = name
    response = post_form(browser, f"/r/{code}", data, token_from=f"/r/{code}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser, response.headers["Location"]


def load_area(browser, link: str, area: str) -> dict[str, str]:
    response = browser.get(f"{link}/areas/{area}")
    assert response.status_code == 200
    return form_state(response)


def answer_area(browser, link: str, area: str, values: dict[str, str]):
    data = load_area(browser, link, area)
    data.update({f"a-{item}": code for item, code in values.items()})
    return browser.post(f"{link}/areas/{area}", data=dict(data, action="save"))


def respondent_of(db, link: str) -> dict:
    _r, code, token = link.rsplit("/", 2)
    found = rounds.find_respondent(db, code, token)
    assert found is not None
    return found[1]


def text(response) -> str:
    return soup(response).get_text(" ", strip=True)


# --- opening a round ---------------------------------------------------------------------


def test_opening_a_round_needs_sign_in(client, seeded):
    response = client.get(f"/orgs/{seeded['org']['id']}/rounds/new")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_lead_opens_a_named_round_with_a_deadline(lead, seeded, db):
    org_id = seeded["org"]["id"]
    deadline = (clock.today() + timedelta(days=14)).isoformat()
    response = post_form(
        lead,
        f"/orgs/{org_id}/rounds/new",
        {
            "year": "2026",
            "questionnaire": "quick",
            "anonymity": "named",
            "deadline": deadline,
            "title": "Hankintatiimi",
        },
    )
    assert response.status_code == 302
    row = [a for a in assessments.for_org(db, org_id) if a["kind"] == "round"][0]
    assert response.headers["Location"].endswith(f"/assessments/{row['id']}/round")
    assert row["year"] == 2026 and row["questionnaire"] == "quick" and row["anonymous"] == 0
    assert row["deadline"] == deadline and row["title"] == "Hankintatiimi"
    assert row["status"] == "open"
    assert joincodes.normalise_code(row["join_code"]) == row["join_code"]


def test_join_codes_are_unique(db, app, seeded):
    codes = {make_round(db, app, seeded)["join_code"] for _ in range(30)}
    assert len(codes) == 30


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("year", "1999", "2000"),
        ("year", "", "vuosi"),
        ("questionnaire", "huge", ""),
        ("anonymity", "secret", ""),
        ("deadline", "2000-01-01", "menneisyydessä"),
        ("deadline", "31.2.2026", ""),
    ],
)
def test_opening_refuses_bad_input(lead, seeded, db, field, value, message):
    data = {"year": "2026", "questionnaire": "quick", "anonymity": "named"}
    data[field] = value
    response = post_form(lead, f"/orgs/{seeded['org']['id']}/rounds/new", data)
    assert response.status_code == 400
    summary = soup(response).find(class_="error-summary")
    assert summary is not None and message in summary.get_text()
    assert assessments.for_org(db, seeded["org"]["id"]) == []


def test_opening_is_for_leads_of_the_organisation(client, seeded, db):
    login(client, VIEWER)
    data = {"year": "2026", "questionnaire": "quick", "anonymity": "named"}
    org_id = seeded["org"]["id"]
    assert client.get(f"/orgs/{org_id}/rounds/new").status_code == 403
    assert (
        post_form(client, f"/orgs/{org_id}/rounds/new", data, token_from=f"/orgs/{org_id}/rounds").status_code
        == 403
    )
    assert client.get(f"/orgs/{seeded['other']['id']}/rounds/new").status_code == 404
    assert assessments.for_org(db, org_id) == []


def test_opening_without_csrf_is_refused(lead, seeded, db):
    response = lead.post(
        f"/orgs/{seeded['org']['id']}/rounds/new",
        data={"year": "2026", "questionnaire": "quick", "anonymity": "named"},
    )
    assert response.status_code == 400
    assert assessments.for_org(db, seeded["org"]["id"]) == []


def test_rounds_list(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    response = lead.get(f"/orgs/{seeded['org']['id']}/rounds")
    assert response.status_code == 200
    assert soup(response).find("a", href=f"/assessments/{row['id']}/round") is not None


# --- the lead's round page ------------------------------------------------------------------


def test_round_page_shows_link_code_qr_and_reminder(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    page = soup(lead.get(f"/assessments/{row['id']}/round"))
    assert page.find(id="participant-link")["value"] == f"http://localhost/r/{row['join_code']}"
    assert row["join_code"] in page.find(class_="join-code").get_text()
    assert page.find("img", class_="qr-code")["src"] == f"/assessments/{row['id']}/qr.svg"
    reminder = page.find("textarea", id="reminder-text")
    assert reminder.has_attr("readonly")
    assert f"http://localhost/r/{row['join_code']}" in reminder.get_text()
    assert row["join_code"] in reminder.get_text()
    button = page.find("button", attrs={"data-copy": "reminder-text"})
    assert button is not None
    assert page.find("script", src=re.compile(r"^/static/js/copy\.js\?v=[0-9a-f]+$")) is not None


def test_qr_code_is_a_local_svg(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    response = lead.get(f"/assessments/{row['id']}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert (
        "<svg" in svg
        and "#fff" in svg.lower()
        and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    )


def test_round_pages_of_other_organisations_are_not_found(lead, seeded, db, app):
    other = make_round(db, app, seeded, org="other")
    for path in ("round", "qr.svg", "agreement", "close"):
        assert lead.get(f"/assessments/{other['id']}/{path}").status_code == 404
    single = assessments.create_assessment(
        db,
        org_id=seeded["org"]["id"],
        year=2026,
        questionnaire="quick",
        content_version=content_of(app).version,
        kind="single",
        created_by=None,
    )
    assert lead.get(f"/assessments/{single['id']}/round").status_code == 404


def test_lead_sees_who_joined_and_how_far_they_got(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    first = area_ids(app)[0]
    maija, maija_link = join(app, row["join_code"], "Maija")
    join(app, row["join_code"], "Pekka")
    items = area_items(app, first)
    assert answer_area(maija, maija_link, first, {i: "3" for i in items}).status_code == 302
    page = soup(lead.get(f"/assessments/{row['id']}/round"))
    rows = {
        r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.find_all("td")]
        for r in page.find("table", class_="round-people").tbody.find_all("tr")
    }
    total = len(all_items(app))
    assert rows["Maija"] == [f"{len(items)}/{total}", "1/8"]
    assert rows["Pekka"] == [f"0/{total}", "0/8"]
    counts = [li.get_text(" ", strip=True) for li in page.find(class_="round-counts").find_all("li")]
    assert counts[0].startswith("2 ")
    # Respondent tokens and links are never shown to the lead.
    html = lead.get(f"/assessments/{row['id']}/round").get_data(as_text=True)
    assert maija_link.rsplit("/", 1)[1] not in html


def test_anonymous_round_page_shows_only_counts(lead, seeded, db, app):
    row = make_round(db, app, seeded, anonymous=True)
    browser, link = join(app, row["join_code"], name=None)
    response = lead.get(f"/assessments/{row['id']}/round")
    page = soup(response)
    assert page.find("table", class_="round-people") is None
    assert page.find(class_="round-counts").li.get_text(" ", strip=True).startswith("1 ")
    assert respondent_of(db, link)["name"] is None


def test_viewer_sees_the_round_but_not_the_lead_actions(client, seeded, db, app):
    row = make_round(db, app, seeded)
    login(client, VIEWER)
    page = soup(client.get(f"/assessments/{row['id']}/round"))
    assert page.find("a", href=f"/assessments/{row['id']}/close") is None
    assert page.find("a", href=f"/assessments/{row['id']}/agreement") is None
    assert client.get(f"/assessments/{row['id']}/agreement").status_code == 403
    assert client.get(f"/assessments/{row['id']}/close").status_code == 403


# --- joining --------------------------------------------------------------------------------


def test_join_page_finds_the_round_by_code_as_typed(client, seeded, db, app):
    row = make_round(db, app, seeded)
    code = row["join_code"]
    assert client.get("/join").status_code == 200
    typed = f" {code[:3].lower()}-{code[3:].lower()} "
    response = client.get("/join", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/r/{code}"


def test_a_wrong_code_gets_a_clear_message(client, seeded, db, app):
    make_round(db, app, seeded)
    response = client.get("/join", query_string={"code": "ZZZZZZ"})
    assert response.status_code == 404
    summary = soup(response).find(class_="error-summary").get_text()
    assert "Tällä koodilla ei löydy avointa kierrosta" in summary
    response = client.get("/r/ZZZZZZ")
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Linkki ei kelpaa"


def test_named_round_requires_a_name(client, seeded, db, app):
    row = make_round(db, app, seeded)
    page = client.get(f"/r/{row['join_code']}")
    nonce = soup(page).find("input", attrs={"name": "nonce"})["value"]
    response = post_form(client, f"/r/{row['join_code']}", {"name": "  ", "nonce": nonce})
    assert response.status_code == 400
    assert "kirjoita nimesi" in soup(response).find(class_="error-summary").get_text()
    assert rounds.respondents(db, row["id"]) == []


def test_anonymous_round_asks_no_name_and_stores_none(client, seeded, db, app):
    row = make_round(db, app, seeded, anonymous=True)
    page = soup(client.get(f"/r/{row['join_code']}"))
    assert page.find("input", attrs={"name": "name"}) is None
    nonce = page.find("input", attrs={"name": "nonce"})["value"]
    response = post_form(client, f"/r/{row['join_code']}", {"name": "Sneaky", "nonce": nonce})
    assert response.status_code == 302
    assert [p["name"] for p in rounds.respondents(db, row["id"])] == [None]


def test_double_submit_of_the_join_form_makes_one_respondent(client, seeded, db, app):
    row = make_round(db, app, seeded)
    page = client.get(f"/r/{row['join_code']}")
    nonce = soup(page).find("input", attrs={"name": "nonce"})["value"]
    first = post_form(client, f"/r/{row['join_code']}", {"name": "Maija", "nonce": nonce})
    second = post_form(
        client, f"/r/{row['join_code']}", {"name": "Maija", "nonce": nonce}, token_from="/join"
    )
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert len(rounds.respondents(db, row["id"])) == 1
    # A new page load is a new form: another person on the same device joins separately.
    join(app, row["join_code"], "Pekka")
    assert len(rounds.respondents(db, row["id"])) == 2


def test_a_tampered_nonce_is_refused(client, seeded, db, app):
    row = make_round(db, app, seeded)
    response = post_form(client, f"/r/{row['join_code']}", {"name": "Maija", "nonce": "x"})
    assert response.status_code == 400
    assert rounds.respondents(db, row["id"]) == []


def test_join_without_csrf_is_refused(client, seeded, db, app):
    row = make_round(db, app, seeded)
    response = client.post(f"/r/{row['join_code']}", data={"name": "Maija", "nonce": joincodes.new_nonce()})
    assert response.status_code == 400
    assert rounds.respondents(db, row["id"]) == []


def test_closed_round_cannot_be_joined(client, seeded, db, app):
    row = make_round(db, app, seeded)
    page = client.get(f"/r/{row['join_code']}")
    nonce = soup(page).find("input", attrs={"name": "nonce"})["value"]
    csrf = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    rounds.close_round(db, row["id"])
    # To a browser that never joined, a closed round answers as an unknown code does.
    response = client.get(f"/r/{row['join_code']}")
    assert response.status_code == 404
    assert text(response) == text(client.get("/r/ABCDEF"))
    response = client.post(
        f"/r/{row['join_code']}", data={"name": "Maija", "nonce": nonce, "csrf_token": csrf}
    )
    assert response.status_code == 404
    assert rounds.respondents(db, row["id"]) == []


def test_a_closed_round_tells_its_own_participants_why(seeded, db, app):
    row = make_round(db, app, seeded)
    browser, link = join(app, row["join_code"], "Maija")
    rounds.close_round(db, row["id"])
    response = browser.get(f"/r/{row['join_code']}")
    assert response.status_code == 410 and "suljettu" in text(response)


def test_round_past_its_deadline_cannot_be_joined(client, seeded, db, app):
    row = make_round(db, app, seeded)
    browser, _link = join(app, row["join_code"], "Maija")
    with db.conn:
        db.execute(
            "UPDATE assessments SET deadline = ? WHERE id = ?",
            ((clock.today() - timedelta(days=2)).isoformat(), row["id"]),
        )
    response = client.get(f"/r/{row['join_code']}")
    assert response.status_code == 404  # as for an unknown code: nothing is revealed
    response = browser.get(f"/r/{row['join_code']}")  # one who joined is told why
    assert response.status_code == 410 and "määräpäivä on mennyt" in text(response)


def test_rejoining_in_the_same_browser_offers_the_own_link(seeded, db, app):
    row = make_round(db, app, seeded)
    browser, link = join(app, row["join_code"], "Maija")
    page = soup(browser.get(f"/r/{row['join_code']}"))
    assert page.find("a", href=link) is not None


# --- the personal link ------------------------------------------------------------------------


def test_personal_link_shows_progress_and_the_link_to_save(seeded, db, app):
    row = make_round(db, app, seeded)
    browser, link = join(app, row["join_code"], "Maija")
    page = soup(browser.get(link))
    assert page.find(id="personal-link")["value"] == f"http://localhost{link}"
    assert page.find(id="save-link-heading").get_text(strip=True) == "Tallenna tämä linkki"
    areas = [a["href"] for a in page.find(class_="respondent-areas").find_all("a")]
    assert areas == [f"{link}/areas/{a}" for a in area_ids(app)]


def test_tampered_or_foreign_personal_links_are_not_found(seeded, db, app):
    row = make_round(db, app, seeded)
    other = make_round(db, app, seeded)
    browser, link = join(app, row["join_code"], "Maija")
    _r, code, token = link.rsplit("/", 2)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    first_area = area_ids(app)[0]
    for bad in (
        f"/r/{code}/{flipped}",
        f"/r/{code}/{token[:-1]}",
        f"/r/{other['join_code']}/{token}",
        f"/r/{code}/{flipped}/areas/{first_area}",
        f"/r/{code}/{token}/areas/nope",
    ):
        response = browser.get(bad)
        assert response.status_code == 404, bad
        assert soup(response).h1.get_text(strip=True) == "Linkki ei kelpaa"
    response = browser.post(f"/r/{code}/{flipped}/areas/{first_area}", data={})
    assert response.status_code in (400, 404)


# --- answering --------------------------------------------------------------------------------


def test_respondent_answers_per_item_and_sees_only_their_own(seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    items = area_items(app, area)
    maija, maija_link = join(app, row["join_code"], "Maija")
    pekka, pekka_link = join(app, row["join_code"], "Pekka")
    response = answer_area(maija, maija_link, area, {items[0]: "4", items[1]: "dk"})
    assert response.status_code == 302
    stored = assessments.respondent_answers(db, respondent_of(db, maija_link)["id"])
    assert stored == {items[0]: 4, items[1]: None}
    # Pekka's page shows nothing of Maija's answers.
    assert not any(k.startswith("a-") for k in load_area(pekka, pekka_link, area))
    # A second save changes only what changed.
    response = answer_area(maija, maija_link, area, {items[0]: "2"})
    assert response.status_code == 302
    stored = assessments.respondent_answers(db, respondent_of(db, maija_link)["id"])
    assert stored == {items[0]: 2, items[1]: None}
    page = soup(maija.get(maija_link))
    assert "2/44" in page.find(class_="progress-summary").get_text()


def test_save_and_continue_goes_to_the_next_area(seeded, db, app):
    row = make_round(db, app, seeded)
    first, second = area_ids(app)[:2]
    browser, link = join(app, row["join_code"])
    data = load_area(browser, link, first)
    response = browser.post(f"{link}/areas/{first}", data=dict(data, action="continue"))
    assert response.headers["Location"] == f"{link}/areas/{second}"


def test_invalid_values_are_refused(seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    items = area_items(app, area)
    browser, link = join(app, row["join_code"])
    response = answer_area(browser, link, area, {items[0]: "7"})
    assert response.status_code == 400
    data = load_area(browser, link, area)
    data["a-not-an-item"] = "3"
    response = browser.post(f"{link}/areas/{area}", data=data)
    assert response.status_code == 400
    assert assessments.respondent_answers(db, respondent_of(db, link)["id"]) == {}


def test_two_tabs_of_one_respondent_never_drop_or_duplicate(seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    a, b, c = area_items(app, area)[:3]
    browser, link = join(app, row["join_code"])
    tab1 = load_area(browser, link, area)
    tab2 = load_area(browser, link, area)
    first = browser.post(f"{link}/areas/{area}", data=dict(tab1, **{f"a-{a}": "3", f"a-{b}": "1"}))
    assert first.status_code == 302
    # The second tab still shows the old page: its different value for `a` is a conflict,
    # its answer to `c` is saved, and `b` (untouched there) keeps the first tab's value.
    second = browser.post(f"{link}/areas/{area}", data=dict(tab2, **{f"a-{a}": "0", f"a-{c}": "4"}))
    assert second.status_code == 409
    assert "toisessa" in soup(second).find(id="conflicts").get_text()
    stored = assessments.respondent_answers(db, respondent_of(db, link)["id"])
    assert stored == {a: 3, b: 1, c: 4}
    # The same post sent twice (double click) changes nothing more.
    again = browser.post(f"{link}/areas/{area}", data=dict(tab1, **{f"a-{a}": "3", f"a-{b}": "1"}))
    assert again.status_code == 302
    assert assessments.respondent_answers(db, respondent_of(db, link)["id"]) == {a: 3, b: 1, c: 4}
    count = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    assert count == 3


# --- agreement ---------------------------------------------------------------------------------


def agreement_state(response) -> dict[str, str]:
    form = soup(response).find("form", class_="agreement-form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    for select in form.find_all("select"):
        chosen = select.find("option", selected=True)
        data[select["name"]] = chosen["value"] if chosen else ""
    for area in form.find_all("textarea"):
        data[area["name"]] = area.get_text()
    return data


def test_lead_records_agreed_stages(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    first, second = area_ids(app)[:2]
    data = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    data.update(
        {f"stage-{first}": "2", f"reason-{first}": "Strategia on hyväksytty.", f"stage-{second}": "0"}
    )
    response = lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert response.status_code == 302
    stored = rounds.agreements(db, row["id"])
    assert {a: (r["agreed_stage"], r["reason"]) for a, r in stored.items()} == {
        first: (2, "Strategia on hyväksytty."),
        second: (0, ""),
    }
    page = soup(lead.get(f"/assessments/{row['id']}/agreement"))
    assert page.find("select", attrs={"name": f"stage-{first}"}).find("option", selected=True)["value"] == "2"
    # Choosing "not agreed" removes the agreement.
    data = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    data[f"stage-{second}"] = ""
    lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert set(rounds.agreements(db, row["id"])) == {first}


@pytest.mark.parametrize(
    "field, value",
    [("stage", "6"), ("stage", "-1"), ("stage", "2.5"), ("stage", "kaksi"), ("reason", "x" * 501)],
)
def test_agreement_refuses_bad_values(lead, seeded, db, app, field, value):
    row = make_round(db, app, seeded)
    first = area_ids(app)[0]
    data = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    data[f"stage-{first}"] = "3"
    data[f"{field}-{first}"] = value
    response = lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert response.status_code == 400
    assert soup(response).find(class_="error-summary") is not None
    assert rounds.agreements(db, row["id"]) == {}


def test_agreement_is_for_leads_of_the_organisation(client, seeded, db, app):
    row = make_round(db, app, seeded)
    other = make_round(db, app, seeded, org="other")
    login(client, LEAD)
    data = agreement_state(client.get(f"/assessments/{row['id']}/agreement"))
    data[f"stage-{area_ids(app)[0]}"] = "3"
    assert client.post(f"/assessments/{other['id']}/agreement", data=data).status_code == 404
    post_form(client, "/logout", {}, token_from="/")
    login(client, VIEWER)
    data["csrf_token"] = csrf_token(client, f"/assessments/{row['id']}/round")
    assert client.post(f"/assessments/{row['id']}/agreement", data=data).status_code == 403
    assert rounds.agreements(db, row["id"]) == {}
    assert rounds.agreements(db, other["id"]) == {}


def test_two_leads_editing_the_agreement_keep_each_others_areas(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    first, second = area_ids(app)[:2]
    page_a = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    page_b = dict(page_a)
    lead.post(f"/assessments/{row['id']}/agreement", data=dict(page_a, **{f"stage-{first}": "2"}))
    response = lead.post(
        f"/assessments/{row['id']}/agreement",
        data=dict(page_b, **{f"stage-{first}": "4", f"stage-{second}": "1"}),
    )
    assert response.status_code == 302
    stored = {a: r["agreed_stage"] for a, r in rounds.agreements(db, row["id"]).items()}
    assert stored == {first: 2, second: 1}


# --- closing ---------------------------------------------------------------------------------


def test_closing_freezes_answers_and_agreement(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    items = area_items(app, area)
    browser, link = join(app, row["join_code"])
    answer_area(browser, link, area, {items[0]: "3"})
    stale_answers = load_area(browser, link, area)
    stale_agreement = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    page = lead.get(f"/assessments/{row['id']}/close")
    assert page.status_code == 200
    response = post_form(lead, f"/assessments/{row['id']}/close", {})
    assert response.status_code == 302
    assert rounds.get_round(db, row["id"])["status"] == "final"
    # The frozen team result is computed once and kept.
    assert (
        db.execute("SELECT COUNT(*) FROM result_cache WHERE assessment_id = ?", (row["id"],)).fetchone()[0]
        == 1
    )

    response = browser.post(f"{link}/areas/{area}", data=dict(stale_answers, **{f"a-{items[0]}": "0"}))
    assert response.status_code == 400
    assert "suljettu" in soup(response).find(class_="error-summary").get_text()
    assert assessments.respondent_answers(db, respondent_of(db, link)["id"]) == {items[0]: 3}
    # The respondent still sees their own answers, read-only.
    page = soup(browser.get(f"{link}/areas/{area}"))
    assert page.find("form", class_="area-form") is None

    stale_agreement[f"stage-{area}"] = "4"
    response = lead.post(f"/assessments/{row['id']}/agreement", data=stale_agreement)
    assert response.status_code == 400
    assert "suljettu" in soup(response).find(class_="error-summary").get_text()
    assert rounds.agreements(db, row["id"]) == {}
    # Closing twice is harmless.
    assert (
        post_form(
            lead, f"/assessments/{row['id']}/close", {}, token_from=f"/assessments/{row['id']}/round"
        ).status_code
        == 302
    )


def test_closed_round_becomes_the_counting_assessment(lead, seeded, db, app):
    single = assessments.create_assessment(
        db,
        org_id=seeded["org"]["id"],
        year=2026,
        questionnaire="quick",
        content_version=content_of(app).version,
        kind="single",
        created_by=None,
    )
    db["answers"].insert(
        {
            "respondent_id": assessments.shared_respondent(db, single["id"])["id"],
            "item": "strategia-1-g1",
            "value": 2,
            "updated_at": "2026-01-01T00:00:00+00:00",
        }
    )
    assessments.finalise(db, single["id"])
    assert assessments.get_assessment(db, single["id"])["counts"] == 1
    row = make_round(db, app, seeded)
    # The year has a counted result: closing asks which counts, never replaces it silently.
    assert post_form(lead, f"/assessments/{row['id']}/close", {}).status_code == 400
    assert rounds.get_round(db, row["id"])["status"] == "open"
    assert assessments.get_assessment(db, single["id"])["counts"] == 1
    post_form(lead, f"/assessments/{row['id']}/close", {"counts": "this"})
    assert assessments.get_assessment(db, row["id"])["counts"] == 1
    assert assessments.get_assessment(db, single["id"])["counts"] == 0


def test_closing_needs_csrf_and_lead(client, seeded, db, app):
    row = make_round(db, app, seeded)
    login(client, LEAD)
    assert client.post(f"/assessments/{row['id']}/close", data={}).status_code == 400
    assert rounds.get_round(db, row["id"])["status"] == "open"


# --- reliability ------------------------------------------------------------------------------


def test_fifty_respondents_saving_at_the_same_moment_lose_nothing(seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    items = area_items(app, area)
    people = [join(app, row["join_code"], f"Vastaaja {n}") for n in range(50)]
    pages = [load_area(browser, link, area) for browser, link in people]
    barrier = threading.Barrier(len(people))
    results: list[int | str] = [0] * len(people)

    def post(n: int) -> None:
        browser, link = people[n]
        data = dict(pages[n], action="save")
        data.update({f"a-{item}": str((n + k) % 5) for k, item in enumerate(items)})
        try:
            barrier.wait(timeout=30)
            results[n] = browser.post(f"{link}/areas/{area}", data=data).status_code
        except Exception as exc:  # reported below with the others
            results[n] = repr(exc)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results == [302] * len(people)
    by_respondent = assessments.answers_by_respondent(db, row["id"])
    assert len(by_respondent) == 50
    for n, (_browser, link) in enumerate(people):
        expected = {item: (n + k) % 5 for k, item in enumerate(items)}
        assert by_respondent[respondent_of(db, link)["id"]] == expected
    total = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
    assert total == 50 * len(items)


# --- team result ------------------------------------------------------------------------------


def render_team(app, assessment_id: int):
    """The team partials as the results page includes them (templates/rounds/_team.html)."""
    from bs4 import BeautifulSoup
    from flask import render_template

    from assess.pages.round_team import team_result
    from assess.state import content_at, get_db

    with app.test_request_context("/"):
        row = rounds.get_round(get_db(), assessment_id)
        team = team_result(get_db(), row, content_at(row["content_version"]))
        return BeautifulSoup(render_template("rounds/_team.html", team=team), "lxml")


def discuss_rows(page) -> dict[str, list[str]]:
    return {
        tr.th.find(class_="statement-text").get_text(strip=True): [
            td.get_text(strip=True) for td in tr.find_all("td")
        ]
        for table in page.find_all("table", class_="discuss-table")
        for tr in table.tbody.find_all("tr")
    }


@pytest.mark.parametrize("anonymous", [True, False])
def test_small_distributions_are_hidden_only_in_anonymous_rounds(seeded, db, app, anonymous):
    row = make_round(db, app, seeded, anonymous=anonymous)
    area = area_ids(app)[0]
    item = area_items(app, area)[0]
    statement = content_of(app).items[item].claim("fi")
    for value in ("0", "4"):
        browser, link = join(app, row["join_code"], None if anonymous else f"Henkilö {value}")
        answer_area(browser, link, area, {item: value})
    cells = discuss_rows(render_team(app, row["id"]))[statement]
    if anonymous:
        # Below three answers: no team value (here it would be 2, the two answers' median).
        assert cells == ["–", "Piilotettu nimettömyyden suojaamiseksi (alle 3 vastausta)."]
    else:
        assert cells == ["2", "1", "0", "0", "0", "1", "0"]
    browser, link = join(app, row["join_code"], None if anonymous else "Kolmas")
    answer_area(browser, link, area, {item: "1"})
    assert discuss_rows(render_team(app, row["id"]))[statement] == ["1", "1", "1", "0", "0", "1", "0"]


def test_spread_table_puts_the_most_divided_area_first_beside_computed_and_agreed(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    first, second = area_ids(app)[:2]
    first_items, second_items = area_items(app, first), area_items(app, second)
    for values in (
        {i: "4" for i in first_items} | {i: "0" for i in second_items},
        {i: "4" for i in first_items} | {i: "4" for i in second_items},
    ):
        browser, link = join(app, row["join_code"])
        answer_area(browser, link, first, {i: values[i] for i in first_items})
        answer_area(browser, link, second, {i: values[i] for i in second_items})
    rounds.save_agreements(db, row["id"], {first: (4, "Selvä.")}, {})
    page = render_team(app, row["id"])
    table = page.find("table", class_="spread-table")
    body = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.tbody("tr")]
    names = {a.id: a.title.fi for a in content_of(app).areas}
    assert body[0][0] == names[second] and body[0][1].startswith("4")
    assert body[0][2] == str(len(second_items))
    first_row = next(r for r in body if r[0] == names[first])
    assert first_row[1].startswith("0")
    assert first_row[3].startswith("vaihe 5/5") and first_row[4].startswith("vaihe 4/5")
    # Areas nobody answered have no spread and come last.
    assert body[-1][1] == "ei hajontaa"
    # Discuss lists only the divided area's items.
    assert set(discuss_rows(page)) == {content_of(app).items[i].claim("fi") for i in second_items}


def run_together(calls) -> list:
    """Run the callables at the same moment (a barrier) in threads; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(n: int) -> None:
        barrier.wait(timeout=30)
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_a_join_form_sent_twice_at_once_makes_one_respondent(seeded, db, app):
    row = make_round(db, app, seeded)
    browsers = [app.test_client() for _ in range(2)]
    page = browsers[0].get(f"/r/{row['join_code']}")
    nonce = soup(page).find("input", attrs={"name": "nonce"})["value"]
    csrf = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    # Both requests carry the same session cookie, as a double click does.
    cookie = browsers[0].get_cookie("session")
    browsers[1].set_cookie("session", cookie.value)
    data = {"name": "Maija", "nonce": nonce, "csrf_token": csrf}
    responses = run_together([lambda b=b: b.post(f"/r/{row['join_code']}", data=data) for b in browsers])
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert len(rounds.respondents(db, row["id"])) == 1


def test_an_area_form_sent_twice_at_once_stores_each_answer_once(seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    items = area_items(app, area)
    browser, link = join(app, row["join_code"])
    data = load_area(browser, link, area)
    data.update({f"a-{item}": "2" for item in items}, action="save")
    twin = app.test_client()
    twin.set_cookie("session", browser.get_cookie("session").value)
    responses = run_together([lambda c=c: c.post(f"{link}/areas/{area}", data=data) for c in (browser, twin)])
    assert [r.status_code for r in responses] == [302, 302]
    assert assessments.respondent_answers(db, respondent_of(db, link)["id"]) == {i: 2 for i in items}
    assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == len(items)


# --- the web team result and `assess score` agree --------------------------------------------


def _number(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(",", "."))


def web_team_result(page, app) -> dict:
    """Stage, index, spread and discuss per area, and the respondent count, read off the page."""
    import re

    names = {a.title.fi: a.id for a in content_of(app).areas}
    texts = {item.claim("fi"): item_id for item_id, item in content_of(app).items.items()}
    section = page.find("section", class_="team-spread")
    count = int(re.search(r"Perustuu (\d+) vastaajan", section.get_text()).group(1))
    areas = {}
    for tr in section.find("table", class_="spread-table").tbody.find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        computed = re.fullmatch(r"vaihe (\d)/5 \(indeksi ([\d,]+)\)", cells[3])
        areas[names[cells[0]]] = {
            "stage": int(computed.group(1)) if computed else None,
            "index": _number(computed.group(2)) if computed else None,
            "spread": None if cells[1] == "ei hajontaa" else _number(cells[1].split()[0]),
            "discuss": [],
        }
    discuss = page.find("section", class_="team-discuss")
    for heading in discuss.find_all("h3"):
        table = heading.find_next("table")
        areas[names[heading.get_text(strip=True)]]["discuss"] = [
            texts[tr.th.find(class_="statement-text").get_text(strip=True)]
            for tr in table.tbody.find_all("tr")
        ]
    return {"respondents": count, "areas": areas}


def test_web_team_result_and_assess_score_agree(lead, seeded, db, app, runner, tmp_path):
    import json
    import random

    rng = random.Random(20260401)
    row = make_round(db, app, seeded, anonymous=True)
    codes = ["0", "1", "2", "3", "4", "dk", None]
    files = []
    for n in range(4):
        browser, link = join(app, row["join_code"], None)
        answers: dict[str, int | None] = {}
        for area in area_ids(app):
            # Each respondent leans to a level per area, so areas differ in stage and spread.
            lean = rng.randrange(5)
            chosen = {}
            for item in area_items(app, area):
                code = rng.choice(codes + [str(lean)] * 4)
                if code is None:
                    continue
                chosen[item] = code
                answers[item] = None if code == "dk" else int(code)
            assert answer_area(browser, link, area, chosen).status_code == 302
        path = tmp_path / f"respondent-{n}.json"
        path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
        files.append(str(path))

    result = runner.invoke(args=["score", "quick", *files])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    response = lead.get(f"/assessments/{row['id']}/results")
    assert response.status_code == 200
    web = web_team_result(soup(response), app)
    assert web["respondents"] == cli["respondents"] == 4
    assert set(web["areas"]) == set(cli["areas"])
    for area, doc in cli["areas"].items():
        assert web["areas"][area] == {
            "stage": doc["stage"],
            "index": doc["index"],
            "spread": doc["spread"],
            "discuss": doc["discuss"],
        }, area
    # The data exercises the rules: some areas differ in stage, some items are to discuss.
    assert len({doc["stage"] for doc in cli["areas"].values()}) > 1
    assert any(doc["discuss"] for doc in cli["areas"].values())


@pytest.mark.parametrize("people", [0, 1])
def test_results_page_of_a_round_with_few_respondents(lead, seeded, db, app, people):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    for _ in range(people):
        browser, link = join(app, row["join_code"])
        answer_area(browser, link, area, {i: "3" for i in area_items(app, area)})
    response = lead.get(f"/assessments/{row['id']}/results")
    assert response.status_code == 200
    page = soup(response)
    assert page.find("section", class_="team-spread") is not None
    assert "Minkään väittämän vastaukset eivät eroa" in page.find("section", class_="team-discuss").get_text()


@pytest.mark.parametrize("path", ["round", "qr.svg", "agreement", "close"])
def test_lead_pages_need_sign_in(client, seeded, db, app, path):
    row = make_round(db, app, seeded)
    response = client.get(f"/assessments/{row['id']}/{path}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get(f"/orgs/{seeded['org']['id']}/rounds").status_code == 302


def test_answers_without_csrf_are_refused(seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    item = area_items(app, area)[0]
    browser, link = join(app, row["join_code"])
    data = load_area(browser, link, area)
    data.pop("csrf_token")
    data[f"a-{item}"] = "3"
    assert browser.post(f"{link}/areas/{area}", data=data).status_code == 400
    assert assessments.respondent_answers(db, respondent_of(db, link)["id"]) == {}


def test_pages_in_english(seeded, db, app):
    row = make_round(db, app, seeded)
    browser, link = join(app, row["join_code"])
    post_form(browser, "/language", {"lang": "en", "next": link}, token_from=link)
    page = soup(browser.get(link))
    assert page.find(id="save-link-heading").get_text(strip=True) == "Save this link"


def test_agreed_stage_other_than_computed_needs_a_reason(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    browser, link = join(app, row["join_code"])
    answer_area(browser, link, area, {item: "4" for item in area_items(app, area)})
    page = soup(lead.get(f"/assessments/{row['id']}/agreement"))
    # The stage choice names each stage by its step; the area's evidence is beside it.
    first_step = next(s for s in content_of(app).areas[0].steps if s.year == 1)
    option = page.find("select", attrs={"name": f"stage-{area}"}).find("option", value="1")
    assert option.get_text(strip=True) == f"1 – {first_step.title.fi}"
    assert page.find(id=f"agree-{area}").find(class_="agreement-evidence") is not None
    data = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    data[f"stage-{area}"] = "2"  # everyone answered "fully": computed 5
    response = lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert response.status_code == 400
    assert "sovittu vaihe poikkeaa lasketusta" in soup(response).find(class_="error-summary").get_text()
    assert rounds.agreements(db, row["id"]) == {}
    data[f"reason-{area}"] = "   "  # blank is no reason
    assert lead.post(f"/assessments/{row['id']}/agreement", data=data).status_code == 400
    # The same stage as computed needs none; a different one with its reason is saved.
    data[f"stage-{area}"] = "5"
    response = lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert response.status_code == 302
    assert rounds.agreements(db, row["id"])[area]["agreed_stage"] == 5
    data = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    data.update({f"stage-{area}": "3", f"reason-{area}": "Dokumentointi puuttuu."})
    response = lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert response.status_code == 302
    assert rounds.agreements(db, row["id"])[area]["reason"] == "Dokumentointi puuttuu."
    # After saving, the way on to the result is on the page.
    page = soup(lead.get(response.headers["Location"]))
    assert page.find("a", href=f"/assessments/{row['id']}/results", class_="button")


def test_agreement_reason_rule_speaks_english(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    browser, link = join(app, row["join_code"])
    answer_area(browser, link, area, {item: "4" for item in area_items(app, area)})
    post_form(lead, "/language", {"lang": "en", "next": "/"}, token_from="/")
    data = agreement_state(lead.get(f"/assessments/{row['id']}/agreement"))
    data[f"stage-{area}"] = "1"
    response = lead.post(f"/assessments/{row['id']}/agreement", data=data)
    assert response.status_code == 400
    assert "the agreed stage differs from the computed one" in response.get_data(as_text=True)


def test_team_result_counts_only_who_answered_and_says_who_only_joined(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    area = area_ids(app)[0]
    for name in ("Maija", "Pekka"):
        browser, link = join(app, row["join_code"], name)
        answer_area(browser, link, area, {area_items(app, area)[0]: "3"})
    join(app, row["join_code"], "Liisa")  # joined, answered nothing
    page = soup(lead.get(f"/assessments/{row['id']}/agreement"))
    lead_text = page.find(class_="lead").get_text(" ", strip=True)
    assert "2 vastaajan" in lead_text
    assert "Lisäksi 1 liittyi vastaamatta" in lead_text
    page = soup(lead.get(f"/assessments/{row['id']}/results"))
    spread = page.find(class_="team-spread").get_text(" ", strip=True)
    assert "2 vastaajan" in spread or "2 vastaajaa" in spread
    assert "Lisäksi 1 liittyi vastaamatta" in spread


def test_closing_warns_about_who_has_not_finished(lead, seeded, db, app):
    row = make_round(db, app, seeded)
    everything = all_items(app)
    done, link_done = join(app, row["join_code"], "Maija")
    for area in area_ids(app):
        answer_area(done, link_done, area, {i: "2" for i in area_items(app, area)})
    half, link_half = join(app, row["join_code"], "Pekka")
    answer_area(half, link_half, area_ids(app)[0], {everything[0]: "1"})
    join(app, row["join_code"], "Liisa")
    warning = soup(lead.get(f"/assessments/{row['id']}/close")).find(class_="close-unfinished")
    assert warning is not None
    assert "2 vastaajaa ei ole vastannut kaikkeen" in warning.get_text(" ", strip=True)
    names = [li.get_text(strip=True) for li in warning.select(".unfinished-names li")]
    assert names == ["Pekka", "Liisa"]
    # Everyone finished: no warning.
    other = make_round(db, app, seeded, year=2027)
    browser, link = join(app, other["join_code"], "Maija")
    for area in area_ids(app):
        answer_area(browser, link, area, {i: "dk" for i in area_items(app, area)})
    assert soup(lead.get(f"/assessments/{other['id']}/close")).find(class_="close-unfinished") is None


def test_closing_an_anonymous_round_warns_with_a_count_only(lead, seeded, db, app):
    row = make_round(db, app, seeded, anonymous=True)
    join(app, row["join_code"], None)
    join(app, row["join_code"], None)
    warning = soup(lead.get(f"/assessments/{row['id']}/close")).find(class_="close-unfinished")
    assert "2 vastaajaa ei ole vastannut kaikkeen" in warning.get_text(" ", strip=True)
    assert warning.select(".unfinished-names li") == []


def _closed_round_with_answers(lead, db, app, seeded, *, anonymous=False, show=True):
    row = make_round(db, app, seeded, anonymous=anonymous)
    area = area_ids(app)[0]
    items = area_items(app, area)
    people = []
    for values in (("4", "dk"), ("2", "1"), ("3", "1")):
        browser, link = join(app, row["join_code"], None if anonymous else f"V{values[0]}")
        answer_area(browser, link, area, {items[0]: values[0], items[1]: values[1]})
        people.append((browser, link))
    if show:
        assert (
            post_form(
                lead,
                f"/assessments/{row['id']}/round/options",
                {"show_team": "1"},
                token_from=f"/assessments/{row['id']}/round",
            ).status_code
            == 302
        )
    return row, items, people


def test_respondent_sees_own_answers_beside_the_team_after_closing(lead, seeded, db, app):
    row, items, people = _closed_round_with_answers(lead, db, app, seeded)
    browser, link = people[0]
    # Turned on, but the round is still open: not yet.
    assert browser.get(f"{link}/compare").status_code == 404
    post_form(lead, f"/assessments/{row['id']}/close", {})
    home = soup(browser.get(link))
    assert home.find("a", href=f"{link}/compare")
    page = soup(browser.get(f"{link}/compare"))
    first_row = page.select(".compare-table tbody tr")[0]
    assert first_row.select_one(".own-answer").get_text(" ", strip=True).startswith("4")
    assert first_row.select_one(".team-value").get_text(strip=True) == "3"
    second_row = page.select(".compare-table tbody tr")[1]
    assert second_row.select_one(".own-answer").get_text(strip=True) == "en osaa sanoa"
    assert second_row.select_one(".team-value").get_text(strip=True) == "1"


def test_respondent_view_is_refused_when_off_and_for_another_rounds_link(lead, seeded, db, app):
    row, _items, people = _closed_round_with_answers(lead, db, app, seeded, show=False)
    post_form(lead, f"/assessments/{row['id']}/close", {})
    browser, link = people[0]
    response = browser.get(f"{link}/compare")
    assert response.status_code == 404
    assert not soup(browser.get(link)).find("a", href=f"{link}/compare")
    # A link of this round with another round's code is no link at all.
    other = make_round(db, app, seeded, year=2027)
    token = link.rsplit("/", 1)[1]
    assert browser.get(f"/r/{other['join_code']}/{token}/compare").status_code == 404
    # Turned on after closing: now shown. Off again: refused again.
    post_form(
        lead,
        f"/assessments/{row['id']}/round/options",
        {"show_team": "1"},
        token_from=f"/assessments/{row['id']}/round",
    )
    assert browser.get(f"{link}/compare").status_code == 200
    post_form(
        lead,
        f"/assessments/{row['id']}/round/options",
        {"show_team": "0"},
        token_from=f"/assessments/{row['id']}/round",
    )
    assert browser.get(f"{link}/compare").status_code == 404
    # Bad input changes nothing; a viewer may not set it.
    response = post_form(
        lead,
        f"/assessments/{row['id']}/round/options",
        {"show_team": "2"},
        token_from=f"/assessments/{row['id']}/round",
    )
    assert response.status_code == 400
    assert rounds.get_round(db, row["id"])["show_team_to_respondents"] == 0


def test_anonymous_respondent_view_hides_items_fewer_than_three_valued(lead, seeded, db, app):
    row, _items, people = _closed_round_with_answers(lead, db, app, seeded, anonymous=True)
    post_form(lead, f"/assessments/{row['id']}/close", {})
    browser, link = people[0]
    page = soup(browser.get(f"{link}/compare"))
    rows = page.select(".compare-table tbody tr")
    assert rows[0].select_one(".team-value").get_text(strip=True) == "3"  # 4, 2, 3 valued
    assert rows[1].select_one(".team-value").get_text(strip=True) == "–"  # only 2 valued
