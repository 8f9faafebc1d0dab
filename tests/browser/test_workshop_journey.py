"""A workshop in real browsers: the facilitator's projector and five phones in contexts of
their own. The phones join by code and vote, the projector's count rises, the reveal shows the
distribution, the facilitator records the agreed stage, and the next area reaches the phones;
axe on the projector and phone pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assess import workshop
from assess.storage import rounds, workshops
from assess.storage.db import open_db
from tests.browser.conftest import PHONE

# Wait for live updates longer than the default: phones poll every 1.2 s, the projector every 1 s.
LIVE_MS = 6000


def _open_round(live_app, seeded) -> tuple[dict, list[workshop.Slide]]:
    content = live_app.extensions["content"]
    db = open_db(live_app.config["DATABASE"])
    try:
        row = rounds.open_round(
            db,
            org_id=seeded["org"]["id"],
            year=2026,
            questionnaire="quick",
            content_version=content.version,
            created_by=seeded["lead"]["id"],
            anonymous=False,
            title="Hankintatyöpaja",
        )
    finally:
        db.conn.close()
    return row, workshop.build_slides(content, content.questionnaire("quick"))


def _join(page, code: str, name: str, ui_text, check_a11y) -> None:
    page.goto("/join")
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Join code")).fill(code.lower())
    page.get_by_role("button", name=ui_text("fi", "Continue")).click()
    expect(page).to_have_url(re.compile(f"/r/{code}$"))
    check_a11y(page)
    page.get_by_label(ui_text("fi", "Your name")).fill(name)
    page.get_by_role("button", name=ui_text("fi", "Join and start answering")).click()
    link = page.get_by_role("link", name=ui_text("fi", "A workshop is running: follow it and vote"))
    expect(link).to_be_visible()
    check_a11y(page)
    link.click()
    expect(page).to_have_url(re.compile(r"/live$"))
    check_a11y(page)


@pytest.mark.long
def test_workshop_with_projector_and_five_phones(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y, ui_text
):
    row, slides = _open_round(live_app, live_seeded)
    content = live_app.extensions["content"]
    # The room agrees on an area's last slide (the first area may take more than one).
    first = next(s for s in slides if s.last_of_area)
    second = slides[first.position + 1]

    screen = new_page(viewport={"width": 1280, "height": 720})
    sign_in(screen, credentials["lead"])
    screen.goto(f"/assessments/{row['id']}/round")
    check_a11y(screen)
    screen.get_by_role("button", name=ui_text("fi", "Start workshop")).click()
    # The opening slide: how to join, large; the arrow key leads on to the statements.
    expect(screen).to_have_url(re.compile(rf"/assessments/{row['id']}/workshop/opening$"))
    expect(screen.locator(".ws-opening-code")).to_contain_text(row["join_code"])
    check_a11y(screen)
    screen.keyboard.press("ArrowRight")
    expect(screen).to_have_url(re.compile(rf"/assessments/{row['id']}/workshop$"))
    db = open_db(live_app.config["DATABASE"])
    try:
        workshops.move(db, row["id"], first.position, len(slides))
    finally:
        db.conn.close()
    screen.reload()
    expect(screen.get_by_role("heading", level=1)).to_have_text(content.area(first.area).title.fi)
    join_panel = screen.locator(".ws-join")
    expect(join_panel).to_contain_text(row["join_code"])
    assert screen.locator("img.ws-qr").evaluate("img => img.complete && img.naturalWidth > 100")
    check_a11y(screen)

    phones = []
    for number, value in enumerate(["3", "3", "4", "1", "dk"], start=1):
        phone = new_page(**PHONE)
        _join(phone, row["join_code"], f"Osallistuja {number}", ui_text, check_a11y)
        forms = phone.locator("form.live-item")
        expect(forms).to_have_count(len(first.items))
        phones.append((phone, value))

    expect(screen.locator("[data-room]").first).to_have_text("5", timeout=LIVE_MS)
    item = first.items[0]
    count = screen.locator(f'[data-count-for="{item}"]')
    expect(count).to_have_text("0")
    for answered, (phone, value) in enumerate(phones, start=1):
        button = phone.locator(f'form[data-item="{item}"] button[value="{value}"]')
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        # The projector sees the new answer within its poll, without a reload.
        expect(count).to_have_text(str(answered), timeout=LIVE_MS)
    # Votes stay hidden until the facilitator reveals them.
    expect(screen.locator(".ws-dist")).to_have_count(0)

    # A phone that reloads keeps its answer.
    phone, value = phones[0]
    phone.reload()
    expect(phone.locator(f'form[data-item="{item}"] button[value="{value}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    check_a11y(phone)

    # One phone answers the rest of the slide and is asked to wait for the facilitator.
    for other in first.items[1:]:
        phone.locator(f'form[data-item="{other}"] button[value="2"]').click()
    expect(phone.locator("#live-status")).to_have_text(
        ui_text("fi", "Thank you! Wait, the facilitator moves on soon…")
    )
    check_a11y(phone)

    screen.keyboard.press("r")
    first_row = screen.locator(".ws-table tbody tr").first
    expect(first_row.locator(".ws-dist")).to_be_visible(timeout=LIVE_MS)
    assert first_row.locator(".ws-num").all_inner_texts() == ["0", "1", "0", "2", "1", "1"]
    expect(first_row.locator(".ws-value")).to_have_text("3")
    check_a11y(screen)

    # The agreed stage, typed on the projector: the letters of the note are not shortcuts.
    screen.locator(".ws-agree-form label", has_text="2").click()
    note = screen.get_by_label(ui_text("fi", "Short note"))
    note.fill("")
    note.press_sequentially("Sovittiin ryhmässä")
    expect(screen.locator(".ws-dist").first).to_be_visible()  # R in the note did not hide them
    screen.get_by_role("button", name=ui_text("fi", "Record the agreed stage")).click()
    expect(screen.locator(".ws-recorded")).to_contain_text("Sovittiin ryhmässä", timeout=LIVE_MS)
    check_a11y(screen)
    db = open_db(live_app.config["DATABASE"])
    try:
        agreed = rounds.agreements(db, row["id"])[first.area]
    finally:
        db.conn.close()
    assert (agreed["agreed_stage"], agreed["reason"]) == (2, "Sovittiin ryhmässä")

    # On to the next area: the projector with the arrow key (as a presenter remote sends it).
    screen.locator("body").click(position={"x": 5, "y": 5})
    screen.keyboard.press("ArrowRight")
    next_title = content.area(second.area).title.fi
    expect(screen.get_by_role("heading", level=1)).to_have_text(next_title, timeout=LIVE_MS)
    expect(screen.locator(".ws-dist")).to_have_count(0)
    for phone, _value in phones:
        expect(phone.get_by_role("heading", level=1)).to_have_text(next_title, timeout=LIVE_MS)
        expect(phone.locator("form.live-item")).to_have_count(len(second.items))
    check_a11y(phones[1][0])
    check_a11y(screen)

    # Q hides the join code; a reload of the projector continues where it was.
    screen.keyboard.press("q")
    expect(join_panel).to_be_hidden(timeout=LIVE_MS)
    screen.reload()
    expect(screen.get_by_role("heading", level=1)).to_have_text(next_title)
    expect(screen.locator(".ws-join")).to_be_hidden()
    check_a11y(screen)
