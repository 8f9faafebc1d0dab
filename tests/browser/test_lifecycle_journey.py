"""Retiring data in a real browser: a lead deletes a mistaken empty assessment, archives an
old round and erases a respondent of a closed round; the history, the results and the
exports agree afterwards. A respondent looks at their own data on a phone, and the
statements' pages are checked too; axe on every page."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date

from playwright.sync_api import expect

from assess import joincodes
from assess.storage import assessments, rounds
from assess.storage.db import open_db

SHOTS = os.environ.get("ASSESS_SCREENSHOTS")  # a folder: save screenshots there when set


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _seed(live_app, seeded) -> dict:
    """Two closed named rounds (2024 and last year), and an open one with a personal link."""
    db = open_db(live_app.config["DATABASE"])
    content = live_app.extensions["content"]
    item = content.questionnaire("quick").items[0]
    area = content.items[item].area
    last = date.today().year - 1
    made = {}
    try:
        for key, year, closed in (("old", 2024, True), ("recent", last, True), ("open", last + 1, False)):
            row = rounds.open_round(
                db,
                org_id=seeded["org"]["id"],
                year=year,
                questionnaire="quick",
                content_version=content.version,
                created_by=seeded["lead"]["id"],
                anonymous=False,
                title=f"Tiimi {year}",
            )
            for value, name in ((4, "Maija Meikäläinen"), (0, "Pekka Puup"), (0, "Anna Aho")):
                token = joincodes.new_token()
                person, _ = rounds.join(db, row["id"], token, name)
                assessments.save_area(
                    db,
                    respondent_id=person["id"],
                    area=area,
                    changes={item: value},
                    base={},
                    comment=None,
                    base_comment=None,
                )
                made.setdefault(f"{key}_links", []).append(f"/r/{row['join_code']}/{token}")
            if closed:
                rounds.close_round(db, row["id"])
            made[key] = row["id"]
    finally:
        db.conn.close()
    made["item"] = item
    made["last"] = last
    return made


def _csv(page, path: str) -> list[dict]:
    response = page.request.get(path)
    assert response.ok
    return list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff")), delimiter=";"))


def test_lead_retires_data_and_history_results_and_exports_agree(
    page, new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    made = _seed(live_app, live_seeded)
    org_id = live_seeded["org"]["id"]
    sign_in(page, credentials["lead"])

    # 1. An assessment started by mistake is deleted after the confirmation page.
    page.goto(f"/orgs/{org_id}/assessments/new")
    check_a11y(page)
    page.locator("#year").fill(str(made["last"] + 1))
    page.get_by_role("button", name=ui_text("fi", "Start"), exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_a11y(page)
    mistaken = int(page.url.split("/assessments/")[1].split("/")[0])
    page.goto(f"/assessments/{mistaken}")
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Delete…")).click()
    expect(page.locator(".loss-list")).to_contain_text("0 vastausta")
    check_a11y(page)
    _shot(page, "delete-confirm-desktop")
    page.get_by_role("button", name=ui_text("fi", "Delete for good")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_a11y(page)
    assert f"/assessments/{mistaken}" not in page.content()

    # 2. The old round is archived: it leaves the lists and the history.
    page.goto(f"/assessments/{made['old']}/round")
    check_a11y(page)
    page.get_by_role("button", name=ui_text("fi", "Archive"), exact=True).click()
    expect(page.locator("h1")).to_contain_text(ui_text("fi", "archived and removed"))
    expect(page.locator("main table").first).to_contain_text("Tiimi 2024")
    check_a11y(page)
    _shot(page, "archive-desktop")
    page.goto(f"/orgs/{org_id}/rounds")
    check_a11y(page)
    assert "Tiimi 2024" not in page.locator("main").inner_text()

    # 3. A respondent of the closed round is erased with their answers.
    page.goto(f"/assessments/{made['recent']}/round")
    page.get_by_role("link", name=ui_text("fi", "Erase %(name)s…", name="Maija Meikäläinen")).click()
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Erase them too: the team result is recomputed without them")).check()
    _shot(page, "erase-desktop")
    page.get_by_role("button", name=ui_text("fi", "Erase"), exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Tulos laskettiin uudelleen")
    check_a11y(page)
    assert "Maija" not in page.locator("main").inner_text()

    # The results, the history and the exports agree.
    page.goto(f"/assessments/{made['recent']}/results")
    expect(page.locator("main")).to_contain_text("Tulos laskettiin uudelleen")
    expect(page.locator("main p.meta").first).to_contain_text("2 vastaajaa")
    check_a11y(page)
    page.goto(f"/orgs/{org_id}/history")
    check_a11y(page)
    history = page.locator("main").inner_text()
    assert str(made["last"]) in history and "2024" not in history
    results = _csv(page, f"/orgs/{org_id}/export/results.csv")
    years = {r[next(k for k in r if k.lower().startswith(("vuosi", "year")))] for r in results}
    assert str(made["last"]) in years and "2024" not in years
    answers = _csv(page, f"/orgs/{org_id}/export/answers.csv")
    assert not any("Tiimi 2024" in " ".join(r.values()) for r in answers)

    # The administrator's export file still holds the archived round, archived.
    admin = new_page()
    sign_in(admin, credentials["admin"])
    document = json.loads(admin.request.get(f"/admin/export/{org_id}").text())
    by_id = {a["id"]: a for a in document["assessments"]}
    assert by_id[made["old"]]["archived_at"] and not by_id[made["recent"]]["archived_at"]
    assert mistaken not in by_id
    names = {r["name"] for r in document["respondents"]}
    assert "Maija Meikäläinen" in names  # the archived and the open round keep theirs
    recent_names = {r["name"] for r in document["respondents"] if r["assessment"] == made["recent"]}
    assert recent_names == {"Pekka Puup", "Anna Aho"}
    admin.goto("/admin/")
    expect(admin.locator("main")).to_contain_text(
        ui_text("fi", "The accessibility statement and the privacy notice still show placeholders.")
    )
    check_a11y(admin)
    _shot(admin, "admin-desktop")


def test_respondent_data_page_and_statements_on_a_phone(new_page, live_app, live_seeded, check_a11y, ui_text):
    made = _seed(live_app, live_seeded)
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fi-FI")
    link = made["open_links"][0]
    phone.goto(link)
    check_a11y(phone)
    phone.get_by_role(
        "link", name=ui_text("fi", "See what is stored about you, or remove your answers")
    ).click()
    expect(phone.locator("main")).to_contain_text("Maija Meikäläinen")
    check_a11y(phone)
    _shot(phone, "my-data-phone")
    phone.get_by_label(
        ui_text("fi", "My answers and comments: I can still answer again on this link")
    ).check()
    phone.get_by_role("button", name=ui_text("fi", "Remove"), exact=True).click()
    expect(phone.locator(".flash-success")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(ui_text("fi", "You have not answered anything yet."))
    check_a11y(phone)
    phone.get_by_role("link", name=ui_text("fi", "Privacy notice")).first.click()
    expect(phone.locator("h1")).to_have_text("Tietosuojaseloste")
    check_a11y(phone)
    _shot(phone, "privacy-phone")
    phone.goto("/saavutettavuusseloste")
    expect(phone.locator("h1")).to_have_text("Saavutettavuusseloste")
    check_a11y(phone)
    _shot(phone, "accessibility-phone")
    phone.goto(link.rsplit("/", 1)[0])  # the join page links the privacy notice too
    expect(phone.locator(".privacy-link a")).to_have_attribute("href", "/tietosuojaseloste")
    check_a11y(phone)
