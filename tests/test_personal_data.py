"""Personal data: a lead erases a respondent, a respondent sees and removes their own data,
the retention rule (`assess purge`, on start and daily), and the statements' pages."""

from __future__ import annotations

from datetime import UTC, datetime

from assess import joincodes, lifecycle
from assess.storage import assessments, rounds
from assess.storage import lifecycle as store
from assess.storage import results as result_store
from assess.storage.db import rows
from tests.conftest import ADMIN, LEAD, VIEWER, login, make_app, post_form, soup


def content_of(app):
    return app.extensions["content"]


def named_round(
    db, app, seeded, *, close=False, names=("Maija", "Pekka", "Anna"), org="org"
) -> tuple[dict, list[tuple[dict, str]]]:
    """A named round whose respondents answer the first item 4, 0, 0 ...; returns the round
    and (respondent, personal link path) per respondent."""
    row = rounds.open_round(
        db,
        org_id=seeded[org]["id"],
        year=2024,
        questionnaire="quick",
        content_version=content_of(app).version,
        created_by=seeded["lead"]["id"],
        anonymous=False,
    )
    item = content_of(app).questionnaire("quick").items[0]
    people = []
    for n, name in enumerate(names):
        token = joincodes.new_token()
        person, _ = rounds.join(db, row["id"], token, name)
        area = content_of(app).items[item].area
        assessments.save_area(
            db,
            respondent_id=person["id"],
            area=area,
            changes={item: 4 if n == 0 else 0},
            base={},
            comment="Oma kommentti" if n == 0 else None,
            base_comment="",
        )
        people.append((person, f"/r/{row['join_code']}/{token}"))
    if close:
        rounds.close_round(db, row["id"])
    return rounds.get_round(db, row["id"]), people


def first_item_value(db, app, round_row) -> float | None:
    result = result_store.result_for(db, rounds.get_round(db, round_row["id"]), content_of(app))
    item = content_of(app).questionnaire("quick").items[0]
    return result["items"][item] if "items" in result else result


# --- a lead erases a respondent --------------------------------------------------------------


def test_erasing_a_name_keeps_the_answers_anonymously(app, db, seeded, lead):
    row, people = named_round(db, app, seeded)
    maija, link = people[0]
    page = lead.get(f"/assessments/{row['id']}/round")
    assert f"/respondents/{maija['id']}/erase" in page.get_data(as_text=True)
    path = f"/assessments/{row['id']}/respondents/{maija['id']}/erase"
    response = post_form(lead, path, {"answers": "keep"})
    assert response.status_code == 302
    stored = rows(db, "SELECT name, token_hash, alias FROM respondents WHERE id = ?", (maija["id"],))[0]
    assert stored == {"name": None, "token_hash": None, "alias": 1}
    assert len(assessments.respondent_answers(db, maija["id"])) == 1
    assert app.test_client().get(link).status_code == 404  # the personal link is gone
    text = soup(lead.get(f"/assessments/{row['id']}/round")).get_text(" ", strip=True)
    assert "Vastaaja 1" in text and "Maija" not in text
    [event] = rows(db, "SELECT kind, action, label, by_user FROM lifecycle_events")
    assert event["action"] == "erased" and "Maija" not in event["label"]


def test_erasing_answers_of_a_closed_round_recomputes_its_result_with_a_note(app, db, seeded, lead):
    row, people = named_round(db, app, seeded, close=True)
    before = result_store.result_for(db, row, content_of(app))
    assert before["respondents"] == 3
    maija, _link = people[0]
    path = f"/assessments/{row['id']}/respondents/{maija['id']}/erase"
    assert lead.get(path).status_code == 200
    assert post_form(lead, path, {}).status_code == 400  # a choice is required
    assert rows(db, "SELECT 1 FROM respondents WHERE id = ?", (maija["id"],))
    assert post_form(lead, path, {"answers": "remove"}).status_code == 302
    assert rows(db, "SELECT 1 FROM respondents WHERE id = ?", (maija["id"],)) == []
    assert rows(db, "SELECT 1 FROM answers WHERE respondent_id = ?", (maija["id"],)) == []
    assert rows(db, "SELECT 1 FROM area_comments WHERE respondent_id = ?", (maija["id"],)) == []
    after = result_store.result_for(db, rounds.get_round(db, row["id"]), content_of(app))
    assert after["respondents"] == 2
    cached = rows(db, "SELECT result FROM result_cache WHERE assessment_id = ?", (row["id"],))
    assert '"respondents": 2' in cached[0]["result"]
    for page in (f"/assessments/{row['id']}/round", f"/assessments/{row['id']}/results"):
        text = soup(lead.get(page)).get_text(" ", strip=True)
        assert "Tulos laskettiin uudelleen" in text


