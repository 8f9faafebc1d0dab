"""Exports (XLSX workbook, CSV per table) and the yearly report: every exported file is
reopened and its values checked against the report page and the stored data."""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from assess import clock
from assess.export.files import content_disposition
from assess.formatting import format_value
from assess.storage import assessments, metrics, plan, rounds
from tests.conftest import ADMIN, LEAD, VIEWER, login, post_form, soup

SHEETS_FI = [
    "Tulokset vuosittain",
    "Väittämien vastaukset",
    "Toimenpidesuunnitelma",
    "Mittariarvot",
    "Vertailu",
]
TABLES = ("results", "answers", "plan", "metrics", "benchmark")


def _workbook(client, org_id):
    response = client.get(f"/orgs/{org_id}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return response, load_workbook(io.BytesIO(response.data))


def _csv(client, org_id, table):
    response = client.get(f"/orgs/{org_id}/export/{table}.csv")
    assert response.status_code == 200
    return response


def _read_csv(raw: bytes, delimiter: str) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def _fi_number(text: str) -> float | None:
    """A number as the pages show it ("2,35", "3/5", "+0,50"); None for "–" or words."""
    if text.startswith("–") or not any(ch.isdigit() for ch in text):
        return None
    return float(text.replace(",", ".").replace("\u00a0", "").replace("+", "").replace("/5", ""))


def _report_stage_rows(client, org_id, year) -> dict[str, list[str]]:
    """The report page's stage table: area -> its cells as shown."""
    page = soup(client.get(f"/orgs/{org_id}/report/{year}"))
    table = page.find("table", id="stage-table")
    found = {}
    for row in table.find("tbody").find_all("tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
        found[cells[0]] = cells[1:]
    return found


# --- access -------------------------------------------------------------------------------


def test_every_export_route_needs_sign_in(client, demo):
    for path in (
        f"/orgs/{demo['id']}/exports",
        f"/orgs/{demo['id']}/export.xlsx",
        f"/orgs/{demo['id']}/export/results.csv",
        f"/orgs/{demo['id']}/report/2025",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_viewer_may_download_and_read_the_report(client, demo):
    login(client, VIEWER)
    assert client.get(f"/orgs/{demo['id']}/exports").status_code == 200
    _workbook(client, demo["id"])
    for table in TABLES:
        _csv(client, demo["id"], table)
    year = demo["path_start_year"] + 3
    assert client.get(f"/orgs/{demo['id']}/report/{year}").status_code == 200


def test_another_organisations_exports_are_not_found(client, seeded, demo):
    login(client, VIEWER)
    other = seeded["other"]["id"]
    for path in (
        f"/orgs/{other}/exports",
        f"/orgs/{other}/export.xlsx",
        f"/orgs/{other}/export/plan.csv",
        f"/orgs/{other}/report/2025",
        "/orgs/9999/export.xlsx",
    ):
        assert client.get(path).status_code == 404, path


def test_unknown_table_and_year_without_assessment_are_not_found(client, demo):
    login(client, LEAD)
    assert client.get(f"/orgs/{demo['id']}/export/answers-by-person.csv").status_code == 404
    assert client.get(f"/orgs/{demo['id']}/report/{demo['path_start_year'] - 1}").status_code == 404


def test_index_lists_every_download_and_report(client, demo):
    login(client, LEAD)
    page = soup(client.get(f"/orgs/{demo['id']}/exports"))
    hrefs = [a["href"] for a in page.select("main a[href]")]
    assert f"/orgs/{demo['id']}/export.xlsx" in hrefs
    for table in TABLES:
        assert f"/orgs/{demo['id']}/export/{table}.csv" in hrefs
    start = demo["path_start_year"]
    for year in range(start, start + 4):
        assert f"/orgs/{demo['id']}/report/{year}" in hrefs
    # The organisation's navigation marks the page's section; a lead sees no administrator links.
    assert page.select_one("nav.org-nav a[aria-current]")["href"] == f"/orgs/{demo['id']}/history"
    assert f"/admin/export/{demo['id']}" not in hrefs


def test_index_shows_the_move_links_to_an_administrator(client, demo):
    login(client, ADMIN)
    hrefs = [a["href"] for a in soup(client.get(f"/orgs/{demo['id']}/exports")).select("main a")]
    assert f"/admin/export/{demo['id']}" in hrefs and "/admin/import" in hrefs


def test_an_organisation_without_data_exports_headers_only(client, seeded):
    login(client, LEAD)
    org_id = seeded["org"]["id"]
    page = soup(client.get(f"/orgs/{org_id}/exports"))
    assert "valmis arviointi" in page.select_one("#report-heading").find_next("p").get_text()
    _response, book = _workbook(client, org_id)
    assert book.sheetnames == SHEETS_FI
    assert all(sheet.max_row == 1 for sheet in book.worksheets)
    for table in TABLES:
        assert len(_read_csv(_csv(client, org_id, table).data, ";")) == 1


# --- the workbook -------------------------------------------------------------------------


def test_workbook_sheets_headers_and_layout(client, demo):
    login(client, LEAD)
    response, book = _workbook(client, demo["id"])
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and demo["slug"] in disposition
    assert '.xlsx"; filename*=' in disposition
    assert book.sheetnames == SHEETS_FI
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
        assert sheet.max_row > 1, sheet.title
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(w and w >= 6 for w in widths), sheet.title
    assert [c.value for c in book["Tulokset vuosittain"][1]] == [
        "Vuosi",
        "Osa-alue",
        "Vaihe",
        "Kypsyysindeksi",
        "Sovittu vaihe",
        "Tavoitetaso",
        "Odotettu askel",
        "Asema polulla",
    ]
    assert [c.value for c in book["Toimenpidesuunnitelma"][1]][:6] == [
        "Tavoite",
        "Toimenpiteet",
        "Mittarit",
        "Vastuutaho",
        "Aikataulu",
        "Tila",
    ]


def test_workbook_results_match_the_report_pages(client, demo):
    login(client, LEAD)
    _response, book = _workbook(client, demo["id"])
    sheet = book["Tulokset vuosittain"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    start = demo["path_start_year"]
    assert {r[0] for r in rows} == set(range(start, start + 4))
    assert len(rows) == 4 * 8
    for row in sheet.iter_rows(min_row=2):
        year, stage, index = row[0], row[2], row[3]
        assert isinstance(year.value, int)
        assert stage.value is None or isinstance(stage.value, int)
        assert index.value is None or isinstance(index.value, float | int)
        assert index.number_format == "0.00"
    for year in range(start, start + 4):
        shown = _report_stage_rows(client, demo["id"], year)
        for _y, area, stage, index, agreed, target, expected, position in (r for r in rows if r[0] == year):
            cells = shown[area]
            assert _fi_number(cells[0]) == stage, (year, area)
            assert _fi_number(cells[1]) == index, (year, area)
            assert _fi_number(cells[2]) == agreed, (year, area)
            assert _fi_number(cells[3]) == target, (year, area)
            assert _fi_number(cells[4]) == expected, (year, area)
            assert cells[5] == position, (year, area)
    # The third demo year is a closed round with agreed stages.
    assert any(r[4] is not None for r in rows if r[0] == start + 2)


def test_workbook_answers_are_team_data_from_the_stored_answers(client, demo, db):
    login(client, LEAD)
    _response, book = _workbook(client, demo["id"])
    sheet = book["Väittämien vastaukset"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "Vuosi",
        "Arviointi",
        "Tyyppi",
        "Osa-alue",
        "Askel",
        "Väittämän tunnus",
        "Väittämä",
        "Tulevaisuuspolulla",
        "Arvo (vastaus tai tiimin arvo)",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    org_assessments = assessments.for_org(db, demo["id"])
    single = next(a for a in org_assessments if a["kind"] == "single")
    stored = next(iter(assessments.answers_by_respondent(db, single["id"]).values()))
    single_rows = {
        r[5]: r
        for r in rows
        if r[0] == single["year"] and r[2] == "Yhteinen arviointi" and r[1].endswith(str(single["year"]))
    }
    content = client.application.extensions["content"]
    for item, value in stored.items():
        # The statement first, the roadmap text it comes from beside it.
        assert single_rows[item][6:8] == (content.items[item].claim("fi"), content.items[item].text.fi)
        assert single_rows[item][8] == value
        assert single_rows[item][10] == (1 if value is None else 0)
    # The round: one row per item with the team median and the distribution, no person.
    the_round = next(a for a in org_assessments if a["kind"] == "round")
    answers = assessments.answers_by_respondent(db, the_round["id"])
    round_rows = [r for r in rows if r[0] == the_round["year"] and r[2] == "Tiimikierros"]
    assert len({r[5] for r in round_rows}) == len(round_rows)  # one row per item
    some = next(r for r in round_rows if r[9] and r[9] >= 2)
    values = sorted(v[some[5]] for v in answers.values() if v.get(some[5]) is not None)
    assert sum(some[11:16]) == len(values) == some[9]
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    assert some[8] == median
    names = {r["name"] for r in rounds.respondents(db, the_round["id"]) if r["name"]}
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    assert not any(name in text for name in names)


def test_workbook_plan_and_metrics_match_the_report_page(client, demo, db):
    login(client, LEAD)
    _response, book = _workbook(client, demo["id"])
    plan_rows = list(book["Toimenpidesuunnitelma"].iter_rows(min_row=2, values_only=True))
    assert len(plan_rows) == len(plan.entries(db, demo["id"]))
    year = demo["path_start_year"] + 3
    page = soup(client.get(f"/orgs/{demo['id']}/report/{year}"))
    shown = []
    goal = metrics_text = None
    for tr in page.select("table.report-plan tbody tr"):

        def cell(name, tr=tr):
            found = tr.select_one(f".plan-{name}")
            return found.get_text("\n", strip=True) if found else None

        goal = cell("goal") or goal  # the goal and its metrics span the goal's rows
        metrics_text = cell("metrics") or metrics_text
        shown.append(
            [goal, cell("action"), metrics_text, cell("responsible"), cell("schedule"), cell("status")]
        )
    assert len(shown) == len(plan_rows)
    for row, cells in zip(plan_rows, shown, strict=True):
        for n in range(6):  # the goal's metrics (n = 2) one per line
            assert cells[n].startswith("–") if row[n] is None else cells[n] == row[n], (n, row)
    assert {r[5] for r in plan_rows} >= {"Tehty", "Käynnissä"}

    sheet = book["Mittariarvot"]
    rows = list(sheet.iter_rows(min_row=2))
    stored = metrics.all_values(db, demo["id"])
    assert len(rows) == sum(len(v) for v in stored.values())
    numbers = 0
    for row in rows:
        metric, row_year, value = row[2].value, row[4].value, row[6]
        kept = stored[metric][row_year]
        if kept.kind in ("count", "percent", "euro"):
            assert isinstance(value.value, int | float) and value.value == kept.value
            numbers += 1
        elif kept.kind == "yes_no":
            assert value.value == ("Kyllä" if kept.value else "Ei")
        if kept.kind == "euro":
            assert value.number_format == "#,##0.00"
    assert numbers > 0
    # The report's metric table shows the same values for the report year.
    cells = {}
    for table in page.select("table.report-metrics"):
        columns = [th.get_text(strip=True) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            texts = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            cells[texts[0]] = dict(zip(columns[1:], texts[1:], strict=False))
    checked = 0
    for row in rows:
        if row[4].value == year and row[3].value in cells:
            kept = stored[row[2].value][year]
            shown_value = format_value(
                kept.kind,
                row[6].value if kept.kind != "yes_no" else row[6].value == "Kyllä",
                "fi",
                yes="Kyllä",
                no="Ei",
            )
            assert cells[row[3].value][str(year)] == shown_value
            checked += 1
    assert checked > 5


# --- CSV ----------------------------------------------------------------------------------

FILE_WORDS_FI = {
    "results": "tulokset",
    "answers": "vastaukset",
    "plan": "toimenpidesuunnitelma",
    "metrics": "mittarit",
    "benchmark": "vertailu",
}


def test_file_names_follow_the_ui_language_with_an_ascii_fallback(client, demo):
    login(client, LEAD)
    today = clock.today().isoformat()
    fi = _csv(client, demo["id"], "plan").headers["Content-Disposition"]
    assert fi.startswith(f'attachment; filename="{demo["slug"]}-toimenpidesuunnitelma-{today}.csv"')
    assert f"filename*=UTF-8''{demo['slug']}-toimenpidesuunnitelma-{today}.csv" in fi
    book = client.get(f"/orgs/{demo['id']}/export.xlsx").headers["Content-Disposition"]
    assert f'-vienti-{today}.xlsx"' in book
    with client.session_transaction() as session:
        session["lang"] = "en"
    en = _csv(client, demo["id"], "plan").headers["Content-Disposition"]
    assert f'filename="{demo["slug"]}-plan-{today}.csv"' in en
    assert "-export-" in client.get(f"/orgs/{demo['id']}/export.xlsx").headers["Content-Disposition"]


def test_content_disposition_is_ascii_safe_and_keeps_the_exact_name():
    header = content_disposition("ääkköset-tulokset 2026.csv")
    assert header.isascii()
    assert 'filename="aakkoset-tulokset-2026.csv"' in header
    assert "filename*=UTF-8''%C3%A4%C3%A4kk%C3%B6set-tulokset%202026.csv" in header


def test_csv_in_finnish_semicolons_decimal_comma_and_bom(client, demo):
    login(client, LEAD)
    _response, book = _workbook(client, demo["id"])
    for table, sheet_name in zip(TABLES, SHEETS_FI, strict=True):
        response = _csv(client, demo["id"], table)
        assert response.mimetype == "text/csv"
        word = FILE_WORDS_FI[table]
        assert response.headers["Content-Disposition"].startswith(
            f'attachment; filename="{demo["slug"]}-{word}-'
        )
        rows = _read_csv(response.data, ";")
        sheet = list(book[sheet_name].iter_rows(values_only=True))
        assert rows[0] == list(sheet[0])
        assert len(rows) == len(sheet), table
        for csv_row, xlsx_row in zip(rows[1:], sheet[1:], strict=True):
            for text, value in zip(csv_row, xlsx_row, strict=True):
                if value is None:
                    assert text == ""
                elif isinstance(value, int | float):
                    # A number with the Finnish decimal comma (an index always with two
                    # decimals, "5,00"), never a decimal point or thousands separator.
                    assert "." not in text and " " not in text
                    assert float(text.replace(",", ".")) == pytest.approx(value)
                else:
                    assert text == value or text == "'" + value
    results = _read_csv(_csv(client, demo["id"], "results").data, ";")
    assert results[0][1] == "Osa-alue"
    assert any(r[1] == "Tieto ja data" for r in results)  # Finnish letters read back
    assert any("," in r[3] for r in results[1:])  # the index with a decimal comma


def test_csv_in_english_commas_and_decimal_point(client, demo):
    login(client, LEAD)
    post_form(client, "/language", {"lang": "en", "next": "/"}, token_from="/")
    rows = _read_csv(_csv(client, demo["id"], "results").data, ",")
    assert rows[0][:4] == ["Year", "Area", "Stage", "Maturity index"]
    indices = [r[3] for r in rows[1:] if r[3]]
    assert indices and all("." in i and "," not in i for i in indices)
    _response, book = _workbook(client, demo["id"])
    assert book.sheetnames == ["Results by year", "Item answers", "Action plan", "Metric values", "Benchmark"]


def test_text_that_looks_like_a_formula_stays_text(client, demo, db):
    plan.add_entry(
        db,
        demo["id"],
        text='=HYPERLINK("http://example.org")',
        step=None,
        goal=None,
        responsible="+358 40 123",
    )
    login(client, LEAD)
    rows = _read_csv(_csv(client, demo["id"], "plan").data, ";")
    row = next(r for r in rows if "HYPERLINK" in r[1])
    assert row[1] == '\'=HYPERLINK("http://example.org")' and row[3] == "'+358 40 123"
    _response, book = _workbook(client, demo["id"])
    cell = next(
        c
        for r in book["Toimenpidesuunnitelma"].iter_rows()
        for c in r
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    )
    assert cell.data_type == "s"


# --- rounds: team data only, anonymity ------------------------------------------------------


def _round(app, db, org_id, year, *, anonymous, answers_by_person, names=None):
    row = rounds.open_round(
        db,
        org_id=org_id,
        year=year,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        created_by=None,
        anonymous=anonymous,
    )
    for n, answers in enumerate(answers_by_person):
        name = names[n] if names else None
        respondent, _created = rounds.join(db, row["id"], secrets.token_urlsafe(24), name)
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="strategia",
            changes=answers,
            base={},
            comment=None,
            base_comment=None,
        )
    rounds.close_round(db, row["id"])
    return row


def _quick_items(app, area="strategia"):
    content = app.extensions["content"]
    quick = content.questionnaire("quick")
    return [i for i in quick.items if content.items[i].area == area]


def test_anonymous_round_hides_small_distributions_and_named_round_exports_no_names(app, client, seeded, db):
    org = seeded["org"]
    first, second = _quick_items(app)[:2]
    _round(
        app,
        db,
        org["id"],
        2024,
        anonymous=True,
        answers_by_person=[{first: 1, second: 3}, {first: 3, second: 4}],
    )
    _round(
        app,
        db,
        org["id"],
        2025,
        anonymous=False,
        names=["Maija Meikäläinen", "Teppo Testaaja", "Ulla Uusi"],
        answers_by_person=[{first: 0}, {first: 2}, {first: 4}],
    )
    login(client, LEAD)
    _response, book = _workbook(client, org["id"])
    rows = list(book["Väittämien vastaukset"].iter_rows(min_row=2, values_only=True))
    anon = next(r for r in rows if r[0] == 2024 and r[5] == first)
    assert anon[8] is None and anon[9] == 2  # fewer than three answered: no team value ...
    assert anon[11:16] == (None,) * 5  # ... and no distribution
    named = next(r for r in rows if r[0] == 2025 and r[5] == first)
    assert named[11:16] == (1, 0, 1, 0, 1) and named[16] == "Kyllä"  # span 4: to discuss
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    for name in ("Maija", "Teppo", "Ulla"):
        assert name not in text
    raw = _csv(client, org["id"], "answers").data.decode("utf-8-sig")
    assert "Maija" not in raw


def test_an_open_assessment_exports_its_answers_so_far(app, client, seeded, db):
    org = seeded["org"]
    first, second, third = _quick_items(app)[:3]
    single, _created = assessments.start_single(
        db,
        org_id=org["id"],
        year=2025,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        created_by=None,
    )
    respondent = assessments.shared_respondent(db, single["id"])
    assessments.save_area(
        db,
        respondent_id=respondent["id"],
        area="strategia",
        changes={first: 3, second: None},
        base={},
        comment=None,
        base_comment=None,
    )
    login(client, LEAD)
    rows = _read_csv(_csv(client, org["id"], "answers").data, ";")
    by_item = {r[5]: r for r in rows[1:]}
    assert len(by_item) == len(app.extensions["content"].questionnaire("quick").items)
    assert by_item[first][8:11] == ["3", "1", "0"]  # value, answered, don't know
    assert by_item[second][8:11] == ["", "0", "1"]
    assert by_item[third][8:11] == ["", "0", "0"]
    # Not final: nothing counts for a year yet, so no results rows and no report.
    assert len(_read_csv(_csv(client, org["id"], "results").data, ";")) == 1
    assert client.get(f"/orgs/{org['id']}/report/2025").status_code == 404


# --- the report -----------------------------------------------------------------------------


def test_report_has_every_section_and_the_comparison(client, demo):
    login(client, LEAD)
    start = demo["path_start_year"]
    page = soup(client.get(f"/orgs/{demo['id']}/report/{start + 3}"))
    assert len(page.find_all("h1")) == 1
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    assert headings == [
        "Tiivistelmä",
        "Vaihe osa-alueittain",
        "Kaaviot",
        "Polusta jäljessä olevat osa-alueet",
        "Seuraavat toimenpiteet",
        "Toimenpidesuunnitelma",
        "Ohjelman mittarit",
        "Vertailu muihin",
    ]
    summary = page.select_one("ul.report-summary").get_text(" ", strip=True)
    assert f"Vuoteen {start + 2} verrattuna" in summary
    assert "tai pidemmällä" in summary and "osa-alueella 8:sta" in summary
    assert "Eniten edistystä:" in summary
    # Next actions name the statement first, the roadmap text it comes from under it.
    content = client.application.extensions["content"]
    roadmap_texts = {i.text.fi for i in content.items.values()}
    claims = {i.claim("fi") for i in content.items.values()}
    items = page.select("ol.compact li")
    assert items and all(li.find(class_="report-source") for li in items)
    for li in items:
        source = li.find(class_="report-source").get_text(" ", strip=True)
        assert source.removeprefix("Tulevaisuuspolulla: ") in roadmap_texts
        assert li.contents[0].strip() in claims
    # Charts with their data and a table equivalent; the print button is wired by a file.
    for chart in ("report-radar", "report-lines"):
        assert page.find("script", id=f"{chart}-data", type="application/json")
    assert page.find("table", id="years-table")
    assert page.select_one("button[data-print]")
    scripts = [s.get("src", "") for s in page.find_all("script") if s.get("src")]
    assert any(src.split("?")[0].endswith("js/print-button.js") for src in scripts)
    assert not [
        s for s in page.find_all("script") if not s.get("src") and s.get("type") != "application/json"
    ]


def test_report_of_the_first_year_has_nothing_to_compare(client, demo):
    login(client, LEAD)
    page = soup(client.get(f"/orgs/{demo['id']}/report/{demo['path_start_year']}"))
    summary = page.select_one("ul.report-summary").get_text(" ", strip=True)
    assert "Aiempaa laskettavaa arviointia, johon verrata, ei ole." in summary
    assert page.find("script", id="report-lines-data") is None


def test_report_summary_leaves_out_clauses_that_say_nothing(app) -> None:
    from assess.pages.report_page import summary_sentences
    from assess.report import Summary

    labels = {"a": "Strategia", "b": "Johtaminen"}
    base = Summary(
        year=2025,
        areas=8,
        assessed=8,
        insufficient=(),
        expected=None,
        level=2,
        at_level=0,
        behind=(),
        ahead=(),
        previous_year=2024,
    )
    with app.test_request_context():
        only_rose = summary_sentences(replace(base, rose=3), labels, None)
        only_fell = summary_sentences(replace(base, fell=2), labels, None)
        both = summary_sentences(replace(base, rose=3, fell=2, at_level=5), labels, None)
        neither = summary_sentences(base, labels, None)
    text = " ".join(only_rose + only_fell + neither)
    assert " 0 osa-alueella" not in text and "0 osa-alueella 8:sta" not in text
    assert "Vuoteen 2024 verrattuna kypsyysindeksi nousi 3 osa-alueella 8:sta." in only_rose
    assert "Vuoteen 2024 verrattuna kypsyysindeksi laski 2 osa-alueella 8:sta." in only_fell
    assert (
        "Vuoteen 2024 verrattuna kypsyysindeksi nousi 3 osa-alueella 8:sta ja laski 2 osa-alueella."
    ) in both
    assert "Organisaatio on vaiheessa 2 tai pidemmällä 5 osa-alueella 8:sta." in both
    assert "Mikään osa-alue ei ole vielä vaiheessa 2 tai pidemmällä." in neither
    assert (
        "Vuoteen 2024 verrattuna kypsyysindeksi ei noussut eikä laskenut millään osa-alueella."
    ) in neither
