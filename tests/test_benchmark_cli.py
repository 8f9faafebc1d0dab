"""`assess benchmark export|import|sources|remove`: pooling across installations, end to end
between two real installations (two databases), with every kind of bad file."""

from __future__ import annotations

import json

import pytest

from assess.storage import accounts, assessments
from assess.storage import benchmark as store
from assess.storage.db import open_db
from tests.conftest import ADMIN, login, make_app, soup


def counted_assessment(app, db, org_id: int, year: int, value: int) -> None:
    """A final quick assessment of the organisation for the year, every item answered
    ``value`` (so each area's stage follows from it)."""
    content = app.extensions["content"]
    q = content.questionnaire("quick")
    a = assessments.create_assessment(
        db,
        org_id=org_id,
        year=year,
        questionnaire="quick",
        content_version=content.version,
        kind="single",
        created_by=None,
    )
    respondent = assessments.shared_respondent(db, a["id"])
    by_area: dict[str, dict] = {}
    for item in q.items:
        by_area.setdefault(content.items[item].area, {})[item] = value
    for area, changes in by_area.items():
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area=area,
            changes=changes,
            base={},
            comment=None,
            base_comment=None,
        )
    assessments.finalise(db, a["id"])


@pytest.fixture
def source(app, db):
    """Seven real organisations: six consent (two years each), one does not."""
    orgs = []
    for n in range(7):
        org = accounts.create_org(db, f"Kunta {n}")
        store.save_profile(db, org["id"], "kunta", "asukkaita-alle-5000", "lappi")
        if n < 6:
            store.set_consent(db, org["id"], True, None)
        for year in (2024, 2025):
            counted_assessment(app, db, org["id"], year, 1 + n % 4)
        orgs.append(org)
    return orgs


def export(runner, path, *extra):
    result = runner.invoke(args=["benchmark", "export", str(path), *extra])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_writes_consenting_organisations_as_anonymous_rows(app, runner, source, tmp_path):
    doc = export(runner, tmp_path / "pool.json", "--source-name", "Lapin asennus")
    assert doc["format"] == "hankintapolku-benchmark" and doc["name"] == "Lapin asennus"
    assert len(doc["rows"]) == 12  # six organisations x two years; not the seventh
    assert len({r["pseudonym"] for r in doc["rows"]}) == 6
    row = doc["rows"][0]
    assert set(row) == {
        "pseudonym",
        "type",
        "size_class",
        "region",
        "year",
        "questionnaire",
        "content_version",
        "areas",
    }
    assert row["type"] == "kunta" and row["questionnaire"] == "quick"
    assert set(row["areas"]["strategia"]) == {"stage", "index"}
    text = (tmp_path / "pool.json").read_text(encoding="utf-8")
    for org in source:
        assert org["name"] not in text and f'"{org["id"]}"' not in text
    # Stable per installation and organisation: the same pseudonyms in a second export.
    again = export(runner, tmp_path / "again.json")
    assert {r["pseudonym"] for r in again["rows"]} == {r["pseudonym"] for r in doc["rows"]}


def test_pseudonyms_differ_between_installations(app, runner, source, tmp_path):
    other = make_app(tmp_path / "second")
    other_db = open_db(other.config["DATABASE"])
    org = accounts.create_org(other_db, "Kunta 0")  # the same id as the first one here
    assert org["id"] == source[0]["id"]
    store.set_consent(other_db, org["id"], True, None)
    counted_assessment(other, other_db, org["id"], 2025, 2)
    mine = export(runner, tmp_path / "a.json")
    theirs = export(other.test_cli_runner(), tmp_path / "b.json")
    assert not {r["pseudonym"] for r in mine["rows"]} & {r["pseudonym"] for r in theirs["rows"]}
    assert mine["installation"] != theirs["installation"]
    other_db.conn.close()


def _pooled(app) -> tuple[int, int]:
    db = open_db(app.config["DATABASE"])
    try:
        return (
            db.execute("SELECT COUNT(*) FROM pooled_sources").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM pooled_rows").fetchone()[0],
        )
    finally:
        db.conn.close()


