"""Metric values per year, targets and start year, and the programme follow-up page.

(Named test_metric_pages so it does not clash with tests/unit/test_metrics.py.)
"""

from __future__ import annotations

import pytest

from assess import clock
from assess.formatting import NBSP
from assess.storage import metrics as store
from assess.storage.db import now
from tests.conftest import post_form, soup

YES_NO, COUNT, PERCENT, EURO, TEXT = "p1-a1-m1", "p1-a2-m2", "p3-a3-m1", "p9-a1-m1", "p17-a2-m2"
HILMA, PLANNED = "p4-a1-m1", "p11-a2-m1"


def url(seeded, page="metrics", year=2025, org="org"):
    return f"/orgs/{seeded[org]['id']}/{page}/{year}"


def stored(db, org_id, year=2025):
    return {
        r["metric"]: dict(r)
        for r in db.execute("SELECT * FROM metric_values WHERE org_id = ? AND year = ?", (org_id, year))
    }


def field_error(page, name):
    """The error message shown beside a field, inside that metric's fieldset."""
    metric = name.split("-", 1)[1]
    box = page.find(id=f"metric-{metric}")
    error = box.find(id=f"{name}-error")
    return error.get_text(strip=True) if error else None


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/orgs/{id}/metrics/2025", "/orgs/{id}/targets/2025", "/orgs/{id}/programme", "/orgs/{id}/metrics"],
)
def test_pages_need_signing_in(client, seeded, path):
    response = client.get(path.format(id=seeded["org"]["id"]))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    ["/orgs/{id}/metrics/2025", "/orgs/{id}/targets/2025", "/orgs/{id}/programme", "/orgs/{id}/metrics"],
)
def test_another_organisation_is_not_found(lead, seeded, path):
    assert lead.get(path.format(id=seeded["other"]["id"])).status_code == 404


def test_post_to_another_organisation_is_not_found_and_saves_nothing(lead, seeded, db):
    response = post_form(lead, url(seeded, org="other"), {f"value-{COUNT}": "3"}, token_from=url(seeded))
    assert response.status_code == 404
    assert stored(db, seeded["other"]["id"]) == {}


@pytest.mark.parametrize("year", [1999, 2101])
def test_year_outside_2000_2100_is_not_found(lead, seeded, year):
    assert lead.get(url(seeded, year=year)).status_code == 404
    assert lead.get(url(seeded, page="targets", year=year)).status_code == 404
    assert lead.get(f"/orgs/{seeded['org']['id']}/programme?year={year}").status_code == 404


def test_year_selector_index_redirects_to_the_year(lead, seeded):
    response = lead.get(f"/orgs/{seeded['org']['id']}/metrics?year=2023")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url(seeded, year=2023))


def test_viewer_reads_values_but_cannot_save(viewer, seeded, db):
    store.set_value(db, seeded["org"]["id"], 2025, EURO, "euro", 1234.5)
    page = viewer.get(url(seeded))
    assert page.status_code == 200
    html = soup(page)
    assert html.find("form", class_="metric-form") is None
    assert f"1{NBSP}234,50{NBSP}€" in html.get_text()
    token_page = viewer.get(f"/orgs/{seeded['org']['id']}/programme")  # any page with a token
    token = soup(token_page).find("input", attrs={"name": "csrf_token"})["value"]
    response = viewer.post(url(seeded), data={"csrf_token": token, f"value-{COUNT}": "3"})
    assert response.status_code == 403
    assert COUNT not in stored(db, seeded["org"]["id"])


def test_viewer_reads_targets_without_a_form(viewer, seeded):
    response = viewer.get(url(seeded, page="targets"))
    assert response.status_code == 200
    assert not soup(response).find("form", method="post", class_="form")


def test_post_without_csrf_token_is_refused(lead, seeded, db):
    response = lead.post(url(seeded), data={f"value-{COUNT}": "3"})
    assert response.status_code == 400
    assert stored(db, seeded["org"]["id"]) == {}
    response = lead.post(url(seeded, page="targets"), data={"target-strategia": "2"})
    assert response.status_code == 400
    assert store.targets_for_year(db, seeded["org"]["id"], 2025) == {}


# --- the values form ------------------------------------------------------------------


