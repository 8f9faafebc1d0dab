"""A team round in real browsers: a lead opens an anonymous round, three respondents join in
their own contexts (one on a phone), the lead sees the spread, records an agreed stage and
closes the round; axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE


def _answer_area(page, label: str, ui_text) -> None:
    statements = page.locator("fieldset.statement")
    for n in range(statements.count()):
        statements.nth(n).get_by_label(label).check()
    page.get_by_role("button", name=ui_text("fi", "Save"), exact=True).click()
    expect(page.locator(".flash-success")).to_be_visible()


def _join(page, code: str, ui_text, check_a11y, *, by_code: bool) -> str:
    """Join the round; returns the personal link."""
    if by_code:
        page.goto("/join")
        check_a11y(page)
        page.get_by_label(ui_text("fi", "Join code")).fill(code.lower())
        page.get_by_role("button", name=ui_text("fi", "Continue")).click()
    else:
        page.goto(f"/r/{code}")
    expect(page).to_have_url(re.compile(f"/r/{code}$"))
    check_a11y(page)
    page.get_by_role("button", name=ui_text("fi", "Join and start answering")).click()
    expect(page.get_by_role("heading", name=ui_text("fi", "Save this link"))).to_be_visible()
    check_a11y(page)
    link = page.locator("#personal-link").input_value()
    assert re.search(f"/r/{code}/[A-Za-z0-9_-]{{32}}$", link)
    page.get_by_role("link", name=ui_text("fi", "Start answering")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategia")
    check_a11y(page)
    return link


def test_team_round_from_invitation_to_closing(
    new_page, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    lead = new_page()
    sign_in(lead, credentials["lead"])
    lead.goto(f"/orgs/{live_seeded['org']['id']}/rounds")
    check_a11y(lead)
    lead.get_by_role("link", name=ui_text("fi", "Open a team round")).click()
    check_a11y(lead)
    lead.get_by_label(ui_text("fi", "Year assessed")).fill("2026")
    lead.get_by_label("Pikakysely").check()
    lead.get_by_label(re.compile("^Nimetön")).check()
    lead.get_by_role("button", name=ui_text("fi", "Open the round")).click()
    expect(lead).to_have_url(re.compile(r"/assessments/\d+/round$"))
    check_a11y(lead)
    code = lead.locator(".join-code [aria-hidden]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    # The QR code is served by the app itself and is a real image.
    assert lead.locator("img.qr-code").evaluate("img => img.complete && img.naturalWidth > 100")
    lead.get_by_role("button", name=ui_text("fi", "Copy the reminder")).click()
    expect(lead.locator("#reminder-text-status")).not_to_be_empty()

    answers = [("täysin", False, {}), ("ei lainkaan", True, PHONE), ("osittain", True, {})]
    for label, by_code, options in answers:
        person = new_page(**options)
        _join(person, code, ui_text, check_a11y, by_code=by_code)
        _answer_area(person, label, ui_text)
        check_a11y(person)

    lead.reload()
    expect(lead.locator(".round-counts li").first).to_contain_text("3")
    expect(lead.locator("table.round-people")).to_have_count(0)  # anonymous: counts only
    check_a11y(lead)

    lead.get_by_role("link", name=ui_text("fi", "Team result")).click()
    spread = lead.locator("table.spread-table tbody tr").first
    expect(spread.locator("th")).to_have_text("Strategia")
    expect(spread.locator("td").first).to_contain_text("4")
    expect(lead.locator("section.team-discuss h3").first).to_have_text("Strategia")
    check_a11y(lead)

    lead.goto(lead.url.replace("/results", "/agreement"))
    check_a11y(lead)
    lead.get_by_label(ui_text("fi", "Agreed stage: %(area)s", area="Strategia")).select_option("1")
    lead.get_by_label(ui_text("fi", "Reason: %(area)s", area="Strategia")).fill(
        "Linjaukset on tehty, mutta niitä ei vielä seurata."
    )
    lead.get_by_role("button", name=ui_text("fi", "Save the agreement")).click()
    expect(lead.locator(".flash-success")).to_have_text(ui_text("fi", "The agreement was saved."))
    check_a11y(lead)

    lead.get_by_role("link", name=ui_text("fi", "Back to the round")).click()
    check_a11y(lead)
    lead.get_by_role("link", name=ui_text("fi", "Close the round…")).click()
    check_a11y(lead)
    lead.get_by_role("button", name=ui_text("fi", "Close the round")).click()
    expect(lead.locator(".badge.success").first).to_have_text(ui_text("fi", "Closed"))
    check_a11y(lead)
    lead.get_by_role("link", name=ui_text("fi", "Team result")).click()
    agreed = lead.locator("table.spread-table tbody tr").first.locator("td").nth(3)
    expect(agreed).to_contain_text("vaihe 1/5")
    check_a11y(lead)
