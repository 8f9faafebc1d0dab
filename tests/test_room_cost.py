"""A phone's requests made cheaper, and still as safe: an answer sent again is stored once,
a server refusing as busy makes the phone wait and retry, and signatures remembered per
process (signed_cache) accept nothing that a full check would refuse."""

from __future__ import annotations

import copy

import pytest

from assess import signed_cache
from tests.conftest import LEAD, csrf_token
from tests.test_workshop import answer, join, live_token, make_round, start, walk


@pytest.fixture
def room(app, db, seeded, lead):
    row = make_round(db, app, seeded)
    assert start(lead, row["id"]).status_code == 302
    phones = [join(app, row["join_code"], name) for name in ("Maija", "Pekka")]
    return {"round": row, "phones": phones, "slides": walk(app)}


def _stored(db, round_id: int) -> list[tuple]:
    return [
        tuple(r)
        for r in db.execute(
            "SELECT r.name, x.item, x.value FROM answers x JOIN respondents r "
            "ON r.id = x.respondent_id WHERE r.assessment_id = ? ORDER BY r.name, x.item",
            (round_id,),
        )
    ]


def _revision(db, round_id: int) -> int:
    return db.execute("SELECT revision FROM assessments WHERE id = ?", (round_id,)).fetchone()[0]


def test_an_answer_sent_again_is_stored_once(app, db, room):
    phone, link = room["phones"][0]
    item = room["slides"][0].items[0]
    token = live_token(phone, link)
    rid = room["round"]["id"]
    first = answer(phone, link, item, 3, token=token)
    assert first.status_code == 200 and first.get_json() == {"item": item, "value": "3"}
    revision = _revision(db, rid)
    # The phone heard nothing back (a dropped connection) and sends the same answer again,
    # twice: each is acknowledged, the answer is there once, and nothing else moved.
    for _ in range(2):
        again = answer(phone, link, item, 3, token=token)
        assert again.status_code == 200 and again.get_json() == {"item": item, "value": "3"}
    assert _stored(db, rid) == [("Maija", item, 3)]
    assert _revision(db, rid) == revision
    # A newer tap is a change like any other.
    assert answer(phone, link, item, None, token=token).get_json()["value"] == "dk"
    assert _stored(db, rid) == [("Maija", item, None)]
    assert _revision(db, rid) == revision + 1


def test_a_shed_answer_is_not_stored_and_the_phone_is_asked_to_retry(app, db, room, lead):
    phone, link = room["phones"][0]
    item = room["slides"][0].items[0]
    token = live_token(phone, link)
    gate = app.wsgi_app
    gate.shed_next["answer"] = 2
    for _ in range(2):
        busy = answer(phone, link, item, 4, token=token)
        assert busy.status_code == 503 and busy.get_json() == {"busy": True, "retry_ms": 250}
        assert busy.headers["Retry-After"] == "1"
    # The facilitator's projector is never refused meanwhile.
    assert lead.get(f"/assessments/{room['round']['id']}/workshop/state").status_code == 200
    assert _stored(db, room["round"]["id"]) == []
    assert answer(phone, link, item, 4, token=token).status_code == 200
    assert _stored(db, room["round"]["id"]) == [("Maija", item, 4)]


# --- signatures checked once per process ------------------------------------------------------


def test_one_phones_token_does_not_work_with_another_phones_session(app, db, room):
    (maija, maija_link), (pekka, pekka_link) = room["phones"]
    item = room["slides"][0].items[0]
    maija_token = live_token(maija, maija_link)
    assert answer(maija, maija_link, item, 2, token=maija_token).status_code == 200  # remembered
    # Pekka's browser sends Maija's (valid, remembered) token with his own session: refused.
    refused = answer(pekka, pekka_link, item, 2, token=maija_token)
    assert refused.status_code == 400
    assert _stored(db, room["round"]["id"]) == [("Maija", item, 2)]


def test_a_forged_or_altered_session_cookie_is_not_accepted(app, room):
    phone, link = room["phones"][0]
    token = live_token(phone, link)
    item = room["slides"][0].items[0]
    assert answer(phone, link, item, 1, token=token).status_code == 200
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = phone.get_cookie(name).value
    other = app.test_client()
    other.set_cookie(name, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    # An altered cookie opens no session: the token has no session to match.
    assert answer(other, link, item, 1, token=token).status_code == 400
    other.set_cookie(name, cookie)  # the same cookie, copied: the same session, as without a cache
    assert answer(other, link, item, 0, token=token).status_code == 200


def test_a_remembered_session_is_handed_out_as_a_copy(app, room):
    phone, link = room["phones"][0]
    # Two reads of the same cookie: a change made to one session (in place, as Flask does to
    # flashed messages) does not reach the next request's session.
    interface = app.session_interface
    assert isinstance(interface, signed_cache.CachedCookieSessions)
    with app.test_request_context(
        headers={
            "Cookie": f"{app.config['SESSION_COOKIE_NAME']}="
            f"{phone.get_cookie(app.config['SESSION_COOKIE_NAME']).value}"
        }
    ):
        from flask import request

        first = interface.open_session(app, request)
        second = interface.open_session(app, request)
        assert first == second and "round_tokens" in first and "_flashes" in first
        before = copy.deepcopy(dict(second))
        first["round_tokens"]["999"] = "changed"
        first["_flashes"].append(("info", "x"))
        third = interface.open_session(app, request)
        assert dict(third) == before and "999" not in third["round_tokens"]


def test_remembered_values_expire_and_the_store_stays_bounded(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(signed_cache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(signed_cache, "MAX_ENTRIES", 3)
    recent = signed_cache._Recent()
    for n in range(5):
        recent.put(f"v{n}", n)
    assert [recent.get(f"v{n}") for n in range(5)] == [None, None, 2, 3, 4]
    clock[0] += signed_cache.CACHE_SECONDS + 1
    assert recent.get("v4") is None


def test_forms_still_refuse_a_missing_or_wrong_token(client, seeded):
    credentials = {"username": LEAD["username"], "password": LEAD["password"]}
    page_token = csrf_token(client, "/login")
    assert client.post("/login", data=credentials).status_code == 400
    wrong = page_token[:-3] + ("abc" if not page_token.endswith("abc") else "xyz")
    assert client.post("/login", data={**credentials, "csrf_token": wrong}).status_code == 400
    assert client.post("/login", data={**credentials, "csrf_token": page_token}).status_code == 302
