"""The lead's day in a real browser: a fresh installation guided from setup to the first
assessment on the organisation's overview, and a lead's return visit a year later (the
clock moved with time-machine); axe on every page, screenshots at desktop and phone sizes."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import time_machine
from playwright.sync_api import expect

from assess import clock
from assess.storage import accounts
from assess.storage.db import open_db
from tests.browser.conftest import PHONE

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/hd-shots"))
LAPTOP = {"locale": "fi-FI", "viewport": {"width": 1366, "height": 768}}
ADMIN = {
    "org": "Hyvinkään kaupunki",
    "username": "paakayttaja",
    "name": "Pirkko Pääkäyttäjä",
    "password": "pitkä-salasana-1",
}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def h1_top(page) -> float:
    return page.get_by_role("heading", level=1).bounding_box()["y"]


def test_a_fresh_installation_is_guided_to_its_first_assessment(new_page, live_app, check_a11y, ui_text):
    def t(msgid: str, **params) -> str:
        return ui_text("fi", msgid, **params)

    year = clock.today().year
    page = new_page(**LAPTOP)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Welcome to Hankintapolku"))
    check_a11y(page)
    page.get_by_label(t("Organisation name")).fill(ADMIN["org"])
    page.get_by_label(t("Administrator's user name")).fill(ADMIN["username"])
    page.get_by_label(t("Your name")).fill(ADMIN["name"])
    page.get_by_label(t("Password"), exact=True).fill(ADMIN["password"])
    page.get_by_label(t("Password again"), exact=True).fill(ADMIN["password"])
    page.get_by_role("button", name=t("Create and sign in")).click()

    # Setup lands on the administrator's next steps.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Administration"))
    next_steps = page.locator("section", has=page.get_by_role("heading", name=t("Next steps")))
    expect(next_steps).to_contain_text(t("Nobody has access to %(org)s yet.", org=ADMIN["org"]))
    expect(next_steps.get_by_role("link", name=t("Add users to %(org)s", org=ADMIN["org"]))).to_be_visible()
    check_a11y(page)
    shot(page, "admin-next-steps-1366")

    # The organisation's overview: no assessment this year, each questionnaire with its time.
    page.get_by_role("link", name="Hankintapolku").click()
    page.get_by_role("link", name=ADMIN["org"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ADMIN["org"])
    nav = page.get_by_role("navigation", name=t("Organisation: %(name)s", name=ADMIN["org"]))
    expect(nav.get_by_role("link")).to_have_count(5)
    expect(nav.locator("a[aria-current=page]")).to_have_text(t("At a glance"))
    steps = page.locator("section", has=page.get_by_role("heading", name=t("Next steps")))
    expect(steps).to_contain_text(t("There is no assessment for %(year)d yet.", year=year))
    expect(steps).to_contain_text("Pikakysely: 44 väittämää, noin 15 min")
    check_a11y(page)
    shot(page, "overview-fresh-1366")

    # Start the quick questionnaire from there; the start form tells the same time.
    steps.get_by_role("link", name=t("Start an assessment")).click()
    quick = page.get_by_role("radio", name="Pikakysely: 44 väittämää, noin 15 min")
    expect(quick).to_be_visible()
    check_a11y(page)
    quick.check()
    page.get_by_role("button", name=t("Start"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/areas/"))
    check_a11y(page)
    assessment = re.search(r"/assessments/(\d+)/", page.url).group(1)
    # The first area answered: only an assessment with answers can count for its year.
    statements = page.locator("fieldset.statement")
    for n in range(statements.count()):
        statements.nth(n).get_by_label("pääosin").check()
    page.get_by_role("button", name=t("Save and continue")).click()
    check_a11y(page)

    # Back on the overview it is to be continued; marked final, it is where the organisation
    # stands this year.
    page.goto("/")
    check_a11y(page)
    page.get_by_role("link", name=ADMIN["org"]).click()
    expect(steps.get_by_role("link", name=t("Continue the assessment"))).to_be_visible()
    check_a11y(page)
    page.goto(f"/assessments/{assessment}/finalise")
    check_a11y(page)
    page.get_by_role("button", name=t("Mark as final")).click()
    check_a11y(page)
    nav = page.get_by_role("navigation", name=t("Organisation: %(name)s", name=ADMIN["org"]))
    nav.get_by_role("link", name=t("At a glance")).click()
    expect(page.get_by_role("heading", name=t("Where we stand: %(year)d", year=year))).to_be_visible()
    table = page.get_by_role("table", name=t("Stage and maturity index per area in %(year)d", year=year))
    expect(table.get_by_role("row")).to_have_count(1 + len(live_app.extensions["content"].areas))
    expect(page.locator("div.chart .main-svg").first).to_be_visible()  # the chart is drawn
    check_a11y(page)
    shot(page, "overview-first-result-1366")


def _demo(live_app, lead_id: int) -> dict:
    result = live_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    db = open_db(live_app.config["DATABASE"])
    try:
        org = accounts.get_org_by_slug(db, result.output.strip().splitlines()[-1])
        accounts.grant(db, lead_id, org["id"], "lead")
    finally:
        db.conn.close()
    return org


def test_a_leads_return_visit_a_year_later(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    def t(msgid: str, **params) -> str:
        return ui_text("fi", msgid, **params)

    org = _demo(live_app, live_seeded["lead"]["id"])
    last_year = clock.today().year
    with time_machine.travel(clock.now() + timedelta(days=366), tick=True):
        year = clock.today().year
        assert year == last_year + 1
        for name, options in (("1366", LAPTOP), ("390", PHONE)):
            page = new_page(**options)
            sign_in(page, credentials["lead"])
            # The front page lists the organisation with its latest counted year.
            row = page.get_by_role("row", name=re.compile(re.escape(org["name"])))
            expect(row).to_contain_text(str(last_year))
            check_a11y(page)
            shot(page, f"home-{name}")
            row.get_by_role("link", name=org["name"]).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(org["name"])
            # The standing is last year's counted result, and this year's assessment is due.
            expect(
                page.get_by_role("heading", name=t("Where we stand: %(year)d", year=last_year))
            ).to_be_visible()
            steps = page.locator("section", has=page.get_by_role("heading", name=t("Next steps")))
            expect(steps).to_contain_text(t("There is no assessment for %(year)d yet.", year=year))
            underway = page.locator("section", has=page.get_by_role("heading", name=t("Under way")))
            expect(underway).to_contain_text(t("Late"))
            check_a11y(page)
            shot(page, f"overview-year-later-{name}")
            if options is PHONE:
                # On a phone the page's own content starts within the first screen.
                assert h1_top(page) < 844 / 2, h1_top(page)
                for path in (f"/orgs/{org['id']}/history", f"/orgs/{org['id']}/plan"):
                    page.goto(path)
                    assert h1_top(page) < 844 / 2, (path, h1_top(page))
                    check_a11y(page)
                shot(page, "plan-390")
