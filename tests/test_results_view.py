"""The results page: statements, how computed, charts with tables, next actions, caching,
access; and the proof that the web results and `assess score` agree."""

from __future__ import annotations

import json

import pytest

from assess.storage import assessments, rounds
from assess.storage.db import write
from tests.conftest import LEAD, VIEWER, login, soup


def make_single(
    app, db, org_id: int, answers: dict, *, year: int = 2025, questionnaire: str = "quick"
) -> dict:
    row = assessments.create_assessment(
        db,
        org_id=org_id,
        year=year,
        questionnaire=questionnaire,
        content_version=app.extensions["content"].version,
        kind="single",
        created_by=None,
    )
    respondent = assessments.shared_respondent(db, row["id"])
    if answers:
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="all",
            changes=answers,
            base={},
            comment=None,
            base_comment=None,
        )
    return row


def make_round(app, db, org_id: int, people: list[dict]) -> dict:
    row = rounds.open_round(
        db,
        org_id=org_id,
        year=2025,
        questionnaire="quick",
        content_version=app.extensions["content"].version,
        created_by=None,
        anonymous=False,
    )
    for n, answers in enumerate(people):
        respondent, _created = rounds.join(db, row["id"], f"token-{n}-" + "x" * 30, f"R{n}")
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="all",
            changes=answers,
            base={},
            comment=None,
            base_comment=None,
        )
    return row


def quick(app) -> list[str]:
    return list(app.extensions["content"].questionnaire("quick").items)


def sample_answers(app) -> dict:
    """Data: stage 2 (step 3 half true); strategy: stage 0; attitude: no answers; the rest
    with a few gaps and don't-knows."""
    answers: dict[str, int | None] = {}
    for n, item in enumerate(quick(app)):
        if item.startswith("asenne-"):
            continue
        answers[item] = (4, 3, 1, None, 2, 0)[n % 6]
    answers.update(
        {
            "tieto-ja-data-1-g1": 4,
            "tieto-ja-data-2-g1": 3,
            "tieto-ja-data-3-g1": 2,
            "tieto-ja-data-4-g1": None,
            "tieto-ja-data-5-g1": 4,
            "strategia-1-g1": 1,
        }
    )
    return answers


def text(element, sep: str = "") -> str:
    """An element's text with no-break spaces (as in "75 %") read as plain spaces."""
    return element.get_text(sep, strip=True).replace("\u00a0", " ")


def get(client, assessment_id: int):
    return client.get(f"/assessments/{assessment_id}/results")


def test_statements_index_and_how_computed(app, client, db, seeded) -> None:
    row = make_single(app, db, seeded["org"]["id"], sample_answers(app))
    login(client, LEAD)
    response = get(client, row["id"])
    assert response.status_code == 200
    page = soup(response)
    assert len(page.find_all("h1")) == 1
    data = page.find(id="stage-tieto-ja-data")
    step2 = app.extensions["content"].steps["tieto-ja-data-2"].title.fi
    assert data.find(class_="stage-statement").strong.get_text() == f"Tieto ja data: vaihe 2/5 – {step2}"
    assert "indeksi 2,50" in data.get_text()
    # Each area's detail is a <details>, closed until the reader opens it.
    assert data.name == "details" and not data.has_attr("open")
    rows = data.find("tbody").find_all("tr")
    assert [text(r.find_all("td")[1]) for r in rows] == ["100 %", "75 %", "50 %", "–", "100 %"]
    assert "✓" in rows[0].get_text() and "✓" not in rows[2].get_text()
    assert "75 %" in text(data.find("caption"))  # the threshold
    assert page.find(id="stage-strategia").strong.get_text() == "Strategia: ei vielä vaihetta 1"
    attitude = page.find(id="stage-asenne")
    assert attitude.strong.get_text() == "Asenne: ei riittävästi vastauksia"
    assert "indeksi" not in attitude.find(class_="stage-statement").get_text()


