"""The facilitator's keys on the projector: every press moves the walk on, also when the
answer to a poll that left before the press arrives after it (a busy server or a slow
network answers out of order)."""

from __future__ import annotations

from tests.browser.test_projector_fit import _press, _seed

STATE = "**/workshop/state"
MOVE = "**/workshop/move"


def test_a_poll_answered_before_a_press_does_not_undo_it(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y
):
    row, _slides = _seed(live_app, live_seeded, "quick")
    page = new_page()
    sign_in(page, credentials["lead"])
    held = []

    def hold(route) -> None:
        if held:
            route.continue_()  # later polls go through
        else:
            held.append((route, route.fetch()))  # the server answers now; the page hears it later

    page.route(STATE, hold)
    page.goto(f"/assessments/{row['id']}/workshop")
    check_a11y(page)
    while not held:  # the page polls as soon as it has loaded; Playwright runs hold() meanwhile
        page.wait_for_timeout(50)

    _press(page, "ArrowRight", 1, False)
    route, answer = held[0]
    with page.expect_event("requestfinished", lambda request: request.url.endswith("/workshop/state")):
        route.fulfill(response=answer)  # the room as it was before the press: slide 1
    # The stale answer's JSON is read and handled within the next frames.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    _press(page, "ArrowRight", 2, False)  # worked out from slide 2, not from the stale slide 1
    _press(page, "r", 2, True)
    check_a11y(page)


def test_a_poll_sent_while_a_press_is_on_its_way_does_not_undo_it(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y
):
    """The server may read the state for a poll before it moves the slide for a press that
    reached it first: such an answer, arriving after the press's own, must not count."""
    row, _slides = _seed(live_app, live_seeded, "quick")
    page = new_page()
    sign_in(page, credentials["lead"])
    page.goto(f"/assessments/{row['id']}/workshop")
    check_a11y(page)
    presses, polls = [], []
    page.route(MOVE, lambda route: presses.append(route))  # the press waits on its way

    def hold(route) -> None:
        if polls:
            route.continue_()
        else:
            polls.append((route, route.fetch()))  # read while the press still waits

    page.keyboard.press("ArrowRight")
    while not presses:
        page.wait_for_timeout(50)
    page.route(STATE, hold)  # so the poll held is one that left after the press
    while not polls:
        page.wait_for_timeout(50)
    presses[0].continue_()
    page.unroute(MOVE)
    page.wait_for_function("() => document.getElementById('projector').dataset.position === '1'")
    route, answer = polls[0]
    with page.expect_event("requestfinished", lambda request: request.url.endswith("/workshop/state")):
        route.fulfill(response=answer)  # slide 1, read before the press moved the walk on
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    _press(page, "ArrowRight", 2, False)
    check_a11y(page)


# The type's size as projector.js set it (a multiple of the floor), whether the slide fits at
# it, and whether it would still fit one step larger (the steps are 0.6/128 of the floor).
FIT_NOW = """() => {
  const root = document.getElementById('projector');
  const slide = document.querySelector('[data-region="slide"]');
  const page = document.documentElement;
  const fits = () => slide.scrollHeight <= slide.clientHeight && slide.scrollWidth <= slide.clientWidth
    && page.scrollHeight <= page.clientHeight && page.scrollWidth <= page.clientWidth;
  const size = parseFloat(root.style.getPropertyValue('--fit'));
  const fitsNow = fits();
  root.style.setProperty('--fit', String(size + 0.6 / 128));
  const fitsLarger = size + 0.6 / 128 < 1.6 && fits();
  root.style.setProperty('--fit', String(size));
  return [size, fitsNow, fitsLarger];
}"""
AFTER_A_FRAME = "() => new Promise(r => requestAnimationFrame(() => r()))"


def test_the_type_is_the_largest_that_fits_however_the_slide_was_reached(
    new_page, live_app, live_seeded, credentials, sign_in, check_a11y
):
    """projector.js searches for the type's size from the last slide's: the slide it reaches
    through any path of keys and resizes has the size a fresh load gives it, the largest at
    which it fits."""
    row, slides = _seed(live_app, live_seeded, "quick")
    page = new_page(viewport={"width": 1280, "height": 720})
    sign_in(page, credentials["lead"])
    page.goto(f"/assessments/{row['id']}/workshop")
    check_a11y(page)
    sizes = [(1920, 1080), (1024, 768), (1366, 768), (1280, 720)]
    problems = []
    for position in range(len(slides) + 1):
        if position:
            _press(page, "ArrowRight", position, False)
        width, height = sizes[position % len(sizes)]  # a new size as well every slide
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(AFTER_A_FRAME)
        size, fits, fits_larger = page.evaluate(FIT_NOW)
        if not fits or fits_larger:
            problems.append(
                f"slide {position + 1} at {width}x{height}: type {size} "
                f"{'does not fit' if not fits else 'could be a step larger'}"
            )
        if position in (3, len(slides) - 1):
            page.reload()  # the same slide with nothing before it to start the search from
            check_a11y(page)
            assert page.evaluate(FIT_NOW)[0] == size, f"slide {position + 1} loaded afresh"
    check_a11y(page)
    assert not problems, "\n".join(problems)
