"""First-run setup, signing in and out, sessions, CSRF, security headers and the language switch."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
from conftest import ADMIN, LEAD, csrf_token, login, post_form, soup

SETUP = {
    "org_name": "Hyvinkään kaupunki",
    "username": "aino",
    "display_name": "Aino Admin",
    "password": "pitkä-salasana-1",
    "confirm": "pitkä-salasana-1",
}


def snapshot(db) -> dict:
    """Every row of every table: to prove that a refused request changed nothing (but the
    security log, which records the refusal)."""
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'security_log'"
        )
    ]
    return {t: db.execute(f'SELECT * FROM "{t}"').fetchall() for t in sorted(tables)}


def path_of(response) -> str:
    return urlsplit(response.location).path


def signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "sid" in session


# --- first run ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/roadmap", "/admin/"])
def test_first_visit_leads_to_setup(client, path):
    response = client.get(path)
    assert response.status_code == 302 and path_of(response) == "/setup"
    page = soup(client.get("/setup"))
    assert page.h1.get_text(strip=True) == "Tervetuloa Hankintapolkuun"
    assert page.find("label", attrs={"for": "org_name"}).get_text(strip=True) == "Organisaation nimi"


def test_setup_creates_the_administrator_and_the_first_organisation(client, db):
    response = post_form(client, "/setup", SETUP)
    # The administrator lands on the guidance of what to do next.
    assert response.status_code == 302 and path_of(response) == "/admin/"
    users = db.execute("SELECT username, display_name, is_admin FROM users").fetchall()
    assert [tuple(u) for u in users] == [("aino", "Aino Admin", 1)]
    assert [r[0] for r in db.execute("SELECT name FROM organisations")] == ["Hyvinkään kaupunki"]
    assert signed_in(client)
    page = soup(client.get("/admin/"))
    assert "Pääkäyttäjä ja organisaatio on luotu." in page.find(class_="flashes").get_text()
    steps = page.find("ol", class_="next-steps")
    assert "Kenelläkään ei ole vielä pääsyä organisaatioon Hyvinkään kaupunki." in steps.get_text()
    assert page.find(class_="user-name").get_text(strip=True) == "Aino Admin"
    front = soup(client.get("/"))
    assert (
        front.find("table", class_="org-table").find("th", scope="row").get_text(strip=True)
        == "Hyvinkään kaupunki"
    )


def test_setup_refuses_bad_input_and_creates_nothing(client, db):
    response = post_form(
        client, "/setup", dict(SETUP, password="lyhyt", confirm="lyhyt", username="a b", org_name="")
    )
    assert response.status_code == 400
    page = soup(response)
    summary = page.find(class_="error-summary").get_text(" ", strip=True)
    assert "Salasanassa on oltava vähintään 12 merkkiä." in summary
    assert "Käytä vain kirjaimia, numeroita" in summary
    assert "Täytä tämä kenttä." in summary
    assert page.find(id="password").get("aria-invalid") == "true"
    response = post_form(client, "/setup", dict(SETUP, confirm="toinen-salasana"))
    assert response.status_code == 400
    assert "Salasanat eivät ole samat." in soup(response).find(class_="error-summary").get_text()
    assert db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 0
    assert not signed_in(client)


def test_setup_cannot_be_repeated(app, client, db):
    post_form(client, "/setup", SETUP)
    response = client.get("/setup")
    assert response.status_code == 302 and path_of(response) == "/login"
    # Neither the signed-in administrator nor a stranger can run it again.
    for someone in (client, app.test_client()):
        token = csrf_token(someone, "/login") if someone is not client else csrf_token(client, "/")
        response = someone.post("/setup", data=dict(SETUP, username="mallory", csrf_token=token))
        assert response.status_code == 302 and path_of(response) == "/login"
    assert [r[0] for r in db.execute("SELECT username FROM users")] == ["aino"]
    assert db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0] == 1


# --- signing in and out -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, password",
    [
        (ADMIN["username"], "väärä-salasana"),
        ("tuntematon", ADMIN["password"]),
        (ADMIN["username"], ""),
    ],
)
def test_a_wrong_login_is_refused(client, seeded, username, password):
    response = post_form(client, "/login", {"username": username, "password": password})
    assert response.status_code == 400
    page = soup(response)
    if password:
        # The refusal is about the form as a whole: on the form, announced, not on a field.
        message = page.find("form", class_="form").find(id="login-error")
        assert message["role"] == "alert" and message["aria-live"] == "assertive"
        assert message.get_text(strip=True) == "Väärä käyttäjätunnus tai salasana."
        assert page.find(id="password-error") is None
    else:
        assert page.find(class_="error-summary") is not None
    assert not signed_in(client)
    assert path_of(client.get("/")) == "/login"


def test_login_leads_to_the_page_asked_for(client, seeded):
    response = client.get("/programme")
    assert response.status_code == 302
    assert response.location == "/login?next=/programme"
    page = soup(client.get(response.location))
    assert page.find("form", class_="form").find("input", attrs={"name": "next"})["value"] == "/programme"
    response = post_form(client, "/login", {**LEAD, "next": "/programme"})
    assert response.status_code == 302 and response.location == "/programme"
    assert client.get("/programme").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
    ],
)
def test_an_open_redirect_is_refused(app, seeded, target):
    client = app.test_client()
    page = soup(client.get("/login", query_string={"next": target}))
    carried = page.find("form", class_="form").find("input", attrs={"name": "next"})["value"]
    assert carried == target  # carried along as typed (escaped), and checked when used
    response = post_form(client, "/login", {**LEAD, "next": carried})
    assert response.status_code == 302 and signed_in(client)
    assert response.location == "/"
    response = post_form(client, "/language", {"lang": "en", "next": target}, token_from="/")
    assert response.location == "/"


def test_repeated_wrong_passwords_pause_the_user_name(client, seeded):
    for _ in range(10):
        post_form(client, "/login", {"username": LEAD["username"], "password": "arvaus-arvaus"})
    response = post_form(client, "/login", {"username": "LIISA", "password": LEAD["password"]})
    assert response.status_code == 429 and not signed_in(client)
    assert "liian monta kertaa" in soup(response).find(id="login-error").get_text()
    login(client, ADMIN)  # another user name is not affected


def test_logout_is_post_only(client, seeded):
    login(client, ADMIN)
    assert client.get("/logout").status_code == 405
    assert signed_in(client)
    response = post_form(client, "/logout", {}, token_from="/")
    assert response.status_code == 302 and path_of(response) == "/login"
    assert not signed_in(client)
    assert "Olet kirjautunut ulos." in soup(client.get("/login")).get_text()
    assert path_of(client.get("/")) == "/login"


def test_a_new_session_on_sign_in(client, seeded):
    """The session before sign-in is not carried over (session fixation)."""
    with client.session_transaction() as session:
        session["planted"] = "x"
    login(client, LEAD)
    with client.session_transaction() as session:
        assert "planted" not in session and "sid" in session


# --- CSRF: every POST route refuses a form without its token ----------------------------------


def post_routes(app, seeded) -> list[str]:
    ids = {"org_id": seeded["org"]["id"], "user_id": seeded["lead"]["id"]}
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {}
        for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
            values[name] = ids.get(name, 1) if converter == "int" else "x"
        urls.append(rule.build(values)[1])
    return urls


def test_every_post_route_without_a_csrf_token_is_refused(app, client, db, seeded):
    login(client, ADMIN)
    urls = post_routes(app, seeded)
    for url in (
        "/setup",
        "/login",
        "/logout",
        "/language",
        "/admin/orgs/new",
        "/admin/users/new",
        f"/admin/orgs/{seeded['org']['id']}/members",
        f"/admin/users/{seeded['lead']['id']}/password",
    ):
        assert url in urls
    before = snapshot(db)
    data = {
        "username": "uusi",
        "password": "salasana-uusi-1",
        "confirm": "salasana-uusi-1",
        "name": "Uusi kunta",
        "org_name": "Uusi kunta",
        "start_year": "2024",
        "lang": "en",
        "user": str(seeded["viewer"]["id"]),
        "org": str(seeded["other"]["id"]),
        "role": "lead",
    }
    for url in urls:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Lomaketta ei hyväksytty" in soup(response).h1.get_text(), url
        response = client.post(url, data=dict(data, csrf_token="forged-token"))
        assert response.status_code == 400, url
    assert snapshot(db) == before
    assert signed_in(client)  # not even the logout went through
    assert soup(client.get("/")).html["lang"] == "fi"


# --- sessions, passwords, headers ---------------------------------------------------------------


def test_session_cookie_is_httponly_samesite_and_expires(client, seeded):
    before = datetime.now(UTC).replace(microsecond=0)  # the cookie's expiry has whole seconds
    response = login(client, LEAD)
    after = datetime.now(UTC)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    attributes = [a.strip().lower() for a in cookie.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    # The browser forgets the cookie when the session ends on the server: SESSION_MAX_HOURS
    # (12) after signing in, not days later.
    expires = next(a for a in cookie.split(";") if a.strip().lower().startswith("expires="))
    expiry = parsedate_to_datetime(expires.split("=", 1)[1].strip())
    assert before + timedelta(hours=12) <= expiry <= after + timedelta(hours=12)


def test_passwords_are_stored_hashed(client, db):
    post_form(client, "/setup", SETUP)
    stored = db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored != SETUP["password"] and SETUP["password"] not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_production_hashes_passwords_with_scrypt_at_full_cost():
    """The suite hashes cheaply (conftest); the installed app must not."""
    import subprocess
    import sys

    code = (
        "from assess.storage import accounts; "
        "print(accounts.HASH_METHOD, accounts.hash_password('salasana-pitka-1').split('$')[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["scrypt", "scrypt:32768:8:1"]


@pytest.mark.parametrize("path", ["/login", "/setup", "/static/css/app.css"])
def test_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_are_not_cached(client, seeded):
    login(client, ADMIN)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(client, seeded):
    login(client, ADMIN)
    for path in (
        "/",
        "/login",
        "/admin/",
        "/admin/orgs/new",
        "/admin/users/new",
        f"/admin/orgs/{seeded['org']['id']}",
        f"/admin/users/{seeded['lead']['id']}",
        "/roadmap",
        "/roadmap/organisaatio-2",
        "/programme",
    ):
        html = client.get(path).get_data(as_text=True)
        page = soup(client.get(path))
        assert not page.find_all(style=True), path
        assert not page.find_all("style"), path
        assert all(s.get("src") or s.get("type") == "application/json" for s in page.find_all("script")), path
        assert not re.search(r"\son[a-z]+=", html), path
        assert not re.search(r"(src|href)=\"(https?:)?//", html), path  # nothing from another host


# --- the language -------------------------------------------------------------------------------


def test_the_language_switch(client, seeded):
    page = soup(client.get("/login"))
    assert page.html["lang"] == "fi" and page.h1.get_text(strip=True) == "Kirjaudu sisään"
    switch = page.find("form", action="/language")
    assert switch.find("button")["value"] == "en" and switch.find("button")["lang"] == "en"
    response = post_form(client, "/language", {"lang": "en", "next": "/login"}, token_from="/login")
    assert response.status_code == 302 and response.location == "/login"
    page = soup(client.get("/login"))
    assert page.html["lang"] == "en" and page.h1.get_text(strip=True) == "Sign in"
    assert page.find("label", attrs={"for": "username"}).get_text(strip=True) == "User name"
    # The choice survives signing in, and reaches the content too.
    login(client, LEAD)
    page = soup(client.get("/roadmap"))
    assert page.html["lang"] == "en" and page.h1.get_text(strip=True) == "Procurement roadmap"
    assert (
        page.find("a", href="/roadmap/strategia-2").get_text(strip=True)
        == "Set goals and draw up an action plan"
    )
    post_form(client, "/language", {"lang": "fi", "next": "/roadmap"}, token_from="/roadmap")
    page = soup(client.get("/roadmap"))
    assert page.html["lang"] == "fi" and page.h1.get_text(strip=True) == "Hankintojen tulevaisuuspolku"
    assert (
        page.find("a", href="/roadmap/strategia-2").get_text(strip=True)
        == "Määritä tavoitteet ja laadi toimintasuunnitelma"
    )


def test_an_unknown_language_is_ignored(client, seeded):
    post_form(client, "/language", {"lang": "sv", "next": "/login"}, token_from="/login")
    assert soup(client.get("/login")).html["lang"] == "fi"


def test_error_pages_are_in_the_users_language(client, seeded):
    login(client, LEAD)
    page = soup(client.get("/roadmap/no-such-step"))
    assert page.h1.get_text(strip=True) == "Sivua ei löydy"
    post_form(client, "/language", {"lang": "en"}, token_from="/")
    response = client.get("/admin/")
    assert response.status_code == 403
    assert soup(response).h1.get_text(strip=True) == "Not allowed"
