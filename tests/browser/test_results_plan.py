"""Results and plan in a real browser: both charts drawn under the strict CSP, axe on each page,
a suggestion added to the plan, its status changed, the timeline drawn."""

from __future__ import annotations

from flask_babel import force_locale, pgettext
from playwright.sync_api import expect

from assess.storage import assessments
from assess.storage.db import open_db

# plotly.js is 1.2 MB of script: a busy 2-core test machine can take seconds to load and
# run it in a fresh browser context.
DRAWN_MS = 30_000


def _assessment(live_app, org_id: int, lead_id: int) -> int:
    """A single assessment with answers: some areas advanced, one with too few answers."""
    content = live_app.extensions["content"]
    db = open_db(live_app.config["DATABASE"])
    try:
        row = assessments.create_assessment(
            db,
            org_id=org_id,
            year=2025,
            questionnaire="quick",
            content_version=content.version,
            kind="single",
            created_by=lead_id,
        )
        respondent = assessments.shared_respondent(db, row["id"])
        answers = {}
        for n, item in enumerate(content.questionnaire("quick").items):
            if item.startswith("asenne-"):
                continue  # not enough answers there
            answers[item] = (4, 3, 2, 1, None)[n % 5] if content.items[item].year > 1 else 4
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="all",
            changes=answers,
            base={},
            comment=None,
            base_comment=None,
        )
    finally:
        db.conn.close()
    return row["id"]


def test_results_charts_and_plan(page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text):
    org_id = live_seeded["org"]["id"]
    assessment_id = _assessment(live_app, org_id, live_seeded["lead"]["id"])
    sign_in(page, credentials["lead"])

    page.goto(f"/assessments/{assessment_id}/results", timeout=DRAWN_MS)
    # plotly.js drew both charts (its SVG is in place) without any inline <style>.
    expect(page.locator("#radar.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    # The index line, and the mark of the area without enough answers: a labelled gap.
    assert page.locator("#radar .scatterlayer .trace").count() == 2
    angular_labels = page.locator("#radar .angularaxistick text").all_text_contents()
    assert "Asenne" in angular_labels and len(angular_labels) == 8
    expect(page.locator("#radar .legend")).to_contain_text(ui_text("fi", "not enough answers"))
    assert page.locator("head style").count() == 0
    expect(page.locator("#radar-table")).to_be_visible()
    expect(page.locator("#stage-asenne")).to_contain_text(
        ui_text("fi", "%(area)s: not enough answers", area="Asenne")
    )
    check_a11y(page)
    page.locator(".heatmap-detail > summary").click()
    expect(page.locator("#heatmap.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    expect(page.locator("#heatmap-table")).to_be_visible()

    page.locator("#stage-strategia > summary").click()
    expect(page.locator("#stage-strategia table")).to_be_visible()
    check_a11y(page)

    suggestion = page.locator("#next-area-strategia .suggestion").first
    suggestion.get_by_role("button", name=ui_text("fi", "Add to plan")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#next-area-strategia .in-plan").first).to_be_visible()
    check_a11y(page)

    page.locator("#next-area-strategia .in-plan a").first.click()
    expect(page.locator("#timeline.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    expect(page.locator(".plan-table .entry-cell")).to_have_count(1)
    check_a11y(page)

    page.locator(".status-form select").first.select_option("in_progress")
    page.locator(".status-form button").first.click()
    with live_app.test_request_context(), force_locale("fi"):
        in_progress = pgettext("plan status", "In progress")
    expect(page.locator(".status-cell .badge").first).to_have_text(in_progress)
    check_a11y(page)

    page.get_by_role("link", name=ui_text("fi", "Edit")).first.click()
    expect(page.locator("#responsible")).to_be_visible()
    check_a11y(page)
    page.locator("#responsible").fill("Hankintapalvelut")
    page.locator("#quarter").select_option("3")
    page.get_by_role("button", name=ui_text("fi", "Save")).click()
    expect(page.locator("#timeline-table")).to_contain_text("Hankintapalvelut")
    check_a11y(page)

    # The redirects above land on the plan with a #fragment; check the page by its own URL too.
    page.goto(f"/orgs/{org_id}/plan", timeout=DRAWN_MS)
    expect(page.locator("#timeline.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    check_a11y(page)