def test_charts_have_their_tables(app, client, db, seeded) -> None:
    row = make_single(app, db, seeded["org"]["id"], sample_answers(app))
    login(client, LEAD)
    page = soup(get(client, row["id"]))
    for chart_id in ("radar", "heatmap"):
        chart = page.find("div", id=chart_id)
        assert "chart" in chart["class"] and chart["role"] == "img" and chart["aria-label"]
        note = page.find(id=chart["aria-describedby"])
        table_id = note.a["href"].lstrip("#")
        assert page.find("table", id=table_id) is not None
        figure = json.loads(page.find("script", id=chart["data-figure-id"]).string)
        assert figure["data"]
    radar = json.loads(page.find("script", id="radar-data").string)["data"][0]
    assert len(radar["r"]) == 9 and radar["r"][5] == 2.5  # eight areas + closing point
    assert radar["r"][4] is None  # attitude: no index
    heat = json.loads(page.find("script", id="heatmap-data").string)["data"][0]
    assert len(heat["z"]) == 8 and all(len(r) == 5 for r in heat["z"])
    assert heat["z"][4] == [None] * 5
    assert heat["text"][5][:2] == ["✓", "✓"]
    table = page.find("table", id="radar-table")
    rows = {tr.th.get_text(strip=True): tr for tr in table.tbody.find_all("tr")}
    data = rows["Tieto ja data"]
    step2 = app.extensions["content"].steps["tieto-ja-data-2"].title.fi
    assert data.find(class_="glance-stage").get_text() == "2/5"
    assert data.find(class_="glance-step").get_text() == step2  # the stage in words too
    assert data.find(class_="glance-index").get_text() == "2,50"
    assert data.th.a["href"] == "#stage-tieto-ja-data"  # on to the area's detail
    assert "ei riittävästi vastauksia" in rows["Asenne"].get_text()
    assert not table.find(class_="glance-change")  # no earlier counted year: no change column
    grid = page.find("table", id="heatmap-table").tbody.find_all("tr")
    assert [text(td, " ") for td in grid[5].find_all("td")][:3] == [
        "100 % ✓ saavutettu",
        "75 % ✓ saavutettu",
        "50 %",
    ]
    # Scripts only from the app, no inline code or styles.
    for script in page.find_all("script"):
        assert script.get("src") or script.get("type") == "application/json"
    assert not page.find_all(style=True)
    assert page.find("link", id="plotly.js-style-global", class_="no-inline-styles")


def test_next_actions_with_programme_goals_and_add_buttons(app, client, db, seeded) -> None:
    answers = sample_answers(app)
    row = make_single(app, db, seeded["org"]["id"], answers)
    login(client, LEAD)
    page = soup(get(client, row["id"]))
    data = page.find(id="next-area-tieto-ja-data")
    step3 = app.extensions["content"].steps["tieto-ja-data-3"]
    assert f"askel 3 – {step3.title.fi}" in data.find(class_="next-step").get_text()
    suggestion = data.find(id="suggestion-tieto-ja-data-3-g1")
    assert "Nyt: 2 – osittain" in suggestion.get_text()
    form = suggestion.find("form")
    assert form["action"] == f"/orgs/{seeded['org']['id']}/plan/add"
    assert form.find("input", attrs={"name": "step"})["value"] == "tieto-ja-data-3"
    goals = [lk.goal for lk in app.extensions["content"].goals_for_step("tieto-ja-data-3")]
    shown = [int(o["value"]) for o in form.find_all("option")] or [
        int(form.find("input", attrs={"name": "goal"})["value"])
    ]
    assert shown == goals
    # The area links to its step's goals; each goal is shown once, further down the page.
    links = [a["href"] for a in data.find(class_="next-goals").find_all("a")]
    assert links == [f"#goal-{n}" for n in goals]
    assert not data.find(class_="goal-card")
    cards = page.find_all(class_="goal-card")
    numbers = [int(c["id"].removeprefix("goal-")) for c in cards]
    assert numbers == sorted(set(numbers)) and set(goals) <= set(numbers)
    card = page.find(id=f"goal-{goals[0]}")
    goal = app.extensions["content"].goal(goals[0])
    assert goal.actions[0].text.fi in card.get_text()
    assert goal.actions[0].metrics[0].text.fi in card.get_text()
    assert "#stage-tieto-ja-data" in [a["href"] for a in card.find(class_="goal-areas").find_all("a")]
    # A goal two areas point to is one card naming both.
    result_areas = {a["href"] for c in cards for a in c.find(class_="goal-areas").find_all("a")}
    assert len(result_areas) > 1
    attitude = page.find(id="next-area-asenne")
    assert "Vastauksia ei ole riittävästi" in attitude.get_text()
    assert not attitude.find(class_="suggestion")