def test_erasing_is_refused_to_viewers_other_orgs_and_without_csrf(app, db, seeded, client):
    row, people = named_round(db, app, seeded)
    theirs, their_people = named_round(db, app, seeded, org="other", names=("Ulla",))
    maija = people[0][0]
    login(client, VIEWER)
    token_page = f"/orgs/{seeded['org']['id']}"
    assert (
        post_form(
            client,
            f"/assessments/{row['id']}/respondents/{maija['id']}/erase",
            {"answers": "remove"},
            token_from=token_page,
        ).status_code
        == 403
    )
    lead = app.test_client()
    login(lead, LEAD)
    assert (
        post_form(
            lead,
            f"/assessments/{theirs['id']}/respondents/{their_people[0][0]['id']}/erase",
            {"answers": "remove"},
            token_from=token_page,
        ).status_code
        == 404
    )
    # A respondent of another round through this round's address: 404 too.
    assert (
        post_form(
            lead,
            f"/assessments/{row['id']}/respondents/{their_people[0][0]['id']}/erase",
            {"answers": "remove"},
            token_from=token_page,
        ).status_code
        == 404
    )
    assert (
        lead.post(
            f"/assessments/{row['id']}/respondents/{maija['id']}/erase", data={"answers": "remove"}
        ).status_code
        == 400
    )
    assert len(rounds.respondents(db, row["id"])) == 3
    assert len(rounds.respondents(db, theirs["id"])) == 1


# --- a respondent's own data -------------------------------------------------------------------


def test_a_respondent_sees_what_is_stored_and_removes_their_answers(app, db, seeded):
    row, people = named_round(db, app, seeded)
    maija, link = people[0]
    browser = app.test_client()
    home = browser.get(link)
    assert f"{link}/my-data" in home.get_data(as_text=True)
    page = browser.get(f"{link}/my-data")
    text = soup(page).get_text(" ", strip=True)
    statement = content_of(app).items[content_of(app).questionnaire("quick").items[0]].text.fi
    assert "Maija" in text and statement in text and "Oma kommentti" in text
    response = post_form(browser, f"{link}/my-data", {"what": "answers"})
    assert response.status_code == 302
    assert assessments.respondent_answers(db, maija["id"]) == {}
    assert assessments.respondent_comments(db, maija["id"]) == {}
    assert "Et ole vielä vastannut" in soup(browser.get(f"{link}/my-data")).get_text(" ")
    # Others' answers are untouched.
    assert len(assessments.respondent_answers(db, people[1][0]["id"])) == 1


def test_a_respondent_removes_everything_and_the_link_stops_working(app, db, seeded):
    row, people = named_round(db, app, seeded)
    maija, link = people[0]
    browser = app.test_client()
    assert browser.post(f"{link}/my-data", data={"what": "everything"}).status_code == 400
    response = post_form(browser, f"{link}/my-data", {"what": "everything"})
    assert response.status_code == 200
    assert "Tietosi poistettiin" in soup(response).get_text(" ")
    assert rows(db, "SELECT 1 FROM respondents WHERE id = ?", (maija["id"],)) == []
    assert browser.get(link).status_code == 404
    [event] = rows(db, "SELECT action, detail, by_user FROM lifecycle_events")
    assert event == {"action": "answers_removed", "detail": "open:own", "by_user": None}


