"""The facilitator's keys on the projector: every press moves the walk on, also when the
answer to a poll that left before the press arrives after it (a busy server or a slow
network answers out of order)."""

from __future__ import annotations

from tests.browser.test_projector_fit import _press, _seed

STATE = "**/workshop/state"


def test_a_poll_answered_before_a_press_does_not_undo_it(new_page, live_app, live_seeded,
                                                         credentials, sign_in, check_a11y):
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