def test_form_has_an_input_fitting_each_kind(lead, seeded, app):
    html = soup(lead.get(url(seeded)))
    metrics = app.extensions["content"].metrics
    assert len(html.select("fieldset.metric")) == len(metrics)
    radios = html.find_all("input", attrs={"name": f"value-{YES_NO}"})
    assert [r["value"] for r in radios] == ["yes", "no", ""]
    assert radios[0].find_parent("fieldset").legend.get_text(strip=True) == "Arvo vuodelle 2025"
    assert html.find(id=f"value-{COUNT}")["inputmode"] == "numeric"
    for metric, unit in ((PERCENT, "%"), (EURO, "€")):
        field = html.find(id=f"value-{metric}")
        assert field["inputmode"] == "decimal"
        assert field.find_next_sibling("span", class_="unit").get_text() == unit
    assert html.find(id=f"value-{TEXT}").name == "textarea"
    for metric in (HILMA, PLANNED):
        select = html.find("select", id=f"kind-{metric}")
        assert [o["value"] for o in select.find_all("option")] == [
            "",
            "yes_no",
            "count",
            "percent",
            "euro",
            "text",
        ]
    for name in (f"note-{COUNT}", f"source-{COUNT}"):
        assert html.find("label", attrs={"for": name}) is not None


def test_valid_finnish_values_are_saved_in_one_post(lead, seeded, db):
    org_id = seeded["org"]["id"]
    response = post_form(
        lead,
        url(seeded),
        {
            f"value-{YES_NO}": "yes",
            f"value-{COUNT}": "1 234",
            f"value-{PERCENT}": "12,5 %",
            f"value-{EURO}": "1 234,50",
            f"note-{EURO}": "Arvio",
            f"source-{EURO}": "Talousjärjestelmä",
            f"value-{TEXT}": "Seuranta johtoryhmässä\r\nkahdesti vuodessa",
        },
    )
    assert response.status_code == 302
    rows = stored(db, org_id)
    assert rows[YES_NO]["value_num"] == 1 and rows[YES_NO]["kind"] == "yes_no"
    assert rows[COUNT]["value_num"] == 1234
    assert rows[PERCENT]["value_num"] == 12.5
    assert (rows[EURO]["value_num"], rows[EURO]["note"], rows[EURO]["source"]) == (
        1234.5,
        "Arvio",
        "Talousjärjestelmä",
    )
    assert rows[TEXT]["value_text"] == "Seuranta johtoryhmässä\nkahdesti vuodessa"
    html = soup(lead.get(response.headers["Location"]))
    assert html.find(id=f"value-{YES_NO}-yes").has_attr("checked")
    assert html.find(id=f"value-{EURO}")["value"] == "1234,50"
    assert html.find(id=f"value-{PERCENT}")["value"] == "12,5"


def test_one_invalid_value_saves_nothing_and_is_shown_by_its_field(lead, seeded, db):
    org_id = seeded["org"]["id"]
    store.set_value(db, org_id, 2025, YES_NO, "yes_no", False)
    response = post_form(
        lead,
        url(seeded),
        {
            f"value-{YES_NO}": "yes",
            f"value-{COUNT}": "12,5",
            f"value-{EURO}": "100",
        },
    )
    assert response.status_code == 400
    html = soup(response)
    assert field_error(html, f"value-{COUNT}") == "Anna kokonaisluku, joka on 0 tai suurempi, esimerkiksi 12."
    assert html.find(id=f"value-{COUNT}")["aria-invalid"] == "true"
    assert field_error(html, f"value-{EURO}") is None
    summary = html.find(class_="error-summary")
    assert [a["href"] for a in summary.find_all("a")] == [f"#value-{COUNT}"]
    # What the user typed is kept for correcting.
    assert html.find(id=f"value-{COUNT}")["value"] == "12,5"
    assert html.find(id=f"value-{EURO}")["value"] == "100"
    rows = stored(db, org_id)
    assert set(rows) == {YES_NO} and rows[YES_NO]["value_num"] == 0


@pytest.mark.parametrize(
    ("metric", "raw", "column", "expected"),
    [
        (YES_NO, "no", "value_num", 0),
        (YES_NO, "kyllä", "value_num", 1),
        (COUNT, "0", "value_num", 0),
        (COUNT, "12 000", "value_num", 12000),
        (PERCENT, "100", "value_num", 100),
        (PERCENT, "0,25", "value_num", 0.25),
        (EURO, "1 234,5 €", "value_num", 1234.5),
        (EURO, "99.99", "value_num", 99.99),
        (TEXT, "Vapaa teksti", "value_text", "Vapaa teksti"),
    ],
)
def test_each_kind_accepts_valid_values(lead, seeded, db, metric, raw, column, expected):
    assert post_form(lead, url(seeded), {f"value-{metric}": raw}).status_code == 302
    assert stored(db, seeded["org"]["id"])[metric][column] == expected


