"""The browser harness itself: the first-run setup page and the login page, with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_first_visit_shows_setup_page(page, check_a11y, ui_text):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("fi", "Welcome to Hankintapolku"))
    check_a11y(page)


def test_login_page_refuses_a_wrong_password(page, live_seeded, credentials, check_a11y, ui_text):
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui_text("fi", "Sign in"))
    check_a11y(page)
    page.get_by_label(ui_text("fi", "User name")).fill(credentials["admin"]["username"])
    page.get_by_label(ui_text("fi", "Password")).fill("not the password")
    page.get_by_role("button", name=ui_text("fi", "Sign in")).click()
    expect(page.get_by_role("alert")).to_contain_text(ui_text("fi", "Wrong user name or password."))
    check_a11y(page)
