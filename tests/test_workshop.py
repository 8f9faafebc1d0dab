"""Workshop mode: starting it, the projector's state and controls, the agreed stage, and the
participants' phones (state, answers, reload, end)."""

from __future__ import annotations

import re

import pytest

from assess import workshop
from assess.storage import assessments, rounds, workshops
from tests.conftest import LEAD, VIEWER, csrf_token, login, post_form, soup

# --- helpers ---------------------------------------------------------------------------


def content_of(app):
    return app.extensions["content"]


def walk(app, questionnaire: str = "quick") -> list[workshop.Slide]:
    content = content_of(app)
    return workshop.build_slides(content, content.questionnaire(questionnaire))


def make_round(db, app, seeded, *, anonymous=False, org="org", questionnaire="quick") -> dict:
    return rounds.open_round(
        db,
        org_id=seeded[org]["id"],
        year=2026,
        questionnaire=questionnaire,
        content_version=content_of(app).version,
        created_by=seeded["lead"]["id"],
        anonymous=anonymous,
    )


def join(app, code: str, name: str | None = "Maija"):
    """A fresh phone joins the round; returns (its client, the personal link path)."""
    phone = app.test_client()
    page = phone.get(f"/r/{code}")
    assert page.status_code == 200
    data = {"nonce": soup(page).find("input", attrs={"name": "nonce"})["value"]}
    if name is not None:
        data["name"] = name
    response = post_form(phone, f"/r/{code}", data, token_from=f"/r/{code}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return phone, response.headers["Location"]


def live_token(phone, link: str) -> str:
    html = phone.get(f"{link}/live").get_data(as_text=True)
    tag = soup_html(html).find("meta", attrs={"name": "csrf-token"})
    assert tag is not None
    return tag["content"]


def soup_html(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def answer(phone, link: str, item: str, value, *, token: str | None = None):
    token = token or live_token(phone, link)
    return phone.post(
        f"{link}/live/answer", json={"item": item, "value": value}, headers={"X-CSRFToken": token}
    )


def projector_token(client, round_id: int) -> str:
    return csrf_token(client, f"/assessments/{round_id}/workshop")


def act(client, round_id: int, action: str, data: dict, *, as_json: bool = True):
    headers = {"Accept": "application/json"} if as_json else {}
    data = dict(data, csrf_token=projector_token(client, round_id))
    return client.post(f"/assessments/{round_id}/workshop/{action}", data=data, headers=headers)


def start(client, round_id: int):
    return post_form(
        client, f"/assessments/{round_id}/workshop/start", {}, token_from=f"/assessments/{round_id}/round"
    )


@pytest.fixture
def room(app, db, seeded, lead):
    """A quick round with a started workshop and two joined phones."""
    row = make_round(db, app, seeded)
    assert start(lead, row["id"]).status_code == 302
    phones = [join(app, row["join_code"], name) for name in ("Maija", "Pekka")]
    return {"round": row, "phones": phones, "slides": walk(app)}


# --- the walk (pure) ---------------------------------------------------------------------


def test_quick_walks_area_by_area_and_full_step_by_step(app):
    quick = walk(app, "quick")
    # Area by area; an area too long for one slide at the projector's floor type in parts.
    assert list(dict.fromkeys(s.area for s in quick)) == [a.id for a in content_of(app).areas]
    assert all(s.step is None for s in quick)
    assert all(s.id == f"area:{s.area}" if s.parts == 1 else s.id == f"area:{s.area}:{s.part}" for s in quick)
    assert sum(len(s.items) for s in quick) == 44
    assert sum(s.last_of_area for s in quick) == len(content_of(app).areas)
    assert all(s.last_of_area == (s.part == s.parts) for s in quick)
    full = walk(app, "full")
    content = content_of(app)
    assert sum(len(s.items) for s in full) == len(content.questionnaire("full").items)
    assert all(len(s.items) <= workshop.MAX_SLIDE_ITEMS for s in full)
    # Every step is on its own slide(s), in roadmap order; long steps are split into parts.
    steps = [s.step for s in full]
    assert list(dict.fromkeys(steps)) == [
        s
        for s in content.steps
        if any(content.items[i].step == s for i in content.questionnaire("full").items)
    ]
    assert len(full) > 40 and len({s.id for s in full}) == len(full)
    assert sum(s.last_of_area for s in full) == len(content.areas)


# --- starting ----------------------------------------------------------------------------


def test_round_page_offers_start_and_start_opens_the_projector(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    page = soup(lead.get(f"/assessments/{row['id']}/round"))
    form = page.find("form", action=f"/assessments/{row['id']}/workshop/start")
    assert form is not None and form.find("button")
    response = start(lead, row["id"])
    assert response.status_code == 302
    # A new workshop opens on how to join: code, address and QR large, the room's count.
    assert response.headers["Location"].endswith(f"/assessments/{row['id']}/workshop/opening")
    opening = soup(lead.get(response.headers["Location"]))
    assert opening.select_one(".ws-opening-code").get_text(" ", strip=True).endswith(row["join_code"])
    assert opening.find("img", class_="ws-opening-qr")["src"] == f"/assessments/{row['id']}/qr.svg"
    assert opening.find(attrs={"data-room": True}).get_text() == "0"
    assert opening.find("a", attrs={"data-key": "next"})["href"] == f"/assessments/{row['id']}/workshop"
    assert workshops.get(db, row["id"])["position"] == 0
    # Starting again keeps where the workshop was.
    workshops.move(db, row["id"], 3, 8)
    again = start(lead, row["id"])
    assert again.headers["Location"].endswith(f"/assessments/{row['id']}/workshop")
    assert workshops.get(db, row["id"])["position"] == 3
    page = soup(lead.get(f"/assessments/{row['id']}/round"))
    assert page.find("a", href=f"/assessments/{row['id']}/workshop")


def test_start_needs_csrf_and_a_lead_of_the_organisation(app, client, db, seeded):
    row = make_round(db, app, seeded)
    other = make_round(db, app, seeded, org="other")
    token = csrf_token(client, "/login")
    response = client.post(f"/assessments/{row['id']}/workshop/start", data={"csrf_token": token})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, VIEWER)
    token = csrf_token(client, f"/assessments/{row['id']}/round")
    assert (
        client.post(f"/assessments/{row['id']}/workshop/start", data={"csrf_token": token}).status_code == 403
    )
    client.post("/logout", data={"csrf_token": token})
    login(client, LEAD)
    assert client.post(f"/assessments/{row['id']}/workshop/start").status_code == 400  # no CSRF
    token = csrf_token(client, f"/assessments/{row['id']}/round")
    assert (
        client.post(f"/assessments/{other['id']}/workshop/start", data={"csrf_token": token}).status_code
        == 404
    )
    assert client.get(f"/assessments/{other['id']}/workshop/state").status_code == 404
    assert workshops.get(db, row["id"]) is None and workshops.get(db, other["id"]) is None


def test_no_workshop_on_a_closed_round(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    token = csrf_token(lead, f"/assessments/{row['id']}/round")
    rounds.close_round(db, row["id"])
    response = lead.post(f"/assessments/{row['id']}/workshop/start", data={"csrf_token": token})
    assert response.status_code == 400
    assert workshops.get(db, row["id"]) is None
    assert lead.get(f"/assessments/{row['id']}/workshop").status_code == 404


def test_projector_of_an_unstarted_workshop_is_404(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    assert lead.get(f"/assessments/{row['id']}/workshop").status_code == 404
    assert lead.get(f"/assessments/{row['id']}/workshop/state").status_code == 404


def test_viewer_cannot_open_the_projector(app, client, db, seeded, room):
    login(client, VIEWER)
    assert client.get(f"/assessments/{room['round']['id']}/workshop").status_code == 403


# --- the projector ---------------------------------------------------------------------


def test_projector_shows_statements_counts_and_join_code(app, lead, room):
    row, slides = room["round"], room["slides"]
    phone, link = room["phones"][0]
    answer(phone, link, slides[0].items[0], 3)
    page = soup(lead.get(f"/assessments/{row['id']}/workshop"))
    assert len(page.find_all("h1")) == 1
    rows = page.select(".ws-table tbody tr")
    assert len(rows) == len(slides[0].items)
    first = content_of(app).items[slides[0].items[0]]
    # The statement with its step (a per-area slide mixes steps); source and guidance are on
    # the phones, so the projector keeps its lines for the statements.
    assert rows[0].find(class_="ws-claim").get_text(strip=True) == first.claim("fi")
    step = content_of(app).steps[first.step]
    assert rows[0].find(class_="ws-step").get_text(strip=True) == f"Vuosi {step.year}: {step.title.fi}"
    assert rows[0].find(class_="ws-source") is None
    assert page.find(attrs={"data-count-for": slides[0].items[0]}).get_text() == "1"
    assert page.find(attrs={"data-count-for": slides[0].items[1]}).get_text() == "0"
    assert page.find(attrs={"data-room": True}).get_text() == "2"
    join_panel = page.find(attrs={"data-region": "join"})
    assert not join_panel.has_attr("hidden")
    assert row["join_code"] in join_panel.get_text()
    assert join_panel.find("img", src=f"/assessments/{row['id']}/qr.svg")
    assert not page.select(".ws-dist")  # votes hidden until revealed
    assert page.find("script", src=re.compile(r"^/static/js/projector\.js\?v=[0-9a-f]+$"))
    assert not page.find("script", src=None)  # no inline scripts


def test_state_hides_distributions_until_revealed(app, lead, room):
    row, slides = room["round"], room["slides"]
    item = slides[0].items[0]
    for (phone, link), value in zip(room["phones"], (1, 3), strict=True):
        answer(phone, link, item, value)
    answer(*room["phones"][0], slides[0].items[1], None)
    state = lead.get(f"/assessments/{row['id']}/workshop/state").get_json()
    assert state["position"] == 0 and state["slide"] == slides[0].id
    assert state["revealed"] is False and state["respondents"] == 2
    by_id = {i["id"]: i for i in state["items"]}
    assert by_id[item] == {"id": item, "answered": 2}
    assert by_id[slides[0].items[1]] == {"id": slides[0].items[1], "answered": 1}
    assert "distribution" not in str(state)

    revealed = act(lead, row["id"], "reveal", {"value": "1"}).get_json()
    assert revealed["revealed"] is True
    by_id = {i["id"]: i for i in revealed["items"]}
    assert by_id[item]["distribution"] == {"0": 0, "1": 1, "2": 0, "3": 1, "4": 0}
    assert by_id[item]["value"] == 2.0
    assert by_id[slides[0].items[1]]["dont_know"] == 1
    assert by_id[slides[0].items[1]]["value"] is None

    page = soup(lead.get(f"/assessments/{row['id']}/workshop"))
    first = page.select(".ws-table tbody tr")[0]
    numbers = [n.get_text() for n in first.select(".ws-num")]
    assert numbers == ["0", "1", "0", "1", "0", "0"]
    assert first.select_one(".ws-value").get_text(strip=True) == "2"


def test_anonymous_round_hides_small_distributions(app, db, seeded, lead):
    row = make_round(db, app, seeded, anonymous=True)
    start(lead, row["id"])
    item = walk(app)[0].items[0]
    phone, link = join(app, row["join_code"], None)
    answer(phone, link, item, 2)
    state = act(lead, row["id"], "reveal", {"value": "1"}).get_json()
    entry = next(i for i in state["items"] if i["id"] == item)
    assert entry["answered"] == 1 and entry["distribution"] is None
    assert soup(lead.get(f"/assessments/{row['id']}/workshop")).select_one(".ws-hidden-dist")


def test_next_previous_reveal_and_code_are_posts_that_persist(app, db, lead, room):
    row, slides = room["round"], room["slides"]
    rid = row["id"]
    assert lead.get(f"/assessments/{rid}/workshop/move").status_code == 405  # never a GET
    state = act(lead, rid, "reveal", {"value": "1"}).get_json()
    assert state["revealed"] is True
    state = act(lead, rid, "move", {"to": "1"}).get_json()
    assert state["position"] == 1 and state["slide"] == slides[1].id
    assert state["revealed"] is False  # a new slide starts hidden
    # The same move again (a retry) changes nothing; moving back works.
    act(lead, rid, "reveal", {"value": "1"})
    assert act(lead, rid, "move", {"to": "1"}).get_json()["revealed"] is True
    assert act(lead, rid, "move", {"to": "0"}).get_json()["position"] == 0
    # Out of range is clamped; the end slide ends the workshop.
    state = act(lead, rid, "move", {"to": "99"}).get_json()
    assert state["position"] == len(slides) and state["ended"] is True and state["slide"] == "end"
    state = act(lead, rid, "move", {"to": "-5"}).get_json()
    assert state["position"] == 0 and state["ended"] is False
    state = act(lead, rid, "code", {"value": "0"}).get_json()
    assert state["show_code"] is False
    page = soup(lead.get(f"/assessments/{rid}/workshop"))
    assert page.find(attrs={"data-region": "join"}).has_attr("hidden")
    # A plain form post (no JavaScript) redirects back to the projector.
    response = act(lead, rid, "move", {"to": "2"}, as_json=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/workshop")
    assert workshops.get(db, rid)["position"] == 2  # a reload continues here
    page = soup(lead.get(f"/assessments/{rid}/workshop"))
    assert page.select_one(".ws-head h1").get_text() == content_of(app).area(slides[2].area).title.fi


def test_state_changes_refuse_bad_input_and_missing_csrf(app, db, lead, room):
    rid = room["round"]["id"]
    assert lead.post(f"/assessments/{rid}/workshop/move", data={"to": "1"}).status_code == 400
    response = act(lead, rid, "move", {"to": "next"})
    assert response.status_code == 400 and response.get_json()["error"]
    response = act(lead, rid, "reveal", {"value": "yes"})
    assert response.status_code == 400 and response.get_json()["error"]
    assert act(lead, rid, "reveal", {"value": "yes"}, as_json=False).status_code == 400
    state = workshops.get(db, rid)
    assert (state["position"], state["revealed"]) == (0, 0)


def test_agreed_stage_is_recorded_on_the_projector(app, db, lead, room):
    rid, slides = room["round"]["id"], room["slides"]
    area = slides[0].area
    last = next(s for s in slides if s.last_of_area)
    act(lead, rid, "move", {"to": str(last.position)})
    # The agreement form appears after the reveal, on the area's last slide.
    assert not soup(lead.get(f"/assessments/{rid}/workshop")).select_one(".ws-agree-form")
    act(lead, rid, "reveal", {"value": "1"})
    form = soup(lead.get(f"/assessments/{rid}/workshop")).select_one(".ws-agree-form")
    assert form is not None
    assert len(form.find_all("input", attrs={"type": "radio"})) == 6
    for radio in form.find_all("input", attrs={"type": "radio"}):
        assert form.find("label", attrs={"for": radio["id"]})
    response = act(
        lead,
        rid,
        "agree",
        {"area": area, "stage": "2", "reason": "Sovittu yhdessä", "base_stage": "", "base_reason": ""},
    )
    assert response.status_code == 200 and response.get_json()["message"]
    assert rounds.agreements(db, rid)[area]["agreed_stage"] == 2
    assert rounds.agreements(db, rid)[area]["reason"] == "Sovittu yhdessä"
    page = soup(lead.get(f"/assessments/{rid}/workshop"))
    assert "Sovittu yhdessä" in page.select_one(".ws-recorded").get_text()
    # A form showing the old agreement, posted after another change, is a conflict.
    response = act(
        lead, rid, "agree", {"area": area, "stage": "4", "reason": "", "base_stage": "", "base_reason": ""}
    )
    assert response.status_code == 409
    assert rounds.agreements(db, rid)[area]["agreed_stage"] == 2
    # Bad input: stage out of range, unknown area; nothing changes.
    for data in ({"area": area, "stage": "6"}, {"area": "nope", "stage": "1"}, {"area": area}):
        response = act(
            lead, rid, "agree", dict(data, base_stage="2", base_reason="Sovittu yhdessä"), as_json=False
        )
        assert response.status_code == 400
        assert soup(response).select_one(".error-summary")
    assert rounds.agreements(db, rid)[area]["agreed_stage"] == 2
    # The plain form post redirects back to the projector.
    response = act(
        lead,
        rid,
        "agree",
        {"area": area, "stage": "3", "reason": "", "base_stage": "2", "base_reason": "Sovittu yhdessä"},
        as_json=False,
    )
    assert response.status_code == 302
    assert rounds.agreements(db, rid)[area]["agreed_stage"] == 3


def test_an_agreed_stage_other_than_the_computed_one_needs_a_reason_on_the_projector(app, db, lead, room):
    # The same rule as the agreement page: the next reader must see why the team overrode
    # the answers. Both phones answer every statement of the area "not at all": stage 0.
    rid, slides = room["round"]["id"], room["slides"]
    area = slides[0].area
    items = [i for i in content_of(app).questionnaire("quick").items if i.startswith(f"{area}-")]
    for n in range(2):
        who, _ = rounds.join(db, rid, f"phone{n}".ljust(32, "x"), None)
        assessments.save_area(
            db,
            respondent_id=who["id"],
            area=area,
            changes=dict.fromkeys(items, 0),
            base={},
            comment=None,
            base_comment=None,
        )
    last = next(s for s in slides if s.last_of_area and s.area == area)
    act(lead, rid, "move", {"to": str(last.position)})
    act(lead, rid, "reveal", {"value": "1"})
    blank = {"area": area, "base_stage": "", "base_reason": ""}
    response = act(lead, rid, "agree", dict(blank, stage="2", reason="  "))
    assert response.status_code == 400
    assert "sovittu vaihe poikkeaa lasketusta" in response.get_json()["error"]
    page = act(lead, rid, "agree", dict(blank, stage="2", reason=""), as_json=False)
    assert page.status_code == 400
    assert "perustelu" in soup(page).select_one(".error-summary").get_text()
    assert area not in rounds.agreements(db, rid)
    # The computed stage itself needs no reason; another one with a reason is recorded.
    assert act(lead, rid, "agree", dict(blank, stage="0", reason="")).status_code == 200
    response = act(
        lead,
        rid,
        "agree",
        {"area": area, "stage": "2", "reason": "Sovittu yhdessä", "base_stage": "0", "base_reason": ""},
    )
    assert response.status_code == 200
    assert rounds.agreements(db, rid)[area]["agreed_stage"] == 2


def test_end_slide_summarises_computed_and_agreed_stages(app, db, lead, room):
    rid, slides = room["round"]["id"], room["slides"]
    rounds.save_agreements(db, rid, {slides[0].area: (1, "Aloitetaan")}, {})
    act(lead, rid, "move", {"to": str(len(slides))})
    page = soup(lead.get(f"/assessments/{rid}/workshop"))
    rows = page.select(".ws-summary tbody tr")
    assert len(rows) == len(content_of(app).areas)
    # Stages are named by their steps, readable from the back; the reasons stay on the pages.
    first = content_of(app).areas[0]
    step_one = next(s for s in first.steps if s.year == 1)
    agreed = rows[0].select_one(".ws-agreed")
    assert agreed.select_one(".ws-stage-no").get_text(strip=True) == "1"
    assert agreed.select_one(".ws-stage-title").get_text(strip=True) == step_one.title.fi
    assert page.find("button", attrs={"data-key": "next"}).has_attr("disabled")


# --- phones --------------------------------------------------------------------------------


def test_personal_page_links_to_a_running_workshop(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    phone, link = join(app, row["join_code"])
    assert not soup(phone.get(link)).find("a", href=f"{link}/live")
    start(lead, row["id"])
    assert soup(phone.get(link)).find("a", href=f"{link}/live")


def test_phone_state_follows_the_facilitator(app, lead, room):
    rid, slides = room["round"]["id"], room["slides"]
    phone, link = room["phones"][0]
    state = phone.get(f"{link}/live/state").get_json()
    assert state["status"] == "voting"
    assert state["slide"]["id"] == slides[0].id
    assert state["slide"]["items"] == list(slides[0].items)
    assert set(state["slide"]["texts"]) == set(slides[0].items)
    # The statement, its roadmap source and what "fully" means, for the phone to show.
    items = content_of(app).items
    assert state["slide"]["texts"] == {i: items[i].claim("fi") for i in slides[0].items}
    assert state["slide"]["sources"] == {i: items[i].text.fi for i in slides[0].items}
    assert state["slide"]["guidance"] == {i: items[i].guidance("fi") for i in slides[0].items}
    assert state["answers"] == {}
    # A phone that already shows the slide gets no texts again.
    state = phone.get(f"{link}/live/state?have={slides[0].id}").get_json()
    assert not {"texts", "sources", "guidance"} & set(state["slide"])
    act(lead, rid, "move", {"to": "1"})
    state = phone.get(f"{link}/live/state?have={slides[0].id}").get_json()
    assert state["slide"]["id"] == slides[1].id and "texts" in state["slide"]
    act(lead, rid, "move", {"to": str(len(slides))})
    assert phone.get(f"{link}/live/state").get_json()["status"] == "ended"
    page = soup(phone.get(f"{link}/live"))
    # (The <template> the page's script clones holds an empty form: not a statement shown.)
    assert not [f for f in page.select("form.live-item") if f.find_parent("template") is None]
    assert page.find(id="live-status").get_text(strip=True)


def test_phone_page_shows_the_current_slide_as_big_buttons(app, room):
    phone, link = room["phones"][0]
    slides = room["slides"]
    page = soup(phone.get(f"{link}/live"))
    assert len(page.find_all("h1")) == 1
    forms = page.select("#live-items form.live-item")
    assert [f["data-item"] for f in forms] == list(slides[0].items)
    buttons = forms[0].find_all("button")
    assert [b["value"] for b in buttons] == ["0", "1", "2", "3", "4", "dk"]
    assert all(b["aria-pressed"] == "false" for b in buttons)
    first = content_of(app).items[slides[0].items[0]]
    assert forms[0].find("legend").get_text(strip=True) == first.claim("fi")
    assert forms[0].find(class_="live-source-text").get_text(strip=True) == first.text.fi
    assert forms[0].find(class_="live-guidance-text").get_text(strip=True) == first.guidance("fi")
    assert page.find("meta", attrs={"name": "csrf-token"})["content"]
    assert page.find("template", id="live-item-template")
    assert page.find("script", src=re.compile(r"^/static/js/live\.js\?v=[0-9a-f]+$"))


def test_answer_post_is_idempotent_and_reload_keeps_answers(app, db, room):
    phone, link = room["phones"][0]
    slides = room["slides"]
    item = slides[0].items[0]
    token = live_token(phone, link)
    for _ in range(3):
        response = answer(phone, link, item, 4, token=token)
        assert response.status_code == 200 and response.get_json() == {"item": item, "value": "4"}
    assert answer(phone, link, slides[0].items[1], None, token=token).get_json()["value"] == "dk"
    respondent = rounds.find_respondent(db, *link.rsplit("/", 2)[1:])[1]
    assert assessments.respondent_answers(db, respondent["id"]) == {item: 4, slides[0].items[1]: None}
    # Changing the answer replaces it.
    answer(phone, link, item, 1, token=token)
    assert assessments.respondent_answers(db, respondent["id"])[item] == 1
    # A reload shows the answers as pressed, and the state has them too.
    page = soup(phone.get(f"{link}/live"))
    form = page.find("form", attrs={"data-item": item})
    assert form.find("button", attrs={"aria-pressed": "true"})["value"] == "1"
    dk = page.find("form", attrs={"data-item": slides[0].items[1]})
    assert dk.find("button", attrs={"aria-pressed": "true"})["value"] == "dk"
    state = phone.get(f"{link}/live/state").get_json()
    assert state["answers"] == {item: "1", slides[0].items[1]: "dk"}
    # Answers of a slide the facilitator already left are accepted (a slow phone).
    answer(phone, link, slides[3].items[0], 2, token=token)
    assert assessments.respondent_answers(db, respondent["id"])[slides[3].items[0]] == 2


def test_answer_post_refuses_bad_input(app, db, room):
    phone, link = room["phones"][0]
    item = room["slides"][0].items[0]
    token = live_token(phone, link)
    full_only = next(
        i
        for i in content_of(app).questionnaire("full").items
        if i not in content_of(app).questionnaire("quick").items
    )
    for body in (
        {"item": "nope", "value": 1},
        {"item": full_only, "value": 1},
        {"item": item, "value": 5},
        {"item": item, "value": -1},
        {"item": item, "value": "3"},
        {"item": item, "value": 2.5},
        {"item": item, "value": True},
        {"item": item},
        {"value": 1},
        ["x"],
    ):
        response = phone.post(f"{link}/live/answer", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 400, body
        assert response.get_json()["error"]
    response = phone.post(f"{link}/live/answer", json={"item": item, "value": 1})
    assert response.status_code == 400  # no CSRF token
    other, other_link = room["phones"][1]
    response = other.post(
        f"{link[:-3]}xyz/live/answer",
        json={"item": item, "value": 1},
        headers={"X-CSRFToken": live_token(other, other_link)},
    )
    assert response.status_code == 404
    respondent = rounds.find_respondent(db, *link.rsplit("/", 2)[1:])[1]
    assert assessments.respondent_answers(db, respondent["id"]) == {}


def test_answer_without_javascript_is_a_form_post(app, db, room):
    phone, link = room["phones"][0]
    item = room["slides"][0].items[0]
    token = live_token(phone, link)
    response = phone.post(f"{link}/live/answer", data={"csrf_token": token, "item": item, "value": "dk"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{link}/live")
    respondent = rounds.find_respondent(db, *link.rsplit("/", 2)[1:])[1]
    assert assessments.respondent_answers(db, respondent["id"]) == {item: None}
    response = phone.post(f"{link}/live/answer", data={"csrf_token": token, "item": item, "value": "9"})
    assert response.status_code == 400
    assert soup(response).select_one(".error-summary")


def test_closed_round_ends_the_workshop_on_phones(app, db, lead, room):
    phone, link = room["phones"][0]
    item = room["slides"][0].items[0]
    token = live_token(phone, link)
    rounds.close_round(db, room["round"]["id"])
    state = phone.get(f"{link}/live/state").get_json()
    assert state["status"] == "ended" and state["closed"] is True
    response = answer(phone, link, item, 2, token=token)
    assert response.status_code == 409 and response.get_json()["error"]


def test_phone_waits_before_the_workshop_starts(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    phone, link = join(app, row["join_code"])
    assert phone.get(f"{link}/live/state").get_json()["status"] == "waiting"
    page = soup(phone.get(f"{link}/live"))
    assert page.find(id="live").get("data-status") == "waiting"
    start(lead, row["id"])
    assert phone.get(f"{link}/live/state").get_json()["status"] == "voting"


def test_tampered_personal_link_is_refused(app, room):
    phone, link = room["phones"][0]
    assert phone.get(f"{link[:-4]}AAAA/live").status_code == 404
    assert phone.get(f"{link[:-4]}AAAA/live/state").status_code == 404


def test_anonymous_projector_counts_and_hidden_message_agree(app, db, seeded, lead):
    """Three answered, one of them "don't know": the count says 3/3 and the hidden
    distribution says why, counting the 2 answers on the scale, never "shown from 3"."""
    row = make_round(db, app, seeded, anonymous=True)
    start(lead, row["id"])
    item = walk(app)[0].items[0]
    for value in (3, 2, None):
        phone, link = join(app, row["join_code"], None)
        assert answer(phone, link, item, value).status_code == 200
    act(lead, row["id"], "reveal", {"value": "1"})
    page = soup(lead.get(f"/assessments/{row['id']}/workshop"))
    cell = page.find(attrs={"data-count-for": item}).find_parent("tr")
    assert cell.select_one(".ws-answered").get_text(" ", strip=True).replace(" ", "") == "3/3vastasi"
    hidden = cell.select_one(".ws-hidden-dist").get_text(" ", strip=True)
    assert hidden.startswith("Piilossa: 2 vastausta asteikolla")
    assert cell.select_one(".ws-value") is None