@pytest.mark.parametrize(
    ("metric", "raw", "message"),
    [
        (YES_NO, "ehkä", "Valitse Kyllä tai Ei."),
        (COUNT, "-1", "Anna kokonaisluku, joka on 0 tai suurempi, esimerkiksi 12."),
        (COUNT, "kolme", "Anna kokonaisluku, joka on 0 tai suurempi, esimerkiksi 12."),
        (PERCENT, "101", "Prosenttiosuus voi olla enintään 100."),
        (PERCENT, "12,555", "Käytä enintään kahta desimaalia, esimerkiksi 12,25."),
        (PERCENT, "paljon", "Anna prosenttiluku väliltä 0–100, esimerkiksi 12,5."),
        (EURO, "-5", "Anna euromäärä, joka on 0 tai suurempi, esimerkiksi 1 234,50."),
        (EURO, "1,234", "Käytä enintään kahta desimaalia, esimerkiksi 12,25."),
        (TEXT, "x" * 2001, "Teksti on liian pitkä: enintään 2000 merkkiä."),
    ],
)
def test_each_kind_refuses_invalid_values(lead, seeded, db, metric, raw, message):
    response = post_form(lead, url(seeded), {f"value-{metric}": raw})
    assert response.status_code == 400
    assert field_error(soup(response), f"value-{metric}") == message
    assert stored(db, seeded["org"]["id"]) == {}


def test_yes_no_error_links_to_the_first_radio(lead, seeded):
    html = soup(post_form(lead, url(seeded), {f"value-{YES_NO}": "ehkä"}))
    link = html.find(class_="error-summary").find("a")
    assert link["href"] == f"#value-{YES_NO}-yes"
    assert html.find(id=f"value-{YES_NO}-yes") is not None


@pytest.mark.parametrize("metric", [PLANNED, HILMA])
def test_choosable_metric_needs_a_kind_before_a_value(lead, seeded, db, metric):
    org_id = seeded["org"]["id"]
    response = post_form(lead, url(seeded), {f"value-{metric}": "5", f"kind-{metric}": ""})
    assert response.status_code == 400
    assert field_error(soup(response), f"kind-{metric}") == "Valitse arvon tyyppi ennen kuin annat arvon."
    assert stored(db, org_id) == {} and store.chosen_kinds(db, org_id) == {}

    response = post_form(lead, url(seeded), {f"value-{metric}": "5", f"kind-{metric}": "count"})
    assert response.status_code == 302
    assert store.chosen_kinds(db, org_id) == {metric: "count"}
    assert (stored(db, org_id)[metric]["kind"], stored(db, org_id)[metric]["value_num"]) == ("count", 5)
    html = soup(lead.get(url(seeded)))
    assert html.find(id=f"value-{metric}")["inputmode"] == "numeric"
    assert html.find("select", id=f"kind-{metric}").find("option", selected=True)["value"] == "count"


def test_choosable_kind_is_checked_against_the_list(lead, seeded, db):
    response = post_form(lead, url(seeded), {f"value-{HILMA}": "5", f"kind-{HILMA}": "hilma"})
    assert response.status_code == 400
    assert field_error(soup(response), f"kind-{HILMA}") == "Valitse arvon tyyppi luettelosta."
    assert store.chosen_kinds(db, seeded["org"]["id"]) == {}


def test_choosing_a_kind_alone_is_remembered(lead, seeded, db):
    response = post_form(lead, url(seeded), {f"value-{HILMA}": "", f"kind-{HILMA}": "percent"})
    assert response.status_code == 302
    assert store.chosen_kinds(db, seeded["org"]["id"]) == {HILMA: "percent"}


def test_note_without_value_is_refused(lead, seeded, db):
    response = post_form(lead, url(seeded), {f"value-{COUNT}": "", f"note-{COUNT}": "Tulossa"})
    assert response.status_code == 400
    assert field_error(soup(response), f"value-{COUNT}") == "Anna myös arvo tai tyhjennä huomautus ja lähde."