def test_find_out_after_improve_and_keep_it_up(app, client, db, seeded) -> None:
    content = app.extensions["content"]
    full = content.questionnaire("full")
    steps = dict(dict(content.area_items(full))["strategia"])
    answers: dict[str, int | None] = {i: 4 for i in steps["strategia-1"]}
    step2 = steps["strategia-2"]
    answers.update({step2[0]: 2, step2[1]: 0, step2[2]: None})
    answers.update({i: 3 for i in step2[4:]})
    answers.update({i: 3 for s in ("strategia-3", "strategia-4") for i in steps[s]})
    other = dict(dict(content.area_items(full))["johtaminen"])
    answers.update({i: 4 for ids in other.values() for i in ids})
    keep = other["johtaminen-5"][0]
    answers[keep] = 3
    row = make_single(app, db, seeded["org"]["id"], answers, questionnaire="full")
    login(client, LEAD)
    page = soup(get(client, row["id"]))
    area = page.find(id="next-area-strategia")
    improve = [li["id"].removeprefix("suggestion-") for li in area.find("ol").find_all("li", recursive=False)]
    assert improve == [step2[1], step2[0]]
    find_out = [
        li["id"].removeprefix("suggestion-")
        for li in area.find("ul", class_="suggestions").find_all("li", recursive=False)
    ]
    assert find_out == [step2[2], step2[3]]
    lead = page.find(id="next-area-johtaminen")
    assert "Pidä yllä" in lead.get_text()
    assert [li["id"] for li in lead.find_all("li", class_="suggestion")] == [f"suggestion-{keep}"]


def test_viewer_sees_results_without_add_buttons(app, client, db, seeded) -> None:
    row = make_single(app, db, seeded["org"]["id"], sample_answers(app))
    login(client, VIEWER)
    response = get(client, row["id"])
    assert response.status_code == 200
    page = soup(response)
    assert page.find(id="next-area-tieto-ja-data").find(class_="suggestion")
    assert not page.find_all("form", class_="add-to-plan")


def test_access_refusals(app, client, db, seeded) -> None:
    mine = make_single(app, db, seeded["org"]["id"], {})
    theirs = make_single(app, db, seeded["other"]["id"], sample_answers(app))
    response = get(client, mine["id"])
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, LEAD)
    assert get(client, theirs["id"]).status_code == 404
    assert get(client, 99999).status_code == 404
    page = soup(get(client, mine["id"]))
    assert page.find(id="stage-strategia").strong.get_text() == "Strategia: ei riittävästi vastauksia"


def test_open_results_follow_the_answers(app, client, db, seeded) -> None:
    row = make_single(app, db, seeded["org"]["id"], sample_answers(app))
    login(client, LEAD)
    assert "vaihe 2/5" in soup(get(client, row["id"])).find(id="stage-tieto-ja-data").get_text()
    respondent = assessments.shared_respondent(db, row["id"])
    assessments.save_area(
        db,
        respondent_id=respondent["id"],
        area="tieto-ja-data",
        changes={"tieto-ja-data-3-g1": 4, "tieto-ja-data-4-g1": 4},
        base={"tieto-ja-data-3-g1": 2, "tieto-ja-data-4-g1": None},
        comment=None,
        base_comment=None,
    )
    assert "vaihe 5/5" in soup(get(client, row["id"])).find(id="stage-tieto-ja-data").get_text()
    assert db.execute("SELECT COUNT(*) FROM result_cache").fetchone()[0] == 0


def test_final_results_are_cached_and_not_recomputed(app, client, db, seeded) -> None:
    row = make_single(app, db, seeded["org"]["id"], sample_answers(app))
    assessments.finalise(db, row["id"])
    login(client, LEAD)
    assert "vaihe 2/5" in soup(get(client, row["id"])).find(id="stage-tieto-ja-data").get_text()
    cached = db.execute("SELECT result FROM result_cache WHERE assessment_id = ?", (row["id"],)).fetchone()
    assert cached is not None
    # Change the stored answers behind the app's back: a cached result does not move.
    with write(db):
        db.execute("UPDATE answers SET value = 4 WHERE item LIKE 'tieto-ja-data-%'")
    assert "vaihe 2/5" in soup(get(client, row["id"])).find(id="stage-tieto-ja-data").get_text()
    # Reopened and finalised again: the old cache no longer applies.
    assessments.reopen(db, row["id"])
    assessments.finalise(db, row["id"])
    assert "vaihe 5/5" in soup(get(client, row["id"])).find(id="stage-tieto-ja-data").get_text()


