"""The projector fits every screen a room may have: at 1280x720, 1366x768, 1920x1080 and
1024x768, in Finnish and English, for the `quick` and the `full` walk, every slide (the end
slide too) is measured with the votes hidden and revealed, the join panel shown, and on an
area's last slide the agreement form open with a stage already recorded. Nothing may scroll
(the slide region and the document) and no visible text may be smaller than the floor:
24 px at 1280x720, scaled with the viewport (min(width/1280, height/720) * 24 px).

One server and one signed-in page per walk and language. The walk is driven as a facilitator
drives it, with the keys (R reveals, the right arrow goes on): projector.js then replaces the
slide in place and fits its type again, so what is measured is what the room sees, and one
page load serves the whole walk. Screenshots of the longest slides land in $PROJECTOR_SHOTS
when that is set (for looking at, not for comparing)."""

from __future__ import annotations

import os
import secrets

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from assess import workshop
from assess.storage import rounds, workshops
from assess.storage.db import open_db

SIZES = [(1280, 720), (1366, 768), (1920, 1080), (1024, 768)]
REASON = "Ryhmä katsoi, että hankintojen seuranta on vasta alussa, joten taso laskettiin yhdellä."

# After a frame, so that projector.js has fitted the type to a new viewport size.
MEASURE = """async () => {
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  const floor = 24 * Math.min(innerWidth / 1280, innerHeight / 720);
  const page = document.documentElement;
  const slide = document.querySelector('[data-region="slide"]');
  const problems = [];
  if (page.scrollHeight > page.clientHeight || page.scrollWidth > page.clientWidth) {
    problems.push(`page scrolls: ${page.scrollWidth}x${page.scrollHeight}`);
  }
  if (slide.scrollHeight > slide.clientHeight || slide.scrollWidth > slide.clientWidth) {
    problems.push(`slide scrolls: ${slide.scrollHeight} > ${slide.clientHeight}`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (el.closest('.visually-hidden, [hidden], script, style, template')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0 || box.bottom <= 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < floor - 0.25) {
      const text = node.textContent.trim().slice(0, 40);
      problems.push(`${size.toFixed(1)} px < ${floor.toFixed(1)} px: "${text}"`);
    }
  }
  const url = document.querySelector('.ws-join-url');
  const urlLine = url ? parseFloat(getComputedStyle(url).lineHeight) : 0;
  if (url && url.offsetParent && url.getBoundingClientRect().height > 1.5 * urlLine) {
    problems.push('the join address breaks over lines');
  }
  return problems;
}"""


def _seed(live_app, live_seeded, questionnaire: str) -> tuple[dict, list[workshop.Slide]]:
    """A round with a workshop, four respondents who answered everything (one "don't know"
    each time) and a recorded agreement with a reason in every area."""
    content = live_app.extensions["content"]
    slides = workshop.build_slides(content, content.questionnaire(questionnaire))
    db = open_db(live_app.config["DATABASE"])
    try:
        row = rounds.open_round(
            db,
            org_id=live_seeded["org"]["id"],
            year=2026,
            questionnaire=questionnaire,
            content_version=content.version,
            created_by=live_seeded["lead"]["id"],
            anonymous=False,
            title="Hankintatyöpaja",
        )
        workshops.start(db, row["id"])
        workshops.set_flag(db, row["id"], "show_code", True)
        for number, values in enumerate([(3, 2), (4, 3), (1, 2), (None, 4)], start=1):
            respondent, _new = rounds.join(db, row["id"], secrets.token_urlsafe(24), f"Osallistuja {number}")
            for n, item in enumerate(content.questionnaire(questionnaire).items):
                workshops.save_answer(db, respondent["id"], content.items[item].area, item, values[n % 2])
        rounds.save_agreements(
            db,
            row["id"],
            {a.id: (2, REASON) for a in content.areas},
            {a.id: (None, "") for a in content.areas},
        )
    finally:
        db.conn.close()
    return row, slides


def _press(page, key: str, position: int, revealed: bool) -> None:
    """Press a projector key and wait until the slide it leads to is in place (projector.js
    sets these attributes and fits the type in the same task)."""
    page.keyboard.press(key)
    try:
        page.wait_for_function(
            "([position, revealed]) => { const root = document.getElementById('projector');"
            " return root.dataset.position === String(position) && root.dataset.revealed === revealed; }",
            arg=[position, "1" if revealed else "0"],
        )
    except PlaywrightTimeout:
        shown = page.evaluate(
            "() => { const root = document.getElementById('projector'); return [root.dataset.position,"
            " root.dataset.revealed, (root.querySelector('[data-status]') || {}).textContent,"
            " document.activeElement && document.activeElement.outerHTML.slice(0, 120)]; }"
        )
        raise AssertionError(
            f"after {key!r} the projector did not show slide {position + 1} "
            f"{'revealed' if revealed else 'hidden'}: position, revealed, "
            f"status, focus = {shown}"
        ) from None


# One test per walk and language, so that the workers share the measuring.
@pytest.mark.long
@pytest.mark.parametrize(
    "questionnaire, lang", [("quick", "fi"), ("quick", "en"), ("full", "fi"), ("full", "en")]
)
def test_every_slide_fits_at_every_projector_size(
    questionnaire, lang, new_page, live_app, live_seeded, credentials, sign_in, check_a11y
):
    row, slides = _seed(live_app, live_seeded, questionnaire)
    page = new_page(viewport={"width": 1280, "height": 720})
    sign_in(page, credentials["lead"])
    shots = os.environ.get("PROJECTOR_SHOTS")
    problems: list[str] = []
    measured = 0
    if lang == "en":
        page.goto("/")
        page.locator('button[name="lang"][value="en"]').click()
        page.wait_for_load_state("load")
        check_a11y(page)
    # The opening slide (how to join) first, then every slide of the walk.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"/assessments/{row['id']}/workshop/opening")
    check_a11y(page)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        problems += [f"{questionnaire} {lang} {width}x{height} opening: {p}" for p in page.evaluate(MEASURE)]
        if shots:
            page.screenshot(path=os.path.join(shots, f"opening-{lang}-{width}.png"))
    page.goto(f"/assessments/{row['id']}/workshop")
    sizes = list(SIZES)
    for position in range(len(slides) + 1):
        for revealed in (False, True):
            if position == len(slides) and revealed:
                continue  # the end slide has nothing to reveal
            if revealed:
                _press(page, "r", position, True)
            elif position > 0:
                _press(page, "ArrowRight", position, False)
            if position in (0, len(slides) - 1, len(slides)):
                check_a11y(page)
            # Every size, in turn back and forth: the slide arrives fitted to the size the last
            # one was measured at, and projector.js fits the type again on each resize.
            for width, height in sizes:
                if page.viewport_size != {"width": width, "height": height}:
                    page.set_viewport_size({"width": width, "height": height})
                found = page.evaluate(MEASURE)
                measured += 1
                where = (
                    f"{questionnaire} {lang} {width}x{height} slide {position + 1} "
                    f"{'revealed' if revealed else 'hidden'}"
                )
                problems += [f"{where}: {p}" for p in found]
                if shots and (found or revealed and position % 3 == 0):
                    page.screenshot(
                        path=os.path.join(
                            shots, f"{questionnaire}-{lang}-{width}-{position}-{int(revealed)}.png"
                        )
                    )
            sizes.reverse()
    assert measured > 8
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
