"""The measuring instrument in a real browser: the statement first with its roadmap source and
what "fully" means, actions under their goals in the full questionnaire, and the glossary page
(desktop and phone, axe on every page)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

# Set to a folder to keep screenshots of the pages for a look (not needed for the test).
SHOTS = os.environ.get("INSTRUMENT_SHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def test_statement_source_and_guidance_on_the_answering_page(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    content = live_app.extensions["content"]
    page = new_page()
    sign_in(page, credentials["lead"])
    page.goto(f"/orgs/{live_seeded['org']['id']}/assessments/new")
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Year")).fill("2025")
    page.get_by_label("Laaja kysely").check()
    page.get_by_role("button", name=ui_text("fi", "Start")).click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/areas/strategia$"))
    check_a11y(page)
    # A situation that never arose is answered "don't know": the hint says so.
    expect(page.locator("p.hint").first).to_contain_text("tilannetta ei ole koskaan tullut vastaan")

    goal = content.items["strategia-2-g1"]
    action = content.items["strategia-2-a1"]
    # The goal heads its group as a subheading; its statement names the radio group.
    group = page.get_by_role("group", name=goal.claim("fi"), exact=True)
    expect(group).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=goal.claim("fi"))).to_be_visible()
    expect(group.locator(".statement-source")).to_have_text(f"Tulevaisuuspolulla: {goal.text.fi}")
    # The action stands under its goal, indented, with its own source and guidance.
    nested = page.locator(".goal-group", has=group).locator(".goal-actions")
    action_group = nested.get_by_role("group", name=action.claim("fi"), exact=True)
    expect(action_group).to_be_visible()
    guidance = action_group.locator("details.statement-guidance")
    expect(guidance.locator("p")).to_be_hidden()
    guidance.locator("summary").click()
    expect(guidance.locator("p")).to_have_text(action.guidance("fi"))
    check_a11y(page)
    _shot(page, "answering-desktop")

    action_group.get_by_label("pääosin").check()
    page.get_by_role("button", name=ui_text("fi", "Save"), exact=True).click()
    expect(
        page.get_by_role("group", name=action.claim("fi"), exact=True).get_by_label("pääosin")
    ).to_be_checked()
    check_a11y(page)

    phone = new_page(**PHONE)
    sign_in(phone, credentials["lead"])
    phone.goto(page.url.replace(re.sub(r"/assessments.*", "", page.url), ""))
    check_a11y(phone)
    expect(phone.get_by_role("group", name=goal.claim("fi"), exact=True)).to_be_visible()
    _shot(phone, "answering-phone")


def test_glossary_page_from_the_header(new_page, live_app, live_seeded, credentials, sign_in, check_a11y):
    glossary = live_app.extensions["content"].glossary
    page = new_page()
    sign_in(page, credentials["lead"])
    page.get_by_role("link", name="Käsitteet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Käsitteet")
    terms = page.locator(".glossary dt dfn")
    expect(terms).to_have_count(len(glossary))
    expect(terms.first).to_have_text(glossary[0].term.fi)
    target = page.locator("#term-tavoitetaso")
    expect(target).to_contain_text("tavoitetaso")
    expect(target).to_contain_text("(target stage)")
    check_a11y(page)
    _shot(page, "glossary-desktop")

    # Open without an account, as a respondent with a personal link is.
    phone = new_page(**PHONE)
    phone.goto("/glossary")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Käsitteet")
    check_a11y(phone)
    _shot(phone, "glossary-phone")
