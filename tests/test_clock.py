"""The calendar follows the installation's time zone (Europe/Helsinki), never the server's:
at 00:30 on New Year's Day in Helsinki it is already the new year everywhere in the tool,
even on a server whose own clock says it is noon of New Year's Eve."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
import time_machine

from assess import clock
from tests.conftest import LEAD, login, soup

# 22:30 UTC on 31 December = 00:30 on 1 January in Helsinki (UTC+2), and 12:30 on
# 31 December in Honolulu.
NEW_YEAR_IN_HELSINKI = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)


@pytest.fixture
def far_away_server(monkeypatch):
    """The server process in Honolulu's time zone."""
    monkeypatch.setenv("TZ", "Pacific/Honolulu")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def new_year(far_away_server):
    with time_machine.travel(NEW_YEAR_IN_HELSINKI, tick=False):
        assert date.today() == date(2026, 12, 31)  # the server's own calendar
        yield


def test_today_is_the_installations_day(new_year):
    assert clock.today() == date(2027, 1, 1)
    assert clock.now().utcoffset().total_seconds() == 2 * 3600


def test_another_time_zone_can_be_configured(new_year):
    try:
        clock.set_zone("Pacific/Honolulu")
        assert clock.today() == date(2026, 12, 31)
    finally:
        clock.set_zone(clock.DEFAULT_ZONE)


def test_an_unknown_time_zone_is_named_in_the_error():
    with pytest.raises(ValueError, match="Europe/Helsingfors"):
        clock.set_zone("Europe/Helsingfors")


def test_forms_default_to_the_new_year(client, seeded, new_year):
    login(client, LEAD)
    org_id = seeded["org"]["id"]
    page = soup(client.get(f"/orgs/{org_id}/assessments/new"))
    assert page.find("input", attrs={"name": "year"})["value"] == "2027"
    page = soup(client.get(f"/orgs/{org_id}/rounds/new"))
    assert page.find("input", attrs={"name": "year"})["value"] == "2027"
    assert "2027" in soup(client.get(f"/orgs/{org_id}/programme")).h1.get_text()


def test_file_names_carry_the_installations_date(client, seeded, new_year):
    login(client, LEAD)
    response = client.get(f"/orgs/{seeded['org']['id']}/export.xlsx")
    assert "2027-01-01" in response.headers["Content-Disposition"]
