"""The management group's report in a real browser: opened from the exports page (axe on each
page), then printed to an A4 PDF with Chromium, with page numbers in the print footer: no
table or chart wider than the printable column, no page two-thirds empty, the report's title
and organisation in the PDF's metadata."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from assess.demo.build import build_demo
from assess.storage import accounts
from assess.storage.db import open_db

SECTIONS = (
    "Summary",
    "Stage per area",
    "Charts",
    "Areas behind the path",
    "Next actions",
    "Action plan",
    "Programme metrics",
)
PRINTABLE_PX = 658  # A4 210 mm - 2 x 18 mm margins = 174 mm = 657.6 CSS px
FOOTER = (
    '<div style="font-size: 9px; width: 100%; text-align: right; margin-right: 18mm;">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)

# plotly.js is 1.2 MB of script: a busy 2-core test machine can take seconds to load and
# run it in a fresh browser context.
DRAWN_MS = 30_000


def _pdf_text(path) -> list[str]:
    """The PDF's text, one string per page (pdftotext from poppler-utils)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF")
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [p for p in out.split("\f") if p.strip()]


def _pdf_info(path) -> dict[str, str]:
    """pdfinfo's fields (poppler-utils)."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is needed to read the PDF")
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return {k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in out.splitlines())}


def _text_bottoms(path) -> list[tuple[float, float]]:
    """Per page: where its lowest word ends, and the page height (pt, from the top), from
    pdftotext's bounding boxes. The footer's page number is left out."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = []
    for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        height = float(page[0])
        words = [(float(y), w) for y, w in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', page[1])]
        # The footer (page numbers) sits in the bottom margin, below the printable area.
        body = [y for y, _w in words if y < height - 18 / 25.4 * 72]
        pages.append((max(body, default=0.0), height))
    return pages


def test_report_opens_and_prints_to_a4_with_every_section(
    page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text, tmp_path
):
    db = open_db(live_app.config["DATABASE"])
    try:
        org = build_demo(db, live_app.extensions["content"])
        accounts.grant(db, live_seeded["lead"]["id"], org["id"], "lead")
    finally:
        db.conn.close()
    year = org["path_start_year"] + 3
    sign_in(page, credentials["lead"])

    page.goto(f"/orgs/{org['id']}/exports", timeout=DRAWN_MS)
    check_a11y(page)
    page.get_by_role("link", name=ui_text("fi", "Report %(year)d", year=year)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(year))
    expect(page.locator("#report-radar.chart-drawn")).to_be_visible(timeout=DRAWN_MS)
    expect(page.locator("#report-lines.chart-drawn")).to_be_visible(timeout=DRAWN_MS)
    expect(page.get_by_role("button", name=ui_text("fi", "Print"))).to_be_visible()
    check_a11y(page)

    # The page says how to save it as a PDF; the hint itself is not printed.
    expect(page.locator("#pdf-hint")).to_contain_text(ui_text("fi", "Print"))
    title = ui_text("fi", "Procurement maturity report %(year)d: %(name)s", year=year, name=org["name"])
    assert page.title().startswith(title)
    assert page.locator("meta[name=author]").get_attribute("content") == org["name"]

    pdf = tmp_path / "report.pdf"
    page.emulate_media(media="print")
    # Nothing wider than the printable column: A4 is 210 mm, minus the 18 mm margins of
    # @page 174 mm = 657.6 CSS px. Laid out at that width (as Chromium prints), every
    # table and chart ends inside it; a wider one would be cut or shrink the whole report.
    page.set_viewport_size({"width": PRINTABLE_PX, "height": 900})
    expect(page.locator("#pdf-hint")).to_be_hidden()
    boxes = page.evaluate("""() => [...document.querySelectorAll('main table, main svg.main-svg')]
        .filter(e => e.getClientRects().length)
        .map(e => [e.closest('[id]')?.id || e.tagName, e.getBoundingClientRect().right])""")
    assert len(boxes) > 10
    too_wide = [(where, right) for where, right in boxes if right > PRINTABLE_PX + 0.5]
    assert not too_wide, too_wide
    expect(page.locator("nav.org-nav")).to_be_hidden()
    page.pdf(
        path=str(pdf),
        format="A4",
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        print_background=True,
    )
    assert pdf.read_bytes().startswith(b"%PDF")

    pages = _pdf_text(pdf)
    # The PDF names the report and the organisation (Chromium writes <title> as its Title).
    assert _pdf_info(pdf)["Title"].startswith(title)
    # Page count: the demo's four years, 8 areas of next actions, 20-odd plan entries and its
    # metrics fill 14 pages at the printed 9-10.5 pt. Fewer than 10 means Chromium shrank
    # everything to fit something too wide (its shrink-to-fit gave 7); more than 16 means
    # sections again start on new pages or a table squeezes a column to a word a line.
    assert 10 <= len(pages) <= 16, len(pages)
    # No page two-thirds empty: every page but the last is used below its first third.
    bottoms = _text_bottoms(pdf)
    assert len(bottoms) == len(pages)
    for number, (bottom, height) in enumerate(bottoms[:-1], start=1):
        assert bottom > height / 3, f"page {number} ends at {bottom:.0f} of {height:.0f} pt"
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
    assert " 0 osa-alueella" not in text  # the summary drops clauses that say nothing