def test_clearing_a_value_removes_it_and_leaves_other_years(lead, seeded, db):
    org_id = seeded["org"]["id"]
    store.set_value(db, org_id, 2025, COUNT, "count", 4)
    store.set_value(db, org_id, 2024, COUNT, "count", 3)
    assert post_form(lead, url(seeded), {f"value-{COUNT}": ""}).status_code == 302
    assert COUNT not in stored(db, org_id)
    assert stored(db, org_id, 2024)[COUNT]["value_num"] == 3


def test_untouched_fields_do_not_overwrite_a_later_save(lead, seeded, db):
    """Two leads: the second one's older form must not undo the first one's value."""
    org_id = seeded["org"]["id"]
    store.set_value(db, org_id, 2025, COUNT, "count", 1)
    html = soup(lead.get(url(seeded)))
    form = {
        i["name"]: i.get("value", "")
        for i in html.select("form.metric-form input")
        if i.get("type") in ("hidden", "text")
    }
    form.update({f"value-{YES_NO}": "", f"value-{TEXT}": ""})
    store.set_value(db, org_id, 2025, COUNT, "count", 9)  # another lead saves meanwhile
    form[f"value-{EURO}"] = "50"
    assert lead.post(url(seeded), data=form).status_code == 302
    rows = stored(db, org_id)
    assert rows[COUNT]["value_num"] == 9
    assert rows[EURO]["value_num"] == 50


def test_previous_years_value_is_shown_beside_the_field(lead, seeded, db):
    store.set_value(db, seeded["org"]["id"], 2024, PERCENT, "percent", 12.5)
    html = soup(lead.get(url(seeded)))
    box = html.find(id=f"metric-{PERCENT}")
    assert box.find(class_="metric-previous").get_text(strip=True) == f"Edellinen vuosi (2024): 12,5{NBSP}%"


def test_year_selector_marks_the_year(lead, seeded):
    html = soup(lead.get(url(seeded, year=2022)))
    current = html.find("nav", class_="year-nav").find("a", attrs={"aria-current": "page"})
    assert current.get_text() == "2022"
    assert html.h1.get_text() == "Toimenpideohjelman mittarit 2022"


# --- targets and start year -----------------------------------------------------------


def target_rows(html):
    return {
        tr.th.get_text(strip=True): (
            tr.find_all("td")[0].get_text(strip=True),
            tr.find("select").find("option", selected=True),
        )
        for tr in html.select(".targets-table tbody tr")
    }


def test_targets_page_shows_the_expected_step_per_area(lead, seeded, db):
    from assess.storage import accounts

    accounts.set_start_year(db, seeded["org"]["id"], 2023)
    rows = target_rows(soup(lead.get(url(seeded, page="targets", year=2025))))
    assert len(rows) == 8
    assert rows["Strategia"][0] == "3/5"
    rows = target_rows(soup(lead.get(url(seeded, page="targets", year=2030))))
    assert rows["Strategia"][0] == "5/5"
    rows = target_rows(soup(lead.get(url(seeded, page="targets", year=2022))))
    assert rows["Strategia"][0] == "–ei tiedossa"


