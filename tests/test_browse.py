"""The content browser: the roadmap grid, a step's page and the programme, in Finnish and English."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import LEAD, VIEWER, login, post_form, soup

from assess.labels import METRIC_KINDS as METRIC_KIND_LABELS


@pytest.fixture
def content(app):
    return app.extensions["content"]


@pytest.fixture
def reader(client, seeded):
    """A viewer: reading the content needs no more than signing in."""
    login(client, VIEWER)
    return client


def in_english(client) -> None:
    post_form(client, "/language", {"lang": "en"}, token_from="/")


@pytest.mark.parametrize("path", ["/roadmap", "/roadmap/strategia-1", "/programme"])
def test_signing_in_is_required(client, seeded, path):
    response = client.get(path)
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/login"


# --- the roadmap grid ------------------------------------------------------------------------


def grid(client) -> tuple[list[str], list[str], list[list[tuple[str, str]]]]:
    table = soup(client.get("/roadmap")).find("table", class_="roadmap-grid")
    header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    rows = table.tbody.find_all("tr")
    areas = [r.find("th", scope="row").get_text(strip=True) for r in rows]
    cells = [[(td.a.get_text(strip=True), td.a["href"]) for td in r.find_all("td")] for r in rows]
    return header, areas, cells


def test_the_grid_is_eight_areas_by_five_years(reader, content):
    header, areas, cells = grid(reader)
    assert header == ["Osa-alue", "1. vuosi", "2. vuosi", "3. vuosi", "4. vuosi", "5. vuosi"]
    assert areas == [
        "Strategia",
        "Johtaminen",
        "Organisaatio",
        "Osaaminen",
        "Asenne",
        "Tieto ja data",
        "Työkalut",
        "Tekeminen",
    ]
    assert len(cells) == 8 and all(len(row) == 5 for row in cells)
    assert cells[0][0] == (
        "Analysoi ja kerää tietoa nykytilasta. Tunnista vaikuttavuuspotentiaali",
        "/roadmap/strategia-1",
    )
    assert cells[3][1] == ("Päivitä ja resursoi", "/roadmap/osaaminen-2")
    assert cells[7][4] == ("Johda", "/roadmap/tekeminen-5")
    assert cells == [[(s.title.fi, f"/roadmap/{s.id}") for s in a.steps] for a in content.areas]
    page = soup(reader.get("/roadmap"))
    assert len(page.find_all("h1")) == 1
    assert page.find("caption") is not None
    assert all(th["scope"] == "col" for th in page.find("table").thead.find_all("th"))
    counts = page.find("a", href="/roadmap/tekeminen-2").find_next_sibling(class_="step-counts")
    assert counts.get_text(strip=True) == "3 tavoitetta · 15 toimenpidettä"


def test_the_grid_in_english(reader, content):
    in_english(reader)
    header, areas, cells = grid(reader)
    assert header == ["Area", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5"]
    assert areas[0] == "Strategy" and areas[5] == "Information and data"
    assert cells[0][1] == ("Set goals and draw up an action plan", "/roadmap/strategia-2")
    assert cells == [[(s.title.en, f"/roadmap/{s.id}") for s in a.steps] for a in content.areas]
    counts = soup(reader.get("/roadmap")).find("a", href="/roadmap/tieto-ja-data-5")
    assert counts.find_next_sibling(class_="step-counts").get_text(strip=True) == "1 goal · 1 action"


# --- a step -----------------------------------------------------------------------------------


def test_a_step_lists_its_goals_with_their_actions(reader, content):
    page = soup(reader.get("/roadmap/organisaatio-2"))
    assert page.h1.get_text(strip=True) == "Kuvaa prosessi"
    assert "Organisaatio · 2. vuosi" in page.find(class_="eyebrow").get_text(strip=True)
    blocks = page.find_all("article", class_="goal-block")
    assert [b.h3.get_text(strip=True) for b in blocks] == ["Tavoite 1", "Tavoite 2"]
    step = content.steps["organisaatio-2"]
    for block, goal in zip(blocks, step.goals, strict=True):
        assert block.find(class_="goal-text").get_text(strip=True) == goal.text.fi
        actions = [li.get_text(strip=True) for li in block.find("ul", class_="action-list").find_all("li")]
        assert actions == [a.text.fi for a in step.actions if a.goal == goal.id]
    assert [len(b.find_all("li")) for b in blocks] == [10, 4]
    first_action = blocks[0].find("li").get_text(strip=True)
    assert first_action.startswith("Kuvaamme hankintojen prosessin")


def test_a_step_lists_its_programme_goals_with_reasons(reader, content):
    page = soup(reader.get("/roadmap/strategia-1"))
    items = page.find("ul", class_="linked-goals").find_all("li", recursive=False)
    links = content.goals_for_step("strategia-1")
    assert len(items) == len(links) >= 1
    for item, link in zip(items, links, strict=True):
        goal = content.goal(link.goal)
        anchor = item.find("a")
        assert anchor["href"] == f"/programme#goal-{goal.number}"
        assert anchor.get_text(" ", strip=True) == f"Tavoite {goal.number}: {goal.text.fi}"
        assert item.find(class_="reason").get_text(" ", strip=True) == f"Miksi: {link.reason.fi}"
        theme = next(t for t in content.themes if t.id == goal.theme)
        assert theme.title.fi in item.find(class_="meta").get_text()


def test_a_step_in_english_and_its_neighbours(reader, content):
    in_english(reader)
    page = soup(reader.get("/roadmap/tekeminen-2"))
    step = content.steps["tekeminen-2"]
    assert page.h1.get_text(strip=True) == "Act strategically" == step.title.en
    assert [b.h3.get_text(strip=True) for b in page.find_all("article")] == ["Goal 1", "Goal 2", "Goal 3"]
    assert page.find(class_="goal-text").get_text(strip=True) == step.goals[0].text.en
    reason = page.find(class_="reason").get_text(" ", strip=True)
    assert reason == f"Why: {content.goals_for_step('tekeminen-2')[0].reason.en}"
    path = page.find("nav", class_="area-path")
    assert [a["href"] for a in path.find_all("a")] == [
        "/roadmap/tekeminen-1",
        "/roadmap/tekeminen-3",
        "/roadmap/tekeminen-4",
        "/roadmap/tekeminen-5",
    ]
    assert path.find(attrs={"aria-current": "step"}).get_text(" ", strip=True) == "Year 2 Act strategically"
    pager = page.find("nav", class_="pager")
    assert pager.find(rel="prev")["href"] == "/roadmap/tekeminen-1"
    assert pager.find(rel="next")["href"] == "/roadmap/tekeminen-3"


def test_the_first_and_last_steps_have_one_neighbour(reader):
    pager = soup(reader.get("/roadmap/asenne-1")).find("nav", class_="pager")
    assert pager.find(rel="prev") is None and pager.find(rel="next")["href"] == "/roadmap/asenne-2"
    pager = soup(reader.get("/roadmap/asenne-5")).find("nav", class_="pager")
    assert pager.find(rel="next") is None and pager.find(rel="prev")["href"] == "/roadmap/asenne-4"


@pytest.mark.parametrize("step_id", ["strategia-6", "strategia-0", "nope", "strategia-1-g1", "STRATEGIA-1"])
def test_an_unknown_step_is_404(reader, step_id):
    response = reader.get(f"/roadmap/{step_id}")
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Sivua ei löydy"


# --- the programme -----------------------------------------------------------------------------


def test_the_programme_has_twenty_goals_in_eight_themes(reader, content):
    page = soup(reader.get("/programme"))
    assert page.h1.get_text(strip=True) == "Hyvinkään kaupungin hankintojen toimenpideohjelma"
    sections = page.find_all("section", class_="theme")
    assert [s.h2.get_text(strip=True) for s in sections] == [
        "Minä, me ja Hyvinkää",
        "Houkutteleva Hyvinkää",
        "Yhteispelillä yritysten kanssa",
        "Talous",
        "Digitalisaatio",
        "Henkilöstö",
        "Kestävä kehitys",
        "Turvallisuus",
    ]
    goals_per_theme = [[int(tb["id"].removeprefix("goal-")) for tb in s.find_all("tbody")] for s in sections]
    assert goals_per_theme == [
        [1],
        [2, 3],
        [4, 5, 6, 7],
        [8, 9, 10, 11, 12],
        [13],
        [14, 15, 16, 17],
        [18, 19],
        [20],
    ]
    for section in sections:
        table = section.find("table")
        assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
            "Tavoite",
            "Toimenpiteet",
            "Mittarit",
        ]
    for goal in content.goals:
        body = page.find("tbody", id=f"goal-{goal.number}")
        head = body.find("th", scope="rowgroup")
        assert int(head["rowspan"]) == len(goal.actions) == len(body.find_all("tr"))
        assert head.find(class_="goal-title").get_text(" ", strip=True) == f"{goal.number}. {goal.text.fi}"
        actions = [td.get_text(strip=True) for td in body.find_all("td", class_="action-cell")]
        assert actions == [a.text.fi for a in goal.actions]


def test_metrics_are_shown_with_their_kinds(reader, content):
    page = soup(reader.get("/programme"))
    body = page.find("tbody", id="goal-1")
    metrics = [
        [(li.contents[0].strip(), li.find(class_="badge").get_text(strip=True)) for li in td.find_all("li")]
        for td in body.find_all("td", class_="metric-cell")
    ]
    assert metrics == [
        [("Määrittäminen on tehty", "Tehty: kyllä/ei")],
        [
            ("Vaikuttavuusperusteisen hankinnan pilotointi tehty", "Tehty: kyllä/ei"),
            ("Vaikuttavuusperusteisten hankintojen määrä vuodessa", "Määrä vuodessa (kpl)"),
        ],
        [
            ("Toteutettujen kyselyjen määrä vuodessa", "Määrä vuodessa (kpl)"),
            ("Järjestettyjen tilaisuuksien määrä vuodessa", "Määrä vuodessa (kpl)"),
        ],
    ]
    badges = [b.get_text(strip=True) for b in page.find_all("span", class_="kind")]
    all_metrics = [m for g in content.goals for a in g.actions for m in a.metrics]
    assert len(badges) == len(all_metrics)
    kinds = {m.kind for m in all_metrics}
    assert {"yes_no", "count", "percent", "euro", "planned_separately", "hilma"} <= kinds
    assert set(METRIC_KIND_LABELS) >= kinds  # every kind has a readable label, no raw ids shown
    assert not set(badges) & set(METRIC_KIND_LABELS)
    assert "Projektoidaan erikseen" in badges and "HILMA-ilmoituksista" in badges


def test_each_goal_lists_the_steps_that_advance_it(reader, content):
    page = soup(reader.get("/programme"))
    for goal in content.goals:
        listed = page.find("tbody", id=f"goal-{goal.number}").find(class_="goal-steps").find_all("a")
        expected = content.steps_for_goal(goal.number)
        assert [a["href"] for a in listed] == [f"/roadmap/{lk.step}" for lk in expected]
        for anchor, link in zip(listed, expected, strict=True):
            step = content.steps[link.step]
            area = content.area(step.area)
            assert anchor.get_text(strip=True) == f"{area.title.fi}, {step.year}. vuosi: {step.title.fi}"


def test_the_programme_in_english(reader, content):
    in_english(reader)
    page = soup(reader.get("/programme"))
    assert page.h1.get_text(strip=True) == "City of Hyvinkää procurement action programme"
    assert page.find("section", class_="theme").h2.get_text(strip=True) == "Me, us and Hyvinkää"
    goal = content.goal(20)
    body = page.find("tbody", id="goal-20")
    assert body.find(class_="goal-title").get_text(" ", strip=True) == f"20. {goal.text.en}"
    assert "Done: yes/no" in [b.get_text(strip=True) for b in body.find_all(class_="kind")]
    first = body.find(class_="goal-steps").find("a").get_text(strip=True)
    step = content.steps[content.steps_for_goal(20)[0].step]
    assert first == f"{content.area(step.area).title.en}, year {step.year}: {step.title.en}"


def test_a_lead_sees_the_same_content(client, seeded):
    login(client, LEAD)
    for path in ("/roadmap", "/roadmap/johtaminen-3", "/programme"):
        assert client.get(path).status_code == 200
