"""Sign-in throttling: spraying slows to a crawl, and no one can lock a real user out."""

from __future__ import annotations

import re

import pytest

from assess.login_limit import Throttle
from tests.conftest import ADMIN, LEAD, soup


class FrozenClock:
    """Time stands still: the test machine's speed cannot let a wait run out mid-test."""

    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def frozen(app):
    clock = FrozenClock()
    config = app.config
    for kind, free in (
        ("pair", "LOGIN_FREE_PER_ACCOUNT_AND_CLIENT"),
        ("client", "LOGIN_FREE_PER_CLIENT"),
        ("account", "LOGIN_FREE_PER_ACCOUNT"),
    ):
        app.extensions[f"login_throttle_{kind}"] = Throttle(
            free=int(config[free]), max_delay=float(config["LOGIN_MAX_DELAY_SECONDS"]), clock=clock
        )
    return clock


def attempt(client, username: str, password: str, addr: str):
    html = client.get("/login", environ_base={"REMOTE_ADDR": addr}).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post(
        "/login",
        environ_base={"REMOTE_ADDR": addr},
        data={"username": username, "password": password, "csrf_token": token},
    )


def test_spraying_many_names_from_one_client_is_slowed(app, seeded):
    attacker = app.test_client()
    statuses = [attempt(attacker, f"nimi{n}", "Kesakuu2025!", "203.0.113.9").status_code for n in range(40)]
    assert statuses[:20] == [400] * 20  # wrong name or password, checked
    assert statuses[21:] == [429] * 19  # waiting: not even checked
    page = soup(attempt(attacker, "nimi99", "x", "203.0.113.9"))
    assert "Odota 1 sekunti ja" in page.find(id="login-error").get_text()
    # Another client is not held back.
    assert attempt(app.test_client(), LEAD["username"], LEAD["password"], "198.51.100.7").status_code == 302


def test_an_attacker_cannot_keep_a_real_user_out_of_their_usual_browser(app, seeded):
    admin = app.test_client()
    assert attempt(admin, ADMIN["username"], ADMIN["password"], "198.51.100.7").status_code == 302
    # Many attackers, each from its own address, hammer the administrator's name.
    for n in range(30):
        attempt(app.test_client(), ADMIN["username"], "arvaus-arvaus", f"203.0.113.{n}")
    held = attempt(app.test_client(), ADMIN["username"], ADMIN["password"], "203.0.113.200")
    assert held.status_code == 429  # a new browser waits ...
    # ... but the administrator's own browser, where they signed in before, gets in.
    admin.post("/logout")
    assert attempt(admin, ADMIN["username"], ADMIN["password"], "198.51.100.7").status_code == 302


def test_failures_and_throttling_are_logged_without_the_password(app, db, seeded):
    client = app.test_client()
    for _ in range(7):
        attempt(client, LEAD["username"], "salainen-arvaus-123", "203.0.113.5")
    rows = db.execute("SELECT event, outcome, username, client, detail FROM security_log").fetchall()
    events = [(r["event"], r["outcome"]) for r in rows]
    assert ("login", "failed") in events and ("login.throttled", "refused") in events
    assert all(r["client"] == "203.0.113.5" and r["username"] == "liisa" for r in rows)
    assert "salainen-arvaus" not in repr([tuple(r) for r in rows])


def test_waits_grow_and_run_out(app, seeded, frozen):
    attacker = app.test_client()
    for n in range(21):
        attempt(attacker, f"nimi{n}", "x", "203.0.113.9")
    frozen.now += 1.5  # the first wait (1 s) is over: one more try is checked ...
    assert attempt(attacker, "nimi21", "x", "203.0.113.9").status_code == 400
    assert attempt(attacker, "nimi22", "x", "203.0.113.9").status_code == 429  # ... then 2 s
    frozen.now += 2.5
    assert attempt(attacker, LEAD["username"], LEAD["password"], "203.0.113.9").status_code == 302
