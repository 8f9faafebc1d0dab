"""A lead adds suggestions to the plan and sees each confirmation where they pressed the button
(focused, inside the suggestion), then marks entry 2 done by its accessible name; axe on
each page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_results_plan import _assessment


def _open_around(locator) -> None:
    """Open, as a reader would, the closed parts of the results page around ``locator``."""
    around = locator.locator("xpath=ancestor::details")
    for n in range(around.count()):
        details = around.nth(n)
        if details.get_attribute("open") is None:
            details.locator("xpath=./summary").click()


def test_add_suggestions_then_mark_entry_two_done(
    page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    org_id = live_seeded["org"]["id"]
    assessment_id = _assessment(live_app, org_id, live_seeded["lead"]["id"])
    sign_in(page, credentials["lead"])
    # The first render of the results page compiles its templates: slow on a busy machine.
    page.goto(f"/assessments/{assessment_id}/results", timeout=60000)
    check_a11y(page)

    for number in (1, 2):
        suggestion = page.locator(".suggestion:has(form.add-to-plan)").first
        item_id = suggestion.get_attribute("id").removeprefix("suggestion-")
        _open_around(suggestion)
        suggestion.get_by_role("button", name=ui_text("fi", "Add to plan")).click()
        note = page.locator(f"#suggestion-{item_id} #added-{item_id}")
        expect(note).to_be_visible()
        expect(note).to_be_focused()
        expect(note).to_contain_text(f"toimenpiteeksi {number}")
        assert page.url.endswith(f"#added-{item_id}")
        check_a11y(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/he-added-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/orgs/{org_id}/plan")
    check_a11y(page)
    button = page.get_by_role("button", name=ui_text("fi", "Mark entry %(n)d done", n=2))
    expect(button).to_have_count(1)
    button.click()
    row = page.locator("tr", has=page.locator("p.entry-text", has_text=re.compile(r"^2\. ")))
    expect(row.locator(".status-cell .badge")).to_have_text("Tehty")
    expect(page.get_by_role("button", name=ui_text("fi", "Mark entry %(n)d done", n=2))).to_have_count(0)
    expect(page.get_by_role("button", name=ui_text("fi", "Mark entry %(n)d done", n=1))).to_have_count(1)
    check_a11y(page)
    page.screenshot(path="/tmp/he-plan-desktop.png", full_page=True)
