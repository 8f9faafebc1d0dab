"""One area-answering flow for a lead (single assessment) and a respondent (team round): the
two pages show the same form, the same area list and the same notices, and differ only in
their frame and in whose words they speak."""

from __future__ import annotations

import re

from assess import joincodes
from assess.storage import assessments, rounds
from tests.conftest import form_state, soup


def content_of(app):
    return app.extensions["content"]


def area_items(app, area: str) -> list[str]:
    content = content_of(app)
    steps = dict(content.area_items(content.questionnaire("quick")))[area]
    return [i for _s, ids in steps for i in ids]


def area_ids(app) -> list[str]:
    return [a.id for a in content_of(app).areas]


def single(db, app, seeded) -> dict:
    return assessments.create_assessment(
        db,
        org_id=seeded["org"]["id"],
        year=2025,
        questionnaire="quick",
        content_version=content_of(app).version,
        kind="single",
        created_by=seeded["lead"]["id"],
    )


def respondent_link(db, app, seeded) -> tuple[object, str, dict]:
    """A respondent of a new round (joined through storage); (browser, personal link, round)."""
    row = rounds.open_round(
        db,
        org_id=seeded["org"]["id"],
        year=2026,
        questionnaire="quick",
        content_version=content_of(app).version,
        created_by=seeded["lead"]["id"],
        anonymous=False,
        deadline=None,
    )
    token = joincodes.new_token()
    rounds.join(db, row["id"], token, "Maija")
    return app.test_client(), f"/r/{row['join_code']}/{token}", row


def respondent_id(db, link: str) -> int:
    _r, code, token = link.rsplit("/", 2)
    found = rounds.find_respondent(db, code, token)
    assert found is not None
    return found[1]["id"]


def form_markup(response) -> str:
    """The area form as HTML, without the CSRF token's value (a new one on every page)."""
    form = soup(response).find("form", class_="area-form")
    assert form is not None
    return re.sub(
        r'(name="csrf_token"[^>]*value=")[^"]*"|(value=")[^"]*("[^>]*name="csrf_token")',
        r"\1\2TOKEN\3",
        str(form),
    )


def area_list(response) -> list[tuple[str, str]]:
    nav = soup(response).find("nav", class_="area-nav")
    assert nav is not None, "no list of areas on the page"
    return [(a.contents[0].strip(), a.find(class_="area-nav-count").get_text()) for a in nav("a")]


def test_lead_and_respondent_get_the_same_form_for_the_same_area(app, db, seeded, lead):
    a = single(db, app, seeded)
    browser, link, _row = respondent_link(db, app, seeded)
    for area in area_ids(app):
        lead_page = lead.get(f"/assessments/{a['id']}/areas/{area}")
        own_page = browser.get(f"{link}/areas/{area}")
        assert lead_page.status_code == own_page.status_code == 200
        # Same statements, labels, answer scale, field names, ids and buttons.
        assert form_markup(lead_page) == form_markup(own_page), area
        assert area_list(lead_page) == area_list(own_page)
        for selector in ("h1", ".progress-line", ".pager"):
            lead_text = soup(lead_page).select_one(selector).get_text(" ", strip=True)
            own_text = soup(own_page).select_one(selector).get_text(" ", strip=True)
            assert lead_text == own_text, selector
    # The frame differs: the organisation's navigation only on the lead's page.
    assert soup(lead_page).find("nav", class_="org-nav") is not None
    assert soup(own_page).find("nav", class_="org-nav") is None


