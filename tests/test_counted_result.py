"""One counted result per year: the rule (storage.history.counting) and every place that
shows a year's result (history page, yearly report, CSV and XLSX exports, the overview, the transfer
file) agree in every state; choosing, closing, reopening, archiving and deleting never
change the counted result silently, and what cannot count is refused."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from assess.storage import assessments, lifecycle, rounds
from assess.storage import history as history_store
from assess.storage.db import now
from tests.conftest import ADMIN, LEAD, csrf_token, login, post_form, soup

YEAR = 2025
SINGLE, ROUND, OTHER = "Yksin arvioitu", "Tiimin kierros", "Toinen yksin"


def _answer_all(db, respondent_id: int, items, value: int) -> None:
    db["answers"].insert_all(
        [{"respondent_id": respondent_id, "item": i, "value": value, "updated_at": now()} for i in items],
        replace=True,
    )


def make_single(
    app, db, org, title: str, value: int = 4, *, final: bool = True, answered: bool = True
) -> dict:
    cont = app.extensions["content"]
    row = assessments.create_assessment(
        db,
        org_id=org["id"],
        year=YEAR,
        questionnaire="quick",
        content_version=cont.version,
        kind="single",
        created_by=None,
        title=title,
    )
    if answered:
        shared = assessments.shared_respondent(db, row["id"])
        _answer_all(db, shared["id"], cont.questionnaire("quick").items, value)
    if final:
        assessments.finalise(db, row["id"])
    return assessments.get_assessment(db, row["id"])


def make_round(app, db, org, title: str, value: int = 0) -> dict:
    cont = app.extensions["content"]
    row = rounds.open_round(
        db,
        org_id=org["id"],
        year=YEAR,
        questionnaire="quick",
        content_version=cont.version,
        created_by=None,
        anonymous=True,
        title=title,
    )
    respondent, _created = rounds.join(db, row["id"], "token-" + title, None)
    _answer_all(db, respondent["id"], cont.questionnaire("quick").items, value)
    return row


def close(client, round_row, choice: str | None = None):
    data = {"counts": choice} if choice else {}
    return post_form(
        client,
        f"/assessments/{round_row['id']}/close",
        data,
        token_from=f"/assessments/{round_row['id']}/round",
    )


# --- what each place shows as the year's counted result --------------------------------


def from_history(client, org) -> str | None:
    row = soup(client.get(f"/orgs/{org['id']}/history")).find("tr", id=f"year-{YEAR}")
    return row.find_all("td")[0].find("a").get_text(strip=True) if row else None


def from_report(client, org) -> str | None:
    response = client.get(f"/orgs/{org['id']}/report/{YEAR}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    text = soup(response).find("main").get_text(" ", strip=True)
    found = [t for t in (SINGLE, ROUND, OTHER) if t in text]
    assert len(found) == 1, found
    return found[0]


def index_to_title(index: float | None, titles: dict[float, str]) -> str | None:
    return None if index is None else titles[round(index, 2)]


def from_csv(client, org) -> float | None:
    response = client.get(f"/orgs/{org['id']}/export/results.csv")
    assert response.status_code == 200
    reader = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    rows = [r for r in list(reader)[1:] if r and r[0] == str(YEAR)]
    if not rows:
        return None
    return float(rows[0][3].replace(",", "."))


def from_xlsx(client, org) -> float | None:
    response = client.get(f"/orgs/{org['id']}/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == YEAR]
    return float(rows[0][3]) if rows else None


def from_transfer(client, org) -> str | None:
    login(client, ADMIN)
    data = json.loads(client.get(f"/admin/export/{org['id']}").data)
    login(client, LEAD)
    counted = [a["title"] for a in data["assessments"] if a["counts"] and a["year"] == YEAR]
    assert len(counted) <= 1
    return counted[0] if counted else None


def from_overview(client, org) -> float | None:
    """The first area's index on the organisation's overview, when it stands on YEAR."""
    page = soup(client.get(f"/orgs/{org['id']}"))
    if str(YEAR) not in page.find(id="standing-heading").get_text(strip=True):
        return None
    cells = page.find(id="standing-table").find("tbody").find("tr").find_all("td")
    text = cells[1].get_text(strip=True)
    return None if text in ("–", "") else float(text.replace(",", "."))


def assert_everywhere(client, db, org, expected: str | None, indexes: dict[float, str]) -> None:
    rule = history_store.counting(db, org["id"]).get(YEAR)
    assert (rule["title"] if rule else None) == expected
    assert from_history(client, org) == expected
    assert from_report(client, org) == expected
    assert index_to_title(from_csv(client, org), indexes) == expected
    assert index_to_title(from_xlsx(client, org), indexes) == expected
    assert from_transfer(client, org) == expected
    assert index_to_title(from_overview(client, org), indexes) == expected


@pytest.fixture
def org(seeded, client):
    login(client, LEAD)
    return seeded["org"]


# Every answer 4 gives index 5,00, every answer 0 index 0,00 (the single and the round
# are told apart in the exports, which show the index, not the assessment's name).
INDEXES = {5.0: SINGLE, 0.0: ROUND}


def test_no_assessment_counts_nothing_anywhere(app, client, db, org):
    make_single(app, db, org, SINGLE, final=False)  # open: cannot count
    make_single(app, db, org, OTHER, answered=False)  # final but empty: cannot count
    assert_everywhere(client, db, org, None, INDEXES)


def test_a_final_single_assessment_counts(app, client, db, org):
    make_single(app, db, org, SINGLE)
    assert_everywhere(client, db, org, SINGLE, INDEXES)


def test_a_closed_round_counts(app, client, db, org):
    row = make_round(app, db, org, ROUND)
    assert close(client, row).status_code == 302
    assert_everywhere(client, db, org, ROUND, INDEXES)


def test_closing_a_round_asks_which_counts_and_keeping_keeps(app, client, db, org):
    make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    page = soup(client.get(f"/assessments/{row['id']}/close"))
    legend = page.find("legend").get_text()
    assert SINGLE in legend
    assert {i["value"] for i in page.find_all("input", type="radio")} == {"keep", "this"}
    # No choice, or a forged one: refused with a message, the round stays open.
    for choice in (None, "both"):
        response = close(client, row, choice)
        assert response.status_code == 400
        assert soup(response).find(class_="error-summary")
        assert rounds.get_round(db, row["id"])["status"] == "open"
    assert close(client, row, "keep").status_code == 302
    assert rounds.get_round(db, row["id"])["status"] == "final"
    assert_everywhere(client, db, org, SINGLE, INDEXES)


def test_closing_a_round_can_make_it_count(app, client, db, org):
    make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    assert close(client, row, "this").status_code == 302
    assert_everywhere(client, db, org, ROUND, INDEXES)


def test_archiving_the_counted_one_leaves_the_other(app, client, db, org):
    single = make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    close(client, row, "keep")
    lifecycle.archive_assessment(db, org["id"], single["id"], by_user=None, label=SINGLE)
    assert_everywhere(client, db, org, ROUND, INDEXES)
    # Restored, it does not push the round out: the round has counted meanwhile.
    assert lifecycle.restore_assessment(db, org["id"], single["id"], by_user=None, label=SINGLE) is False
    assert_everywhere(client, db, org, ROUND, INDEXES)


def test_reopening_the_counted_one_drops_its_mark_with_a_warning(app, client, db, org):
    single = make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    close(client, row, "keep")
    response = post_form(
        client,
        f"/assessments/{single['id']}/reopen",
        {},
        token_from=f"/assessments/{single['id']}",
        follow_redirects=True,
    )
    warning = soup(response).find(class_="flash-warning")
    assert warning and ROUND in warning.get_text() and str(YEAR) in warning.get_text()
    assert_everywhere(client, db, org, ROUND, INDEXES)
    # Marked final again, it does not take the count back silently.
    assessments.finalise(db, single["id"])
    assert_everywhere(client, db, org, ROUND, INDEXES)


def test_archiving_the_counted_one_when_two_remain_leaves_the_year_to_choose(app, client, db, org):
    single = make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    close(client, row, "keep")
    make_single(app, db, org, OTHER, value=4)  # finalised later: does not count
    response = post_form(
        client,
        f"/assessments/{single['id']}/archive",
        {},
        token_from=f"/assessments/{single['id']}",
        follow_redirects=True,
    )
    warning = soup(response).find(class_="flash-warning")
    assert warning and str(YEAR) in warning.get_text()
    # Two candidates, none chosen: nothing is picked silently; the lead is asked.
    assert_everywhere(client, db, org, None, INDEXES)
    assert history_store.years_to_choose(db, org["id"]) == [YEAR]
    page = soup(client.get(f"/orgs/{org['id']}/history"))
    form = page.find("form", action=lambda a: a and f"/history/counts/{YEAR}" in a)
    assert form and len(form.find_all("input", type="radio")) == 2


def test_the_counted_one_cannot_be_deleted_and_deleting_it_reopened_leaves_the_other(app, client, db, org):
    single = make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    close(client, row, "keep")
    with pytest.raises(lifecycle.Refused):
        lifecycle.delete_assessment(db, org["id"], single["id"], by_user=None, label=SINGLE)
    assert_everywhere(client, db, org, SINGLE, INDEXES)
    assessments.reopen(db, single["id"])
    lifecycle.delete_assessment(db, org["id"], single["id"], by_user=None, label=SINGLE)
    assert_everywhere(client, db, org, ROUND, INDEXES)


def test_choosing_asks_for_confirmation_naming_the_replaced_one(app, client, db, org):
    make_single(app, db, org, SINGLE)
    row = make_round(app, db, org, ROUND)
    close(client, row, "keep")
    url = f"/orgs/{org['id']}/history/counts/{YEAR}"
    token = csrf_token(client, f"/orgs/{org['id']}/history")
    response = client.post(url, data={"csrf_token": token, f"y{YEAR}-assessment": row["id"]})
    assert response.status_code == 200
    text = soup(response).find("main").get_text(" ", strip=True)
    assert ROUND in text and SINGLE in text
    assert history_store.counting(db, org["id"])[YEAR]["title"] == SINGLE
    response = client.post(
        url, data={"csrf_token": token, f"y{YEAR}-assessment": row["id"], f"y{YEAR}-confirmed": "yes"}
    )
    assert response.status_code == 302
    assert_everywhere(client, db, org, ROUND, INDEXES)


def test_open_and_empty_assessments_cannot_be_chosen(app, client, db, org):
    make_single(app, db, org, SINGLE)
    make_single(app, db, org, ROUND, value=0)  # two final ones: the year offers a choice
    open_one = make_single(app, db, org, OTHER, final=False)
    empty = make_single(app, db, org, "Tyhjä", answered=False)
    page = soup(client.get(f"/orgs/{org['id']}/history"))
    offered = {int(i["value"]) for i in page.find_all("input", attrs={"name": f"y{YEAR}-assessment"})}
    assert open_one["id"] not in offered and empty["id"] not in offered and len(offered) == 2
    url = f"/orgs/{org['id']}/history/counts/{YEAR}"
    token = csrf_token(client, f"/orgs/{org['id']}/history")
    for forged in (open_one["id"], empty["id"]):
        response = client.post(
            url, data={"csrf_token": token, f"y{YEAR}-assessment": forged, f"y{YEAR}-confirmed": "yes"}
        )
        assert response.status_code == 400
        assert "Valitse" in soup(response).find(class_="error-summary").get_text()
        assert history_store.counting(db, org["id"])[YEAR]["title"] == SINGLE
        assert history_store.mark_counting(db, org["id"], forged) is None
