"""The results page the way a procurement lead reads it, in a real browser: the eight areas at
a glance fit three laptop screens (1366x768) before any detail is opened, for a quick
assessment and for a team round; the details open from the keyboard; every chart saves
itself as a PNG named in the reader's language; the team's spread is not drawn in
"success" green; axe on every state, at desktop and phone size."""

from __future__ import annotations

import base64

from playwright.sync_api import expect

from assess.demo.build import build_demo
from assess.storage import accounts
from assess.storage.db import open_db
from tests.browser.conftest import PHONE

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
SCREENS = 3  # the page may be three laptop screens tall before any detail is opened

# plotly.js is 1.2 MB of script: a busy 2-core test machine can take seconds to load and
# run it in a fresh browser context.
DRAWN_MS = 30_000


def _demo(live_app, lead_id: int) -> tuple[dict, int, int]:
    """The demo organisation (four counted years, a team round), its quick assessment of the
    second year and the round."""
    db = open_db(live_app.config["DATABASE"])
    try:
        org = build_demo(db, live_app.extensions["content"])
        accounts.grant(db, lead_id, org["id"], "lead")
        quick = db.execute(
            "SELECT id FROM assessments WHERE org_id = ? AND questionnaire = 'quick'", (org["id"],)
        ).fetchone()[0]
        team = db.execute(
            "SELECT id FROM assessments WHERE org_id = ? AND kind = 'round'", (org["id"],)
        ).fetchone()[0]
    finally:
        db.conn.close()
    return org, quick, team


def _height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_results_fit_three_laptop_screens_and_charts_save_as_png(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    org, quick, team = _demo(live_app, live_seeded["lead"]["id"])
    year = org["path_start_year"] + 1
    page = new_page(**LAPTOP)
    sign_in(page, credentials["lead"])

    page.goto(f"/assessments/{quick}/results", timeout=DRAWN_MS)
    expect(page.locator("#radar.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    height = _height(page)
    assert height <= SCREENS * 768, f"quick results are {height} px tall"
    # At a glance: stage, index and the change since the previous counted year, per area.
    table = page.locator("#radar-table")
    expect(table.locator("tbody tr")).to_have_count(8)
    expect(table.locator("thead")).to_contain_text(ui_text("fi", "Change since %(year)d", year=year - 1))
    # The details are closed: none of the per-area tables is shown yet.
    expect(page.locator(".area-detail .steps-table").first).to_be_hidden()
    check_a11y(page)

    # plotly's own PNG download, the only button of the chart, named and usable by keyboard.
    save = page.locator("#radar .modebar-btn")
    expect(save).to_have_count(1)
    expect(save).to_have_attribute("aria-label", ui_text("fi", "Save the chart as an image (PNG)"))
    expect(save).to_have_attribute("role", "button")
    with page.expect_download() as download:
        save.focus()
        page.keyboard.press("Enter")
    name = download.value.suggested_filename
    assert name == f"{ui_text('fi', 'maturity-index')}-{year}.png", name
    assert download.value.path().read_bytes().startswith(b"\x89PNG")
    # plotly's "taking snapshot" note fades away by itself (axe would measure it mid-fade).
    expect(page.locator(".plotly-notifier .notifier-note")).to_have_count(0, timeout=DRAWN_MS)

    # An area's detail opens from the keyboard, with its steps and next actions.
    page.locator("#stage-strategia > summary").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#stage-strategia .steps-table")).to_be_visible()
    expect(page.locator("#next-area-strategia .next-step")).to_be_visible()
    check_a11y(page)
    # The heat map, drawn while closed, fills its width once opened.
    page.locator(".heatmap-detail > summary").click()
    expect(page.locator("#heatmap.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    width = page.locator("#heatmap").bounding_box()["width"]
    assert page.locator("#heatmap .main-svg").first.bounding_box()["width"] >= width - 4
    check_a11y(page)

    # The team round shares the page: its spread is a column, its tables open on demand.
    page.goto(f"/assessments/{team}/results", timeout=DRAWN_MS)
    expect(page.locator("#radar.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    height = _height(page)
    assert height <= SCREENS * 768, f"team results are {height} px tall"
    expect(page.locator("#radar-table .glance-spread")).to_have_count(8)
    check_a11y(page)
    page.locator("#team-detail > summary").click()
    meter = page.locator(".spread-meter").first
    expect(meter).to_be_visible()
    # Disagreement is drawn in a neutral dark orange, never the meter's "optimum" green: the
    # pixels of the drawn meter, read back through a canvas.
    png = base64.b64encode(meter.screenshot()).decode()
    pixels = page.evaluate(
        """async (png) => {
        const img = new Image(); img.src = "data:image/png;base64," + png; await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width; canvas.height = img.height;
        const ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, img.width, img.height).data;
        const out = []; for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2]]);
        return out; }""",
        png,
    )
    green = [p for p in pixels if p[1] > p[0] + 40 and p[1] > p[2] + 40]
    assert not green, green[:3]
    assert any(abs(r - 138) + abs(g - 81) + abs(b) < 30 for r, g, b in pixels)
    check_a11y(page)

    phone = new_page(**PHONE)
    sign_in(phone, credentials["lead"])
    phone.goto(f"/assessments/{quick}/results", timeout=DRAWN_MS)
    expect(phone.locator("#radar.chart-drawn .main-svg").first).to_be_visible(timeout=DRAWN_MS)
    # Nothing wider than the phone: the page does not scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    check_a11y(phone)
