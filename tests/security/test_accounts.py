"""Accounts: own password change, the password policy, disabling, forced change."""

from __future__ import annotations

import pytest

from assess.storage import accounts
from tests.conftest import ADMIN, LEAD, error_summary_text, login, post_form, soup

NEW = "kolme-kettua-kiipeää"


def change_own(client, current: str, new: str, confirm: str | None = None):
    return post_form(
        client,
        "/account/password",
        {"current": current, "password": new, "confirm": confirm or new},
        token_from="/account/",
    )


def test_a_user_changes_their_own_password_with_the_current_one(app, client, db, seeded):
    login(client, LEAD)
    phone = app.test_client()
    login(phone, LEAD)
    response = change_own(client, "väärä-salasana", NEW)
    assert response.status_code == 400
    assert "Nykyinen salasana on väärin." in error_summary_text(response)
    assert accounts.authenticate(db, LEAD["username"], LEAD["password"]) is not None
    response = change_own(client, LEAD["password"], NEW)
    assert response.status_code == 302
    assert accounts.authenticate(db, LEAD["username"], NEW) is not None
    assert client.get("/").status_code == 200  # this session goes on
    assert phone.get("/").status_code == 302  # the other one has ended


@pytest.mark.parametrize(
    "password, message",
    [
        ("1234567890", "vähintään 12 merkkiä"),
        ("123456789012", "liian helppo arvata"),
        ("salasana1234", "liian helppo arvata"),
        ("liisaliisa12", "liian helppo arvata"),  # the user's own name
        ("x" * 129, "enintään 128 merkkiä"),
    ],
)
def test_the_policy_refuses_short_common_and_guessable_passwords(client, db, seeded, password, message):
    login(client, LEAD)
    response = change_own(client, LEAD["password"], password)
    assert response.status_code == 400 and message in error_summary_text(response)
    assert accounts.authenticate(db, LEAD["username"], LEAD["password"]) is not None


def test_any_characters_are_allowed(client, db, seeded):
    login(client, LEAD)
    assert change_own(client, LEAD["password"], "äiti 🌲 metsässä kävelee").status_code == 302


def test_an_admin_set_password_must_be_changed_at_next_sign_in(app, client, db, seeded):
    login(client, ADMIN)
    lead = seeded["lead"]["id"]
    post_form(
        client,
        f"/admin/users/{lead}/password",
        {"password": NEW, "confirm": NEW},
        token_from=f"/admin/users/{lead}",
    )
    user = app.test_client()
    login(user, {"username": LEAD["username"], "password": NEW})
    response = user.get(f"/orgs/{seeded['org']['id']}")
    assert response.status_code == 302 and response.location == "/account/"
    assert "Valitse oma salasana" in soup(user.get("/account/")).get_text()
    assert change_own(user, NEW, "oma-uusi-lause-puussa").status_code == 302
    assert user.get(f"/orgs/{seeded['org']['id']}").status_code == 200


def test_a_disabled_user_is_signed_out_at_once_and_cannot_sign_in(app, client, db, seeded):
    lead = app.test_client()
    login(lead, LEAD)
    login(client, ADMIN)
    user_id = seeded["lead"]["id"]
    response = post_form(client, f"/admin/users/{user_id}/disable", {}, token_from=f"/admin/users/{user_id}")
    assert response.status_code == 302
    assert lead.get("/").status_code == 302
    response = post_form(app.test_client(), "/login", LEAD)
    assert response.status_code == 403
    assert "poistettu käytöstä" in soup(response).find(id="login-error").get_text()
    post_form(client, f"/admin/users/{user_id}/enable", {}, token_from=f"/admin/users/{user_id}")
    login(app.test_client(), LEAD)


def test_only_an_admin_can_disable_and_not_themselves(app, client, db, seeded):
    login(client, LEAD)
    response = post_form(client, f"/admin/users/{seeded['viewer']['id']}/disable", {}, token_from="/account/")
    assert response.status_code == 403
    admin = app.test_client()
    login(admin, ADMIN)
    response = post_form(admin, f"/admin/users/{seeded['admin']['id']}/disable", {}, token_from="/admin/")
    assert response.status_code == 400
    assert not accounts.get_user(db, seeded["admin"]["id"])["disabled"]
