"""The security log: what is recorded, where, the administrators' page and retention."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assess.storage import security_log
from tests.conftest import ADMIN, LEAD, VIEWER, login, post_form, soup


def entries(db) -> list[dict]:
    return [dict(r) for r in db.execute("SELECT * FROM security_log ORDER BY id")]


def test_sign_in_refusals_and_changes_are_recorded_in_the_database_and_the_file(app, client, db, seeded):
    login(client, LEAD)
    other = seeded["other"]["id"]
    assert client.get(f"/orgs/{other}").status_code == 404  # cross-organisation
    assert client.get("/admin/").status_code == 403  # not an administrator
    assert client.post("/logout").status_code == 400  # no CSRF token
    client.get(f"/orgs/{seeded['org']['id']}/export.xlsx")  # an export
    admin = app.test_client()
    login(admin, ADMIN)
    viewer = seeded["viewer"]["id"]
    post_form(admin, f"/admin/users/{viewer}/disable", {}, token_from=f"/admin/users/{viewer}")
    rows = entries(db)
    seen = {(r["event"], r["outcome"], r["username"]) for r in rows}
    assert {
        ("login", "ok", "liisa"),
        ("access", "refused", "liisa"),
        ("csrf", "refused", "liisa"),
        ("export", "ok", "liisa"),
        ("login", "ok", "admin"),
        ("user.disable", "ok", "admin"),
    } <= seen
    refused = [r for r in rows if r["event"] == "access"]
    assert any(f"organisation {other}" in r["detail"] for r in refused)
    assert all(r["client"] == "127.0.0.1" and r["at"] for r in rows)
    log_file = Path(app.instance_path) / "security.log"
    lines = [json.loads(x) for x in log_file.read_text(encoding="utf-8").splitlines()]
    assert [(x["event"], x["outcome"]) for x in lines] == [(r["event"], r["outcome"]) for r in rows]
    everything = json.dumps(lines) + repr(rows)
    for secret in (LEAD["password"], ADMIN["password"]):
        assert secret not in everything


def test_password_and_role_changes_are_recorded(app, client, db, seeded):
    login(client, ADMIN)
    lead = seeded["lead"]["id"]
    post_form(
        client,
        f"/admin/users/{lead}/password",
        {"password": "kolme-kettua-kiipeää", "confirm": "kolme-kettua-kiipeää"},
        token_from=f"/admin/users/{lead}",
    )
    post_form(
        client,
        f"/admin/orgs/{seeded['other']['id']}/members",
        {"user": str(lead), "role": "viewer"},
        token_from=f"/admin/orgs/{seeded['other']['id']}",
    )
    events = [r["event"] for r in entries(db)]
    assert "password.reset" in events and "role.change" in events
    assert "kolme-kettua" not in repr(entries(db))


def test_only_administrators_read_the_log_and_can_filter_it(app, client, db, seeded):
    login(client, VIEWER)
    assert client.get("/admin/security-log").status_code == 403
    for n in range(3):
        post_form(app.test_client(), "/login", {"username": f"arvaaja{n}", "password": "x"})
    admin = app.test_client()
    login(admin, ADMIN)
    page = soup(admin.get("/admin/security-log?event=login&outcome=failed"))
    rows = page.find("tbody").find_all("tr")
    assert len(rows) == 3 and all("arvaaja" in r.get_text() for r in rows)
    page = soup(admin.get("/admin/security-log?username=ville"))
    assert {r.find_all("td")[1].get_text() for r in page.find("tbody").find_all("tr")} == {
        "kirjautuminen",
        "pääsy estetty",
    }
    today = datetime.now(UTC).astimezone()
    day = f"{today.day}.{today.month}.{today.year}"
    assert admin.get(f"/admin/security-log?day={day}").status_code == 200
    response = admin.get("/admin/security-log?day=31.2.2026")
    assert response.status_code == 400 and "p.k.vvvv" in soup(response).get_text()
    assert admin.get("/admin/security-log?username=" + "x" * 500).status_code == 400


def test_entries_older_than_the_retention_period_are_removed(db, seeded):
    security_log.record(db, "login", "ok", username="vanha")
    old = (datetime.now(UTC) - timedelta(days=181)).isoformat(timespec="seconds")
    db.execute("UPDATE security_log SET at = ?", (old,))
    security_log.record(db, "login", "ok", username="uusi")
    assert security_log.purge(db, keep_days=180) == 1
    assert [r["username"] for r in entries(db)] == ["uusi"]
