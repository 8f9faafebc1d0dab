"""The history page on the demo organisation: years, path position, charts and their tables,
two years compared, and the lead's choice of which assessment counts."""

from __future__ import annotations

import json
import re

import pytest

from assess import clock
from tests.conftest import ADMIN, LEAD, VIEWER, csrf_token, login, soup

THIS_YEAR = clock.today().year
YEARS = [THIS_YEAR - 3, THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR]
ROUND_YEAR = THIS_YEAR - 1  # the demo's team round, the first year on the current content
TWO_FINAL_YEAR = THIS_YEAR - 2  # the demo year with an extra quick assessment
POSITIONS = {"Polkua edellä", "Polun tahdissa", "Polusta jäljessä"}


def url(org, query=""):
    return f"/orgs/{org['id']}/history{query}"


def figure(page, chart_id):
    return json.loads(page.find("script", id=f"{chart_id}-data").string)


def test_history_lists_every_year_with_stage_index_agreed_stage_and_path_position(client, demo):
    login(client, ADMIN)
    response = client.get(url(demo))
    assert response.status_code == 200
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    rows = page.select("table.history-assessments tbody tr")
    assert [r.th.get_text(strip=True) for r in rows] == [str(y) for y in YEARS]
    kinds = [r.find_all("td")[1].get_text(strip=True) for r in rows]
    assert kinds.count("Tiimikierros") == 1
    # Expected step grows by one a year from the start year.
    assert [r.find_all("td")[-1].get_text(strip=True) for r in rows] == ["1/5", "2/5", "3/5", "4/5"]

    table = page.find("table", id="history-table")
    header = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    assert header[1].startswith(str(YEARS[0])) and len(header) == 5
    body = table.tbody.find_all("tr")
    assert len(body) == 8
    round_column = YEARS.index(ROUND_YEAR)
    for row in body:
        cells = row.find_all("td")
        assert "Vaihe" in cells[0].get_text() and "Indeksi" in cells[0].get_text()
        # The round's year shows the agreed stage; a single assessment has none.
        assert "Sovittu vaihe" in cells[round_column].get_text()
        assert "Sovittu vaihe" not in cells[0].get_text()
        for cell in cells:
            badge = cell.find("span", class_="badge")
            assert badge is not None and badge.get_text(strip=True) in POSITIONS  # words, not colour
            assert "Tavoite" in cell.get_text()


def test_index_chart_has_one_line_per_area_targets_and_the_version_change(client, demo):
    login(client, ADMIN)
    page = soup(client.get(url(demo)))
    lines = figure(page, "history-lines")
    # Small multiples: one panel (its own axes) per area, titled with the area's name.
    index_lines = [t for t in lines["data"] if t["mode"] == "lines+markers"]
    assert len(index_lines) == 8
    assert len({(t["xaxis"], t["yaxis"]) for t in index_lines}) == 8
    assert all(t["x"] == YEARS for t in index_lines)
    assert lines["layout"]["grid"]["rows"] * lines["layout"]["grid"]["columns"] >= 8
    titles = [a["text"] for a in lines["layout"]["annotations"] if a["xref"].endswith(" domain")]
    assert titles[0] == "Strategia" and len(titles) == 8
    # The legend names the line and the targets once, not eight times.
    assert [t["name"] for t in lines["data"] if t["showlegend"]] == ["Kypsyysindeksi (0–5)", "Tavoitetaso"]
    assert any(t["mode"] == "markers" for t in lines["data"])  # the targets
    # Readable on a projector: legend, ticks and panel titles at least 16 px.
    layout = lines["layout"]
    assert layout["legend"]["font"]["size"] >= 16 and layout["font"]["size"] >= 16
    assert all(layout[k]["tickfont"]["size"] >= 16 for k in layout if k.startswith(("xaxis", "yaxis")))
    # The content version changed before the round year: a vertical line there in every
    # panel, named once.
    shapes = lines["layout"]["shapes"]
    assert {s["x0"] for s in shapes} == {ROUND_YEAR - 0.5} and len(shapes) == 8
    assert "Sisältöversio vaihtui" in [a["text"] for a in lines["layout"]["annotations"]]
    changed = page.select("table.history-assessments .version-changed")
    assert len(changed) == 1 and changed[0].find_parent("tr").th.get_text(strip=True) == str(ROUND_YEAR)
    # The chart points to its table.
    chart = page.find("div", id="history-lines")
    assert chart["role"] == "img" and page.find("a", href="#history-table")


def test_default_comparison_is_the_latest_two_years_with_radar_and_tables(client, demo):
    login(client, ADMIN)
    page = soup(client.get(url(demo)))
    assert page.find("select", id="before").find("option", selected=True)["value"] == str(YEARS[-2])
    assert page.find("select", id="after").find("option", selected=True)["value"] == str(YEARS[-1])
    radar = figure(page, "history-radar")
    names = [t["name"] for t in radar["data"]]
    assert str(YEARS[-2]) in names and str(YEARS[-1]) in names
    assert any(n.startswith("Tavoitetasot") for n in names)
    assert len(page.find("table", id="radar-table").tbody.find_all("tr")) == 8
    changes = page.find("table", class_="changes-table")
    assert len(changes.tbody.find_all("tr")) == 8
    assert str(YEARS[-2]) in page.find("h3", id="changes").get_text()


