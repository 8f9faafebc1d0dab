"""Metric pages in a real browser: record values (one refused), set targets, follow up; axe on each."""

from __future__ import annotations

from playwright.sync_api import expect

from assess.storage import metrics as store
from assess.storage.db import open_db
from tests.browser.conftest import PHONE

COUNT, EURO, PERCENT = "p1-a2-m2", "p9-a1-m1", "p3-a3-m1"


def test_record_values_set_targets_and_follow_up(
    page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    org_id = live_seeded["org"]["id"]
    db = open_db(live_app.config["DATABASE"])
    try:
        store.set_value(db, org_id, 2024, EURO, "euro", 1000)
    finally:
        db.conn.close()
    sign_in(page, credentials["lead"])

    page.goto(f"/orgs/{org_id}/metrics/2025")
    check_a11y(page)
    page.locator(f"#value-{COUNT}").fill("kolme")
    page.locator(f"#value-{EURO}").fill("1 234,50")
    page.locator(f"#value-{PERCENT}").fill("12,5")
    page.locator(f"#value-{PERCENT}").press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        ui_text("fi", "Enter a whole number that is 0 or greater, for example 12.")
    )
    expect(page.locator(f"#value-{EURO}")).to_have_value("1 234,50")
    check_a11y(page)
    summary.get_by_role("link").first.click()
    expect(page.locator(f"#value-{COUNT}")).to_be_focused()
    page.locator(f"#value-{COUNT}").fill("3")
    page.get_by_role("button", name=ui_text("fi", "Save the values for %(year)d", year=2025)).first.click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_a11y(page)

    page.goto(f"/orgs/{org_id}/targets/2025")
    check_a11y(page)
    page.locator("#start_year").fill("2023")
    page.locator("#target-strategia").select_option("3")
    page.get_by_role("button", name=ui_text("fi", "Save the targets")).click()
    expect(page.locator(".targets-table tbody tr").first).to_contain_text("3/5")
    check_a11y(page)

    page.goto(f"/orgs/{org_id}/programme")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2025")
    expect(page.get_by_role("button", name=ui_text("fi", "Print"))).to_be_visible()
    goal9 = page.locator("section.followup-goal", has=page.locator("#goal-9"))
    euro_row = goal9.get_by_role("row", name="Yhteishankintojen määrän kasvu")
    expect(euro_row).to_contain_text(ui_text("fi", "rising"))
    check_a11y(page)


def test_viewer_reads_on_a_phone(new_page, live_seeded, credentials, sign_in, check_a11y):
    page = new_page(**PHONE)
    sign_in(page, credentials["viewer"])
    org_id = live_seeded["org"]["id"]
    page.goto(f"/orgs/{org_id}/metrics/2025")
    check_a11y(page)
    page.goto(f"/orgs/{org_id}/programme")
    check_a11y(page)
