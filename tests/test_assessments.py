"""Organisation dashboard, starting a single assessment and answering it area by area."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest

from assess.content import to_document
from assess.storage import assessments, content_store, sessions
from tests.conftest import ADMIN, LEAD, VIEWER, error_summary_text, form_state, login, post_form, soup

# --- helpers ---------------------------------------------------------------------------


def content_of(app):
    return app.extensions["content"]


def area_items(app, questionnaire: str, area: str) -> list[str]:
    content = content_of(app)
    steps = dict(content.area_items(content.questionnaire(questionnaire)))[area]
    return [i for _s, ids in steps for i in ids]


def make(db, app, seeded, questionnaire: str = "quick", org: str = "org", year: int = 2025) -> dict:
    return assessments.create_assessment(
        db,
        org_id=seeded[org]["id"],
        year=year,
        questionnaire=questionnaire,
        content_version=content_of(app).version,
        kind="single",
        created_by=seeded["lead"]["id"],
    )


def stored(db, assessment_id: int) -> dict[str, int | None]:
    rid = assessments.shared_respondent(db, assessment_id)["id"]
    return assessments.respondent_answers(db, rid)


def area_url(assessment_id: int, area: str) -> str:
    return f"/assessments/{assessment_id}/areas/{area}"


def load(client, assessment_id: int, area: str) -> dict[str, str]:
    response = client.get(area_url(assessment_id, area))
    assert response.status_code == 200
    return form_state(response)


def save(client, assessment_id: int, area: str, data: dict, action: str = "save"):
    return client.post(area_url(assessment_id, area), data=dict(data, action=action))


@pytest.fixture
def second_lead(app, seeded):
    """Another lead of the same organisation (the administrator counts as lead), own browser."""
    other = app.test_client()
    login(other, ADMIN)
    return other


# --- dashboard -------------------------------------------------------------------------


def test_dashboard_lists_assessments_by_year_with_progress(app, db, seeded, lead):
    a = make(db, app, seeded, year=2024)
    make(db, app, seeded, questionnaire="full", year=2025)
    items = area_items(app, "quick", "strategia")
    save(
        lead,
        a["id"],
        "strategia",
        dict(load(lead, a["id"], "strategia"), **{f"a-{items[0]}": "3", f"a-{items[1]}": "dk"}),
    )
    page = soup(lead.get(f"/orgs/{seeded['org']['id']}/assessments"))
    assert page.h1 and "Hyvinkää" in page.h1.text
    years = [h.text for h in page.find_all("h2")]
    assert years == ["2025", "2024"]  # newest first
    rows = page.find_all("tbody")[1].find_all("tr")
    assert "2/44" in rows[0].get_text()
    assert page.find("a", string="Aloita arviointi")  # a lead may start one


def test_dashboard_access(app, db, seeded, client):
    org_id = seeded["org"]["id"]
    assert client.get(f"/orgs/{org_id}").status_code == 302  # not signed in: to login
    login(client, VIEWER)
    page = soup(client.get(f"/orgs/{org_id}"))
    assert not page.find("a", string="Aloita arviointi")
    assert client.get(f"/orgs/{seeded['other']['id']}").status_code == 404
    assert client.get(f"/orgs/{org_id}/assessments/new").status_code == 403
    assert client.get("/orgs/9999").status_code == 404


def test_org_nav_shows_only_existing_pages(seeded, lead):
    nav = soup(lead.get(f"/orgs/{seeded['org']['id']}")).find("nav", class_="org-nav")
    hrefs = [a["href"] for a in nav.find_all("a")]
    assert f"/orgs/{seeded['org']['id']}" in hrefs
    assert all(h.startswith("/") for h in hrefs)


# --- starting --------------------------------------------------------------------------


def test_start_assessment_stores_content_version_and_opens_first_area(app, db, seeded, lead):
    org_id = seeded["org"]["id"]
    page = soup(lead.get(f"/orgs/{org_id}/assessments/new"))
    radios = page.find_all("input", attrs={"name": "questionnaire"})
    assert {r["value"] for r in radios} == {"quick", "full"}
    # Each questionnaire with its size and time (44 statements x 20 s = about 15 min).
    assert page.find("label", string="Pikakysely: 44 väittämää, noin 15 min")
    assert page.find("label", string="Laaja kysely: 224 väittämää, noin 75 min")
    response = post_form(
        lead,
        f"/orgs/{org_id}/assessments/new",
        {"year": "2025", "questionnaire": "full", "title": "Arvio 2025"},
    )
    assert response.status_code == 302
    row = assessments.for_org(db, org_id)[0]
    assert response.headers["Location"] == area_url(row["id"], "strategia")
    assert (row["year"], row["questionnaire"], row["kind"], row["title"]) == (
        2025,
        "full",
        "single",
        "Arvio 2025",
    )
    assert row["content_version"] == content_of(app).version
    assert assessments.shared_respondent(db, row["id"])["shared"] == 1


@pytest.mark.parametrize("year", ["1999", "2101", "vuosi", ""])
def test_start_refuses_bad_year(db, seeded, lead, year):
    org_id = seeded["org"]["id"]
    response = post_form(lead, f"/orgs/{org_id}/assessments/new", {"year": year, "questionnaire": "quick"})
    assert response.status_code == 400
    assert soup(response).find(class_="error-summary")
    assert assessments.for_org(db, org_id) == []


def test_start_refuses_unknown_questionnaire(db, seeded, lead):
    org_id = seeded["org"]["id"]
    response = post_form(lead, f"/orgs/{org_id}/assessments/new", {"year": "2025", "questionnaire": "huge"})
    assert response.status_code == 400
    assert "Valitse yksi luetelluista kyselyistä" in error_summary_text(response)
    assert assessments.for_org(db, org_id) == []


def test_start_twice_opens_the_same_assessment(db, seeded, lead):
    org_id = seeded["org"]["id"]
    url = f"/orgs/{org_id}/assessments/new"
    first = post_form(lead, url, {"year": "2025", "questionnaire": "quick"})
    second = post_form(lead, url, {"year": "2025", "questionnaire": "quick"})
    assert first.status_code == second.status_code == 302
    assert len(assessments.for_org(db, org_id)) == 1


def test_start_refused_for_other_org_viewer_and_without_csrf(db, seeded, client):
    login(client, LEAD)
    org_id, other = seeded["org"]["id"], seeded["other"]["id"]
    data = {"year": "2025", "questionnaire": "quick"}
    new = f"/orgs/{org_id}/assessments/new"
    assert post_form(client, f"/orgs/{other}/assessments/new", data, token_from=new).status_code == 404
    assert client.post(new, data=data).status_code == 400  # no CSRF token
    viewer = client.application.test_client()
    login(viewer, VIEWER)
    assert post_form(viewer, new, data, token_from=f"/orgs/{org_id}").status_code == 403
    assert assessments.for_org(db, org_id) == [] and assessments.for_org(db, other) == []


# --- answer pages ----------------------------------------------------------------------


@pytest.mark.parametrize("questionnaire", ["quick", "full"])
def test_every_area_page_shows_its_statements_with_the_scale(app, db, seeded, lead, questionnaire):
    a = make(db, app, seeded, questionnaire)
    content = content_of(app)
    areas = [x.id for x in content.areas]
    for number, area in enumerate(areas, start=1):
        response = lead.get(area_url(a["id"], area))
        assert response.status_code == 200
        page = soup(response)
        assert page.h1.text == content.area(area).title.fi
        ids = area_items(app, questionnaire, area)
        fieldsets = page.find_all("fieldset", class_="statement")
        # The statement first, its roadmap text as the source, what "fully" means on request.
        assert [f.legend.text for f in fieldsets] == [content.items[i].claim("fi") for i in ids]
        assert [f.find(class_="statement-source").text for f in fieldsets] == [
            f"Tulevaisuuspolulla: {content.items[i].text.fi}" for i in ids
        ]
        assert [f.details.p.text for f in fieldsets] == [content.items[i].guidance("fi") for i in ids]
        assert all(f.details.summary.text == "Täysin tarkoittaa" for f in fieldsets)
        if questionnaire == "full":
            # Each action stands under its goal, the goal as the group's heading.
            for group in page.find_all(class_="goal-group"):
                goal = group.find("fieldset", class_="goal-statement")
                assert goal.legend.h3 is not None
                actions = [
                    f["id"].removeprefix("a-") for f in group.find(class_="goal-actions").find_all("fieldset")
                ]
                assert actions and all(
                    content.items[x].goal == goal["id"].removeprefix("a-") for x in actions
                )
            assert len(page.find_all(class_="goal-group")) == sum(
                1
                for i in ids
                if content.items[i].kind == "goal" and any(content.items[x].goal == i for x in ids)
            )
        labels = [lab.get_text(" ", strip=True) for lab in fieldsets[0].find_all("label")]
        assert labels == ["0 ei lainkaan", "1 vähän", "2 osittain", "3 pääosin", "4 täysin", "en osaa sanoa"]
        assert f"Osa-alue {number}/8" in page.find(class_="progress-line").text
        steps = page.find_all("h2", id=lambda x: x and x.startswith("step-"))
        assert steps and steps[0].text.startswith("Vuosi ")
        assert page.find("textarea", attrs={"name": "comment"})


def test_save_and_continue_goes_to_next_area_and_then_overview(app, db, seeded, lead):
    a = make(db, app, seeded)
    item = area_items(app, "quick", "strategia")[0]
    response = save(
        lead,
        a["id"],
        "strategia",
        dict(load(lead, a["id"], "strategia"), **{f"a-{item}": "4"}),
        action="continue",
    )
    assert response.headers["Location"] == area_url(a["id"], "johtaminen")
    response = save(lead, a["id"], "tekeminen", load(lead, a["id"], "tekeminen"), action="continue")
    assert response.headers["Location"] == f"/assessments/{a['id']}"
    response = save(lead, a["id"], "asenne", load(lead, a["id"], "asenne"), action="save")
    assert response.headers["Location"] == area_url(a["id"], "asenne")
    assert stored(db, a["id"]) == {item: 4}


def test_answers_comment_dont_know_and_progress(app, db, seeded, lead):
    a = make(db, app, seeded)
    ids = area_items(app, "quick", "strategia")
    data = load(lead, a["id"], "strategia")
    data.update({f"a-{ids[0]}": "0", f"a-{ids[1]}": "dk", "comment": "Strategia on luonnos."})
    assert save(lead, a["id"], "strategia", data).status_code == 302
    assert stored(db, a["id"]) == {ids[0]: 0, ids[1]: None}
    assert assessments.comments(db, a["id"]) == {"strategia": ["Strategia on luonnos."]}
    page = soup(lead.get(area_url(a["id"], "strategia")))
    assert "2/44 väittämään vastattu" in page.find(class_="progress-line").text
    assert page.find("input", attrs={"name": f"a-{ids[1]}", "value": "dk"}).has_attr("checked")
    overview = soup(lead.get(f"/assessments/{a['id']}"))
    row = overview.find("a", string="Strategia").find_parent("tr")
    assert "2/6" in row.get_text()
    assert "2/44" in overview.find(class_="progress-summary").text


def test_clear_answer_back_to_unanswered(app, db, seeded, lead):
    a = make(db, app, seeded)
    item = area_items(app, "quick", "strategia")[0]
    save(lead, a["id"], "strategia", dict(load(lead, a["id"], "strategia"), **{f"a-{item}": "2"}))
    page = lead.get(area_url(a["id"], "strategia"))
    assert soup(page).find("input", attrs={"name": f"a-{item}", "value": "clear"})
    save(lead, a["id"], "strategia", dict(form_state(page), **{f"a-{item}": "clear"}))
    assert stored(db, a["id"]) == {}


def test_two_editors_changing_different_items_both_kept(app, db, seeded, lead, second_lead):
    a = make(db, app, seeded, "full")
    ids = area_items(app, "full", "strategia")
    page_a = load(lead, a["id"], "strategia")
    page_b = load(second_lead, a["id"], "strategia")
    assert save(lead, a["id"], "strategia", dict(page_a, **{f"a-{ids[0]}": "3"})).status_code == 302
    assert (
        save(
            second_lead, a["id"], "strategia", dict(page_b, **{f"a-{ids[1]}": "1", "comment": "B:n huomio"})
        ).status_code
        == 302
    )
    assert stored(db, a["id"]) == {ids[0]: 3, ids[1]: 1}
    assert assessments.comments(db, a["id"]) == {"strategia": ["B:n huomio"]}


def test_same_item_changed_by_both_is_a_conflict_and_keeps_the_stored_value(
    app, db, seeded, lead, second_lead
):
    a = make(db, app, seeded)
    ids = area_items(app, "quick", "strategia")
    page_a = load(lead, a["id"], "strategia")
    page_b = load(second_lead, a["id"], "strategia")
    save(lead, a["id"], "strategia", dict(page_a, **{f"a-{ids[0]}": "3", "comment": "A"}))
    response = save(
        second_lead,
        a["id"],
        "strategia",
        dict(page_b, **{f"a-{ids[0]}": "1", f"a-{ids[1]}": "2", "comment": "B"}),
    )
    assert response.status_code == 409
    notice = soup(response).find(class_="conflict-notice").get_text(" ", strip=True)
    assert content_of(app).items[ids[0]].claim("fi").rstrip(".") + ": sinun vastauksesi" in notice
    assert "vähän" in notice and "pääosin" in notice  # yours 1, kept 3
    assert "B" in notice  # the comment that was not saved is shown for copying
    assert "Muut muutoksesi tallennettiin" in notice
    assert stored(db, a["id"]) == {ids[0]: 3, ids[1]: 2}  # the other change was saved
    assert assessments.comments(db, a["id"]) == {"strategia": ["A"]}
    # The page now shows the stored value, so a further save is no conflict.
    page = soup(response)
    assert page.find("input", attrs={"name": f"a-{ids[0]}", "value": "3"}).has_attr("checked")


def test_double_submit_is_harmless(app, db, seeded, lead):
    a = make(db, app, seeded)
    item = area_items(app, "quick", "johtaminen")[0]
    data = dict(load(lead, a["id"], "johtaminen"), **{f"a-{item}": "2", "comment": "x"})
    first = save(lead, a["id"], "johtaminen", data)
    second = save(lead, a["id"], "johtaminen", data)
    assert first.status_code == second.status_code == 302
    assert stored(db, a["id"]) == {item: 2}
    assert assessments.comments(db, a["id"]) == {"johtaminen": ["x"]}


def test_english_ui_shows_the_scale_in_english(app, db, seeded, lead):
    a = make(db, app, seeded)
    with lead.session_transaction() as session:
        session["lang"] = "en"
    page = soup(lead.get(area_url(a["id"], "strategia")))
    labels = [lab.get_text(" ", strip=True) for lab in page.find("fieldset", class_="statement")("label")]
    assert labels == ["0 not at all", "1 a little", "2 partly", "3 mostly", "4 fully", "don't know"]
    assert page.find("button", string="Save and continue")


def test_both_choosing_the_same_value_is_no_conflict(app, db, seeded):
    a = make(db, app, seeded)
    rid = assessments.shared_respondent(db, a["id"])["id"]
    kwargs = {"respondent_id": rid, "area": "strategia", "comment": "Sama", "base_comment": ""}
    assert (
        assessments.save_area(
            db, changes={"strategia-1-g1": 3}, base={"strategia-1-g1": "unanswered"}, **kwargs
        )
        == []
    )
    assert (
        assessments.save_area(
            db, changes={"strategia-1-g1": 3}, base={"strategia-1-g1": "unanswered"}, **kwargs
        )
        == []
    )
    conflict = assessments.save_area(
        db,
        changes={"strategia-1-g1": 1},
        base={"strategia-1-g1": "unanswered"},
        respondent_id=rid,
        area="strategia",
        comment="Eri",
        base_comment="",
    )
    assert conflict == ["strategia-1-g1", assessments.COMMENT_CONFLICT]
    assert stored(db, a["id"]) == {"strategia-1-g1": 3}
    assert assessments.comments(db, a["id"]) == {"strategia": ["Sama"]}


def test_round_overview_goes_to_the_rounds_page_or_is_hidden(app, db, seeded, lead):
    kwargs = {
        "year": 2025,
        "questionnaire": "quick",
        "content_version": content_of(app).version,
        "kind": "round",
        "created_by": None,
    }
    mine = assessments.create_assessment(db, org_id=seeded["org"]["id"], **kwargs)
    foreign = assessments.create_assessment(db, org_id=seeded["other"]["id"], **kwargs)
    response = lead.get(f"/assessments/{mine['id']}")
    if "rounds.show" in app.view_functions:
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert lead.get(f"/assessments/{foreign['id']}").status_code == 404
    assert lead.get(area_url(mine["id"], "strategia")).status_code == 404  # rounds answer elsewhere


# --- refusals --------------------------------------------------------------------------


def _answered(app, db, seeded, lead) -> tuple[dict, list[str]]:
    a = make(db, app, seeded)
    ids = area_items(app, "quick", "strategia")
    save(lead, a["id"], "strategia", dict(load(lead, a["id"], "strategia"), **{f"a-{ids[0]}": "2"}))
    return a, ids


@pytest.mark.parametrize("value", ["5", "-1", "2.5", "x"])
def test_value_outside_scale_refused(app, db, seeded, lead, value):
    a, ids = _answered(app, db, seeded, lead)
    data = dict(load(lead, a["id"], "strategia"), **{f"a-{ids[0]}": "4", f"a-{ids[1]}": value})
    response = save(lead, a["id"], "strategia", data)
    assert response.status_code == 400
    assert "ei ole vastausasteikon arvo" in error_summary_text(response)
    assert stored(db, a["id"]) == {ids[0]: 2}


def test_unknown_item_and_item_of_another_area_refused(app, db, seeded, lead):
    a, ids = _answered(app, db, seeded, lead)
    other_area = area_items(app, "quick", "johtaminen")[0]
    for extra in (
        {"a-no-such-item": "3", "b-no-such-item": ""},
        {f"a-{other_area}": "3", f"b-{other_area}": ""},
    ):
        data = dict(load(lead, a["id"], "strategia"), **{f"a-{ids[0]}": "4"}, **extra)
        response = save(lead, a["id"], "strategia", data)
        assert response.status_code == 400
        assert "eivät ole tällä sivulla" in error_summary_text(response)
    assert stored(db, a["id"]) == {ids[0]: 2}


def test_tampered_base_refused(app, db, seeded, lead):
    a, ids = _answered(app, db, seeded, lead)
    data = dict(load(lead, a["id"], "strategia"), **{f"a-{ids[1]}": "4", f"b-{ids[1]}": "9"})
    assert save(lead, a["id"], "strategia", data).status_code == 400
    assert stored(db, a["id"]) == {ids[0]: 2}


def test_unknown_area_and_assessment_are_404(app, db, seeded, lead):
    a, _ids = _answered(app, db, seeded, lead)
    assert lead.get(area_url(a["id"], "no-such-area")).status_code == 404
    assert lead.get(area_url(9999, "strategia")).status_code == 404
    assert lead.get("/assessments/9999").status_code == 404


def test_other_organisations_assessment_is_404(app, db, seeded, lead):
    foreign = make(db, app, seeded, org="other")
    item = area_items(app, "quick", "strategia")[0]
    assert lead.get(f"/assessments/{foreign['id']}").status_code == 404
    assert lead.get(area_url(foreign["id"], "strategia")).status_code == 404
    response = post_form(
        lead,
        area_url(foreign["id"], "strategia"),
        {f"a-{item}": "3", f"b-{item}": ""},
        token_from=f"/orgs/{seeded['org']['id']}",
    )
    assert response.status_code == 404
    assert stored(db, foreign["id"]) == {}


def test_viewer_sees_answers_read_only_and_cannot_post(app, db, seeded, lead, client):
    a, ids = _answered(app, db, seeded, lead)
    viewer = app.test_client()
    login(viewer, VIEWER)
    response = viewer.get(area_url(a["id"], "strategia"))
    assert response.status_code == 200
    page = soup(response)
    assert not page.find("form", class_="area-form")
    assert "2 osittain" in page.find("dl", class_="answers-readonly").get_text(" ", strip=True)
    post = post_form(
        viewer,
        area_url(a["id"], "strategia"),
        {f"a-{ids[0]}": "4", f"b-{ids[0]}": "2"},
        token_from=f"/assessments/{a['id']}",
    )
    assert post.status_code == 403
    assert stored(db, a["id"]) == {ids[0]: 2}
    assert viewer.get(f"/assessments/{a['id']}/finalise").status_code == 403
    assert (
        post_form(
            viewer, f"/assessments/{a['id']}/finalise", {}, token_from=f"/assessments/{a['id']}"
        ).status_code
        == 403
    )
    assert assessments.get_assessment(db, a["id"])["status"] == "open"


def test_missing_csrf_refused(app, db, seeded, lead):
    a, ids = _answered(app, db, seeded, lead)
    data = load(lead, a["id"], "strategia")
    data.pop("csrf_token")
    response = save(lead, a["id"], "strategia", dict(data, **{f"a-{ids[0]}": "4"}))
    assert response.status_code == 400
    assert "lomake" in soup(response).get_text().lower()
    assert stored(db, a["id"]) == {ids[0]: 2}


def test_not_signed_in_is_sent_to_login(app, db, seeded, client):
    a = make(db, app, seeded)
    response = client.get(area_url(a["id"], "strategia"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- final -----------------------------------------------------------------------------


def test_finalise_confirm_then_read_only_then_reopen(app, db, seeded, lead):
    a, ids = _answered(app, db, seeded, lead)
    page_before = load(lead, a["id"], "strategia")
    confirm = lead.get(f"/assessments/{a['id']}/finalise")
    assert confirm.status_code == 200  # a confirmation step; GET changes nothing
    assert assessments.get_assessment(db, a["id"])["status"] == "open"
    assert "43" in soup(confirm).find(class_="answer-notice").get_text()  # unanswered statements
    response = post_form(lead, f"/assessments/{a['id']}/finalise", {})
    assert response.status_code == 302
    row = assessments.get_assessment(db, a["id"])
    assert row["status"] == "final" and row["counts"] == 1

    page = soup(lead.get(area_url(a["id"], "strategia")))
    assert not page.find("form", class_="area-form")
    assert page.find("dl", class_="answers-readonly")
    # A page loaded before finalising cannot save into the final assessment.
    response = save(lead, a["id"], "strategia", dict(page_before, **{f"a-{ids[1]}": "4"}))
    assert response.status_code == 400
    assert "merkitty valmiiksi" in error_summary_text(response)
    assert content_of(app).items[ids[1]].claim("fi") in error_summary_text(response)  # what was not saved
    assert stored(db, a["id"]) == {ids[0]: 2}

    post_form(lead, f"/assessments/{a['id']}/reopen", {}, token_from=f"/assessments/{a['id']}")
    assert assessments.get_assessment(db, a["id"])["status"] == "open"
    assert soup(lead.get(area_url(a["id"], "strategia"))).find("form", class_="area-form")


def test_save_area_refuses_final_assessment(app, db, seeded):
    a = make(db, app, seeded)
    assessments.finalise(db, a["id"])
    rid = assessments.shared_respondent(db, a["id"])["id"]
    with pytest.raises(assessments.AssessmentFinal):
        assessments.save_area(
            db,
            respondent_id=rid,
            area="strategia",
            changes={"strategia-1-g1": 3},
            base={},
            comment=None,
            base_comment=None,
        )


def _answer_one(db, assessment_id: int) -> None:
    respondent = assessments.shared_respondent(db, assessment_id)
    db["answers"].insert(
        {"respondent_id": respondent["id"], "item": "x", "value": 3, "updated_at": "2025-01-01T00:00:00"}
    )


def test_set_counts_marks_one_per_year(app, db, seeded, lead):
    quick = make(db, app, seeded, "quick")
    full = make(db, app, seeded, "full")
    for a in (quick, full):
        _answer_one(db, a["id"])
    assessments.finalise(db, quick["id"])
    assessments.finalise(db, full["id"])  # the first final one of the year counts
    assert assessments.get_assessment(db, quick["id"])["counts"] == 1
    assert assessments.get_assessment(db, full["id"])["counts"] == 0
    page = f"/orgs/{seeded['org']['id']}"
    # First the confirmation naming the one replaced; nothing changes yet.
    response = post_form(lead, f"/assessments/{full['id']}/counts", {}, token_from=page)
    assert response.status_code == 200
    assert "2025" in soup(response).find("main").get_text()
    assert [assessments.get_assessment(db, x["id"])["counts"] for x in (quick, full)] == [1, 0]
    response = post_form(lead, f"/assessments/{full['id']}/counts", {"confirmed": "yes"}, token_from=page)
    assert response.status_code == 302
    assert [assessments.get_assessment(db, x["id"])["counts"] for x in (quick, full)] == [0, 1]


def test_an_open_or_empty_assessment_cannot_be_made_to_count(app, db, seeded, lead):
    counted = make(db, app, seeded, "quick")
    _answer_one(db, counted["id"])
    assessments.finalise(db, counted["id"])
    open_one = make(db, app, seeded, "full")
    empty = make(db, app, seeded, "full", year=2024)
    assessments.finalise(db, empty["id"])
    page = f"/orgs/{seeded['org']['id']}"
    dashboard = soup(lead.get(page))
    assert not dashboard.find("form", action=f"/assessments/{open_one['id']}/counts")
    for forged in (open_one, empty):
        response = post_form(
            lead, f"/assessments/{forged['id']}/counts", {"confirmed": "yes"}, token_from=page
        )
        assert response.status_code == 400
        assert "Mitään ei muutettu" in soup(response).find("main").get_text()
        assert assessments.get_assessment(db, forged["id"])["counts"] == 0
    assert assessments.get_assessment(db, counted["id"])["counts"] == 1


# --- content version -------------------------------------------------------------------


def test_existing_assessment_reads_the_content_it_was_started_on(app, db, seeded, lead):
    doc = to_document(content_of(app))
    # A version from before statements: the roadmap text was what respondents rated.
    for area in doc["roadmap"]["areas"]:
        for step in area["steps"]:
            for entry in (*step["goals"], *step["actions"]):
                entry.pop("statement"), entry.pop("guidance")
    doc.pop("glossary")
    first = doc["roadmap"]["areas"][0]["steps"][0]["goals"][0]
    first["text"]["fi"] = "Vanha muotoilu väittämästä"
    doc.pop("version")
    canonical = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    doc["version"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    content_store.remember(db, doc["version"], json.dumps(doc))
    old = assessments.create_assessment(
        db,
        org_id=seeded["org"]["id"],
        year=2023,
        questionnaire="quick",
        content_version=doc["version"],
        kind="single",
        created_by=None,
    )
    legends = [
        f.legend.text
        for f in soup(lead.get(area_url(old["id"], "strategia"))).find_all("fieldset", class_="statement")
    ]
    assert legends[0] == "Vanha muotoilu väittämästä"
    page = soup(lead.get(area_url(old["id"], "strategia")))
    assert page.find(class_="statement-source") is None and page.find("details") is None


# --- concurrency -----------------------------------------------------------------------


def test_twenty_threads_saving_different_items_all_stored(app, db, seeded):
    a = make(db, app, seeded)
    content = content_of(app)
    quick = content.questionnaire("quick")
    items = list(quick.items[:20])
    clients, pages = [], []
    for item in items:
        c = app.test_client()
        with c.session_transaction() as session:  # signed in as the lead, without 20 password hashes
            session["sid"] = sessions.start(db, seeded["lead"], client="", user_agent="")
        area = content.items[item].area
        clients.append(c)
        pages.append((area, load(c, a["id"], area)))
    barrier = threading.Barrier(len(items))
    statuses: list[int] = []

    def worker(n: int) -> None:
        area, data = pages[n]
        barrier.wait()
        response = save(clients[n], a["id"], area, dict(data, **{f"a-{items[n]}": str(n % 5)}))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(items))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [302] * len(items)
    assert stored(db, a["id"]) == {item: n % 5 for n, item in enumerate(items)}
