"""The demo organisation's history in a real browser: both charts drawn under the strict CSP,
two years overlaid, the assessment that counts changed, the path position on the results
page; axe on every page."""

from __future__ import annotations

from playwright.sync_api import expect

from assess import clock
from assess.storage import accounts
from assess.storage.db import open_db


def _demo(live_app, lead_id: int) -> dict:
    result = live_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    db = open_db(live_app.config["DATABASE"])
    try:
        org = accounts.get_org_by_slug(db, result.output.strip().splitlines()[-1])
        accounts.grant(db, lead_id, org["id"], "lead")
        org["round_id"] = db.execute(
            "SELECT id FROM assessments WHERE org_id = ? AND kind = 'round'", (org["id"],)
        ).fetchone()[0]
    finally:
        db.conn.close()
    return org


def _check_without_fragment(page, check_a11y) -> None:
    """The page watch records visited documents without their #fragment but checked pages
    with it; load the same page without the fragment so both match."""
    page.goto(page.url.split("#", 1)[0])
    check_a11y(page)


def test_history_of_the_demo_organisation(
    page, new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    org = _demo(live_app, live_seeded["lead"]["id"])
    year = clock.today().year
    sign_in(page, credentials["lead"])

    page.goto(f"/orgs/{org['id']}")
    check_a11y(page)
    page.locator("nav.org-nav").get_by_role("link", name=ui_text("fi", "Follow-up"), exact=True).click()
    expect(page.locator("h1")).to_contain_text(ui_text("fi", "History of %(name)s", name=org["name"]))
    expect(page.locator("#history-lines.chart-drawn .main-svg").first).to_be_visible()
    expect(page.locator("#history-radar.chart-drawn .main-svg").first).to_be_visible()
    assert page.locator("#history-lines .scatterlayer .trace").count() >= 8
    assert page.locator("head style").count() == 0
    expect(page.locator("#history-table")).to_be_visible()
    expect(page.locator("#radar-table")).to_be_visible()
    check_a11y(page)

    # Overlay the first and the last year.
    page.locator("#before").select_option(str(year - 3))
    page.locator("#after").select_option(str(year))
    page.get_by_role("button", name=ui_text("fi", "Compare"), exact=True).click()
    expect(page.locator("#changes")).to_contain_text(
        ui_text("fi", "Changes from %(before)d to %(after)d", before=year - 3, after=year)
    )
    expect(page.locator("#history-radar.chart-drawn .main-svg").first).to_be_visible()
    expect(page.locator(".missing-table")).to_be_visible()
    check_a11y(page)
    assert page.url.endswith("#compare")  # the page opens at the comparison
    _check_without_fragment(page, check_a11y)

    # The earlier quick check of the second year is made the one that counts.
    form = page.locator(f"form[action*='/history/counts/{year - 2}']")
    form.locator("input[type=radio]").first.check()
    form.get_by_role("button").click()
    # Making one count asks for confirmation, naming the one it replaces.
    check_a11y(page)
    page.get_by_role("button", name=ui_text("fi", "Make it count")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert f"before={year - 3}" in page.url  # the comparison is kept
    check_a11y(page)
    _check_without_fragment(page, check_a11y)

    page.goto(f"/assessments/{org['round_id']}/results")
    # The path position is a column of the areas at a glance.
    expect(page.locator("#radar-table .badge").first).to_be_visible()
    check_a11y(page)

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="fi-FI")
    sign_in(phone, credentials["lead"])
    phone.goto(f"/orgs/{org['id']}/history")
    expect(phone.locator("#history-lines.chart-drawn .main-svg").first).to_be_visible()
    check_a11y(phone)