def test_after_closing_a_respondent_sees_their_data_but_cannot_remove_it(app, db, seeded):
    row, people = named_round(db, app, seeded, close=True)
    maija, link = people[0]
    browser = app.test_client()
    page = browser.get(f"{link}/my-data")
    assert page.status_code == 200 and "Maija" in page.get_data(as_text=True)
    response = post_form(browser, f"{link}/my-data", {"what": "everything"}, token_from=link)
    assert response.status_code == 400
    assert rows(db, "SELECT 1 FROM respondents WHERE id = ?", (maija["id"],))
    assert app.test_client().get(f"/r/{row['join_code']}/{'x' * 30}/my-data").status_code == 404


# --- retention -------------------------------------------------------------------------------


def age(db, round_id: int, finalised_at: str) -> None:
    db.execute("UPDATE assessments SET finalised_at = ? WHERE id = ?", (finalised_at, round_id))


def test_retention_cutoff_counts_calendar_months():
    now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert lifecycle.retention_cutoff(24, now) == "2024-03-31T12:00:00+00:00"
    assert lifecycle.retention_cutoff(1, now) == "2026-02-28T12:00:00+00:00"
    assert lifecycle.aliases([5, 6, 7], {6: 1}) == {5: 2, 6: 1, 7: 3}


def test_purge_dry_run_lists_and_purge_replaces_names(app, db, seeded, runner):
    old, _ = named_round(db, app, seeded, close=True)
    recent, _ = named_round(db, app, seeded, close=True, names=("Ville",))
    still_open, _ = named_round(db, app, seeded, names=("Olli",))
    age(db, old["id"], "2020-01-15T10:00:00+00:00")
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would replace 3 name(s) in Hyvinkää" in result.output
    assert "Ville" not in result.output and "Olli" not in result.output
    assert {p["name"] for p in rounds.respondents(db, old["id"])} == {"Maija", "Pekka", "Anna"}
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Replaced 3 name(s)" in result.output
    people = rounds.respondents(db, old["id"])
    assert [(p["name"], p["alias"]) for p in people] == [(None, 1), (None, 2), (None, 3)]
    assert [p["name"] for p in rounds.respondents(db, recent["id"])] == ["Ville"]
    assert [p["name"] for p in rounds.respondents(db, still_open["id"])] == ["Olli"]
    assert len(assessments.answers_by_respondent(db, old["id"])) == 3  # answers stay
    [event] = rows(db, "SELECT kind, action, by_user FROM lifecycle_events")
    assert event == {"kind": "round", "action": "pseudonymised", "by_user": None}
    again = runner.invoke(args=["purge", "--dry-run"])
    assert "Nothing to do" in again.output


def test_the_retention_setting_is_checked(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="RETENTION_MONTHS"):
        make_app(tmp_path, RETENTION_MONTHS=0)
    with pytest.raises(ValueError, match="RETENTION_MONTHS"):
        make_app(tmp_path, RETENTION_MONTHS="24")


def test_the_app_applies_retention_on_its_first_request_of_the_day(app, db, seeded):
    old, _ = named_round(db, app, seeded, close=True)
    age(db, old["id"], "2020-01-15T10:00:00+00:00")
    store.mark_run(db, "retention", "2000-01-01")
    app.test_client().get("/login")
    assert {p["name"] for p in rounds.respondents(db, old["id"])} == {None}
    today = store.last_run(db, "retention")
    assert today != "2000-01-01"
    # Later the same day nothing runs again, even for a round that has just become due.
    again, _ = named_round(db, app, seeded, close=True, names=("Ville",))
    age(db, again["id"], "2020-01-15T10:00:00+00:00")
    app.test_client().get("/login")
    assert [p["name"] for p in rounds.respondents(db, again["id"])] == ["Ville"]


# --- the statements' pages ---------------------------------------------------------------------


