"""Sessions live on the server: signing out, timeouts, epochs, disabling and the account page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import ADMIN, LEAD, csrf_token, login, make_app, post_form, soup


def cookie_of(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def with_cookie(app, value: str):
    """A second browser that carries a copy of a captured cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def test_a_cookie_captured_before_logout_stops_working(app, client, db, seeded):
    login(client, LEAD)
    captured = cookie_of(client)
    thief = with_cookie(app, captured)
    org = seeded["org"]["id"]
    assert thief.get(f"/orgs/{org}/plan").status_code == 200  # the copy works while it lives
    token = csrf_token(thief, f"/orgs/{org}/plan")
    post_form(client, "/logout", {}, token_from="/")
    response = thief.get(f"/orgs/{org}")
    assert response.status_code == 302 and response.location.startswith("/login")
    # Nor can it write, even with a form token taken before the sign-out.
    thief.set_cookie("session", captured)
    response = thief.post(
        f"/orgs/{org}/plan/add", data={"csrf_token": token, "text": "Kaapattu", "year": "2026", "quarter": ""}
    )
    assert response.status_code in (302, 400)
    assert response.status_code == 400 or response.location.startswith("/login")
    assert db.execute("SELECT COUNT(*) FROM plan_entries").fetchone()[0] == 0


def age_sessions(db, *, last_seen: timedelta = timedelta(0), created: timedelta = timedelta(0)):
    moment = datetime.now(UTC)
    db.execute(
        "UPDATE sessions SET last_seen_at = ?, created_at = ?",
        (
            (moment - last_seen).isoformat(timespec="seconds"),
            (moment - created).isoformat(timespec="seconds"),
        ),
    )


def test_an_idle_session_ends(app, client, db, seeded):
    login(client, LEAD)
    age_sessions(db, last_seen=timedelta(minutes=119))
    assert client.get("/").status_code == 200
    age_sessions(db, last_seen=timedelta(minutes=121))
    assert client.get("/").status_code == 302


def test_an_active_session_still_ends_at_its_absolute_lifetime(client, db, seeded):
    login(client, LEAD)
    age_sessions(db, created=timedelta(hours=11, minutes=59))
    assert client.get("/").status_code == 200
    age_sessions(db, created=timedelta(hours=12, minutes=1))  # used a moment ago, but too old
    assert client.get("/").status_code == 302


def test_lifetimes_are_settings(tmp_path, db, seeded):
    short = make_app(tmp_path, SESSION_IDLE_MINUTES=5)  # the same database as the fixture's
    client = short.test_client()
    login(client, LEAD)
    age_sessions(db, last_seen=timedelta(minutes=6))
    assert client.get("/").status_code == 302


def test_bumping_the_epoch_ends_every_session_of_the_user(app, client, db, seeded):
    login(client, LEAD)
    other = app.test_client()
    login(other, LEAD)
    db.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?", (seeded["lead"]["id"],))
    assert client.get("/").status_code == 302 and other.get("/").status_code == 302


def test_the_account_page_lists_own_sessions_and_ends_one(app, client, db, seeded):
    login(client, LEAD)
    laptop = app.test_client()
    login(laptop, LEAD)
    admin = app.test_client()
    login(admin, ADMIN)
    page = soup(client.get("/account/"))
    rows = page.find("table").find("tbody").find_all("tr")
    assert len(rows) == 2  # the lead's two, not the administrator's
    assert ["tämä selain" in r.get_text() for r in rows].count(True) == 1
    ids = [
        r[0]
        for r in db.execute("SELECT id FROM sessions WHERE user_id = ? ORDER BY id", (seeded["lead"]["id"],))
    ]
    laptop_id = ids[1]
    response = post_form(client, f"/account/sessions/{laptop_id}/end", {}, token_from="/account/")
    assert response.status_code == 302
    assert laptop.get("/").status_code == 302 and client.get("/").status_code == 200
    # Someone else's session cannot be ended from here.
    admin_id = db.execute("SELECT id FROM sessions WHERE user_id = ?", (seeded["admin"]["id"],)).fetchone()[0]
    post_form(client, f"/account/sessions/{admin_id}/end", {}, token_from="/account/")
    assert admin.get("/admin/").status_code == 200


def test_the_session_store_is_bounded_per_user(app, db, seeded):
    for _ in range(25):
        login(app.test_client(), LEAD)
    count = db.execute("SELECT COUNT(*) FROM sessions WHERE user_id = ?", (seeded["lead"]["id"],)).fetchone()[
        0
    ]
    assert count == 20
