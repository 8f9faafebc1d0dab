"""A respondent answers one area in two tabs of a phone, then moves on through the list of
areas on a desktop: the page the lead has, in the respondent's words, accessible in each state."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assess import joincodes
from assess.storage import rounds
from assess.storage.db import open_db
from tests.browser.conftest import PHONE


def _round_link(live_app, seeded) -> str:
    content = live_app.extensions["content"]
    db = open_db(live_app.config["DATABASE"])
    try:
        row = rounds.open_round(
            db,
            org_id=seeded["org"]["id"],
            year=2026,
            questionnaire="quick",
            content_version=content.version,
            created_by=seeded["lead"]["id"],
            anonymous=False,
            deadline=None,
        )
        token = joincodes.new_token()
        rounds.join(db, row["id"], token, "Maija")
    finally:
        db.close()
    return f"/r/{row['join_code']}/{token}"


def test_respondent_two_tabs_then_the_area_list(live_app, live_seeded, new_page, check_a11y):
    link = _round_link(live_app, live_seeded)
    content = live_app.extensions["content"]
    first, second = (a.id for a in content.areas[:2])
    steps = dict(content.area_items(content.questionnaire("quick")))[first]
    item = next(i for _s, ids in steps for i in ids)
    claim = content.items[item].claim("fi")

    phone = new_page(**PHONE)
    other_tab = phone.context.new_page()
    phone.goto(f"{link}/areas/{first}")
    other_tab.goto(f"{link}/areas/{first}")
    check_a11y(phone)
    other_tab.get_by_role("group", name=claim).get_by_text("pääosin").click()
    other_tab.get_by_role("button", name="Tallenna", exact=True).click()
    expect(other_tab.locator(".flash")).to_contain_text("Tallennettu")
    check_a11y(other_tab)

    # The first tab still shows the old page: its different answer is a conflict.
    phone.get_by_role("group", name=claim).get_by_text("vähän").click()
    phone.get_by_role("button", name="Tallenna", exact=True).click()
    notice = phone.locator("#conflicts")
    expect(notice).to_contain_text("toisessa välilehdessä tai ikkunassa")
    expect(notice).to_contain_text(claim.rstrip(".") + ": sinun vastauksesi")
    expect(notice).not_to_contain_text("Muut muutoksesi tallennettiin")
    expect(phone.get_by_role("group", name=claim).get_by_label("pääosin")).to_be_checked()
    check_a11y(phone)

    desktop = new_page()
    desktop.goto(f"{link}/areas/{first}")
    areas = desktop.get_by_role("navigation", name="Arvioinnin osa-alueet")
    expect(areas.get_by_role("link").first).to_contain_text("1/")
    check_a11y(desktop)
    areas.get_by_role("link").nth(1).click()
    expect(desktop).to_have_url(re.compile(re.escape(f"{link}/areas/{second}") + "$"))
    expect(desktop.get_by_role("heading", level=1)).to_have_text(content.area(second).title.get("fi"))
    check_a11y(desktop)
