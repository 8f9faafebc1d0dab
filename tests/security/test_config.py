"""Local settings in instance/config.py are read (and a broken file stops the start); HTTPS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assess import ROOT, ConfigError, create_app
from tests.conftest import LEAD, login


def settings(tmp_path) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "assess.db"),
        "CONTENT_DIR": str(ROOT / "questionnaires"),
    }


def test_instance_config_py_is_loaded(tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("SESSION_IDLE_MINUTES = 7\n")
    app = create_app(settings(tmp_path))
    assert app.config["SESSION_IDLE_MINUTES"] == 7


@pytest.mark.parametrize(
    "text, reason",
    [
        ("SESSION_IDLE_MINUTES = = 7\n", "SyntaxError"),
        ("import nothing_like_this\n", "ModuleNotFoundError"),
    ],
)
def test_a_broken_config_py_stops_the_start_with_a_clear_message(tmp_path, text, reason):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text(text)
    with pytest.raises(ConfigError, match=reason) as caught:
        create_app(settings(tmp_path))
    assert "instance/config.py" in str(caught.value)


def test_the_command_line_says_so_in_one_line(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text("HTTPS = True\n")
    (instance / "config.py").chmod(0o000)
    if os.access(instance / "config.py", os.R_OK):  # root reads anything: use a directory
        (instance / "config.py").chmod(0o600)
        (instance / "config.py").unlink()
        (instance / "config.py").mkdir()
    env = dict(os.environ, ASSESS_INSTANCE_PATH=str(instance))
    assess = Path(sys.executable).parent / "assess"
    result = subprocess.run([str(assess), "check"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "config.py" in lines[0], result.stderr


def test_https_makes_the_cookie_secure_host_bound_and_sends_hsts(tmp_path, db, seeded):
    from tests.conftest import make_app

    app = make_app(tmp_path, HTTPS=True)
    client = app.test_client()
    response = login_https(client)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("__Host-session="))
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert client.get("/", base_url="https://localhost").status_code == 200


def login_https(client):
    import re

    html = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(
        "/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},
        data={**LEAD, "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def test_without_https_no_hsts(client, seeded):
    response = login(client, LEAD)
    assert "Strict-Transport-Security" not in response.headers
