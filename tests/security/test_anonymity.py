"""An anonymous round never shows an item's value or distribution below three answers:
not on the pages, the projector, in charts or in exports."""

from __future__ import annotations

import csv
import io

from assess import workshop
from assess.round_summary import hide_small_groups
from assess.storage import rounds
from tests.conftest import LEAD, login
from tests.test_rounds import answer_area, area_ids, area_items, join, make_round


def answers_csv(client, org_id: int) -> list[dict]:
    response = client.get(f"/orgs/{org_id}/export/answers.csv")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def run_round(app, db, seeded, people: int, *, anonymous: bool = True) -> tuple[dict, str]:
    row = make_round(db, app, seeded, anonymous=anonymous)
    area = area_ids(app)[0]
    item = area_items(app, area)[0]
    for _ in range(people):
        browser, link = join(app, row["join_code"], None if anonymous else "Maija")
        answer_area(browser, link, area, {item: "4"})
    rounds.close_round(db, row["id"])
    return row, item


def item_rows(rows: list[dict], item: str) -> list[dict]:
    return [r for r in rows if item in r.values()]


def test_one_answer_in_an_anonymous_round_is_not_shown_in_the_export(app, client, db, seeded):
    row, item = run_round(app, db, seeded, 1)
    login(client, LEAD)
    [line] = item_rows(answers_csv(client, seeded["org"]["id"]), item)
    values = [v for k, v in line.items() if k and ("arvo" in k.lower() or "value" in k.lower())]
    assert values and all(v == "" for v in values), line
    assert "4" not in [line[k] for k in line if k and k.strip() in ("0", "1", "2", "3", "4")]


def test_two_answers_hidden_three_shown(app, db, seeded):
    result = {
        "respondents": 2,
        "values": {"i1": 3.0, "i2": 1.0},
        "items": {
            "i1": {
                "value": 3.0,
                "answered": 2,
                "dont_know": 0,
                "distribution": [0, 0, 0, 2, 0],
                "span": 0,
                "discuss": False,
            },
            "i2": {
                "value": 1.0,
                "answered": 3,
                "dont_know": 0,
                "distribution": [0, 3, 0, 0, 0],
                "span": 0,
                "discuss": False,
            },
        },
        "areas": [
            {"area": "a", "discuss": ["i1"], "next_actions": [{"item": "i1", "value": 3.0, "kind": "x"}]}
        ],
    }
    shown = hide_small_groups(result)
    assert shown["values"] == {"i2": 1.0}
    assert shown["items"]["i1"]["value"] is None and shown["items"]["i1"]["distribution"] is None
    assert shown["items"]["i2"]["distribution"] == [0, 3, 0, 0, 0]
    assert shown["areas"][0]["next_actions"][0]["value"] is None
    assert result["values"] == {"i1": 3.0, "i2": 1.0}  # the stored result is untouched


def test_the_projector_shows_no_value_below_three():
    responses = [{"i1": 4}, {"i1": 0}]
    [tally] = workshop.tally(["i1"], responses, revealed=True, anonymous=True)
    assert tally.value is None and tally.distribution is None
    [tally] = workshop.tally(["i1"], [*responses, {"i1": 2}], revealed=True, anonymous=True)
    assert tally.value == 2.0 and tally.distribution is not None
    [tally] = workshop.tally(["i1"], responses, revealed=True, anonymous=False)
    assert tally.value == 2.0