def test_choosing_two_years_compares_them_across_content_versions(client, demo, db):
    login(client, ADMIN)
    # Given in the wrong order: the page puts the earlier first.
    response = client.get(url(demo, f"?before={YEARS[-1]}&after={YEARS[0]}"))
    assert response.status_code == 200
    page = soup(response)
    heading = page.find("h3", id="changes").get_text()
    assert heading.index(str(YEARS[0])) < heading.index(str(YEARS[-1]))
    rows = page.find("table", class_="changes-table").tbody.find_all("tr")
    strategia = rows[0].find_all("td")
    assert "→" in strategia[0].get_text()
    assert strategia[1].find("strong").get_text(strip=True).startswith("+")  # the demo improves
    assert len(strategia[3].find_all("li")) == 3  # the items that moved most
    # Plan entries done between the two assessments sit next to their area's change.
    done_texts = [li.get_text() for row in rows for li in row.find_all("td")[4].find_all("li")]
    assert done_texts
    done_count = db.execute(
        "SELECT COUNT(*) FROM plan_entries WHERE org_id = ? AND status = 'done' AND step IS NOT NULL "
        "AND done_at > (SELECT finalised_at FROM assessments WHERE org_id = ? AND year = ? AND counts = 1) "
        "AND done_at <= (SELECT finalised_at FROM assessments WHERE org_id = ? AND year = ? AND counts = 1)",
        (demo["id"], demo["id"], YEARS[0], demo["id"], YEARS[-1]),
    ).fetchone()[0]
    assert len(done_texts) == done_count
    # The first years were answered on an earlier content version lacking some items.
    assert "eri sisältöversioilla" in page.get_text()
    missing = page.find("table", class_="missing-table").tbody.find_all("tr")
    assert len(missing) == 8
    assert all(f"ei kysytty {YEARS[0]}" in r.get_text() for r in missing)
    assert page.find("table", class_="moved-table").tbody.find_all("tr")


@pytest.mark.parametrize("query", ["?before=2024&after=2024", "?before=1999&after=2026", "?before=x"])
def test_a_bad_choice_of_years_is_refused_with_a_message(client, demo, query):
    login(client, ADMIN)
    query = query.replace("2024", str(YEARS[1])).replace("2026", str(YEARS[-1]))
    response = client.get(url(demo, query))
    assert response.status_code == 400
    page = soup(response)
    assert page.find(class_="error-summary")
    # The page still compares the default years.
    assert page.find("table", class_="changes-table")


def test_unrelated_query_arguments_are_ignored(client, demo):
    login(client, LEAD)
    response = client.get(url(demo, "?year=2001&org_id=5"))
    assert response.status_code == 200
    form = soup(response).find("form", action=lambda a: a and "/history/counts/" in a)
    assert "org_id" not in form["action"] and "year=" not in form["action"]


def test_results_are_cached_once_for_final_assessments(client, demo, db):
    login(client, ADMIN)
    client.get(url(demo))
    cached = db.execute("SELECT assessment_id, computed_at FROM result_cache ORDER BY 1").fetchall()
    counted = db.execute(
        "SELECT id FROM assessments WHERE org_id = ? AND counts = 1 ORDER BY id", (demo["id"],)
    ).fetchall()
    assert {r[0] for r in counted} <= {r[0] for r in cached}
    db.execute("UPDATE result_cache SET computed_at = 'kept'")
    client.get(url(demo))
    assert {r[0] for r in db.execute("SELECT computed_at FROM result_cache")} == {"kept"}


def counts_in(db, org_id, year):
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM assessments WHERE org_id = ? AND year = ? AND counts = 1", (org_id, year)
        )
    ]


def year_candidates(db, org_id, year):
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM assessments WHERE org_id = ? AND year = ? AND status = 'final' ORDER BY id",
            (org_id, year),
        )
    ]


