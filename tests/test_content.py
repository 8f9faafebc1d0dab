"""The content in questionnaires/: faithful to the two documents, validated, versioned.

(a) the data against the documents, step by step; (b) every kind of broken file is refused
with a message naming the file, the place and the problem; (c) a new questionnaire file is
picked up; (d) any text change gives a new content version; (e) the JSON document round-trips.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from assess import ROOT
from assess.content import ContentError, from_document, load_content, to_document

SOURCE = ROOT / "questionnaires"

# --- (a) the roadmap as the document has it ------------------------------------------------
# Every step: the grid title (Finnish, corrected as in shared/seeds/README.md), then the
# number of actions under each of its goals ("Tavoite", or "Tavoite 1/2/3"), counted in the
# document's detail sections.
ROADMAP = [
    ("strategia-1", "Analysoi ja kerää tietoa nykytilasta. Tunnista vaikuttavuuspotentiaali", [5]),
    ("strategia-2", "Määritä tavoitteet ja laadi toimintasuunnitelma", [3, 3]),
    ("strategia-3", "Seuraa ja mittaa tavoitteiden toteutumista", [5]),
    ("strategia-4", "Syvennä ennakointiosaamista", [3]),
    ("strategia-5", "Tavoitteiden toteutuminen ja päivitys", [2]),
    ("johtaminen-1", "Jaa ja pyydä tietoa", [6]),
    ("johtaminen-2", "Sitoudu ja resursoi", [7]),
    ("johtaminen-3", "Johda strategisesti", [4]),
    ("johtaminen-4", "Kehitä tietoa ja mittaa", [4]),
    ("johtaminen-5", "Toteuman ja toimintamallin arviointi", [3]),
    ("organisaatio-1", "Määrittele toimivalta", [2]),
    ("organisaatio-2", "Kuvaa prosessi", [10, 4]),
    ("organisaatio-3", "Seuraa ja korjaa", [3]),
    ("organisaatio-4", "Panosta viestintään", [3]),
    ("organisaatio-5", "Johda ja seuraa", [3]),
    ("osaaminen-1", "Kartoita osaaminen", [7]),
    ("osaaminen-2", "Päivitä ja resursoi", [3]),
    ("osaaminen-3", "Verkostoidu", [4]),
    ("osaaminen-4", "Huomio osaamisvajeisiin", [5]),
    ("osaaminen-5", "Älä kangistu kaavoihin", [4]),
    ("asenne-1", "Tee ja toimi", [4]),
    ("asenne-2", "Älä pelkää", [4]),
    ("asenne-3", "Uskalla kokeilla", [3]),
    ("asenne-4", "Kannusta ja korjaa", [2]),
    ("asenne-5", "Uskalla ja luota", [3]),
    ("tieto-ja-data-1", "Kartoita tietosi", [8]),
    ("tieto-ja-data-2", "Käytä analyysityökaluja", [4]),
    ("tieto-ja-data-3", "Kerää ja analysoi", [3]),
    ("tieto-ja-data-4", "Korjaa ja kehitä", [3]),
    ("tieto-ja-data-5", "Johda", [1]),
    ("tyokalut-1", "Ota työkalut käyttöön", [6]),
    ("tyokalut-2", "Sitouta ja seuraa", [2]),
    ("tyokalut-3", "Seuraa ja kehitä", [2]),
    ("tyokalut-4", "Seuraa ja kehitä", [3]),
    ("tyokalut-5", "Johda ja toteuta", [1]),
    ("tekeminen-1", "Ennakoi ja aikatauluta", [7]),
    ("tekeminen-2", "Toimi strategisesti", [7, 3, 5]),
    ("tekeminen-3", "Keskity laatuun ja mittaamiseen", [6]),
    ("tekeminen-4", "Johda sopimuksia", [5]),
    ("tekeminen-5", "Johda", [5]),
]

AREAS = [
    ("strategia", "Strategia"),
    ("johtaminen", "Johtaminen"),
    ("organisaatio", "Organisaatio"),
    ("osaaminen", "Osaaminen"),
    ("asenne", "Asenne"),
    ("tieto-ja-data", "Tieto ja data"),
    ("tyokalut", "Työkalut"),
    ("tekeminen", "Tekeminen"),
]

# --- the programme: theme, then per goal 1..20 the number of metrics of each action ----------
PROGRAMME = {
    "Minä, me ja Hyvinkää": {1: [1, 2, 2]},
    "Houkutteleva Hyvinkää": {2: [2, 1], 3: [1, 1, 1, 1]},
    "Yhteispelillä yritysten kanssa": {4: [1, 1], 5: [2, 1, 1], 6: [1, 1], 7: [1, 1, 1, 2, 1, 1]},
    "Talous": {8: [1], 9: [1, 1], 10: [1, 1], 11: [1, 1], 12: [1, 2]},
    "Digitalisaatio": {13: [1, 1]},
    "Henkilöstö": {14: [1, 1, 1], 15: [1, 1], 16: [1, 1, 2], 17: [1, 2]},
    "Kestävä kehitys": {18: [1, 1], 19: [1, 1]},
    "Turvallisuus": {20: [1, 1]},
}


@pytest.fixture(scope="module")
def content():
    return load_content(SOURCE)


def test_areas_are_the_grid_rows_in_order(content):
    assert [(a.id, a.title.fi) for a in content.areas] == AREAS


def test_every_step_matches_the_document(content):
    steps = [s for a in content.areas for s in a.steps]
    assert len(steps) == 40
    actual = [
        (s.id, s.title.fi, [sum(1 for x in s.actions if x.goal == g.id) for g in s.goals]) for s in steps
    ]
    assert actual == ROADMAP
    for step in steps:
        area, year = step.id.rsplit("-", 1)
        assert (step.area, step.year) == (area, int(year))
        # Ids count from 1 in document order: goals g1.., actions a1.. straight through the step.
        assert [g.id for g in step.goals] == [f"{step.id}-g{n}" for n in range(1, len(step.goals) + 1)]
        assert [x.id for x in step.actions] == [f"{step.id}-a{n}" for n in range(1, len(step.actions) + 1)]
        # Actions stay under the goal they are listed under, in order.
        goal_order = [g.id for g in step.goals]
        assert [goal_order.index(x.goal) for x in step.actions] == sorted(
            goal_order.index(x.goal) for x in step.actions
        )


def test_texts_are_clean_finnish_and_english(content):
    texts = [content.programme_title]
    for area in content.areas:
        texts.append(area.title)
        for step in area.steps:
            texts += [step.title, *(g.text for g in step.goals), *(x.text for x in step.actions)]
    for goal in content.goals:
        texts += [
            goal.text,
            *(a.text for a in goal.actions),
            *(m.text for a in goal.actions for m in a.metrics),
        ]
    texts += [lk.reason for lk in content.links]
    for text in texts:
        for value in (text.fi, text.en):
            assert value.strip() == value and value
            assert not re.search("[\u0400-\u04ff]", value), f"Cyrillic letters in {value!r}"
            assert not value.lower().startswith("tavoite"), value  # no "Tavoite 1:" prefixes
    everything = json.dumps(to_document(content), ensure_ascii=False)
    for typo in (
        "Päiivitä",
        "Verkostoitu",
        "vaikuttavuuspotentialista",
        "Kehittämispöressissä",
        "osamme",
        "Yhteisapelillä",
        "rekлама",
        "ohioistoja",
        "määräpäättä",
    ):
        assert typo not in everything, typo


def test_programme_goals_in_their_themes(content):
    assert [t.title.fi for t in content.themes] == list(PROGRAMME)
    assert [g.number for g in content.goals] == list(range(1, 21))
    actual = {
        t.title.fi: {g.number: [len(a.metrics) for a in g.actions] for g in content.goals if g.theme == t.id}
        for t in content.themes
    }
    assert actual == PROGRAMME


def test_metric_kinds_follow_the_document(content):
    kinds = {m.id: m.kind for g in content.goals for a in g.actions for m in a.metrics}
    assert kinds["p1-a1-m1"] == "yes_no"  # "Määrittäminen on tehty (K/E)"
    assert kinds["p1-a2-m2"] == "count"  # "...määrä vuodessa (Kpl)"
    assert kinds["p3-a3-m1"] == "percent"  # "...Hyvinkään vuosispendistä (%)"
    assert kinds["p9-a1-m1"] == "euro"  # "Yhteishankintojen määrän kasvu vuodessa (€)"
    assert kinds["p11-a2-m1"] == "planned_separately"
    assert kinds["p4-a1-m1"] == "hilma"
    assert kinds["p18-a2-m1"] == "hilma"
    # Nothing that the organisation plans is in the content.
    doc = to_document(content)["programme"]
    assert all(set(a) == {"id", "text", "metrics"} for g in doc["goals"] for a in g["actions"])


def test_links_join_every_step_and_every_goal(content):
    assert {lk.step for lk in content.links} == set(content.steps)
    assert {lk.goal for lk in content.links} == set(range(1, 21))
    assert len({(lk.step, lk.goal) for lk in content.links}) == len(content.links)


def test_questionnaires_quick_and_full(content):
    quick, full = content.questionnaire("quick"), content.questionnaire("full")
    goals = [g.id for a in content.areas for s in a.steps for g in s.goals]
    assert sorted(quick.items) == sorted(goals) and len(goals) == 44
    assert sorted(full.items) == sorted(content.items) and len(full.items) == 224
    for q in (quick, full):
        assert q.threshold == 0.75
        assert [(o.value, o.label.fi, o.label.en) for o in q.scale] == [
            (0, "ei lainkaan", "not at all"),
            (1, "vähän", "a little"),
            (2, "osittain", "partly"),
            (3, "pääosin", "mostly"),
            (4, "täysin", "fully"),
            (None, "en osaa sanoa", "don't know"),
        ]


# --- (b) every kind of breakage --------------------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "questionnaires"
    shutil.copytree(SOURCE, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems(folder: Path) -> str:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    message = str(info.value)
    assert "Traceback" not in message
    assert info.value.problems and all(isinstance(p, str) for p in info.value.problems)
    return message


def test_yaml_syntax_error_names_line_and_column(folder):
    edit(
        folder / "roadmap.yaml",
        'title: {fi: "Strategia", en: "Strategy"}',
        'title: {fi: "Strategia", en: "Strategy"',
    )
    message = problems(folder)
    assert "roadmap.yaml: line " in message and ", column " in message
    assert "not valid YAML" in message


def test_duplicate_key(folder):
    edit(folder / "quick.yaml", "threshold: 0.75\n", "threshold: 0.75\nthreshold: 0.5\n")
    message = problems(folder)
    assert 'quick.yaml: line 11, column 1: the key "threshold" appears twice; keep one' in message


def test_missing_english_text(folder):
    edit(folder / "roadmap.yaml", 'title: {fi: "Strategia", en: "Strategy"}', 'title: {fi: "Strategia"}')
    message = problems(folder)
    assert "roadmap.yaml: areas[0] (strategia).title:" in message
    assert 'the English text ("en") is missing or empty' in message


def test_empty_text(folder):
    edit(
        folder / "programme.yaml",
        'title: {fi: "Talous", en: "Finances"}',
        'title: {fi: "  ", en: "Finances"}',
    )
    message = problems(folder)
    assert "programme.yaml: themes[3] (talous).title:" in message
    assert 'the Finnish text ("fi") is missing or empty' in message


def test_duplicate_id(folder):
    edit(folder / "programme.yaml", "  - id: talous\n", "  - id: houkutteleva-hyvinkaa\n")
    message = problems(folder)
    assert "programme.yaml: themes[3] (houkutteleva-hyvinkaa)" in message
    assert 'the theme id "houkutteleva-hyvinkaa" is used twice' in message


def test_duplicate_area_id(folder):
    text = (folder / "roadmap.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["areas"].append(data["areas"][0])
    (folder / "roadmap.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    message = problems(folder)
    assert 'roadmap.yaml: areas[8] (strategia): the area id "strategia" is used twice' in message


def test_wrongly_numbered_goal_id(folder):
    edit(folder / "roadmap.yaml", 'id: "strategia-2-g2"', 'id: "strategia-2-g3"')
    message = problems(folder)
    assert "roadmap.yaml: areas[0] (strategia).steps[1] (strategia-2).goals[1] (strategia-2-g3):" in message
    assert 'expected id "strategia-2-g2", found "strategia-2-g3"' in message


def test_wrongly_numbered_action_id(folder):
    edit(folder / "roadmap.yaml", 'id: "strategia-2-a4"', 'id: "strategia-2-a1"')
    message = problems(folder)
    assert (
        "roadmap.yaml: areas[0] (strategia).steps[1] (strategia-2).goals[1] (strategia-2-g2)"
        ".actions[0] (strategia-2-a1):"
    ) in message
    assert 'expected id "strategia-2-a4", found "strategia-2-a1"' in message


def test_step_year_out_of_order(folder):
    edit(folder / "roadmap.yaml", 'id: "osaaminen-3"\n        year: 3', 'id: "osaaminen-3"\n        year: 2')
    message = problems(folder)
    assert (
        "roadmap.yaml: areas[3] (osaaminen).steps: an area has exactly five steps for years 1-5 "
        "in order; found years [1, 2, 2, 4, 5]"
    ) in message
    assert (
        'roadmap.yaml: areas[3] (osaaminen).steps[2] (osaaminen-3): the step id must be "osaaminen-2"'
    ) in message


def test_programme_goal_numbered_out_of_order(folder):
    edit(folder / "programme.yaml", "number: 2", "number: 3")
    message = problems(folder)
    assert (
        "programme.yaml: goals[1] (3).number: goals are numbered 1, 2, 3... in order: expected 2"
        == message.split("questionnaires/")[-1]
    )  # one problem, not a cascade of follow-on ones


def test_unknown_metric_kind(folder):
    edit(folder / "programme.yaml", "kind: yes_no", "kind: maybe")
    message = problems(folder)
    assert "programme.yaml: goals[0] (1).actions[0] (p1-a1).metrics[0] (p1-a1-m1):" in message
    assert 'unknown metric kind "maybe"' in message


def test_link_to_unknown_step(folder):
    edit(folder / "links.yaml", 'step: "strategia-1"', 'step: "strategia-9"')
    message = problems(folder)
    assert "links.yaml: links[0] (strategia-9):" in message
    assert 'refers to the roadmap step "strategia-9", which does not exist' in message


def test_link_to_unknown_goal(folder):
    edit(folder / "links.yaml", "goal: 1\n", "goal: 21\n")
    message = problems(folder)
    assert "links.yaml: links[0] (strategia-1).goal:" in message
    assert "refers to programme goal 21, which does not exist" in message


def test_programme_goal_with_no_link(folder):
    path = folder / "links.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["links"] = [lk for lk in data["links"] if lk["goal"] != 20]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    message = problems(folder)
    assert "links.yaml: links: programme goal 20 is reached from no step; add a link" in message


def test_step_with_no_link(folder):
    path = folder / "links.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["links"] = [lk for lk in data["links"] if lk["step"] != "asenne-3"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    message = problems(folder)
    assert 'links.yaml: links: the step "asenne-3" links to no programme goal' in message


def test_questionnaire_naming_an_unknown_item(folder):
    edit(folder / "quick.yaml", "  - strategia-1-g1\n", "  - strategia-1-g1\n  - strategia-1-g9\n")
    message = problems(folder)
    assert "quick.yaml: items[1]:" in message
    assert "'strategia-1-g9' is not a goal or action id of the roadmap" in message


def test_questionnaire_with_a_wrong_scale(folder):
    edit(folder / "full.yaml", "{value: 4,", "{value: 5,")
    message = problems(folder)
    assert "full.yaml: scale[4] (5): the value must be 0, 1, 2, 3, 4 or null" in message
    assert "full.yaml: scale: the scale must have each of the values 0, 1, 2, 3, 4 and null once" in message


@pytest.mark.parametrize("threshold", ["1.5", "-0.1", "0"])
def test_threshold_outside_zero_to_one(folder, threshold):
    edit(folder / "quick.yaml", "threshold: 0.75", f"threshold: {threshold}")
    message = problems(folder)
    assert "quick.yaml: threshold: the threshold is a share between 0 and 1" in message


def test_questionnaire_id_not_matching_its_file_name(folder):
    shutil.copy(folder / "quick.yaml", folder / "workshop.yaml")
    message = problems(folder)
    assert 'workshop.yaml: the id "quick" must match the file name "workshop.yaml"' in message


@pytest.mark.parametrize("name", ["roadmap.yaml", "programme.yaml", "links.yaml"])
def test_missing_file(folder, name):
    (folder / name).unlink()
    message = problems(folder)
    assert f"{name}: the file is missing" in message


def test_no_questionnaire_at_all(folder):
    (folder / "quick.yaml").unlink()
    (folder / "full.yaml").unlink()
    assert "there is no questionnaire file" in problems(folder)


def test_every_problem_is_reported_at_once(folder):
    edit(folder / "roadmap.yaml", 'id: "strategia-2-g2"', 'id: "strategia-2-g3"')
    edit(folder / "programme.yaml", "kind: yes_no", "kind: maybe")
    message = problems(folder)
    assert "roadmap.yaml" in message and "programme.yaml" in message


# --- (c) a new questionnaire ------------------------------------------------------------------


def test_a_new_questionnaire_file_is_picked_up(folder):
    data = yaml.safe_load((folder / "quick.yaml").read_text(encoding="utf-8"))
    data["id"] = "johto"
    data["title"] = {"fi": "Johdon kysely", "en": "Management questionnaire"}
    data["threshold"] = 0.6
    data["items"] = [f"{s}-g1" for s, _title, _counts in ROADMAP]  # the first goal of each step
    (folder / "johto.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    content = load_content(folder)
    q = content.questionnaire("johto")
    assert q is not None and q.title.fi == "Johdon kysely" and q.threshold == 0.6
    assert len(q.items) == 40
    assert [x.id for x in content.questionnaires] == ["full", "johto", "quick"]
    assert content.version != load_content(SOURCE).version


# --- (d) versions ------------------------------------------------------------------------------


def test_same_files_same_version(folder):
    assert load_content(folder).version == load_content(SOURCE).version


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("roadmap.yaml", "We bring procurement statistics", "We bring procurement figures"),
        ("programme.yaml", "Määrittäminen on tehty", "Määrittely on tehty"),
        (
            "links.yaml",
            "Vaikuttavuuspotentiaalin tunnistaminen strategiatyössä",
            "Vaikuttavuuspotentiaalin tunnistaminen strategian laadinnassa",
        ),
        ("quick.yaml", "Pikakysely", "Pikakysely 2"),
        ("full.yaml", '"en osaa sanoa"', '"en tiedä"'),
    ],
)
def test_any_text_change_gives_a_new_version(folder, name, old, new):
    before = load_content(folder).version
    edit(folder / name, old, new)
    assert load_content(folder).version != before


# --- (e) the JSON document ---------------------------------------------------------------------


def test_document_round_trips(content):
    document = json.loads(json.dumps(to_document(content), ensure_ascii=False))
    again = from_document(document)
    assert again == content
    assert again.version == content.version
    assert to_document(again) == to_document(content)
    assert again.steps.keys() == content.steps.keys() and again.items == content.items


def test_a_tampered_document_is_refused(content):
    document = to_document(content)
    document["roadmap"]["areas"][0]["steps"][0]["goals"][0]["text"]["fi"] = "Muutettu"
    with pytest.raises(ContentError, match="altered"):
        from_document(document)
    with pytest.raises(ContentError, match="not a valid content document"):
        from_document({"version": content.version, "roadmap": {}})
