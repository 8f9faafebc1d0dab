"""Moving an organisation: `assess export` / `assess import` and the administrator's pages.

A round trip takes the demo organisation to an empty installation and gets the same results,
plan and metrics; a broken or tampered file changes nothing and names every problem."""

from __future__ import annotations

import copy
import hashlib
import io
import json

import pytest

from assess.export import data as export_data
from assess.storage import accounts
from assess.storage.db import open_db
from tests.conftest import ADMIN, LEAD, csrf_token, login, make_app, soup

TABLES = (
    "content_versions",
    "organisations",
    "assessments",
    "respondents",
    "answers",
    "area_comments",
    "agreements",
    "plan_entries",
    "plan_events",
    "targets",
    "metric_kinds",
    "metric_values",
    "workshops",
)


@pytest.fixture
def exported(app, runner, tmp_path):
    """The demo organisation exported to a file: (path, document, slug)."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    slug = result.output.strip().splitlines()[-1]
    path = tmp_path / "demo.json"
    result = runner.invoke(args=["export", slug, str(path)])
    assert result.exit_code == 0, result.output
    return path, json.loads(path.read_text(encoding="utf-8")), slug


@pytest.fixture
def empty(tmp_path):
    """A second installation with an empty database."""
    return make_app(tmp_path / "second")


def _counts(app) -> dict[str, int]:
    db = open_db(app.config["DATABASE"])
    try:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        db.conn.close()


def _tables(app, slug: str) -> dict[str, list]:
    """Every export table of the organisation, as the exports build them."""
    with app.test_request_context():
        db = open_db(app.config["DATABASE"])
        try:
            org = accounts.get_org_by_slug(db, slug)
            from flask import g

            g.db = db
            return {t.name: [list(r) for r in t.rows] for t in export_data.all_tables(db, org, "fi")}
        finally:
            g.pop("db", None)
            db.conn.close()


def _write(tmp_path, document, name="broken.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


# --- the round trip ----------------------------------------------------------------------------


def test_round_trip_into_an_empty_database_gives_the_same_results(app, exported, empty, tmp_path):
    path, document, slug = exported
    assert document["format"] == "hankintapolku-export" and document["format_version"] == 1
    assert len(document["content_versions"]) == 2  # the demo's earlier edition and the current
    result = empty.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == slug
    before, after = _tables(app, slug), _tables(empty, slug)
    for name in ("results", "answers", "plan", "metrics"):
        assert after[name] == before[name], name
    assert len(after["results"]) == 4 * 8  # four counted years of eight areas
    # Exporting again gives the same document, apart from when it was made.
    again = tmp_path / "again.json"
    assert empty.test_cli_runner().invoke(args=["export", slug, str(again)]).exit_code == 0
    second = json.loads(again.read_text(encoding="utf-8"))
    for doc in (document, second):
        doc.pop("exported_at")
    assert second == document


def test_round_respondents_move_without_personal_links(app, exported, empty):
    path, document, _slug = exported
    assert all("token" not in key for r in document["respondents"] for key in r)
    the_round = next(a for a in document["assessments"] if a["kind"] == "round")
    assert "join_code" not in the_round
    assert empty.test_cli_runner().invoke(args=["import", str(path)]).exit_code == 0
    db = open_db(empty.config["DATABASE"])
    try:
        assert db.execute("SELECT COUNT(*) FROM respondents WHERE token_hash IS NOT NULL").fetchone()[0] == 0
        codes = [r[0] for r in db.execute("SELECT join_code FROM assessments WHERE kind = 'round'")]
        assert codes and all(codes)  # a new join code for each round
    finally:
        db.conn.close()


def test_export_by_numeric_id_and_unknown_organisation(app, runner, exported, tmp_path):
    _path, document, slug = exported
    db = open_db(app.config["DATABASE"])
    org = accounts.get_org_by_slug(db, slug)
    db.conn.close()
    target = tmp_path / "by-id.json"
    assert runner.invoke(args=["export", str(org["id"]), str(target)]).exit_code == 0
    assert json.loads(target.read_text())["organisation"]["slug"] == slug
    result = runner.invoke(args=["export", "no-such-org", str(tmp_path / "x.json")])
    assert result.exit_code != 0 and "no-such-org" in result.output
    assert not (tmp_path / "x.json").exists()


# --- a taken name -------------------------------------------------------------------------------


def test_an_existing_name_asks_for_a_new_one(app, runner, exported):
    path, _document, slug = exported
    before = _counts(app)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code != 0
    assert "--name" in result.output and "nothing was written" in result.output
    assert _counts(app) == before
    result = runner.invoke(args=["import", str(path), "--name", "Esimerkkilä (kopio)"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "esimerkkila-kopio"
    assert _tables(app, "esimerkkila-kopio")["results"] == _tables(app, slug)["results"]
    # The new name is taken now too: asked again, nothing written.
    before = _counts(app)
    result = runner.invoke(args=["import", str(path), "--name", "esimerkkilä (KOPIO)"])
    assert result.exit_code != 0 and "--name" in result.output
    assert _counts(app) == before


# --- broken and tampered files ----------------------------------------------------------------


def _assessment_and_respondent(document, kind="single"):
    assessment = next(a for a in document["assessments"] if a["kind"] == kind)
    respondent = next(r for r in document["respondents"] if r["assessment"] == assessment["id"])
    return assessment, respondent


def _first_answer(document, kind="single"):
    _assessment, respondent = _assessment_and_respondent(document, kind)
    return next(x for x in document["answers"] if x["respondent"] == respondent["id"])


def _not_json(doc):
    return '{"format": "hankintapolku-export", '


def _wrong_format(doc):
    doc["format"] = "something-else"
    return doc


def _unknown_version(doc):
    doc["assessments"][0]["content_version"] = "0123456789ab"
    return doc


def _tampered_content(doc):
    area = doc["content_versions"][0]["document"]["roadmap"]["areas"][0]
    area["title"]["fi"] = "Muokattu otsikko"
    return doc


def _value_seven(doc):
    _first_answer(doc)["value"] = 7
    return doc


def _unknown_item(doc):
    _first_answer(doc)["item"] = "no-such-item"
    return doc


def _dangling_respondent(doc):
    _first_answer(doc)["respondent"] = 99999
    return doc


def _bad_metric_value(doc):
    value = next(v for v in doc["metric_values"] if v["kind"] == "percent")
    value["value"] = 150
    return doc


def _lists_for_ids(doc):
    """A tampered file with lists where ids belong: problems, not a crash."""
    doc["targets"][0]["area"] = ["strategia"]
    doc["plan_entries"][0]["step"] = ["strategia-1"]
    doc["assessments"][0]["questionnaire"] = ["quick"]
    return doc


BROKEN = [
    (_not_json, "file", "not valid JSON"),
    (_wrong_format, "format", "not a Hankintapolku export"),
    (_unknown_version, "assessments[0].content_version", "0123456789ab"),
    (_tampered_content, "content_versions[0].document", "altered"),
    (_value_seven, ".value", "7 is not a whole number 0–4"),
    (_unknown_item, ".item", "no-such-item"),
    (_dangling_respondent, ".respondent", "99999"),
    (_bad_metric_value, ".value", "at most 100"),
    (_lists_for_ids, "targets[0].area", "Unknown roadmap area"),
]


@pytest.mark.parametrize(("breaker", "where", "what"), BROKEN, ids=[b[0].__name__.strip("_") for b in BROKEN])
def test_a_broken_file_changes_nothing_and_names_the_problem(empty, exported, tmp_path, breaker, where, what):
    _path, document, _slug = exported
    broken = breaker(copy.deepcopy(document))
    file = _write(tmp_path, broken)
    before = _counts(empty)
    result = empty.test_cli_runner().invoke(args=["import", file])
    assert result.exit_code != 0
    assert "nothing was written" in result.output
    problem_lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert any(where in line and what in line for line in problem_lines), result.output
    assert _counts(empty) == before


def test_a_hand_made_content_document_with_a_matching_digest_is_refused(empty, exported, tmp_path):
    _path, document, _slug = exported
    broken = copy.deepcopy(document)
    record = broken["content_versions"][0]
    content_doc = record["document"]
    content_doc["questionnaires"][0]["items"].append("made-up-item")
    canonical = json.dumps(
        {k: v for k, v in content_doc.items() if k != "version"},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]
    for a in broken["assessments"]:
        if a["content_version"] == record["version"]:
            a["content_version"] = digest
    record["version"] = content_doc["version"] = digest
    result = empty.test_cli_runner().invoke(args=["import", _write(tmp_path, broken)])
    assert result.exit_code != 0
    assert "content_versions[0].document" in result.output and "made-up-item" in result.output
    assert _counts(empty)["organisations"] == 0


def test_every_problem_is_listed_at_once(empty, exported, tmp_path):
    _path, document, _slug = exported
    broken = _bad_metric_value(_dangling_respondent(_value_seven(copy.deepcopy(document))))
    broken["plan_entries"][0]["status"] = "finished"
    broken["targets"][0]["stage"] = 6
    result = empty.test_cli_runner().invoke(args=["import", _write(tmp_path, broken)])
    assert result.exit_code != 0
    for expected in ("answers[", "plan_entries[0].status", "targets[0].stage", "metric_values[", "99999"):
        assert expected in result.output, expected
    assert _counts(empty)["organisations"] == 0


def test_lists_where_ids_belong_are_each_named(empty, exported, tmp_path):
    _path, document, _slug = exported
    result = empty.test_cli_runner().invoke(
        args=["import", _write(tmp_path, _lists_for_ids(copy.deepcopy(document)))]
    )
    assert result.exit_code != 0
    for expected in ("targets[0].area", "plan_entries[0].step", "assessments[0].questionnaire"):
        assert expected in result.output, expected
    assert _counts(empty)["organisations"] == 0


# --- the administrator's pages -----------------------------------------------------------------


def test_admin_downloads_an_organisation_as_json(app, client, seeded, exported):
    _path, document, slug = exported
    db = open_db(app.config["DATABASE"])
    org = accounts.get_org_by_slug(db, slug)
    db.conn.close()
    login(client, ADMIN)
    response = client.get(f"/admin/export/{org['id']}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{slug}-')
    downloaded = json.loads(response.data)
    downloaded.pop("exported_at"), document.pop("exported_at")
    assert downloaded == document
    assert client.get("/admin/export/9999").status_code == 404


def test_only_administrators_move_organisations(client, seeded):
    assert client.get("/admin/import").status_code == 302  # sign in first
    login(client, LEAD)
    assert client.get(f"/admin/export/{seeded['org']['id']}").status_code == 403
    assert client.get("/admin/import").status_code == 403
    assert client.post("/admin/import", data={}).status_code in (400, 403)


def _upload(client, content: bytes, **fields):
    data = {
        "csrf_token": csrf_token(client, "/admin/import"),
        "file": (io.BytesIO(content), "export.json"),
        **fields,
    }
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


def test_admin_imports_a_file_and_lands_on_the_organisation(app, client, seeded, exported):
    path, _document, slug = exported
    raw = path.read_bytes()
    login(client, ADMIN)
    page = soup(client.get("/admin/import"))
    assert page.find("input", type="file")["id"] == "file"
    assert page.find("label", attrs={"for": "file"})
    # The demo exists here: the name is asked for, the file is kept aside.
    before = _counts(app)
    response = _upload(client, raw)
    assert response.status_code == 400
    page = soup(response)
    assert "on jo olemassa" in page.select_one("#name-error").get_text()
    pending = page.find("input", attrs={"name": "pending"})["value"]
    assert pending and page.find("input", type="file") is None
    assert _counts(app) == before
    response = client.post(
        "/admin/import",
        data={
            "csrf_token": csrf_token(client, "/admin/import"),
            "pending": pending,
            "name": "Siirretty kaupunki",
        },
    )
    assert response.status_code == 302
    db = open_db(app.config["DATABASE"])
    new = accounts.get_org_by_slug(db, "siirretty-kaupunki")
    db.conn.close()
    assert new is not None and response.headers["Location"].endswith(f"/orgs/{new['id']}")
    assert _tables(app, "siirretty-kaupunki")["plan"] == _tables(app, slug)["plan"]


def test_admin_import_lists_the_problems_and_writes_nothing(app, client, seeded, exported):
    _path, document, _slug = exported
    login(client, ADMIN)
    before = _counts(app)
    broken = _unknown_item(_value_seven(copy.deepcopy(document)))
    response = _upload(client, json.dumps(broken).encode())
    assert response.status_code == 400
    problems = [li.get_text(" ", strip=True) for li in soup(response).select(".import-problems li")]
    assert any("7" in p and "0–4" in p for p in problems), problems
    assert any("no-such-item" in p for p in problems), problems
    assert _counts(app) == before
    response = _upload(client, b"not json at all")
    assert response.status_code == 400
    assert "JSON" in soup(response).select_one(".import-problems").get_text()


def test_admin_import_refuses_a_missing_file_and_a_missing_token(app, client, seeded):
    login(client, ADMIN)
    response = client.post("/admin/import", data={"csrf_token": csrf_token(client, "/admin/import")})
    assert response.status_code == 400
    assert soup(response).select_one("#file-error")
    response = client.post(
        "/admin/import", data={"file": (io.BytesIO(b"{}"), "x.json")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    response = client.post(
        "/admin/import",
        data={"csrf_token": csrf_token(client, "/admin/import"), "pending": "../../secret_key", "name": "X"},
    )
    assert response.status_code == 400
