"""On a phone the answer scale is one ordered row 0-4 with "don't know" apart, on the lead's
and on a respondent's answering page (real browser, 390x844)."""

from __future__ import annotations

from assess.storage import assessments, rounds
from assess.storage.db import open_db
from tests.browser.conftest import PHONE


def _scale_boxes(page) -> tuple[list[dict], dict]:
    statement = page.locator("fieldset.statement").first
    options = statement.locator(".scale-option:not(.scale-dk):not(.scale-clear)")
    assert options.count() == 5
    boxes = [options.nth(n).bounding_box() for n in range(5)]
    values = [options.nth(n).locator(".scale-value").inner_text() for n in range(5)]
    assert values == ["0", "1", "2", "3", "4"]
    return boxes, statement.locator(".scale-dk").bounding_box()


def _assert_one_row(boxes: list[dict], dont_know: dict) -> None:
    tops = [round(b["y"]) for b in boxes]
    assert max(tops) - min(tops) <= 1, f"not one row: {tops}"
    lefts = [b["x"] for b in boxes]
    assert lefts == sorted(lefts), f"not in order 0-4: {lefts}"
    assert boxes[-1]["x"] + boxes[-1]["width"] <= 390, "the row is wider than the phone"
    assert dont_know["y"] >= boxes[0]["y"] + boxes[0]["height"], "don't know is not apart, below"
    for box in boxes:
        assert box["height"] >= 44 and box["width"] >= 44, "a target smaller than a thumb"


def test_the_scale_is_one_ordered_row_on_every_answering_page(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y
):
    db = open_db(live_app.config["DATABASE"])
    try:
        version = live_app.extensions["content"].version
        org_id = live_seeded["org"]["id"]
        single = assessments.create_assessment(
            db,
            org_id=org_id,
            year=2025,
            questionnaire="quick",
            content_version=version,
            kind="single",
            created_by=None,
        )
        team = rounds.open_round(
            db,
            org_id=org_id,
            year=2025,
            questionnaire="quick",
            content_version=version,
            created_by=None,
            anonymous=False,
        )
        rounds.join(db, team["id"], "phone-token-1234567890abcdefghij", "Aino")
    finally:
        db.conn.close()

    lead = new_page(**PHONE)
    sign_in(lead, credentials["lead"])
    lead.goto(f"/assessments/{single['id']}/areas/strategia")
    _assert_one_row(*_scale_boxes(lead))
    check_a11y(lead)

    respondent = new_page(**PHONE)
    respondent.goto(f"/r/{team['join_code']}/phone-token-1234567890abcdefghij/areas/strategia")
    _assert_one_row(*_scale_boxes(respondent))
    check_a11y(respondent)