def test_import_adds_rows_shown_on_the_page_and_is_idempotent(app, runner, source, tmp_path):
    path = tmp_path / "pool.json"
    export(runner, path, "--source-name", "Lapin asennus")
    coordinator = make_app(tmp_path / "coordinator")
    crunner = coordinator.test_cli_runner()
    result = crunner.invoke(args=["benchmark", "import", str(path)])
    assert result.exit_code == 0 and "added 12 rows of 6 organisations" in result.output
    counts = _pooled(coordinator)
    again = crunner.invoke(args=["benchmark", "import", str(path)])
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert _pooled(coordinator) == counts
    # Shown on a real organisation's benchmark page, with the source and its dates.
    cdb = open_db(coordinator.config["DATABASE"])
    accounts.create_user(cdb, ADMIN["username"], ADMIN["password"], is_admin=True)
    org = accounts.create_org(cdb, "Koordinaattori")
    client = coordinator.test_client()
    login(client, ADMIN)
    page = client.get(f"/orgs/{org['id']}/benchmark")
    table = soup(page).find("table", id="group-1-table")
    assert table.find("tbody").find("td").get_text(" ", strip=True).startswith("6")
    assert "Lapin asennus: 6 organisaatiota, viety" in page.get_data(as_text=True)
    listing = crunner.invoke(args=["benchmark", "sources"])
    assert "Lapin asennus: 6 organisations, 2 years" in listing.output
    # Removable by source: by name here (the installation id works too).
    removed = crunner.invoke(args=["benchmark", "remove", "Lapin asennus"])
    assert removed.exit_code == 0 and _pooled(coordinator) == (0, 0)
    cdb.conn.close()


def test_a_newer_export_replaces_the_sources_rows(app, runner, source, db, tmp_path):
    first = tmp_path / "first.json"
    export(runner, first)
    coordinator = make_app(tmp_path / "coordinator")
    crunner = coordinator.test_cli_runner()
    assert crunner.invoke(args=["benchmark", "import", str(first)]).exit_code == 0
    store.set_consent(db, source[0]["id"], False, None)  # withdrawn before the next export
    second = tmp_path / "second.json"
    doc = export(runner, second)
    doc["exported_at"] = "2100-01-01T00:00:00+00:00"
    second.write_text(json.dumps(doc), encoding="utf-8")
    result = crunner.invoke(args=["benchmark", "import", str(second)])
    assert "replaced its earlier rows with 10 rows of 5 organisations" in result.output
    assert _pooled(coordinator) == (1, 10 * 8)
    older = crunner.invoke(args=["benchmark", "import", str(first)])
    assert "newer export" in older.output and _pooled(coordinator) == (1, 80)


def test_the_own_export_is_refused(app, runner, source, tmp_path):
    path = tmp_path / "pool.json"
    export(runner, path)
    result = runner.invoke(args=["benchmark", "import", str(path)])
    assert result.exit_code == 1 and "own export" in result.output
    assert _pooled(app) == (0, 0)


def _bad(tmp_path, name: str, content: bytes | str):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.json", "", "not valid JSON"),
        ("text.json", "hello", "not valid JSON"),
        ("latin1.json", b"\xe4\xe4", "not UTF-8"),
        ("list.json", "[]", "not a benchmark file"),
        ("org.json", json.dumps({"format": "hankintapolku-org"}), "not a benchmark file"),
        (
            "row.json",
            json.dumps(
                {
                    "format": "hankintapolku-benchmark",
                    "format_version": 1,
                    "installation": "a" * 32,
                    "name": "X",
                    "exported_at": "2026-01-01T00:00:00+00:00",
                    "rows": [
                        {
                            "pseudonym": "b" * 32,
                            "type": "kunta",
                            "size_class": None,
                            "region": None,
                            "year": 2025,
                            "questionnaire": "quick",
                            "content_version": "v1",
                            "areas": {"strategia": {"stage": 9, "index": 2.0}},
                        }
                    ],
                }
            ),
            "rows[0].areas.strategia.stage",
        ),
    ],
)
def test_bad_files_give_one_clear_line_and_write_nothing(app, runner, tmp_path, name, content, says):
    result = runner.invoke(args=["benchmark", "import", str(_bad(tmp_path, name, content))])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "Nothing was imported" in lines[0]
    assert "Traceback" not in result.output
    assert _pooled(app) == (0, 0)


def test_a_missing_file_and_an_unknown_source(app, runner, tmp_path):
    result = runner.invoke(args=["benchmark", "import", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "cannot be read" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(args=["benchmark", "remove", "tuntematon"])
    assert result.exit_code == 1 and "no imported source" in result.output
