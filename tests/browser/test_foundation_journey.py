"""The first-run journey in a real browser: from a fresh installation to browsing the content in
Finnish and in English, with the axe-core check on every page on the way.

The UI's words come from the app's own catalogue (ui_text) and the content's from the loaded
content, so the test follows the texts instead of copying them.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

ADMIN = {
    "org": "Hyvinkään kaupunki",
    "username": "paakayttaja",
    "name": "Pirkko Pääkäyttäjä",
    "password": "pitkä-salasana-1",
}
SECOND_ORG = "Keravan kaupunki"
LEAD = {"username": "liisa.lahtinen", "name": "Liisa Lahtinen", "password": "toinen-salasana-2"}
STEP = "organisaatio-2"  # the roadmap cell the journey opens


def test_foundation_journey(new_page, live_app, check_a11y, ui_text):
    content = live_app.extensions["content"]
    page = new_page()

    def t(msgid: str, lang: str = "fi", **params) -> str:
        return ui_text(lang, msgid, **params)

    def h1() -> object:
        return page.get_by_role("heading", level=1)

    # A fresh installation: the first visit leads to the one-time setup, in Finnish.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(h1()).to_have_text(t("Welcome to Hankintapolku"))
    check_a11y(page)

    # Setup creates the administrator and the first organisation and signs in.
    page.get_by_label(t("Organisation name")).fill(ADMIN["org"])
    page.get_by_label(t("Administrator's user name")).fill(ADMIN["username"])
    page.get_by_label(t("Your name")).fill(ADMIN["name"])
    page.get_by_label(t("Password"), exact=True).fill(ADMIN["password"])
    page.get_by_label(t("Password again"), exact=True).fill(ADMIN["password"])
    page.get_by_role("button", name=t("Create and sign in")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Welcome! The administrator and the organisation have been created.")
    )
    # The administrator lands on the next steps, the new organisation among them.
    expect(h1()).to_have_text(t("Administration"))
    expect(page.get_by_role("link", name=t("Add users to %(org)s", org=ADMIN["org"]))).to_be_visible()
    expect(page.locator(".user-name")).to_have_text(ADMIN["name"])  # signed in
    check_a11y(page)

    # Setup is one-time: it now sends to the sign-in page.
    page.goto("/setup")
    expect(page).not_to_have_url(re.compile(r"/setup$"))
    check_a11y(page)

    # Sign out, and back in.
    page.get_by_role("button", name=t("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text(t("You have signed out."))
    expect(page.get_by_role("button", name=t("Sign out"))).to_have_count(0)
    check_a11y(page)
    page.get_by_label(t("User name"), exact=True).fill(ADMIN["username"])
    page.get_by_label(t("Password"), exact=True).fill(ADMIN["password"])
    page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(page.get_by_role("rowheader", name=ADMIN["org"])).to_be_visible()
    check_a11y(page)

    # The administrator adds a second organisation...
    nav = page.get_by_role("navigation", name=t("Main"))
    nav.get_by_role("link", name=t("Administration")).click()
    expect(h1()).to_have_text(t("Administration"))
    check_a11y(page)
    page.get_by_role("link", name=t("Add an organisation")).click()
    expect(h1()).to_have_text(t("Add an organisation"))
    check_a11y(page)
    page.get_by_label(t("Name of the organisation")).fill(SECOND_ORG)
    page.get_by_role("button", name=t("Create the organisation")).click()
    expect(h1()).to_have_text(SECOND_ORG)
    expect(page.get_by_role("status")).to_contain_text(SECOND_ORG)
    check_a11y(page)

    # ...and a user, whom it makes a lead of that organisation.
    page.get_by_role("link", name=t("Administration")).first.click()
    expect(page.get_by_role("link", name=SECOND_ORG, exact=True)).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=t("Add a user")).click()
    expect(h1()).to_have_text(t("Add a user"))
    check_a11y(page)
    page.get_by_label(t("User name"), exact=True).fill(LEAD["username"])
    page.get_by_label(t("Name"), exact=True).fill(LEAD["name"])
    page.get_by_label(t("Password"), exact=True).fill(LEAD["password"])
    page.get_by_label(t("Password again"), exact=True).fill(LEAD["password"])
    page.get_by_role("button", name=t("Create the user")).click()
    expect(h1()).to_have_text(LEAD["name"])
    check_a11y(page)
    page.get_by_label(t("Organisation"), exact=True).select_option(label=SECOND_ORG)
    page.get_by_role("radio", name=t("Lead"), exact=True).check()
    page.get_by_role("button", name=t("Give access")).click()
    granted = t(
        "%(user)s is now a %(role)s of %(org)s.",
        user=f"{LEAD['name']} ({LEAD['username']})",
        role=t("lead"),
        org=SECOND_ORG,
    )
    expect(page.get_by_role("status")).to_contain_text(granted)
    organisations = page.get_by_role("table", name=t("Organisations of %(user)s", user=LEAD["name"]))
    expect(organisations.get_by_role("row", name=SECOND_ORG)).to_contain_text(t("lead"))
    check_a11y(page)

    # The new lead, in a browser of their own, sees that organisation and only that one.
    lead_page = new_page()
    lead_page.goto("/login")
    check_a11y(lead_page)
    lead_page.get_by_label(t("User name"), exact=True).fill(LEAD["username"])
    lead_page.get_by_label(t("Password"), exact=True).fill(LEAD["password"])
    lead_page.get_by_role("button", name=t("Sign in"), exact=True).click()
    expect(lead_page.get_by_role("rowheader", name=SECOND_ORG)).to_be_visible()
    expect(lead_page.get_by_role("rowheader", name=ADMIN["org"])).to_have_count(0)
    expect(lead_page.get_by_role("link", name=t("Administration"))).to_have_count(0)
    check_a11y(lead_page)

    # Back with the administrator: the roadmap as its 8x5 grid, in Finnish.
    step = content.steps[STEP]
    area = content.area(step.area)
    nav.get_by_role("link", name=t("Roadmap")).click()
    grid = page.get_by_role("table", name=t("The roadmap: each area's steps by year"))
    expect(grid.get_by_role("row")).to_have_count(1 + len(content.areas))
    for a in content.areas:
        expect(grid.get_by_role("rowheader", name=a.title.fi, exact=True)).to_be_visible()
    expect(grid.get_by_role("columnheader")).to_have_count(1 + 5)
    check_a11y(page)

    # Opening a cell shows the step's goals and actions and the programme goals it advances.
    grid.get_by_role("link", name=step.title.fi, exact=True).click()
    expect(h1()).to_have_text(step.title.fi)
    expect(page.get_by_text(area.title.fi, exact=False).first).to_be_visible()
    for item in (*step.goals, *step.actions):
        expect(page.get_by_text(item.text.fi, exact=True)).to_be_visible()
    linked = content.goals_for_step(step.id)
    assert linked, f"{STEP} links to no programme goal"
    for link in linked:
        expect(page.get_by_text(link.reason.fi)).to_be_visible()
    check_a11y(page)

    # The programme as its themed table: every theme, every goal, actions and metrics.
    nav.get_by_role("link", name=t("Programme")).click()
    expect(h1()).to_have_text(content.programme_title.fi)
    for theme in content.themes:
        expect(page.get_by_role("heading", level=2, name=theme.title.fi, exact=True)).to_be_visible()
    goal = content.goals[0]
    expect(page.get_by_text(goal.text.fi).first).to_be_visible()
    expect(page.get_by_text(goal.actions[0].text.fi, exact=True)).to_be_visible()
    expect(page.get_by_text(goal.actions[0].metrics[0].text.fi).first).to_be_visible()
    # Each goal names the roadmap steps that advance it: the step opened above is among them.
    advanced = page.locator(f"#goal-{linked[0].goal}")
    expect(advanced.get_by_role("link", name=re.compile(re.escape(step.title.fi)))).to_be_visible()
    check_a11y(page)

    # Switch to English: the same page in English, and the choice stays.
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(h1()).to_have_text(content.programme_title.en)
    for theme in content.themes:
        expect(page.get_by_role("heading", level=2, name=theme.title.en, exact=True)).to_be_visible()
    expect(page.get_by_text(goal.actions[0].text.en, exact=True)).to_be_visible()
    nav_en = page.get_by_role("navigation", name=t("Main", "en"))
    expect(nav_en.get_by_role("link", name=t("Roadmap", "en"), exact=True)).to_be_visible()
    check_a11y(page)

    nav_en.get_by_role("link", name=t("Roadmap", "en"), exact=True).click()
    grid = page.get_by_role("table", name=t("The roadmap: each area's steps by year", "en"))
    for a in content.areas:
        expect(grid.get_by_role("rowheader", name=a.title.en, exact=True)).to_be_visible()
    check_a11y(page)
    grid.get_by_role("link", name=step.title.en, exact=True).click()
    expect(h1()).to_have_text(step.title.en)
    for item in (*step.goals, *step.actions):
        expect(page.get_by_text(item.text.en, exact=True)).to_be_visible()
    check_a11y(page)

    # And back to Finnish.
    page.get_by_role("button", name="Suomeksi").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(h1()).to_have_text(step.title.fi)
    check_a11y(page)
