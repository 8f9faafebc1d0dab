"""Shared fixtures: an app on a real SQLite file in tmp_path, its client and CLI runner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from assess import ROOT, create_app
from assess.storage import accounts
from assess.storage.db import open_db

ADMIN = {"username": "admin", "password": "salasana-123"}
LEAD = {"username": "liisa", "password": "salasana-456"}
VIEWER = {"username": "ville", "password": "salasana-789"}


def make_app(tmp_path: Path, **config):
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "assess.db"),
        "CONTENT_DIR": str(ROOT / "questionnaires"),
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def app(tmp_path):
    """An app with CSRF on, as in production: tests send the token like a browser does."""
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = open_db(app.config["DATABASE"])
    yield database
    database.conn.close()


@pytest.fixture
def seeded(app, db):
    """An administrator, two organisations, a lead and a viewer of the first one."""
    admin = accounts.create_user(db, ADMIN["username"], ADMIN["password"], is_admin=True)
    org = accounts.create_org(db, "Hyvinkää")
    other = accounts.create_org(db, "Muu kunta")
    lead = accounts.create_user(db, LEAD["username"], LEAD["password"], display_name="Liisa Lead")
    viewer = accounts.create_user(db, VIEWER["username"], VIEWER["password"])
    accounts.grant(db, lead["id"], org["id"], "lead")
    accounts.grant(db, viewer["id"], org["id"], "viewer")
    return {"admin": admin, "org": org, "other": other, "lead": lead, "viewer": viewer}


def csrf_token(client, path: str) -> str:
    """The CSRF token from a page's form, read like a browser would."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST a form with a valid CSRF token taken from the page (or token_from)."""
    data = dict(data)
    data.setdefault("csrf_token", csrf_token(client, token_from or path))
    return client.post(path, data=data, **kwargs)


def login(client, who: dict):
    response = post_form(client, "/login", {"username": who["username"], "password": who["password"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