def test_lead_marks_which_assessment_counts_for_a_year(client, demo, db):
    login(client, LEAD)
    quick, full = year_candidates(db, demo["id"], TWO_FINAL_YEAR)
    assert counts_in(db, demo["id"], TWO_FINAL_YEAR) == [full]
    page = soup(client.get(url(demo)))
    form = page.find("form", action=lambda a: a and f"/history/counts/{TWO_FINAL_YEAR}" in a)
    assert form.find("legend") and len(form.find_all("input", type="radio")) == 2
    token = csrf_token(client, url(demo))
    response = client.post(
        url(demo, f"/counts/{TWO_FINAL_YEAR}"),
        data={"csrf_token": token, f"y{TWO_FINAL_YEAR}-assessment": quick},
    )
    # First a confirmation that names the one the choice replaces; nothing changed yet.
    assert response.status_code == 200
    confirm = soup(response)
    full_title = form.find("label", attrs={"for": form.find("input", value=str(full))["id"]})
    assert full_title.get_text(strip=True) in confirm.find("main").get_text()
    assert counts_in(db, demo["id"], TWO_FINAL_YEAR) == [full]
    response = client.post(
        url(demo, f"/counts/{TWO_FINAL_YEAR}"),
        data={
            "csrf_token": token,
            f"y{TWO_FINAL_YEAR}-assessment": quick,
            f"y{TWO_FINAL_YEAR}-confirmed": "yes",
        },
    )
    assert response.status_code == 302
    assert counts_in(db, demo["id"], TWO_FINAL_YEAR) == [quick]
    page = soup(client.get(response.headers["Location"]))
    assert "Pikakysely" in page.find("tr", id=f"year-{TWO_FINAL_YEAR}").get_text()
    assert page.find(class_="flash-success")


def test_marking_an_assessment_of_another_year_is_refused(client, demo, db):
    login(client, LEAD)
    other_year = year_candidates(db, demo["id"], YEARS[0])[0]
    before = counts_in(db, demo["id"], TWO_FINAL_YEAR)
    response = client.post(
        url(demo, f"/counts/{TWO_FINAL_YEAR}"),
        data={"csrf_token": csrf_token(client, url(demo)), f"y{TWO_FINAL_YEAR}-assessment": other_year},
    )
    assert response.status_code == 400
    assert soup(response).find(class_="error-summary")
    assert counts_in(db, demo["id"], TWO_FINAL_YEAR) == before
    assert counts_in(db, demo["id"], YEARS[0]) == [other_year]


def test_viewer_sees_the_choice_but_may_not_change_it(client, demo, db):
    login(client, VIEWER)
    page = soup(client.get(url(demo)))
    assert not page.find("form", action=lambda a: a and "/history/counts/" in a)
    quick, full = year_candidates(db, demo["id"], TWO_FINAL_YEAR)
    response = client.post(
        url(demo, f"/counts/{TWO_FINAL_YEAR}"),
        data={"csrf_token": csrf_token(client, "/"), f"y{TWO_FINAL_YEAR}-assessment": quick},
    )
    assert response.status_code == 403
    assert counts_in(db, demo["id"], TWO_FINAL_YEAR) == [full]


def test_counts_post_without_csrf_is_refused(client, demo, db):
    login(client, LEAD)
    quick, full = year_candidates(db, demo["id"], TWO_FINAL_YEAR)
    response = client.post(
        url(demo, f"/counts/{TWO_FINAL_YEAR}"), data={f"y{TWO_FINAL_YEAR}-assessment": quick}
    )
    assert response.status_code == 400
    assert counts_in(db, demo["id"], TWO_FINAL_YEAR) == [full]


def test_another_organisations_history_is_not_found(client, demo, seeded, db):
    login(client, LEAD)
    other = seeded["other"]
    assert client.get(url(other)).status_code == 404
    quick, _full = year_candidates(db, demo["id"], TWO_FINAL_YEAR)
    token = csrf_token(client, url(demo))
    response = client.post(
        url(other, f"/counts/{TWO_FINAL_YEAR}"),
        data={"csrf_token": token, f"y{TWO_FINAL_YEAR}-assessment": quick},
    )
    assert response.status_code == 404
    # A year with no final assessment in one's own organisation: nothing to choose from.
    response = client.post(url(demo, "/counts/2001"), data={"csrf_token": token, "y2001-assessment": quick})
    assert response.status_code == 404


def test_history_needs_sign_in(client, demo):
    response = client.get(url(demo))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_organisation_without_final_assessments_says_so(client, seeded):
    login(client, LEAD)
    page = soup(client.get(url(seeded["org"])))
    assert "Valmiita arviointeja ei vielä ole" in page.get_text()
    assert not page.find("script", id="history-lines-data")
    assert "aloitusvuotta ei ole tallennettu" in page.get_text()


def test_results_page_shows_the_path_position(client, demo, db):
    login(client, ADMIN)
    round_id = db.execute(
        "SELECT id FROM assessments WHERE org_id = ? AND kind = 'round'", (demo["id"],)
    ).fetchone()[0]
    page = soup(client.get(f"/assessments/{round_id}/results"))
    # The path position is a column of the areas at a glance, beside the change since the
    # previous counted year.
    table = page.find("table", id="radar-table")
    assert table is not None
    rows = table.tbody.find_all("tr")
    assert len(rows) == 8
    assert all(r.find("span", class_="badge").get_text(strip=True) in POSITIONS for r in rows)
    assert "sovittu" in table.get_text()
    assert f"Muutos vuodesta {ROUND_YEAR - 1}" in table.thead.get_text()
    changes = [r.find(class_="glance-change").get_text() for r in rows]
    assert all(re.fullmatch(r"[+−-]\d,\d\d|–", c) for c in changes), changes
    assert any(c != "–" for c in changes)
