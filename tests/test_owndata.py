"""Own data on the command line (the JSON contract) and on the web (upload, detection,
mapping, import job, figures, notices, removal, proposals in the metrics page), with the
refusals: viewers 403, other organisations 404, CSRF, broken files, too large uploads.

Figures are those computed by hand in tests/unit/test_owndata.py.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from assess import import_jobs
from assess.storage import metrics as metric_store
from assess.storage import owndata as store
from tests.conftest import csrf_token, post_form, soup

DATA = Path(__file__).resolve().parent / "data" / "owndata"
INVOICES = DATA / "invoices_small_utf8.csv"
INVOICES_1252 = DATA / "invoices_small_cp1252.csv"
SUPPLIERS = DATA / "suppliers_small.csv"
NOTICES = DATA / "notices_small.json"

SPEND_2025 = {
    "total_eur": 3800.0,
    "suppliers": 5,
    "local_eur": 1100.0,
    "local_share": 0.3284,
    "excluded_eur": 450.0,
    "rows": 7,
    "excluded_rows": 2,
}


def count(db, table: str, org_id: int) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE org_id = ?", (org_id,)).fetchone()[0]


def slug(seeded) -> str:
    return seeded["org"]["slug"]


# --- the command line -------------------------------------------------------------------


def test_spend_prints_the_contract_without_saving(runner, seeded, db):
    result = runner.invoke(
        args=["spend", slug(seeded), str(INVOICES), "--suppliers", str(SUPPLIERS), "--local", "Hyvinkää"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["years"]["2025"] == SPEND_2025
    assert doc["unknown_suppliers"] == ["1000004-4"]
    assert count(db, "invoice_rows", seeded["org"]["id"]) == 0


def test_spend_windows_1252_comma_file_gives_the_same_json(runner, seeded):
    args = ["--suppliers", str(SUPPLIERS), "--local", "Hyvinkää"]
    first = runner.invoke(args=["spend", slug(seeded), str(INVOICES), *args])
    second = runner.invoke(args=["spend", slug(seeded), str(INVOICES_1252), *args])
    assert json.loads(first.stdout) == json.loads(second.stdout)


def test_spend_local_defaults_to_the_home_municipality(runner, seeded, db):
    store.save_settings(
        db, seeded["org"]["id"], home_municipality="Helsinki", local_municipalities=[], business_ids=[]
    )
    result = runner.invoke(args=["spend", slug(seeded), str(INVOICES), "--suppliers", str(SUPPLIERS)])
    assert json.loads(result.stdout)["years"]["2025"]["local_eur"] == 2000.0  # B in Helsinki


def test_spend_without_any_local_municipality_is_a_clear_error(runner, seeded):
    result = runner.invoke(args=["spend", slug(seeded), str(INVOICES), "--suppliers", str(SUPPLIERS)])
    assert result.exit_code != 0
    assert "no local municipality" in result.output
    assert "Traceback" not in result.output


def test_spend_save_stores_rows_suppliers_and_figures(runner, seeded, db):
    result = runner.invoke(
        args=[
            "spend",
            slug(seeded),
            str(INVOICES),
            "--suppliers",
            str(SUPPLIERS),
            "--local",
            "Hyvinkää",
            "--save",
        ]
    )
    assert result.exit_code == 0, result.output
    org_id = seeded["org"]["id"]
    assert count(db, "invoice_rows", org_id) == 8
    assert count(db, "supplier_municipalities", org_id) == 3
    assert store.figures(db, org_id)[2025]["invoices"]["local_share"] == 0.3284
    # importing the same file again replaces its years instead of doubling them
    runner.invoke(
        args=[
            "spend",
            slug(seeded),
            str(INVOICES),
            "--suppliers",
            str(SUPPLIERS),
            "--local",
            "Hyvinkää",
            "--save",
        ]
    )
    assert count(db, "invoice_rows", org_id) == 8


def test_spend_broken_file_lists_row_and_column_and_saves_nothing(runner, seeded, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Tositepäivämäärä;Toimittajan y-tunnus;Summa\n1.1.2025;1000001-1;10,00\n"
        "2.1.2025;1000001-1;abc\n32.1.2025;1000001-1;1\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        args=["spend", slug(seeded), str(bad), "--suppliers", str(SUPPLIERS), "--local", "Hyvinkää", "--save"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "row 3, column 'Summa'" in result.stderr
    assert "row 4, column 'Tositepäivämäärä'" in result.stderr
    assert "Traceback" not in result.output
    assert count(db, "invoice_rows", seeded["org"]["id"]) == 0


def test_spend_broken_suppliers_file_is_named(runner, seeded, tmp_path):
    bad = tmp_path / "sup.csv"
    bad.write_text("Y-tunnus;Kotipaikka\nxyz;Hyvinkää\n", encoding="utf-8")
    result = runner.invoke(
        args=["spend", slug(seeded), str(INVOICES), "--suppliers", str(bad), "--local", "Hyvinkää"]
    )
    assert result.exit_code == 1
    assert str(bad) in result.stderr and "row 2, column 'Y-tunnus'" in result.stderr


def test_spend_unknown_organisation(runner, seeded):
    result = runner.invoke(
        args=["spend", "ei-ole", str(INVOICES), "--suppliers", str(SUPPLIERS), "--local", "X"]
    )
    assert result.exit_code != 0 and "no organisation" in result.output


def test_hilma_prints_the_contract_and_saves_with_save(runner, seeded, db):
    result = runner.invoke(args=["hilma", slug(seeded), str(NOTICES)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "years": {
            "2024": {
                "notices": 1,
                "new_to_buyer": 0,
                "innovative": 0,
                "environmental": 0,
                "social": 1,
                "sme_considered": 0,
                "not_open_procedure": 0,
            },
            "2025": {
                "notices": 4,
                "new_to_buyer": 1,
                "innovative": 1,
                "environmental": 2,
                "social": 1,
                "sme_considered": 1,
                "not_open_procedure": 2,
            },
        }
    }
    assert count(db, "hilma_notices", seeded["org"]["id"]) == 0
    store.save_settings(
        db, seeded["org"]["id"], home_municipality="", local_municipalities=[], business_ids=["0126223-0"]
    )
    result = runner.invoke(args=["hilma", slug(seeded), str(NOTICES), "--save"])
    assert json.loads(result.stdout)["years"]["2025"]["notices"] == 3  # the other buyer's left out
    assert count(db, "hilma_notices", seeded["org"]["id"]) == 4


def test_hilma_broken_file_lists_problems_and_saves_nothing(runner, seeded, db, tmp_path):
    doc = json.loads(NOTICES.read_text(encoding="utf-8"))
    doc["value"][0]["procedureType"] = "?"
    bad = tmp_path / "n.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(args=["hilma", slug(seeded), str(bad), "--save"])
    assert result.exit_code == 1
    assert "row 1, column 'procedureType'" in result.stderr
    assert count(db, "hilma_notices", seeded["org"]["id"]) == 0


# --- the web page: access ---------------------------------------------------------------


def page(seeded, org="org", rest=""):
    return f"/orgs/{seeded[org]['id']}/own-data{rest}"


def test_page_needs_signing_in(client, seeded):
    response = client.get(page(seeded))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_organisation_is_not_found(lead, seeded):
    assert lead.get(page(seeded, "other")).status_code == 404
    assert lead.get(page(seeded, "other", "/notices/2025")).status_code == 404


def test_viewer_reads_but_gets_403_on_every_change(viewer, seeded, db):
    response = viewer.get(page(seeded))
    assert response.status_code == 200
    assert soup(response).find("input", type="file") is None
    token = csrf_token(viewer, page(seeded))
    for rest in ("/settings", "/invoices", "/notices", "/invoices/2025/delete", "/notices/2025/delete"):
        assert viewer.post(page(seeded, rest=rest), data={"csrf_token": token}).status_code == 403
    accept = f"/orgs/{seeded['org']['id']}/metrics/2025/proposals/p3-a3-m1/accept"
    assert viewer.post(accept, data={"csrf_token": token}).status_code == 403


def test_changes_without_csrf_token_are_refused(lead, seeded, db):
    response = lead.post(page(seeded, rest="/settings"), data={"home_municipality": "Hyvinkää"})
    assert response.status_code == 400
    assert store.settings(db, seeded["org"]["id"])["home_municipality"] == ""
    response = lead.post(
        page(seeded, rest="/notices"),
        data={"notices": (io.BytesIO(NOTICES.read_bytes()), "n.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert count(db, "hilma_notices", seeded["org"]["id"]) == 0


# --- settings ---------------------------------------------------------------------------


def test_settings_are_saved_and_checked(lead, seeded, db):
    response = post_form(
        lead,
        page(seeded, rest="/settings"),
        {
            "home_municipality": " Hyvinkää ",
            "local_municipalities": "Hyvinkää\nRiihimäki",
            "business_ids": "0126223-0",
        },
        token_from=page(seeded),
    )
    assert response.status_code == 302
    assert store.settings(db, seeded["org"]["id"]) == {
        "home_municipality": "Hyvinkää",
        "local_municipalities": ["Hyvinkää", "Riihimäki"],
        "business_ids": ["0126223-0"],
    }
    response = post_form(
        lead,
        page(seeded, rest="/settings"),
        {"home_municipality": "X", "business_ids": "12345"},
        token_from=page(seeded),
    )
    assert response.status_code == 400
    assert "12345" in soup(response).find(class_="error-summary").get_text()
    assert store.settings(db, seeded["org"]["id"])["home_municipality"] == "Hyvinkää"


# --- invoices through the web -----------------------------------------------------------


def upload(client, seeded, invoices: bytes, suppliers: bytes = SUPPLIERS.read_bytes()):
    return post_form(
        client,
        page(seeded, rest="/invoices"),
        {
            "invoices": (io.BytesIO(invoices), "ostolaskut.csv"),
            "suppliers": (io.BytesIO(suppliers), "toimittajat.csv"),
        },
        token_from=page(seeded),
        content_type="multipart/form-data",
    )


def set_home(db, seeded, home="Hyvinkää"):
    store.save_settings(
        db, seeded["org"]["id"], home_municipality=home, local_municipalities=[], business_ids=[]
    )


def run_job(client, response):
    """Follow the import to its job page, wait for the job, and return the final page."""
    assert response.status_code == 302, response.get_data(as_text=True)
    job_url = response.headers["Location"]
    token = job_url.rstrip("/").rsplit("/", 1)[-1]
    org_id = int(re.search(r"/orgs/(\d+)/", job_url)[1])
    job = import_jobs.get(token, org_id)
    assert job is not None
    import_jobs.wait(job)
    return client.get(job_url)


def test_upload_shows_detection_then_imports_with_progress_page(lead, seeded, db, app):
    set_home(db, seeded)
    response = upload(lead, seeded, INVOICES_1252.read_bytes())
    assert response.status_code == 302
    check_url = response.headers["Location"]
    check = lead.get(check_url)
    text = soup(check).get_text(" ", strip=True)
    assert "Windows-1252" in text and "pilkku (,)" in text and "piste (1234.50)" in text
    assert "Ääninen Oy" in text  # the first rows as read, in the right encoding
    assert count(db, "invoice_rows", seeded["org"]["id"]) == 0  # nothing before the go-ahead
    form = {
        s["name"]: (s.find("option", selected=True) or {}).get("value", "")
        for s in soup(check).find_all("select")
    }
    started = post_form(lead, check_url, form)
    final = run_job(lead, started)
    assert "Laskut tuotiin." in soup(final).get_text() or "tuotiin" in soup(final).get_text()
    org_id = seeded["org"]["id"]
    assert count(db, "invoice_rows", org_id) == 8
    assert store.figures(db, org_id)[2025]["invoices"]["local_share"] == 0.3284
    overview = soup(lead.get(page(seeded))).get_text(" ", strip=True)
    assert "32,8\u00a0%" in overview and "1000004-4" in overview
    assert "450,00 €".replace(" ", "\u00a0") in overview
    assert not list((Path(app.instance_path) / "own_uploads").glob("*/*"))  # staged file removed


def test_status_endpoint_reports_progress_as_json(lead, seeded, db):
    set_home(db, seeded)
    check_url = upload(lead, seeded, INVOICES.read_bytes()).headers["Location"]
    form = {
        s["name"]: (s.find("option", selected=True) or {}).get("value", "")
        for s in soup(lead.get(check_url)).find_all("select")
    }
    started = post_form(lead, check_url, form)
    job_url = started.headers["Location"]
    import_jobs.wait(import_jobs.get(job_url.rsplit("/", 1)[-1], seeded["org"]["id"]))
    status = lead.get(job_url + "/status")
    assert status.get_json() == {"state": "done", "percent": 100}
    assert (
        lead.get(
            job_url.replace(str(seeded["org"]["id"]), str(seeded["other"]["id"])) + "/status"
        ).status_code
        == 404
    )


def test_unrecognised_headers_need_the_mapping_step(lead, seeded, db):
    set_home(db, seeded)
    own = b"Pvm;Toimittaja-ID;Euroa\n2.1.2025;1000001-1;10,00\n"
    check_url = upload(lead, seeded, own).headers["Location"]
    check = lead.get(check_url)
    assert "ei tunnistettu" in soup(check).get_text()
    refused = post_form(lead, check_url, {"map_date": "Pvm"})
    assert refused.status_code == 400
    assert "Valitse sarake" in soup(refused).find(class_="error-summary").get_text()
    started = post_form(
        lead, check_url, {"map_date": "Pvm", "map_supplier_id": "Toimittaja-ID", "map_amount": "Euroa"}
    )
    run_job(lead, started)
    assert store.figures(db, seeded["org"]["id"])[2025]["invoices"]["local_eur"] == 10.0


def test_broken_invoice_file_shows_row_and_column_and_saves_nothing(lead, seeded, db):
    set_home(db, seeded)
    bad = "Tositepäivämäärä;Toimittajan y-tunnus;Summa\n1.1.2025;1000001-1;abc\n".encode()
    check_url = upload(lead, seeded, bad).headers["Location"]
    form = {
        s["name"]: (s.find("option", selected=True) or {}).get("value", "")
        for s in soup(lead.get(check_url)).find_all("select")
    }
    final = run_job(lead, post_form(lead, check_url, form))
    text = soup(final).find(class_="error-summary").get_text(" ", strip=True)
    assert "Rivi 2, sarake ”Summa”" in text
    assert count(db, "invoice_rows", seeded["org"]["id"]) == 0
    assert store.figures(db, seeded["org"]["id"]) == {}


def test_a_file_that_is_not_csv_is_refused_at_once(lead, seeded, db):
    response = upload(lead, seeded, b"\x00\x01binary")
    check = lead.get(response.headers["Location"])
    assert check.status_code == 400
    assert "ei ole tekstitiedosto" in soup(check).find(class_="error-summary").get_text()


def test_missing_files_are_named(lead, seeded):
    response = post_form(
        lead, page(seeded, rest="/invoices"), {}, token_from=page(seeded), content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Valitse laskutiedosto" in soup(response).find(class_="error-summary").get_text()


def test_too_large_upload_gets_a_clear_message(tmp_path):
    from assess.storage.db import open_db
    from tests.conftest import LEAD, login, make_app, seed_accounts

    app = make_app(tmp_path, OWN_DATA_MAX_UPLOAD=1024)
    db = open_db(app.config["DATABASE"])
    seeded = seed_accounts(db)
    client = app.test_client()
    login(client, LEAD)
    response = upload(client, seeded, b"x" * 5000)
    assert response.status_code == 413
    assert "Tiedosto on liian suuri" in soup(response).get_text()
    assert count(db, "invoice_rows", seeded["org"]["id"]) == 0


def test_check_page_of_another_organisation_or_token_is_not_found(lead, seeded, db):
    set_home(db, seeded)
    check_url = upload(lead, seeded, INVOICES.read_bytes()).headers["Location"]
    other = check_url.replace(f"/orgs/{seeded['org']['id']}/", f"/orgs/{seeded['other']['id']}/")
    assert lead.get(other).status_code == 404
    assert lead.get(check_url[:-4] + "zzzz").status_code == 404


def test_removing_a_year_keeps_saved_values(lead, seeded, db, runner):
    runner.invoke(
        args=[
            "spend",
            slug(seeded),
            str(INVOICES),
            "--suppliers",
            str(SUPPLIERS),
            "--local",
            "Hyvinkää",
            "--save",
        ]
    )
    org_id = seeded["org"]["id"]
    metric_store.set_value(db, org_id, 2025, "p3-a3-m1", "percent", 32.84)
    response = post_form(lead, page(seeded, rest="/invoices/2025/delete"), {}, token_from=page(seeded))
    assert response.status_code == 302
    assert [y["year"] for y in store.invoice_years(db, org_id)] == [2024]
    assert 2025 not in store.figures(db, org_id)
    assert metric_store.values_for_year(db, org_id, 2025)["p3-a3-m1"].value == 32.84


# --- notices through the web ------------------------------------------------------------


def test_notices_upload_counts_and_lists_the_notices_behind_a_figure(lead, seeded, db):
    response = post_form(
        lead,
        page(seeded, rest="/notices"),
        {"notices": (io.BytesIO(NOTICES.read_bytes()), "hilma.json")},
        token_from=page(seeded),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    overview = soup(lead.get(page(seeded)))
    link = overview.find("a", href=re.compile(r"notices/2025\?figure=environmental"))
    assert link is not None
    listed = soup(lead.get(link["href"]))
    rows = listed.select("tbody tr")
    assert {r.find("a").get_text() for r in rows} == {"1001", "1005"}
    assert "Avoin menettely" in rows[0].get_text()
    assert "hankintailmoitukset.fi" in rows[0].find("a")["href"]
    assert lead.get(page(seeded, rest="/notices/2025?figure=nope")).status_code == 404


def test_broken_notices_are_listed_and_nothing_saved(lead, seeded, db):
    response = post_form(
        lead,
        page(seeded, rest="/notices"),
        {
            "notices": (
                io.BytesIO(b'{"value": [{"noticeId": 1, "datePublished": "x", "procedureType": "open"}]}'),
                "n.json",
            )
        },
        token_from=page(seeded),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Rivi 1, sarake ”datePublished”" in soup(response).find(class_="error-summary").get_text()
    assert count(db, "hilma_notices", seeded["org"]["id"]) == 0


# --- proposals in the programme metrics -------------------------------------------------


@pytest.fixture
def imported(runner, seeded, db):
    runner.invoke(
        args=[
            "spend",
            slug(seeded),
            str(INVOICES),
            "--suppliers",
            str(SUPPLIERS),
            "--local",
            "Hyvinkää",
            "--save",
        ]
    )
    runner.invoke(args=["hilma", slug(seeded), str(NOTICES), "--save"])
    return seeded


def test_proposal_is_shown_beside_the_metric_with_source_and_method(lead, imported):
    values = soup(lead.get(f"/orgs/{imported['org']['id']}/metrics/2025"))
    box = values.find(id="proposal-p3-a3-m1")
    text = box.get_text(" ", strip=True)
    assert "32,84\u00a0%" in text
    assert "Laskettu ostolaskuista 2025, 7 riviä; paikalliset toimittajat 32,8\u00a0%" in text
    assert values.find(id="proposal-p5-a3-m1") is not None


def test_accepting_saves_the_value_with_its_source_and_trace(lead, imported, db):
    org_id = imported["org"]["id"]
    url = f"/orgs/{org_id}/metrics/2025/proposals/p3-a3-m1/accept"
    response = post_form(lead, url, {}, token_from=f"/orgs/{org_id}/metrics/2025")
    assert response.status_code == 302
    saved = metric_store.values_for_year(db, org_id, 2025)["p3-a3-m1"]
    assert (saved.kind, saved.value) == ("percent", 32.84)
    assert saved.source.startswith("Laskettu ostolaskuista 2025")
    origin = store.origins(db, org_id)["p3-a3-m1"][2025]
    assert origin["status"] == "computed" and origin["trace"]["rows"] == 7
    box = soup(lead.get(f"/orgs/{org_id}/metrics/2025")).find(id="proposal-p3-a3-m1")
    assert "Laskettu arvo on tallennettu arvo." in box.get_text()
    assert box.find("button") is None  # nothing left to accept
    followup = soup(lead.get(f"/orgs/{org_id}/programme?year=2025")).get_text(" ", strip=True)
    assert "laskettu" in followup and "Laskettu ostolaskuista 2025" in followup


def test_accepting_a_hilma_metric_chooses_the_count_kind(lead, imported, db):
    org_id = imported["org"]["id"]
    url = f"/orgs/{org_id}/metrics/2025/proposals/p18-a2-m1/accept"
    assert post_form(lead, url, {}, token_from=f"/orgs/{org_id}/metrics/2025").status_code == 302
    assert metric_store.chosen_kinds(db, org_id)["p18-a2-m1"] == "count"
    assert metric_store.values_for_year(db, org_id, 2025)["p18-a2-m1"].value == 2


def test_editing_the_value_beside_a_proposal_records_it_as_edited(lead, imported, db):
    org_id = imported["org"]["id"]
    values_url = f"/orgs/{org_id}/metrics/2025"
    response = post_form(lead, values_url, {"value-p3-a3-m1": "30"})
    assert response.status_code == 302
    origin = store.origins(db, org_id)["p3-a3-m1"][2025]
    assert origin["status"] == "edited" and origin["computed_value"] == 32.84
    assert "laskettu luku oli 32,84" in soup(lead.get(values_url)).get_text()


def test_no_proposal_means_nothing_to_accept(lead, seeded):
    org_id = seeded["org"]["id"]
    url = f"/orgs/{org_id}/metrics/2025/proposals/p3-a3-m1/accept"
    assert post_form(lead, url, {}, token_from=f"/orgs/{org_id}/metrics/2025").status_code == 404
    url = f"/orgs/{seeded['other']['id']}/metrics/2025/proposals/p3-a3-m1/accept"
    assert post_form(lead, url, {}, token_from=f"/orgs/{org_id}/metrics/2025").status_code == 404


def test_raw_rows_are_not_in_the_organisation_export(imported, runner, tmp_path):
    out = tmp_path / "org.json"
    result = runner.invoke(args=["export", imported["org"]["slug"], str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "1000004-4" not in text and "Ääninen" not in text


def test_the_settings_section_links_to_own_data(lead, seeded):
    response = lead.get(f"/orgs/{seeded['org']['id']}/settings")
    assert soup(response).select_one(f'.section-links a[href="{page(seeded)}"]') is not None
