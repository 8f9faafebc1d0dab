"""Joining a round: no ballot stuffing from one browser or one address, slow code guessing,
closed and unknown rounds alike, and the lead can remove joins that never answered."""

from __future__ import annotations

import re

from assess.login_limit import Bucket
from assess.storage import rounds, workshops
from tests.conftest import LEAD, login, post_form, soup
from tests.test_rounds import answer_area, area_ids, area_items, join, make_round


def join_form(browser, code: str, addr: str = "127.0.0.1"):
    page = browser.get(f"/r/{code}", environ_base={"REMOTE_ADDR": addr})
    html = page.get_data(as_text=True)
    nonce = re.search(r'name="nonce"[^>]*value="([^"]+)"', html)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return page, (nonce.group(1) if nonce else ""), (token.group(1) if token else "")


def post_join(browser, code: str, addr: str = "127.0.0.1", name: str = "Maija"):
    page, nonce, token = join_form(browser, code, addr)
    return browser.post(
        f"/r/{code}",
        environ_base={"REMOTE_ADDR": addr},
        data={"name": name, "nonce": nonce, "csrf_token": token},
    )


def test_one_browser_gets_its_own_respondent_back(app, db, seeded):
    row = make_round(db, app, seeded)
    browser = app.test_client()
    links = {post_join(browser, row["join_code"]).headers["Location"] for _ in range(30)}
    assert len(links) == 1
    assert len(rounds.respondents(db, row["id"])) == 1


def frozen_join_buckets(app) -> None:
    """The join allowances with a clock that stands still: hundreds of joins take seconds on a
    busy machine, and the minute's refill would otherwise decide how many get in."""
    config = app.config
    for name, burst in (
        ("join_bucket", "JOIN_BURST_PER_CLIENT"),
        ("join_bucket_workshop", "WORKSHOP_JOIN_BURST_PER_CLIENT"),
    ):
        app.extensions[name] = Bucket(
            burst=int(config[burst]),
            per_minute=float(config["JOIN_PER_MINUTE_PER_CLIENT"]),
            clock=lambda: 0.0,
        )


def test_a_room_behind_one_address_joins_but_a_flood_is_stopped(app, db, seeded):
    frozen_join_buckets(app)
    row = make_round(db, app, seeded, anonymous=True)
    statuses = [post_join(app.test_client(), row["join_code"], "203.0.113.1").status_code for _ in range(260)]
    assert statuses[:250] == [302] * 250  # a 200-phone room behind one NAT address fits
    assert statuses[-5:] == [429] * 5  # then 10 a minute: a script runs dry
    assert len(rounds.respondents(db, row["id"])) == statuses.count(302) <= 255
    # Another network is not held back.
    assert post_join(app.test_client(), row["join_code"], "198.51.100.2").status_code == 302


def test_a_hall_in_a_workshop_joins_through_one_address(app, db, seeded):
    # While a workshop runs, a hall of phones on one venue network joins (a room-sized
    # allowance for that round); without one, the team-sized allowance above holds.
    frozen_join_buckets(app)
    row = make_round(db, app, seeded, anonymous=True)
    workshops.start(db, row["id"])
    statuses = [post_join(app.test_client(), row["join_code"], "203.0.113.9").status_code for _ in range(400)]
    assert statuses == [302] * 400
    assert len(rounds.respondents(db, row["id"])) == 400
    # The same address on a round without a workshop still has the team-sized burst.
    other = make_round(db, app, seeded, anonymous=True, year=2027)
    statuses = [
        post_join(app.test_client(), other["join_code"], "203.0.113.9").status_code for _ in range(260)
    ]
    assert statuses[-5:] == [429] * 5


def test_guessing_join_codes_slows_down_and_closed_rounds_answer_like_unknown_ones(app, db, seeded):
    closed = make_round(db, app, seeded)
    rounds.close_round(db, closed["id"])
    guesser = app.test_client()
    unknown = guesser.get("/r/ABCDEF", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    shut = guesser.get(f"/r/{closed['join_code']}", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert unknown.status_code == shut.status_code == 404
    assert soup(unknown).main.get_text() == soup(shut).main.get_text()
    statuses = [
        guesser.get(
            f"/join?code=ZZZZ{n:02d}".replace("0", "A").replace("1", "B"),
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        ).status_code
        for n in range(30)
    ]
    assert 404 in statuses and statuses[-1] == 429
    assert statuses.count(404) <= 20
    open_round = make_round(db, app, seeded, year=2027)
    # Even a right code waits now, so a lucky guess is not told apart ...
    assert (
        guesser.get(f"/r/{open_round['join_code']}", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
        == 429
    )
    # ... while everyone else joins as usual.
    assert post_join(app.test_client(), open_round["join_code"], "198.51.100.2").status_code == 302


def test_the_lead_removes_participants_who_never_answered(app, client, db, seeded):
    row = make_round(db, app, seeded)
    answered, link = join(app, row["join_code"], "Maija")
    area = area_ids(app)[0]
    answer_area(answered, link, area, {area_items(app, area)[0]: "2"})
    for _ in range(5):
        join(app, row["join_code"], "Täyte")
    login(client, LEAD)
    page = soup(client.get(f"/assessments/{row['id']}/round"))
    assert "Poista vastaajat, jotka eivät ole vastanneet" in page.get_text()
    response = post_form(
        client,
        f"/assessments/{row['id']}/round/remove-unanswered",
        {},
        token_from=f"/assessments/{row['id']}/round",
    )
    assert response.status_code == 302
    assert [p["name"] for p in rounds.respondents(db, row["id"])] == ["Maija"]
    assert "Poistettiin 5 vastaajaa" in soup(client.get(response.location)).get_text()


def test_a_viewer_cannot_remove_participants(app, db, seeded):
    from tests.conftest import VIEWER

    row = make_round(db, app, seeded)
    join(app, row["join_code"], "Maija")
    viewer = app.test_client()
    login(viewer, VIEWER)
    response = post_form(
        viewer,
        f"/assessments/{row['id']}/round/remove-unanswered",
        {},
        token_from=f"/assessments/{row['id']}/round",
    )
    assert response.status_code == 403
    assert len(rounds.respondents(db, row["id"])) == 1
