"""Dates, times, quarters, indices and team figures as a Finnish (or English) reader expects
them, written by hand: the installation's local time (Europe/Helsinki), never UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from assess import clock
from assess.formatting import (
    chart_separators,
    content_version_labels,
    format_content_version,
    format_date,
    format_datetime,
    format_fulfilment,
    format_index,
    format_quarter,
    format_schedule,
    format_spread,
    format_team_value,
)


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (date(2026, 12, 1), "1.12.2026", "1 Dec 2026"),
        ("2026-01-09", "9.1.2026", "9 Jan 2026"),
        # A stored UTC time late on New Year's Eve is already New Year's Day in Helsinki.
        ("2026-12-31T22:30:00+00:00", "1.1.2027", "1 Jan 2027"),
        ("2026-12-31T21:59:59", "31.12.2026", "31 Dec 2026"),  # naive stored times are UTC
        (None, "–", "–"),
        ("", "–", "–"),
    ],
)
def test_date(value, fi, en) -> None:
    assert format_date(value, "fi") == fi
    assert format_date(value, "en") == en


@pytest.mark.parametrize(
    ("stamp", "fi", "en"),
    [
        ("2026-12-01T12:05:00+00:00", "1.12.2026 klo 14.05", "1 Dec 2026, 14:05"),  # winter: UTC+2
        ("2026-07-01T06:00:00Z", "1.7.2026 klo 9.00", "1 Jul 2026, 9:00"),  # summer: UTC+3
        ("2026-12-31T22:30:00+00:00", "1.1.2027 klo 0.30", "1 Jan 2027, 0:30"),
        # Summer time starts on 29 March 2026 at 03:00 local (01:00 UTC): 02:59 is followed by 04:00.
        ("2026-03-29T00:59:00+00:00", "29.3.2026 klo 2.59", "29 Mar 2026, 2:59"),
        ("2026-03-29T01:00:00+00:00", "29.3.2026 klo 4.00", "29 Mar 2026, 4:00"),
        # It ends on 25 October at 04:00 local: 03:30 comes twice, an hour apart in UTC.
        ("2026-10-25T00:30:00+00:00", "25.10.2026 klo 3.30", "25 Oct 2026, 3:30"),
        ("2026-10-25T01:30:00+00:00", "25.10.2026 klo 3.30", "25 Oct 2026, 3:30"),
    ],
)
def test_datetime_is_local_time(stamp, fi, en) -> None:
    assert format_datetime(stamp, "fi") == fi
    assert format_datetime(stamp, "en") == en


def test_datetime_follows_the_installations_zone() -> None:
    try:
        clock.set_zone("Europe/Stockholm")
        assert format_datetime("2026-12-01T12:05:00+00:00", "fi") == "1.12.2026 klo 13.05"
    finally:
        clock.set_zone(clock.DEFAULT_ZONE)


def test_now_at_new_year_reads_as_the_new_year_in_helsinki() -> None:
    with time_machine.travel(datetime(2026, 12, 31, 22, 30, tzinfo=UTC), tick=False):
        assert format_datetime(datetime.now(UTC), "fi") == "1.1.2027 klo 0.30"
        assert format_date(clock.today(), "en") == "1 Jan 2027"


def test_quarter_is_written_one_way_per_language() -> None:
    assert format_quarter(1, 2027, "fi") == "1. neljännes 2027"
    assert format_quarter(4, 2026, "en") == "Q4 2026"
    assert format_schedule(2027, 2, "fi") == "2. neljännes 2027"
    assert format_schedule(2027, None, "fi") == "2027"
    assert format_schedule(None, None, "en") == "–"


@pytest.mark.parametrize(
    ("value", "fi", "en"),
    [
        (2.5, "2,50", "2.50"),
        (3, "3,00", "3.00"),
        (0.125, "0,13", "0.13"),  # half up, as the rule rounds
        (None, "–", "–"),
    ],
)
def test_index_always_has_two_decimals(value, fi, en) -> None:
    assert format_index(value, "fi") == fi
    assert format_index(value, "en") == en


def test_team_values_and_spreads_keep_the_rules_precision() -> None:
    # A median of whole answers is a whole or a half point.
    assert format_team_value(2.0, "fi") == "2"
    assert format_team_value(2.5, "fi") == "2,5"
    assert format_team_value(2.5, "en") == "2.5"
    # The area spread is rounded to two decimals by the rule.
    assert format_spread(1.25, "fi") == "1,25"
    assert format_spread(1.5, "en") == "1.50"
    assert format_spread(None, "fi") == "–"


def test_fulfilment_rounds_half_up_to_whole_percent() -> None:
    assert format_fulfilment(0.625, "fi") == "63\u00a0%"
    assert format_fulfilment(0.625, "en") == "63%"
    assert format_fulfilment(None, "fi") == "–"


def test_content_version_is_named_by_its_month_not_its_digest() -> None:
    assert format_content_version("2026-11-03T10:00:00+00:00", "fi") == "sisältö 2026-11"
    assert format_content_version("2026-11-03T10:00:00+00:00", "en") == "content 2026-11"
    # 23:30 UTC on 30 November is already December in Helsinki.
    assert format_content_version("2026-11-30T23:30:00+00:00", "fi") == "sisältö 2026-12"
    labels = content_version_labels(
        {
            "b1c2d3e4f5a6": "2026-11-20T08:00:00+00:00",
            "0a1b2c3d4e5f": "2026-11-03T08:00:00+00:00",
            "ffeeddccbbaa": "2027-01-15T08:00:00+00:00",
        },
        "fi",
    )
    assert labels == {
        "0a1b2c3d4e5f": "sisältö 2026-11",
        "b1c2d3e4f5a6": "sisältö 2026-11 (2)",
        "ffeeddccbbaa": "sisältö 2027-01",
    }


def test_chart_separators_match_the_numbers_on_the_page() -> None:
    assert chart_separators("fi") == ",\u00a0"
    assert chart_separators("en") == ".,"
