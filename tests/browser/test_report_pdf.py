"""The management group's report in a real browser: opened from the exports page (axe on each
page), then printed to an A4 PDF with Chromium, with page numbers in the print footer."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from assess.demo.build import build_demo
from assess.storage import accounts
from assess.storage.db import open_db

SECTIONS = ("Summary", "Stage per area", "Charts", "Areas behind the path", "Next actions",
            "Action plan", "Programme metrics")
FOOTER = ('<div style="font-size: 9px; width: 100%; text-align: right; margin-right: 18mm;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def _pdf_text(path) -> list[str]:
    """The PDF's text, one string per page (pdftotext from poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF")
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         check=True, text=True).stdout
    return [p for p in out.split("\f") if p.strip()]


def test_report_opens_and_prints_to_a4_with_every_section(page, live_app, live_seeded,
                                                           credentials, sign_in, check_a11y,
                                                           ui_text, tmp_path):
    db = open_db(live_app.config["DATABASE"])
    try:
        org = build_demo(db, live_app.extensions["content"])
        accounts.grant(db, live_seeded["lead"]["id"], org["id"], "lead")
    finally:
        db.conn.close()
    year = org["path_start_year"] + 3
    sign_in(page, credentials["lead"])

    page.goto(f"/orgs/{org['id']}/exports")
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Report %(year)d", year=year)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    expect(page.locator("#report-radar.chart-drawn")).to_be_visible()
    expect(page.locator("#report-lines.chart-drawn")).to_be_visible()
    expect(page.get_by_role("button", name=ui_text("fi", "Print"))).to_be_visible()
    check_a11y(page)

    pdf = tmp_path / "report.pdf"
    page.emulate_media(media="print")
    # Printed charts stay inside the page: A4 minus the 18 mm margins is about 658 px.
    for chart in ("#report-radar", "#report-lines"):
        assert page.locator(f"{chart} svg.main-svg").first.bounding_box()["width"] <= 660
    expect(page.locator("nav.org-nav")).to_be_hidden()
    page.pdf(path=str(pdf), format="A4", display_header_footer=True,
             header_template="<span></span>", footer_template=FOOTER, print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")

    pages = _pdf_text(pdf)
    assert len(pages) > 1
    text = "\n".join(pages)
    for section in SECTIONS:
        assert ui_text("fi", section) in text, section
    # Sections keep their order, and the page numbers of the footer are there.
    positions = [text.index(ui_text("fi", s)) for s in SECTIONS]
    assert positions == sorted(positions)
    assert re.search(rf"\b1\s*/\s*{len(pages)}\b", pages[0])
    assert re.search(rf"\b{len(pages)}\s*/\s*{len(pages)}\b", pages[-1])
    # The charts printed: their legends exist only in the drawn charts.
    assert ui_text("fi", "Targets %(year)d", year=year) in text
    # No navigation and no screen-only controls on paper.
    for screen_only in ("Back to exports", "Skip to content"):
        assert ui_text("fi", screen_only) not in text, screen_only
    assert ui_text("fi", "Team rounds") not in text
