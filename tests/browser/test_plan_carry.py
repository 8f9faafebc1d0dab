"""The plan carried over in a real browser: a lead starts this year's assessment, finds last
year's plan entry on its overview and marks it done there, staying on the overview; axe on
every page."""

from __future__ import annotations

import re

from flask_babel import force_locale, pgettext
from playwright.sync_api import expect

from assess import clock
from assess.storage import assessments
from assess.storage import plan as plan_store
from assess.storage.db import open_db


def _last_years_plan(live_app, org_id: int, lead_id: int, year: int) -> int:
    """Last year's final assessment with one plan entry made from it, still planned."""
    db = open_db(live_app.config["DATABASE"])
    try:
        last = assessments.create_assessment(
            db,
            org_id=org_id,
            year=year,
            questionnaire="quick",
            content_version=live_app.extensions["content"].version,
            kind="single",
            created_by=lead_id,
        )
        assessments.finalise(db, last["id"])
        entry = plan_store.add_entry(
            db,
            org_id,
            text="Laaditaan hankintastrategia",
            step="strategia-2",
            goal=17,
            responsible="Hankintapalvelut",
            schedule_year=year,
            created_in=last["id"],
        )
    finally:
        db.conn.close()
    return entry["id"]


def _status(live_app, status: str) -> str:
    with live_app.test_request_context(), force_locale("fi"):
        return pgettext("plan status", status)


def test_lead_updates_carried_over_entry_on_new_overview(
    page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    org = live_seeded["org"]
    this_year = clock.today().year
    entry_id = _last_years_plan(live_app, org["id"], live_seeded["lead"]["id"], this_year - 1)
    sign_in(page, credentials["lead"])

    page.goto(f"/orgs/{org['id']}/assessments/new")
    expect(page.get_by_label(ui_text("fi", "Year"))).to_have_value(str(this_year))
    check_a11y(page)
    quick = live_app.extensions["content"].questionnaire("quick").title.get("fi")
    page.get_by_label(re.compile(rf"^{re.escape(quick)}:")).check()  # "Pikakysely: 44 väittämää, noin 15 min"
    page.get_by_role("button", name=ui_text("fi", "Start"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/areas/"))
    check_a11y(page)
    assessment_id = int(re.search(r"/assessments/(\d+)/", page.url).group(1))

    page.get_by_role("link", name=ui_text("fi", "Overview"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment_id}$"))
    section = page.locator("section.plan-carry")
    expect(section.get_by_role("heading", level=2)).to_have_text(ui_text("fi", "Plan carried over"))
    row = section.locator("tbody tr", has_text="Laaditaan hankintastrategia")
    expect(row).to_contain_text("Hankintapalvelut")
    expect(row.locator(".badge")).to_have_text(_status(live_app, "Planned"))
    check_a11y(page)

    row.get_by_label(ui_text("fi", "New status of entry %(n)d", n=1)).select_option("done")
    row.get_by_role("button", name=ui_text("fi", "Update"), exact=False).click()
    expect(page).to_have_url(re.compile(rf"/assessments/{assessment_id}#entry-{entry_id}$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(
        section.locator("tbody tr", has_text="Laaditaan hankintastrategia").locator(".badge")
    ).to_have_text(_status(live_app, "Done"))
    check_a11y(page)
