"""Administration: organisations, users, roles and passwords; refusals for everyone else."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import g, url_for
from werkzeug.exceptions import Forbidden, NotFound

from assess import security
from assess.storage import accounts
from tests.conftest import ADMIN, LEAD, VIEWER, csrf_token, error_summary_text, login, post_form, soup

NEW_USER = {
    "username": "maija",
    "display_name": "Maija Meikäläinen",
    "password": "maijan-salasana",
    "confirm": "maijan-salasana",
}


def flash(response_or_page) -> str:
    page = response_or_page if hasattr(response_or_page, "find") else soup(response_or_page)
    box = page.find(class_="flashes")
    return box.get_text(" ", strip=True) if box else ""


def count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def admin_pages(seeded) -> list[str]:
    return [
        "/admin/",
        "/admin/orgs/new",
        "/admin/users/new",
        f"/admin/orgs/{seeded['org']['id']}",
        f"/admin/users/{seeded['lead']['id']}",
    ]


# --- who may enter ------------------------------------------------------------------------------


def test_signed_out_users_are_sent_to_sign_in(client, seeded):
    for path in admin_pages(seeded):
        response = client.get(path)
        assert response.status_code == 302
        assert urlsplit(response.location).path == "/login"


@pytest.mark.parametrize("who", [LEAD, VIEWER])
def test_others_than_administrators_get_403(client, db, seeded, who):
    login(client, who)
    for path in admin_pages(seeded):
        assert client.get(path).status_code == 403, path
    page = soup(client.get("/"))
    assert page.find("a", href="/admin/") is None  # no link to what they cannot open
    before = (count(db, "organisations"), count(db, "users"), count(db, "memberships"))
    org, lead = seeded["org"]["id"], seeded["lead"]["id"]
    posts = {
        "/admin/orgs/new": {"name": "Uusi kunta"},
        "/admin/users/new": NEW_USER,
        f"/admin/orgs/{org}/members": {"user": str(seeded["viewer"]["id"]), "role": "lead"},
        f"/admin/orgs/{org}/members/{lead}/remove": {},
        f"/admin/orgs/{org}/year": {"start_year": "2020"},
        f"/admin/users/{lead}/orgs": {"org": str(seeded["other"]["id"]), "role": "lead"},
        f"/admin/users/{lead}/password": {"password": "kaapattu-salasana", "confirm": "kaapattu-salasana"},
    }
    for path, data in posts.items():
        response = post_form(client, path, data, token_from="/")
        assert response.status_code == 403, path
    assert (count(db, "organisations"), count(db, "users"), count(db, "memberships")) == before
    assert accounts.authenticate(db, LEAD["username"], LEAD["password"]) is not None


def test_the_administration_overview(client, seeded):
    login(client, ADMIN)
    page = soup(client.get("/admin/"))
    assert page.h1.get_text(strip=True) == "Ylläpito"
    tables = page.find_all("table")
    orgs = [r.th.get_text(strip=True) for r in tables[0].tbody.find_all("tr")]
    assert orgs == ["Hyvinkää", "Muu kunta"]
    users = {
        r.th.get_text(strip=True): r.find_all("td")[-1].get_text(" ", strip=True)
        for r in tables[1].tbody.find_all("tr")
    }
    assert users == {
        "admin": "Pääkäyttäjä kaikki organisaatiot",
        "liisa": "Hyvinkää: vastuuhenkilö",
        "ville": "Hyvinkää: katselija",
    }


# --- organisations -------------------------------------------------------------------------------


def test_admin_creates_an_organisation(client, db, seeded):
    login(client, ADMIN)
    response = post_form(client, "/admin/orgs/new", {"name": "  Kerava ", "start_year": "2024"})
    assert response.status_code == 302
    org = db.execute("SELECT * FROM organisations WHERE name = 'Kerava'").fetchone()
    assert org["path_start_year"] == 2024 and org["slug"] == "kerava"
    assert response.location == f"/admin/orgs/{org['id']}"
    page = soup(client.get(response.location))
    assert "Organisaatio Kerava on luotu." in flash(page)
    assert page.h1.get_text(strip=True) == "Kerava"
    # Without a start year, too.
    post_form(client, "/admin/orgs/new", {"name": "Järvenpää", "start_year": ""})
    assert (
        db.execute("SELECT path_start_year FROM organisations WHERE name = 'Järvenpää'").fetchone()[0] is None
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "hyvinkää"}, "Organisaatio nimeltä hyvinkää on jo olemassa."),
        ({"name": ""}, "Täytä tämä kenttä."),
        ({"name": "Kerava", "start_year": "1999"}, "Anna vuosi väliltä 2000–2100"),
        ({"name": "Kerava", "start_year": "ensi vuonna"}, "Anna vuosi numeroina, esim. 2025."),
    ],
)
def test_a_bad_organisation_is_refused(client, db, seeded, data, message):
    login(client, ADMIN)
    response = post_form(client, "/admin/orgs/new", data)
    assert response.status_code == 400
    assert message in error_summary_text(response)
    assert count(db, "organisations") == 2


def test_admin_changes_the_start_year(client, db, seeded):
    login(client, ADMIN)
    org = seeded["org"]["id"]
    response = post_form(
        client, f"/admin/orgs/{org}/year", {"start_year": "2023"}, token_from=f"/admin/orgs/{org}"
    )
    assert response.status_code == 302
    assert "Organisaation Hyvinkää polku alkoi vuonna 2023." in flash(client.get(response.location))
    assert accounts.get_org(db, org)["path_start_year"] == 2023
    response = post_form(
        client, f"/admin/orgs/{org}/year", {"start_year": "3000"}, token_from=f"/admin/orgs/{org}"
    )
    assert response.status_code == 400 and "Anna vuosi väliltä 2000–2100" in error_summary_text(response)
    # The page shown again is the organisation's, and the language switch returns to it.
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Hyvinkää"
    assert (
        page.find("form", action="/language").find("input", attrs={"name": "next"})["value"]
        == f"/admin/orgs/{org}"
    )
    assert accounts.get_org(db, org)["path_start_year"] == 2023
    post_form(client, f"/admin/orgs/{org}/year", {"start_year": ""}, token_from=f"/admin/orgs/{org}")
    assert accounts.get_org(db, org)["path_start_year"] is None


def test_unknown_ids_give_404(client, seeded):
    login(client, ADMIN)
    assert client.get("/admin/orgs/999").status_code == 404
    assert client.get("/admin/users/999").status_code == 404
    lead = seeded["lead"]["id"]
    assert (
        post_form(
            client, "/admin/orgs/999/members", {"user": str(lead), "role": "lead"}, token_from="/admin/"
        ).status_code
        == 404
    )
    assert (
        post_form(
            client, f"/admin/orgs/{seeded['org']['id']}/members/999/remove", {}, token_from="/admin/"
        ).status_code
        == 404
    )


# --- users ---------------------------------------------------------------------------------------


def test_admin_creates_a_user(client, db, seeded):
    login(client, ADMIN)
    response = post_form(client, "/admin/users/new", NEW_USER)
    assert response.status_code == 302
    user = db.execute("SELECT * FROM users WHERE username = 'maija'").fetchone()
    assert user["display_name"] == "Maija Meikäläinen" and user["is_admin"] == 0
    assert user["password_hash"] != NEW_USER["password"]
    assert response.location == f"/admin/users/{user['id']}"
    assert "Käyttäjä Maija Meikäläinen (maija) on luotu." in flash(client.get(response.location))
    # The new user can sign in, and sees no organisation yet.
    other = client.application.test_client()
    login(other, NEW_USER)
    assert "Sinulle ei ole vielä annettu pääsyä" in soup(other.get("/")).get_text()


def test_admin_creates_another_administrator(client, db, seeded):
    login(client, ADMIN)
    post_form(client, "/admin/users/new", dict(NEW_USER, is_admin="y"))
    assert db.execute("SELECT is_admin FROM users WHERE username = 'maija'").fetchone()[0] == 1
    other = client.application.test_client()
    login(other, NEW_USER)
    assert other.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "LIISA"}, "Käyttäjätunnus LIISA on jo käytössä; valitse toinen."),
        ({"username": "maija virtanen"}, "Käytä vain kirjaimia, numeroita ja merkkejä"),
        ({"username": "m"}, "Käytä 2–80 merkkiä."),
        ({"password": "lyhyt-pwd", "confirm": "lyhyt-pwd"}, "Salasanassa on oltava vähintään 12 merkkiä."),
        ({"confirm": "eri-salasana-1"}, "Salasanat eivät ole samat."),
    ],
)
def test_a_bad_user_is_refused(client, db, seeded, data, message):
    login(client, ADMIN)
    response = post_form(client, "/admin/users/new", dict(NEW_USER, **data))
    assert response.status_code == 400
    assert message in error_summary_text(response)
    assert count(db, "users") == 3
    # The typed password is never sent back to the browser.
    assert NEW_USER["password"] not in response.get_data(as_text=True)


# --- roles -----------------------------------------------------------------------------------------


def test_admin_grants_changes_and_revokes_a_role(client, db, seeded):
    login(client, ADMIN)
    post_form(client, "/admin/users/new", NEW_USER)
    maija = db.execute("SELECT id FROM users WHERE username = 'maija'").fetchone()[0]
    org = seeded["other"]["id"]
    page = soup(client.get(f"/admin/orgs/{org}"))
    options = [o.get_text(strip=True) for o in page.find("select", id="user").find_all("option")]
    assert options == ["Valitse käyttäjä", "Liisa Lead (liisa)", "Maija Meikäläinen (maija)", "ville"]
    assert [r["value"] for r in page.find_all("input", attrs={"name": "role"})] == ["lead", "viewer"]

    response = post_form(
        client,
        f"/admin/orgs/{org}/members",
        {"user": str(maija), "role": "lead"},
        token_from=f"/admin/orgs/{org}",
    )
    assert response.status_code == 302 and response.location == f"/admin/orgs/{org}"
    assert "Maija Meikäläinen (maija) on nyt organisaation Muu kunta vastuuhenkilö." in flash(
        client.get(response.location)
    )
    assert accounts.role(db, maija, org) == "lead"

    # The lead now sees the organisation on the front page.
    other = client.application.test_client()
    login(other, NEW_USER)
    row = soup(other.get("/")).find("table", class_="org-table").find("tbody").find("tr")
    assert row.find("th").get_text(strip=True) == "Muu kunta"
    assert row.find("td", attrs={"data-label": "Roolisi"}).get_text(strip=True) == "vastuuhenkilö"

    # From the user's page: the role is changed, not doubled.
    response = post_form(
        client,
        f"/admin/users/{maija}/orgs",
        {"org": str(org), "role": "viewer"},
        token_from=f"/admin/users/{maija}",
    )
    assert response.status_code == 302 and response.location == f"/admin/users/{maija}"
    assert "rooli organisaatiossa Muu kunta on nyt katselija" in flash(client.get(response.location))
    assert [tuple(r) for r in db.execute("SELECT role FROM memberships WHERE user_id = ?", (maija,))] == [
        ("viewer",)
    ]

    response = post_form(
        client,
        f"/admin/orgs/{org}/members/{maija}/remove",
        {"back": "user"},
        token_from=f"/admin/users/{maija}",
    )
    assert response.status_code == 302 and response.location == f"/admin/users/{maija}"
    assert "ei ole enää pääsyä organisaatioon Muu kunta" in flash(client.get(response.location))
    assert accounts.role(db, maija, org) is None
    assert "Muu kunta" not in org_names(other)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"user": "", "role": "lead"}, "Valitse käyttäjä luettelosta."),
        ({"user": "999", "role": "lead"}, "Valitse käyttäjä luettelosta."),
        ({"user": "ADMIN", "role": "lead"}, "Valitse käyttäjä luettelosta."),  # administrators are not listed
        ({"user": "VIEWER", "role": "owner"}, "Valitse rooli."),
        ({"user": "VIEWER"}, "Valitse rooli."),
    ],
)
def test_a_bad_grant_is_refused(client, db, seeded, data, message):
    login(client, ADMIN)
    org = seeded["other"]["id"]
    names = {"ADMIN": str(seeded["admin"]["id"]), "VIEWER": str(seeded["viewer"]["id"])}
    data = {k: names.get(v, v) for k, v in data.items()}
    response = post_form(client, f"/admin/orgs/{org}/members", data, token_from=f"/admin/orgs/{org}")
    assert response.status_code == 400
    assert message in error_summary_text(response)
    assert count(db, "memberships") == 2


def test_a_user_page_refuses_an_unknown_organisation(client, db, seeded):
    login(client, ADMIN)
    lead = seeded["lead"]["id"]
    response = post_form(
        client, f"/admin/users/{lead}/orgs", {"org": "999", "role": "lead"}, token_from=f"/admin/users/{lead}"
    )
    assert response.status_code == 400
    assert "Valitse organisaatio luettelosta." in error_summary_text(response)
    assert count(db, "memberships") == 2


def test_an_administrator_needs_no_role(client, db, seeded):
    login(client, ADMIN)
    admin = seeded["admin"]["id"]
    page = soup(client.get(f"/admin/users/{admin}"))
    assert page.find("form", action=f"/admin/users/{admin}/orgs") is None
    response = post_form(
        client,
        f"/admin/users/{admin}/orgs",
        {"org": str(seeded["org"]["id"]), "role": "viewer"},
        token_from="/admin/",
    )
    assert response.status_code == 302
    assert count(db, "memberships") == 2


# --- passwords ---------------------------------------------------------------------------------------


def test_admin_sets_a_new_password(app, client, db, seeded):
    lead_client = app.test_client()
    login(lead_client, LEAD)
    assert lead_client.get("/").status_code == 200
    login(client, ADMIN)
    lead = seeded["lead"]["id"]
    new = {"password": "uusi-salasana-1", "confirm": "uusi-salasana-1"}
    response = post_form(client, f"/admin/users/{lead}/password", new, token_from=f"/admin/users/{lead}")
    assert response.status_code == 302
    assert "salasana on vaihdettu" in flash(client.get(response.location))
    # The old password no longer works, the new one does, and the lead's open session has ended.
    assert accounts.authenticate(db, LEAD["username"], LEAD["password"]) is None
    assert accounts.authenticate(db, LEAD["username"], new["password"]) is not None
    assert urlsplit(lead_client.get("/").location).path == "/login"


def test_a_short_new_password_is_refused(client, db, seeded):
    login(client, ADMIN)
    lead = seeded["lead"]["id"]
    response = post_form(
        client,
        f"/admin/users/{lead}/password",
        {"password": "lyhyt", "confirm": "lyhyt"},
        token_from=f"/admin/users/{lead}",
    )
    assert response.status_code == 400
    assert "Salasanassa on oltava vähintään 12 merkkiä." in error_summary_text(response)
    assert soup(response).h1.get_text(strip=True) == "Liisa Lead"
    assert accounts.authenticate(db, LEAD["username"], LEAD["password"]) is not None


def test_admin_changing_their_own_password_stays_signed_in(client, db, seeded):
    login(client, ADMIN)
    admin = seeded["admin"]["id"]
    new = {"password": "toinen-salasana", "confirm": "toinen-salasana"}
    response = post_form(client, f"/admin/users/{admin}/password", new, token_from="/admin/")
    assert response.status_code == 302
    page = client.get(response.location)
    assert page.status_code == 200 and "Salasanasi on vaihdettu." in flash(page)
    assert accounts.authenticate(db, ADMIN["username"], new["password"]) is not None


# --- one organisation's users never see another's --------------------------------------------------


def test_require_org_scopes_every_organisation(app, db, seeded):
    """A lead of org A gets 404 for org B; a viewer may look but not lead; admins lead everywhere."""
    org_a, org_b = seeded["org"]["id"], seeded["other"]["id"]
    with app.test_request_context("/"):
        g.user = accounts.get_user(db, seeded["lead"]["id"])
        assert security.require_org(org_a, lead=True)["role"] == "lead"
        with pytest.raises(NotFound):
            security.require_org(org_b)
        with pytest.raises(NotFound):
            security.require_org(999)

        g.user = accounts.get_user(db, seeded["viewer"]["id"])
        assert security.require_org(org_a)["role"] == "viewer"
        with pytest.raises(Forbidden):
            security.require_org(org_a, lead=True)
        with pytest.raises(NotFound):
            security.require_org(org_b, lead=True)  # 404, not 403: B's existence is not revealed

        g.user = accounts.get_user(db, seeded["admin"]["id"])
        assert security.require_org(org_b, lead=True)["name"] == "Muu kunta"
        with pytest.raises(NotFound):
            security.require_org(999)

        g.user = None
        with pytest.raises(NotFound):
            security.require_org(org_a)


def test_the_front_page_lists_only_the_users_organisations(client, seeded):
    login(client, LEAD)
    titles = org_names(client)
    assert "Hyvinkää" in titles and "Muu kunta" not in titles
    login(client, ADMIN)
    titles = org_names(client)
    assert "Hyvinkää" in titles and "Muu kunta" in titles


def org_names(client) -> list[str]:
    """The organisations listed on the front page, in order."""
    table = soup(client.get("/")).find("table", class_="org-table")
    return (
        [th.get_text(" ", strip=True).removesuffix(" Demo") for th in table.find_all("th", scope="row")]
        if table
        else []
    )


def test_org_cards_link_to_the_dashboard_when_it_exists(app, client, seeded):
    login(client, LEAD)
    link = soup(client.get("/")).find("table", class_="org-table").find("th", scope="row").find("a")
    if "orgs.dashboard" in app.view_functions:
        with app.test_request_context():
            assert link["href"] == url_for("orgs.dashboard", org_id=seeded["org"]["id"])
    else:
        assert link is None


def test_csrf_token_is_required_on_admin_forms(client, db, seeded):
    login(client, ADMIN)
    token = csrf_token(client, "/admin/orgs/new")
    assert client.post("/admin/orgs/new", data={"name": "Kerava"}).status_code == 400
    assert client.post("/admin/orgs/new", data={"name": "Kerava", "csrf_token": token}).status_code == 302
    assert count(db, "organisations") == 3


def test_admin_page_titles_are_plain_titles(client, seeded):
    """The window title is the page's name only, never a piece of the page."""
    login(client, ADMIN)
    for path in ("/admin/", f"/admin/users/{seeded['lead']['id']}"):
        title = soup(client.get(path)).title.get_text()
        assert "<" not in title and "section" not in title and len(title) < 80, (path, title)
