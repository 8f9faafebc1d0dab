"""Every number has a range real municipal figures need: forms, import and export agree."""

from __future__ import annotations

import io
import json

import pytest

from assess.metric_form import Change
from assess.metrics import COUNT_MAX, EURO_MAX, parse_value
from assess.storage import metrics as store
from tests.conftest import ADMIN, LEAD, error_summary_text, form_state, login, post_form, soup

EURO = "p9-a1-m1"
COUNT = "p1-a2-m2"


@pytest.mark.parametrize(
    "kind, raw, error",
    [
        ("euro", "100 000 000 000", None),
        ("euro", "100000000000,01", "too_large"),
        ("euro", "1" * 26, "too_large"),
        ("euro", "1" * 5000, "too_large"),
        ("count", str(COUNT_MAX), None),
        ("count", str(COUNT_MAX + 1), "too_large"),
        ("percent", "100", None),
        ("percent", "100,01", "over_100"),
    ],
)
def test_ranges(kind, raw, error):
    assert parse_value(kind, raw).error == error


def test_a_26_digit_amount_is_refused_by_the_form(client, db, seeded):
    org = seeded["org"]["id"]
    login(client, LEAD)
    page = client.get(f"/orgs/{org}/metrics/2025")
    data = form_state(page, "metric-form")
    data.update({f"value-{EURO}": "1" * 26})
    response = post_form(client, f"/orgs/{org}/metrics/2025", data)
    assert response.status_code == 400
    assert "Luku on liian suuri: enintään 100\u00a0000\u00a0000\u00a0000" in error_summary_text(response)
    assert store.values_for_year(db, org, 2025) == {}


def test_pages_still_work_with_a_huge_value_stored_before_the_limits(client, db, seeded):
    org = seeded["org"]["id"]
    store.save_year(db, org, 2025, [Change(EURO, "euro", 1e26, "", "")])
    login(client, LEAD)
    for path in (
        f"/orgs/{org}/metrics/2025",
        f"/orgs/{org}/programme",
        f"/orgs/{org}/export/metrics.csv",
        f"/orgs/{org}/export.xlsx",
    ):
        assert client.get(path).status_code == 200, path


def test_the_largest_amount_exports_and_imports_back(client, db, seeded):
    org = seeded["org"]["id"]
    store.save_year(
        db,
        org,
        2025,
        [Change(EURO, "euro", float(EURO_MAX), "", ""), Change(COUNT, "count", COUNT_MAX, "", "")],
    )
    login(client, ADMIN)
    exported = client.get(f"/admin/export/{org}")
    assert exported.status_code == 200
    response = post_form(
        client,
        "/admin/import",
        {"file": (io.BytesIO(exported.data), "org.json"), "name": "Kopio"},
        token_from="/admin/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, error_summary_text(response)
    # A value beyond the range is refused by the import with a clear message.
    document = json.loads(exported.data)
    euro = next(v for v in document["metric_values"] if v["metric"] == EURO)
    euro["value"] = 1e16
    response = post_form(
        client,
        "/admin/import",
        {"file": (io.BytesIO(json.dumps(document).encode()), "org.json"), "name": "Toinen"},
        token_from="/admin/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "liian suuri" in soup(response).get_text()
