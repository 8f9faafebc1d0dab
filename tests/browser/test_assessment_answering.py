"""A lead starts a single assessment, answers areas, sees progress and marks it final (real browser)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE


def test_lead_answers_and_finalises_an_assessment(
    new_page, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    page = new_page()
    sign_in(page, credentials["lead"])
    org_id = live_seeded["org"]["id"]
    page.goto(f"/orgs/{org_id}")
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Start an assessment")).click()
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Year")).fill("2025")
    page.get_by_label("Pikakysely").check()
    page.get_by_role("button", name=ui_text("fi", "Start")).click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/areas/strategia$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategia")
    check_a11y(page)

    statements = page.locator("fieldset.statement")
    statements.nth(0).get_by_label("pääosin").check()
    statements.nth(1).get_by_label("en osaa sanoa").check()
    page.get_by_label(ui_text("fi", "Comment on this area (optional)")).fill("Strategia päivitetään.")
    page.get_by_role("button", name=ui_text("fi", "Save and continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Johtaminen")
    expect(page.locator(".progress-line")).to_contain_text("2/44")
    check_a11y(page)

    # Going back shows what was saved.
    page.get_by_role("link", name=re.compile("^Strategia")).first.click()
    expect(page.locator("fieldset.statement").nth(0).get_by_label("pääosin")).to_be_checked()
    check_a11y(page)

    # On a phone the same page works and saves.
    phone = new_page(**PHONE)
    sign_in(phone, credentials["lead"])
    phone.goto(page.url.replace(re.sub(r"/assessments.*", "", page.url), ""))
    phone.locator("fieldset.statement").nth(2).get_by_label("osittain").check()
    phone.get_by_role("button", name=ui_text("fi", "Save"), exact=True).click()
    expect(phone.locator(".progress-line")).to_contain_text("3/44")
    check_a11y(phone)

    page.get_by_role("link", name=ui_text("fi", "Overview")).click()
    expect(page.locator(".progress-summary")).to_contain_text("3/44")
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Mark as final…")).click()
    check_a11y(page)
    page.get_by_role("button", name=ui_text("fi", "Mark as final")).click()
    expect(page.locator(".badge.success").first).to_have_text(ui_text("fi", "Final"))
    check_a11y(page)
    page.get_by_role("link", name="Strategia").click()
    expect(page.locator("form.area-form")).to_have_count(0)
    expect(page.locator("dl.answers-readonly").first).to_contain_text("pääosin")
    check_a11y(page)