def test_targets_and_start_year_are_saved(lead, seeded, db):
    org_id = seeded["org"]["id"]
    response = post_form(
        lead,
        url(seeded, page="targets"),
        {
            "start_year": "2024",
            "target-strategia": "2",
            "target-tieto-ja-data": "0",
            "target-asenne": "",
        },
    )
    assert response.status_code == 302
    assert store.targets_for_year(db, org_id, 2025) == {"strategia": 2, "tieto-ja-data": 0}
    assert (
        db.execute("SELECT path_start_year FROM organisations WHERE id = ?", (org_id,)).fetchone()[0] == 2024
    )
    rows = target_rows(soup(lead.get(url(seeded, page="targets"))))
    assert rows["Strategia"][0] == "2/5"
    assert rows["Strategia"][1]["value"] == "2"

    # Choosing "no target" removes it; an empty start year clears it.
    response = post_form(
        lead,
        url(seeded, page="targets"),
        {"start_year": "", "target-strategia": "", "target-tieto-ja-data": "0"},
    )
    assert response.status_code == 302
    assert store.targets_for_year(db, org_id, 2025) == {"tieto-ja-data": 0}
    assert (
        db.execute("SELECT path_start_year FROM organisations WHERE id = ?", (org_id,)).fetchone()[0] is None
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_year": "1999"}, "start_year", "Anna vuosi väliltä 2000–2100, esimerkiksi 2024."),
        ({"start_year": "kaksi"}, "start_year", "Anna vuosi väliltä 2000–2100, esimerkiksi 2024."),
        (
            {"target-strategia": "6"},
            "target-strategia",
            "Valitse tavoitetaso väliltä 0–5 tai ei tavoitetasoa.",
        ),
        (
            {"target-strategia": "-1"},
            "target-strategia",
            "Valitse tavoitetaso väliltä 0–5 tai ei tavoitetasoa.",
        ),
    ],
)
def test_invalid_targets_are_refused_and_nothing_saved(lead, seeded, db, data, field, message):
    org_id = seeded["org"]["id"]
    form = {"start_year": "2023", "target-johtaminen": "3", **data}
    response = post_form(lead, url(seeded, page="targets"), form)
    assert response.status_code == 400
    html = soup(response)
    assert html.find(id=f"{field}-error").get_text(strip=True) == message
    assert html.find(class_="error-summary").find("a")["href"] == f"#{field}"
    assert store.targets_for_year(db, org_id, 2025) == {}
    assert (
        db.execute("SELECT path_start_year FROM organisations WHERE id = ?", (org_id,)).fetchone()[0] is None
    )


def test_viewer_cannot_post_targets(viewer, seeded, db):
    token = soup(viewer.get(f"/orgs/{seeded['org']['id']}/programme")).find(
        "input", attrs={"name": "csrf_token"}
    )["value"]
    response = viewer.post(url(seeded, page="targets"), data={"csrf_token": token, "target-strategia": "2"})
    assert response.status_code == 403
    assert store.targets_for_year(db, seeded["org"]["id"], 2025) == {}


# --- programme follow-up --------------------------------------------------------------


def add_plan_entry(db, org_id, goal, text, **fields):
    values = {
        "responsible": "",
        "schedule_year": None,
        "schedule_quarter": None,
        "status": "planned",
        **fields,
    }
    db.execute(
        "INSERT INTO plan_entries (org_id, goal, text, responsible, schedule_year, "
        "schedule_quarter, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            org_id,
            goal,
            text,
            values["responsible"],
            values["schedule_year"],
            values["schedule_quarter"],
            values["status"],
            now(),
            now(),
        ),
    )


def metric_row(html, metric_text):
    for th in html.select(".followup-table th.metric-cell"):
        if th.get_text(" ", strip=True).startswith(metric_text):
            row = th.find_parent("tr")
            return [td.get_text(" ", strip=True) for td in row.find_all("td")]
    raise AssertionError(f"no row for {metric_text}")


@pytest.fixture
def history(seeded, db):
    org_id = seeded["org"]["id"]
    store.set_value(db, org_id, 2023, EURO, "euro", 1000)
    store.set_value(db, org_id, 2024, EURO, "euro", 1234.5, note="Arvio", source="Talous")
    store.set_value(db, org_id, 2023, PERCENT, "percent", 15)
    store.set_value(db, org_id, 2024, PERCENT, "percent", 12.5)
    store.set_value(db, org_id, 2023, YES_NO, "yes_no", True)
    store.set_value(db, org_id, 2024, YES_NO, "yes_no", True)
    add_plan_entry(
        db,
        org_id,
        9,
        "Yhteishankintojen kartoitus",
        responsible="Hankintapalvelut",
        schedule_year=2024,
        schedule_quarter=2,
        status="in_progress",
    )
    add_plan_entry(db, org_id, 9, "Hankintaohje päivitetty", schedule_year=2023, status="done")
    add_plan_entry(db, org_id, None, "Oma toimenpide", status="dropped")
    return org_id


