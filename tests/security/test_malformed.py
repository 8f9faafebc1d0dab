"""Malformed requests get a clear 4xx page in the user's language, never a 500."""

from __future__ import annotations

import io
import re

from tests.conftest import ADMIN, LEAD, csrf_token, login, post_form, soup

HUGE = 2**64


def routes(app, method: str):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and rule.endpoint != "static":
            yield rule


def build(rule, value_for_int) -> str:
    values = {}
    for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
        values[name] = value_for_int if converter == "int" else "x"
    return rule.build(values)[1]


def test_ids_above_2_to_the_63_answer_404(app, client, demo):
    login(client, ADMIN)
    checked = 0
    for rule in routes(app, "GET"):
        if "<int:" not in rule.rule:
            continue
        response = client.get(build(rule, HUGE))
        assert response.status_code == 404, rule.rule
        assert "Sivua ei löydy" in soup(response).h1.get_text()
        checked += 1
    assert checked > 10


def test_posts_with_huge_ids_answer_404(app, client, demo):
    login(client, ADMIN)
    token = csrf_token(client, "/")
    for rule in routes(app, "POST"):
        if "<int:" not in rule.rule:
            continue
        response = client.post(build(rule, HUGE), data={"csrf_token": token})
        assert response.status_code in (400, 404), rule.rule


FIELDS = (
    "name",
    "text",
    "username",
    "password",
    "confirm",
    "display_name",
    "org_name",
    "start_year",
    "year",
    "responsible",
    "comment",
    "reason",
    "note",
    "source",
    "code",
    "value",
    "item",
    "lang",
    "next",
    "title",
    "current",
)


def test_a_file_part_in_a_text_field_is_refused_not_a_500(app, client, demo):
    login(client, ADMIN)
    token = csrf_token(client, "/")
    for rule in routes(app, "POST"):
        url = build(rule, demo["id"])
        data = {"csrf_token": token}
        data.update({f: (io.BytesIO(b"x"), "x.txt") for f in FIELDS})
        response = client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code < 500, (rule.rule, response.status_code)


def test_deeply_nested_json_is_refused(app, client, demo):
    login(client, LEAD)
    body = "[" * 200_000 + "]" * 200_000
    for rule in routes(app, "POST"):
        url = build(rule, demo["id"])
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code < 500, rule.rule


def test_superscript_digits_in_a_posted_year_are_refused(app, client, db, demo):
    login(client, LEAD)
    org = demo["id"]
    response = post_form(
        client,
        f"/orgs/{org}/plan/add",
        {"text": "Uusi toimenpide", "year": "²⁰²⁶", "quarter": ""},
        token_from=f"/orgs/{org}/plan",
    )
    assert response.status_code == 400
    assert "vuosi" in soup(response).find(id="year-error").get_text()


def test_an_import_file_nested_too_deeply_is_refused(app, client, seeded):
    login(client, ADMIN)
    body = ("[" * 100_000 + "]" * 100_000).encode()
    response = post_form(
        client,
        "/admin/import",
        {"file": (io.BytesIO(body), "org.json")},
        token_from="/admin/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "liian syvä" in soup(response).get_text()


def test_xlsx_export_keeps_text_with_control_characters(app, client, db, demo):
    from openpyxl import load_workbook

    from assess.storage import plan

    plan.add_entry(db, demo["id"], text="Rivi\x0bvälissä pystysarkain", step=None, goal=None)
    login(client, LEAD)
    response = client.get(f"/orgs/{demo['id']}/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    texts = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert "Rivi välissä pystysarkain" in texts


# --- import files that are no export: the web import and `assess import` ---------------------

NOT_EXPORTS = {
    "truncated JSON": b'{"format": "hankintapolku-export", "format_version": 1, "assessm',
    "UTF-16": '{"format": "hankintapolku-export"}'.encode("utf-16"),
    "Latin-1": '{"format": "hankintapolku-export", "x": "Hyvinkää"}'.encode("latin-1"),
    "a zip file": b"PK\x03\x04" + b"\x00" * 200_000,
    "a JSON list": b"[1, 2, 3]",
    "BOM and nothing": b"\xef\xbb\xbf",
}


def _org_count(db) -> int:
    return db.execute("SELECT COUNT(*) FROM organisations").fetchone()[0]


def test_the_web_import_refuses_files_that_are_no_export(app, client, db, seeded):
    login(client, ADMIN)
    before = _org_count(db)
    for what, raw in NOT_EXPORTS.items():
        response = post_form(
            client,
            "/admin/import",
            {"file": (io.BytesIO(raw), "org.json")},
            token_from="/admin/import",
            content_type="multipart/form-data",
        )
        assert response.status_code == 400, what
        page = soup(response)
        assert page.html["lang"] == "fi" and page.find(class_="problems") or page.find(id="file-error"), what
    assert _org_count(db) == before


def test_the_web_import_of_a_file_over_the_limit_is_a_finnish_413(app, client, db, seeded):
    login(client, ADMIN)
    big = b" " * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = post_form(
        client,
        "/admin/import",
        {"file": (io.BytesIO(big), "iso.json")},
        token_from="/admin/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert soup(response).h1.get_text() == "Liian suuri"


def test_an_export_with_a_byte_order_mark_imports(app, client, runner, db, seeded, tmp_path):
    assert runner.invoke(args=["demo"]).exit_code == 0
    slug = db.execute("SELECT slug FROM organisations WHERE is_demo = 1").fetchone()[0]
    path = tmp_path / "demo.json"
    assert runner.invoke(args=["export", slug, str(path)]).exit_code == 0
    raw = b"\xef\xbb\xbf" + path.read_bytes()
    login(client, ADMIN)
    response = post_form(
        client,
        "/admin/import",
        {"file": (io.BytesIO(raw), "demo.json"), "name": "Kopio BOM"},
        token_from="/admin/import",
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, soup(response).get_text()[:500]


def test_assess_import_refuses_files_that_are_no_export_in_plain_words(tmp_path):
    from tests.security.server import seeded_instance
    from tests.security.test_cli_failures import run

    instance = seeded_instance(tmp_path)
    from assess.storage.db import open_db

    def organisations() -> int:
        db = open_db(instance / "assess.db")
        try:
            return _org_count(db)
        finally:
            db.conn.close()

    before = organisations()
    for what, raw in NOT_EXPORTS.items():
        file = tmp_path / "tuonti.json"
        file.write_bytes(raw)
        result = run(instance, "import", str(file))
        assert result.returncode == 1, what
        assert "Traceback" not in result.stderr + result.stdout, what
        assert "nothing was written" in result.stderr, what
        assert len([x for x in result.stderr.splitlines() if x.strip()]) <= 2, result.stderr
    # A huge file (sparse: no disk used) is refused before it is read.
    huge = tmp_path / "valtava.json"
    with huge.open("wb") as f:
        f.truncate(2 * 1024**3)
    result = run(instance, "import", str(huge))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "larger than 16 MB" in lines[0], result.stderr
    assert organisations() == before
