"""The benchmark in a real browser over the demo with 12 fictional peers: consent given on
the settings page, a comparison group invitation accepted, the benchmark page with its
charts drawn under the strict CSP and hidden figures explained, the group's page, the
report's benchmark section, the administration, and a phone; axe on every page.

Set ASSESS_SCREENSHOTS=/some/folder to keep screenshots of the pages (desktop and phone).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from assess.storage import accounts
from assess.storage import benchmark as store
from assess.storage.db import open_db

PEERS = 12


def _demo(live_app, lead_id: int) -> dict:
    result = live_app.test_cli_runner().invoke(args=["demo", "--peers", str(PEERS)])
    assert result.exit_code == 0, result.output
    db = open_db(live_app.config["DATABASE"])
    try:
        org = accounts.get_org_by_slug(db, result.output.strip().splitlines()[-1])
        accounts.grant(db, lead_id, org["id"], "lead")
        assert len(accounts.all_orgs(db)) >= 12 + 2
        org["latest"] = store.years(db, demo=True)[-1]
    finally:
        db.conn.close()
    return org


def _shot(page, name: str) -> None:
    folder = os.environ.get("ASSESS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _all_compared(page) -> int:
    return int(page.locator("#group-1-table tbody tr").first.locator("td").first.inner_text().split()[0])


def test_benchmark_journey(page, new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text):
    org = _demo(live_app, live_seeded["lead"]["id"])
    sign_in(page, credentials["lead"])

    # Settings: the statement of what is shared, then consent given. (From the assessments
    # list: the overview draws a chart, which a busy test machine may take long to load.)
    page.goto(f"/orgs/{org['id']}/assessments")
    check_a11y(page)
    page.locator("nav.org-nav").get_by_role("link", name=ui_text("fi", "Settings"), exact=True).click()
    expect(page.locator("h1")).to_contain_text(ui_text("fi", "Settings of %(name)s", name=org["name"]))
    expect(page.locator("main")).to_contain_text(
        ui_text(
            "fi", "Never shared: the organisation's name, answers, comments, respondents, plan or metrics."
        )
    )
    check_a11y(page)
    _shot(page, "settings-desktop")
    page.get_by_role("button", name=ui_text("fi", "Give consent"), exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(
        ui_text("fi", "Consent given: %(name)s is included in the benchmark from now on.", name=org["name"])
    )
    expect(page.get_by_role("button", name=ui_text("fi", "Withdraw consent"))).to_be_visible()
    check_a11y(page)

    # The invitation to the demo comparison group, accepted.
    group = "Esimerkkien hankintarengas (kuvitteellinen)"
    page.get_by_role("button", name=ui_text("fi", "Accept the invitation to %(group)s", group=group)).click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(page.url.split("#", 1)[0])
    check_a11y(page)

    # The benchmark page: the demo town now counts among its 12 peers.
    page.locator("nav.section-links").get_by_role("link", name=ui_text("fi", "Benchmark"), exact=True).click()
    expect(page.locator("#group-1-chart.chart-drawn .main-svg").first).to_be_visible()
    assert page.locator("head style").count() == 0
    assert _all_compared(page) == PEERS + 1
    expect(page.locator("#group-1-table")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        ui_text("fi", "Hidden: fewer than %(k)d organisations.", k=5)
    )
    # Drawn, the chart is a labelled group holding its save button, the drawing hidden.
    expect(page.locator("#group-1-chart")).to_have_attribute("role", "group")
    expect(page.locator("#group-1-chart")).to_have_attribute("aria-label", re.compile(".+"))
    expect(page.locator("#group-1-chart svg.main-svg").first).to_have_attribute("aria-hidden", "true")
    check_a11y(page)
    _shot(page, "benchmark-desktop")

    # The index compared within one questionnaire, on request.
    page.locator("#questionnaire").select_option("quick")
    page.get_by_role("button", name=ui_text("fi", "Show"), exact=True).click()
    expect(page.locator("#questionnaire")).to_have_value("quick")
    check_a11y(page)
    page.locator("#questionnaire").select_option("all")
    page.get_by_role("button", name=ui_text("fi", "Show"), exact=True).click()
    check_a11y(page)

    # The comparison group's results side by side, by name.
    page.get_by_role("link", name=group, exact=True).click()
    expect(page.locator("#group-table")).to_contain_text(org["name"])
    expect(page.locator("#group-table")).to_contain_text("Esimerkkikunta 1 (kuvitteellinen)")
    expect(page.locator("#group-table thead")).to_contain_text(ui_text("fi", "Group median"))
    check_a11y(page)
    _shot(page, "group-desktop")

    # The yearly report's benchmark section.
    page.goto(f"/orgs/{org['id']}/report/{org['latest']}")
    expect(page.locator("#benchmark h2")).to_have_text(ui_text("fi", "Compared with peers"))
    expect(page.locator("#benchmark table").first).to_be_visible()
    check_a11y(page)

    # The administration of groups and pooled sources.
    admin = new_page()
    sign_in(admin, credentials["admin"])
    admin.goto("/admin/")
    check_a11y(admin)
    admin.get_by_role("link", name=ui_text("fi", "Benchmark administration")).click()
    check_a11y(admin)
    admin.locator("#name").fill("Keski-Uudenmaan hankintarengas")
    admin.get_by_role("button", name=ui_text("fi", "Create the group"), exact=True).click()
    expect(admin.locator(".flash-success")).to_be_visible()
    admin.goto("/admin/benchmark/")
    check_a11y(admin)
    _shot(admin, "admin-desktop")

    # A phone: the same page, the chart fitted and the tables scrolling in their frames.
    phone = new_page(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="fi-FI",
    )
    sign_in(phone, credentials["lead"])
    phone.goto(f"/orgs/{org['id']}/benchmark")
    expect(phone.locator("#group-1-chart.chart-drawn .main-svg").first).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width} px)"
    check_a11y(phone)
    _shot(phone, "benchmark-phone")
    phone.goto(f"/orgs/{org['id']}/settings")
    check_a11y(phone)
    _shot(phone, "settings-phone")