def test_round_results_use_team_values(app, client, db, seeded) -> None:
    people = [
        {"tieto-ja-data-1-g1": 4, "tieto-ja-data-2-g1": 4, "tieto-ja-data-3-g1": 0},
        {"tieto-ja-data-1-g1": 3, "tieto-ja-data-2-g1": 2, "tieto-ja-data-3-g1": 4},
        {"tieto-ja-data-1-g1": 4, "tieto-ja-data-2-g1": 3, "tieto-ja-data-3-g1": 4},
    ]
    row = make_round(app, db, seeded["org"]["id"], people)
    login(client, LEAD)
    page = soup(get(client, row["id"]))
    # Medians 4, 3, 4: stage 3; step 4 unanswered adds nothing.
    assert "vaihe 3/5" in page.find(id="stage-tieto-ja-data").get_text()
    assert "3 vastaajaa" in page.find(class_="meta").get_text()
    # The round's own team parts (spread, statements to discuss) are on the page too.
    assert page.find("section", class_="team-spread")
    assert page.find("section", class_="team-discuss").find(id="discuss-tieto-ja-data")


def test_plotly_assets_are_served_and_cached(app, client, seeded) -> None:
    from assess.plotly_assets import BUNDLE
    from assess.vendor_assets import plotly_urls

    with app.test_request_context():
        urls = plotly_urls()  # versioned by their content's digest
    js = client.get(urls["js"])
    assert js.status_code == 200 and js.mimetype == "text/javascript"
    assert "max-age=31536000" in js.headers["Cache-Control"]
    assert js.get_data() == BUNDLE.read_bytes()
    css = client.get(urls["css"])
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "max-age=31536000" in css.headers["Cache-Control"]
    text = css.get_data(as_text=True)
    assert ".js-plotly-plot .plotly .main-svg {" in text
    assert ".plotly-notifier {" in text


@pytest.mark.parametrize("people", [1, 3])
def test_web_results_and_assess_score_agree(app, client, db, seeded, runner, tmp_path, people) -> None:
    """Same answers through the web page and the command: same stage, index, next actions."""
    base = sample_answers(app)
    responses = []
    for n in range(people):
        answers = dict(base)
        for i, item in enumerate(list(answers)):
            if (i + n) % 4 == 0 and answers[item] is not None:
                answers[item] = (answers[item] + n) % 5
        responses.append(answers)
    row = (
        make_single(app, db, seeded["org"]["id"], responses[0])
        if people == 1
        else make_round(app, db, seeded["org"]["id"], responses)
    )
    files = []
    for n, answers in enumerate(responses):
        path = tmp_path / f"r{n}.json"
        path.write_text(json.dumps({"answers": answers}), encoding="utf-8")
        files.append(str(path))
    result = runner.invoke(args=["score", "quick", *files])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)

    login(client, LEAD)
    page = soup(get(client, row["id"]))
    content = app.extensions["content"]
    for area in content.areas:
        cli = document["areas"][area.id]
        index_cell = page.find("table", id="radar-table").find("th", string=area.title.fi).parent
        if cli["status"] == "ok":
            index_text = f"{cli['index']:.2f}".replace(".", ",")
            assert index_cell.find(class_="glance-stage").get_text() == f"{cli['stage']}/5"
            assert index_cell.find(class_="glance-index").get_text() == index_text
        else:
            assert "ei riittävästi vastauksia" in index_cell.get_text()
        web_items = [
            li["id"].removeprefix("suggestion-")
            for li in page.find(id=f"next-area-{area.id}").find_all("li", class_="suggestion")
        ]
        assert web_items == [a["item"] for a in cli["next_actions"]]


def test_results_in_english(app, client, db, seeded) -> None:
    row = make_single(app, db, seeded["org"]["id"], sample_answers(app))
    login(client, LEAD)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = soup(get(client, row["id"]))
    content = app.extensions["content"]
    area = content.area("tieto-ja-data")
    step = content.steps["tieto-ja-data-2"]
    assert (
        page.find(id="stage-tieto-ja-data").strong.get_text()
        == f"{area.title.en}: stage 2/5 – {step.title.en}"
    )
    assert "index 2.50" in page.find(id="stage-tieto-ja-data").get_text()
    assert page.find(id="stage-asenne").strong.get_text().endswith(": not enough answers")
    radar = json.loads(page.find("script", id="radar-data").string)
    assert radar["layout"]["separators"] == ".,"
    assert radar["data"][0]["theta"][0] == content.areas[0].title.en