def test_respondent_page_lists_the_areas_with_own_counts(app, db, seeded):
    browser, link, _row = respondent_link(db, app, seeded)
    first, second = area_ids(app)[:2]
    items = area_items(app, first)
    data = form_state(browser.get(f"{link}/areas/{first}"))
    data.update({f"a-{items[0]}": "3", f"a-{items[1]}": "dk"})
    assert browser.post(f"{link}/areas/{first}", data=dict(data, action="save")).status_code == 302
    page = browser.get(f"{link}/areas/{second}")
    listed = area_list(page)
    titles = [content_of(app).area(a).title.get("fi") for a in area_ids(app)]
    assert [title for title, _count in listed] == titles
    assert listed[0][1] == f"2/{len(items)}"
    links = [a["href"] for a in soup(page).find("nav", class_="area-nav")("a")]
    assert links == [f"{link}/areas/{a}" for a in area_ids(app)]
    assert (
        soup(page).find("nav", class_="area-nav").find("a", attrs={"aria-current": "page"})["href"]
        == f"{link}/areas/{second}"
    )


def _two_tabs(browser, link: str, area: str, first: dict[str, str], second: dict[str, str]):
    tab1 = form_state(browser.get(f"{link}/areas/{area}"))
    tab2 = form_state(browser.get(f"{link}/areas/{area}"))
    assert browser.post(f"{link}/areas/{area}", data=dict(tab1, **first)).status_code == 302
    return browser.post(f"{link}/areas/{area}", data=dict(tab2, **second))


def test_respondent_is_not_told_other_changes_were_saved_when_there_were_none(app, db, seeded):
    browser, link, _row = respondent_link(db, app, seeded)
    area = area_ids(app)[0]
    a, b = area_items(app, area)[:2]
    # The second tab changes only the answer the first tab already changed: nothing else to save.
    response = _two_tabs(browser, link, area, {f"a-{a}": "3"}, {f"a-{a}": "1"})
    assert response.status_code == 409
    notice = soup(response).find(id="conflicts")
    assert "toisessa" in notice.get_text()
    assert "Muut muutoksesi tallennettiin" not in notice.get_text()
    assert assessments.respondent_answers(db, respondent_id(db, link)) == {a: 3}
    # With another change besides the conflict, that one is saved and the notice says so.
    response = _two_tabs(browser, link, area, {f"a-{a}": "4"}, {f"a-{a}": "0", f"a-{b}": "2"})
    assert response.status_code == 409
    assert "Muut muutoksesi tallennettiin" in soup(response).find(id="conflicts").get_text()
    assert assessments.respondent_answers(db, respondent_id(db, link)) == {a: 4, b: 2}


def test_respondent_conflict_shows_what_was_saved_meanwhile_as_the_lead_sees_it(app, db, seeded):
    browser, link, _row = respondent_link(db, app, seeded)
    area = area_ids(app)[0]
    a = area_items(app, area)[0]
    response = _two_tabs(browser, link, area, {f"a-{a}": "3"}, {f"a-{a}": "1"})
    page = soup(response)
    # The same notice as on the lead's page (class and heading level), in the respondent's words.
    notice = page.find(class_="conflict-notice")
    assert notice is not None and "answer-notice" in notice["class"]
    listed = notice.find("ul").get_text(" ", strip=True)
    assert content_of(app).items[a].claim("fi").rstrip(".") + ": sinun vastauksesi" in listed
    assert ".:" not in listed
    assert "vähän" in listed and "pääosin" in listed  # yours 1, kept 3
    # The form now holds what was saved meanwhile, so the next save is no conflict.
    assert page.find("input", attrs={"name": f"a-{a}", "value": "3"}).has_attr("checked")


def test_post_after_the_round_closed_saves_nothing_and_shows_the_answers_read_only(app, db, seeded, lead):
    browser, link, row = respondent_link(db, app, seeded)
    area = area_ids(app)[0]
    a = area_items(app, area)[0]
    stale = form_state(browser.get(f"{link}/areas/{area}"))
    rounds.close_round(db, row["id"])  # closed while the respondent's page was open
    response = browser.post(f"{link}/areas/{area}", data=dict(stale, **{f"a-{a}": "2"}))
    assert response.status_code == 400
    page = soup(response)
    assert "suljettu" in page.find(class_="error-summary").get_text()
    assert page.find("form", class_="area-form") is None
    assert page.find("p", class_="answer-notice") is not None
    assert assessments.respondent_answers(db, respondent_id(db, link)) == {}