def test_followup_shows_values_by_year_with_trend_and_plan(viewer, seeded, history):
    response = viewer.get(f"/orgs/{history}/programme")
    assert response.status_code == 200
    html = soup(response)
    assert "Toimenpideohjelman seuranta 2024" in html.h1.get_text()  # latest year with data
    header = [th.get_text(strip=True) for th in html.select(".followup-table")[0].thead.find_all("th")]
    assert header == ["Toimenpide", "Mittari", "2023", "2024", "Suunta"]
    assert metric_row(html, "Yhteishankintojen määrän kasvu vuodessa") == [
        f"1{NBSP}000,00{NBSP}€",
        f"1{NBSP}234,50{NBSP}€",
        "↑ nousee",
    ]
    assert metric_row(html, "Hyvinkään alueella toimivien") == [f"15{NBSP}%", f"12,5{NBSP}%", "↓ laskee"]
    assert metric_row(html, "Määrittäminen on tehty") == ["Kyllä", "Kyllä", "→ ennallaan"]
    assert metric_row(html, "Toteutettujen kyselyjen määrä") == ["– ei arvoa", "– ei arvoa", "– ei suuntaa"]
    goal9 = html.find(id="goal-9").find_parent("section")
    assert "Huomautus: Arvio" in goal9.get_text(" ", strip=True)
    plan = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in goal9.select(".plan-table tbody tr")
    ]
    assert plan == [
        ["Hankintaohje päivitetty", "–", "2023", "Tehty"],
        ["Yhteishankintojen kartoitus", "Hankintapalvelut", "2. neljännes 2024", "Käynnissä"],
    ]
    other = html.find(id="plan-other").find_parent("section")
    assert "Oma toimenpide" in other.get_text() and "Luovuttu" in other.get_text()


def test_followup_year_choice_limits_the_columns(lead, seeded, history):
    html = soup(lead.get(f"/orgs/{history}/programme?year=2023"))
    header = [th.get_text(strip=True) for th in html.select(".followup-table")[0].thead.find_all("th")]
    assert header == ["Toimenpide", "Mittari", "2023", "Suunta"]
    assert metric_row(html, "Yhteishankintojen määrän kasvu vuodessa") == [
        f"1{NBSP}000,00{NBSP}€",
        "– ei suuntaa",
    ]


def test_followup_without_data_defaults_to_this_year(lead, seeded):

    html = soup(lead.get(f"/orgs/{seeded['org']['id']}/programme"))
    assert f"Toimenpideohjelman seuranta {clock.today().year}" in html.h1.get_text()
    assert len(html.select(".followup-theme")) == 8


def test_followup_bad_year_is_not_found(lead, seeded):
    assert lead.get(f"/orgs/{seeded['org']['id']}/programme?year=abc").status_code == 404


def test_followup_in_english(lead, seeded, history):
    post_form(lead, "/language", {"lang": "en", "next": "/"}, token_from=f"/orgs/{history}/programme")
    html = soup(lead.get(f"/orgs/{history}/programme"))
    assert metric_row(html, "Annual growth in the volume of joint procurement") == [
        "€1,000.00",
        "€1,234.50",
        "↑ rising",
    ]


def test_targets_index_redirects_leads_only(lead, seeded):
    org_id = seeded["org"]["id"]
    response = lead.get(f"/orgs/{org_id}/targets?year=2026")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/orgs/{org_id}/targets/2026")


def test_viewer_targets_index_leads_to_the_years_targets(viewer, seeded):
    response = viewer.get(f"/orgs/{seeded['org']['id']}/targets?year=2026")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/orgs/{seeded['org']['id']}/targets/2026")


def test_metric_pages_have_no_second_bar_and_mark_their_section(lead, seeded):
    # The year's pages are reached from their sections' landing pages (follow-up: metrics and
    # programme follow-up; plan: targets), not from another bar above the heading.
    org_id = seeded["org"]["id"]
    for path, section in (
        (url(seeded, year=2024), "Seuranta"),
        (f"/orgs/{org_id}/targets/2024", "Suunnitelma"),
        (f"/orgs/{org_id}/programme?year=2024", "Seuranta"),
    ):
        html = soup(lead.get(path))
        assert html.select(".metric-subnav") == []
        assert html.select_one("nav.org-nav a[aria-current]").get_text(strip=True) == section
    plan_page = soup(lead.get(f"/orgs/{org_id}/plan"))
    assert plan_page.select_one(f'nav.section-links a[href="/orgs/{org_id}/targets"]')


def test_viewer_is_offered_the_targets_to_read(viewer, seeded):
    # The plan section's landing page links the targets for a viewer too (read-only there).
    org_id = seeded["org"]["id"]
    html = soup(viewer.get(f"/orgs/{org_id}/plan"))
    assert html.select_one(f'.section-links a[href="/orgs/{org_id}/targets"]') is not None