def test_statements_are_public_in_both_languages_and_linked_everywhere(app, client, seeded):
    for path, fi in (
        ("/saavutettavuusseloste", "Saavutettavuusseloste"),
        ("/tietosuojaseloste", "Tietosuojaseloste"),
    ):
        page = client.get(path)
        assert page.status_code == 200
        assert soup(page).h1.get_text() == fi
    text = soup(client.get("/saavutettavuusseloste")).get_text(" ", strip=True)
    for part in (
        "Digipalvelun saavutettavuuden tila",
        "Ei-saavutettava sisältö",
        "Valvontaviranomainen",
        "saavutettavuus@traficom.fi",
        "täydennä",
    ):
        assert part in text
    text = soup(client.get("/tietosuojaseloste")).get_text(" ", strip=True)
    for part in (
        "Rekisterinpitäjä",
        "IP-osoite",
        "24 kuukautta",
        "Tietosuojavaltuutetun toimisto",
        "tietosuoja@om.fi",
    ):
        assert part in text
    post_form(client, "/language", {"lang": "en", "next": "/"}, token_from="/login")
    assert soup(client.get("/tietosuojaseloste")).h1.get_text() == "Privacy notice"
    assert "Enforcement procedure" in client.get("/saavutettavuusseloste").get_data(as_text=True)
    for path in ("/login", "/join"):
        footer = soup(client.get(path)).find("footer")
        hrefs = {a["href"] for a in footer.find_all("a")}
        assert {"/saavutettavuusseloste", "/tietosuojaseloste"} <= hrefs


def test_the_join_page_links_the_privacy_notice_before_the_name(app, db, seeded):
    row, _ = named_round(db, app, seeded, names=())
    page = soup(app.test_client().get(f"/r/{row['join_code']}"))
    html = str(page.find("main"))
    assert html.index("/tietosuojaseloste") < html.index('name="name"')


def test_admin_page_warns_while_placeholders_remain(tmp_path, seeded, client):
    login(client, ADMIN)
    text = soup(client.get("/admin/")).get_text(" ", strip=True)
    assert "täydentämättömiä kohtia" in text and "OPERATOR_NAME" in text
    settings = {
        "OPERATOR_NAME": "Hyvinkään kaupunki",
        "OPERATOR_ADDRESS": "PL 86, 05801 Hyvinkää",
        "OPERATOR_EMAIL": "kirjaamo@example.fi",
        "OPERATOR_DPO": "tietosuoja@example.fi",
        "ACCESSIBILITY_ASSESSED_ON": "2026-11-30",
        "STATEMENTS_UPDATED_ON": "2026-12-01",
        "SECURITY_LOG_RETENTION": "12 kuukautta",
        "RETENTION_MONTHS": 12,
    }
    filled = make_app(tmp_path, **settings).test_client()
    login(filled, ADMIN)
    assert "täydentämättömiä" not in soup(filled.get("/admin/")).get_text(" ", strip=True)
    text = soup(filled.get("/saavutettavuusseloste")).get_text(" ", strip=True)
    assert "Hyvinkään kaupunki" in text and "30.11.2026" in text and "täydennä" not in text
    text = soup(filled.get("/tietosuojaseloste")).get_text(" ", strip=True)
    assert "12 kuukautta kierroksen sulkemisesta" in text and "täydennä" not in text


def test_deletion_rules():
    base = {"status": "open", "kind": "single", "counts": 0, "archived_at": None}
    assert lifecycle.deletion_block(base) is None
    assert lifecycle.deletion_block(dict(base, status="final")) == lifecycle.FINAL_SINGLE
    assert lifecycle.deletion_block(dict(base, status="final", kind="round")) == lifecycle.CLOSED_ROUND
    assert lifecycle.deletion_block(dict(base, counts=1)) == lifecycle.COUNTED
    assert lifecycle.deletion_block(base, workshop_running=True) == lifecycle.LIVE_WORKSHOP
    assert lifecycle.deletion_block(dict(base, archived_at="x")) == lifecycle.ARCHIVED
    assert not lifecycle.can_archive(base)
    assert lifecycle.can_archive(dict(base, counts=1))
    assert lifecycle.can_archive(dict(base, status="final"))
    assert not lifecycle.can_archive(dict(base, status="final", archived_at="x"))
