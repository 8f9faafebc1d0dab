"""Own data in a real browser: set the home municipality, upload invoices and suppliers, see
the detection, import with the progress page, read the figures, import Hilma notices and open
the notices behind a figure, then accept a proposal in the metrics and see it in the
follow-up. axe on every page; a phone view of the figures."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import PHONE

DATA = Path(__file__).resolve().parent.parent / "data" / "owndata"


def test_upload_figures_and_accept_a_proposal(page, live_seeded, credentials, sign_in, check_a11y, ui_text):
    org_id = live_seeded["org"]["id"]
    sign_in(page, credentials["lead"])

    page.goto(f"/orgs/{org_id}/own-data")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("fi", "Metrics from own data"))
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Home municipality")).fill("Hyvinkää")
    page.get_by_role("button", name=ui_text("fi", "Save the settings")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_a11y(page)

    page.get_by_label(ui_text("fi", "Purchase invoices (CSV)")).set_input_files(
        DATA / "invoices_small_cp1252.csv"
    )
    page.get_by_label(ui_text("fi", "Suppliers' municipalities (CSV)")).set_input_files(
        DATA / "suppliers_small.csv"
    )
    page.get_by_role("button", name=ui_text("fi", "Upload and check")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("fi", "Check the invoice file"))
    expect(page.locator("main")).to_contain_text("Windows-1252")
    expect(page.locator("main")).to_contain_text("Ääninen Oy")
    check_a11y(page)
    page.get_by_role("button", name=ui_text("fi", "Import"), exact=True).click()
    expect(page.get_by_text(ui_text("fi", "The invoices were imported."))).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name=ui_text("fi", "Figures for %(year)d", year=2025)).click()
    figures = page.locator("#figures-2025")
    expect(figures).to_contain_text("32,8\u00a0%")
    expect(figures).to_contain_text("450,00\u00a0€")
    check_a11y(page)

    page.get_by_label(ui_text("fi", "Hilma notices (JSON or CSV)")).set_input_files(
        DATA / "notices_small.json"
    )
    page.get_by_role("button", name=ui_text("fi", "Import the notices")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_a11y(page)
    page.locator("#figures-2025").get_by_role("link", name=ui_text("fi", "Environmental criteria")).click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="1001")).to_be_visible()
    check_a11y(page)

    page.goto(f"/orgs/{org_id}/metrics/2025")
    proposal = page.locator("#proposal-p3-a3-m1")
    expect(proposal).to_contain_text("32,84\u00a0%")
    expect(proposal).to_contain_text("Laskettu ostolaskuista 2025")
    check_a11y(page)
    proposal.get_by_role("button", name=ui_text("fi", "Accept the computed value")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#value-p3-a3-m1")).to_have_value("32,84")
    check_a11y(page)

    page.goto(f"/orgs/{org_id}/programme?year=2025")
    expect(page.locator(".computed-mark").first).to_be_visible()
    check_a11y(page)


def test_viewer_reads_the_figures_on_a_phone(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    from assess import own_import
    from assess.storage.db import open_db

    db = open_db(live_app.config["DATABASE"])
    try:
        path = DATA / "invoices_small_utf8.csv"
        own_import.import_invoices(
            db,
            live_seeded["org"]["id"],
            path,
            own_import.detect_invoices(path),
            DATA / "suppliers_small.csv",
            ["Hyvinkää"],
        )
    finally:
        db.conn.close()
    page = new_page(**PHONE)
    sign_in(page, credentials["viewer"])
    page.goto(f"/orgs/{live_seeded['org']['id']}/own-data")
    expect(page.locator("#figures-2025")).to_contain_text("32,8\u00a0%")
    expect(page.locator("input[type=file]")).to_have_count(0)
    check_a11y(page)
