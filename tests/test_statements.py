"""The measuring instrument: statements over the roadmap, the glossary, links that hold.

(a) the statements as shipped: one per item, distinct within each questionnaire, no negation or
duty; (b) every kind of broken statement or glossary file is refused with file, place and fix;
(c) the documents carry the statements; an assessment answered on the content from before
statements still scores and reads exactly as before; (d) every programme goal rests on at least
two steps; (e) the Finnish catalogue uses no synonym the glossary forbids.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from assess import ROOT
from assess.content import ContentError, from_document, load_content, to_document
from assess.content.glossary import forbidden
from assess.content.statements import normalised
from assess.i18n import TRANSLATIONS
from assess.storage import assessments, content_store
from assess.storage.db import open_db
from tests.conftest import LEAD, login, make_app, seed_accounts, soup

SOURCE = ROOT / "questionnaires"


@pytest.fixture(scope="module")
def content():
    return load_content(SOURCE)


# --- (a) the statements as shipped ------------------------------------------------------------


def test_every_item_has_a_statement_and_guidance_in_both_languages(content):
    assert len(content.items) == 224
    for item in content.items.values():
        assert item.wording is not None, item.id
        for lang in ("fi", "en"):
            assert 15 <= len(item.claim(lang)) <= 220, (item.id, lang)
            assert 20 <= len(item.guidance(lang)) <= 600, (item.id, lang)
            assert item.source(lang) == item.text.get(lang)  # the roadmap text stays verbatim


@pytest.mark.parametrize("questionnaire", ["quick", "full"])
def test_statements_are_distinct_within_each_questionnaire(content, questionnaire):
    items = content.questionnaire(questionnaire).items
    for lang in ("fi", "en"):
        statements = [normalised(content.items[i].claim(lang)) for i in items]
        assert len(set(statements)) == len(statements)
    # The documents repeat tyokalut-3-g1 as tyokalut-4-g1 word for word; the statements do not.
    assert content.items["tyokalut-3-g1"].text == content.items["tyokalut-4-g1"].text
    assert content.items["tyokalut-3-g1"].claim("fi") != content.items["tyokalut-4-g1"].claim("fi")


def test_no_statement_starts_with_a_negation_or_states_a_duty(content):
    for item in content.items.values():
        fi, en = item.claim("fi"), item.claim("en")
        assert not re.match(r"(ei|emme|en|eikä)\b", fi, re.IGNORECASE), (item.id, fi)
        assert not re.match(r"(no|not|we do not|we don't)\b", en, re.IGNORECASE), (item.id, en)
        assert not re.search(r"\b(tulee|pitää|täytyy|on syytä)\b", fi, re.IGNORECASE), (item.id, fi)
        assert not re.search(r"\b(should|must|ought)\b", en, re.IGNORECASE), (item.id, en)


# --- (b) broken statement and glossary files ------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "questionnaires"
    shutil.copytree(SOURCE, target)
    return target


def problems(folder: Path) -> str:
    with pytest.raises(ContentError) as info:
        load_content(folder)
    message = str(info.value)
    assert "Traceback" not in message
    return message


def rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def set_statement(folder: Path, item: str, lang: str, text: str, key: str = "statement") -> None:
    area = item.rsplit("-", 2)[0]
    rewrite(folder / "statements" / f"{area}.yaml", lambda d: d["items"][item][key].__setitem__(lang, text))


def test_missing_statement_folder(folder):
    shutil.rmtree(folder / "statements")
    assert "statements: the folder of statement files is missing; add one file per area" in problems(folder)


def test_missing_area_file(folder):
    (folder / "statements" / "asenne.yaml").unlink()
    assert "statements/asenne.yaml: the file is missing" in problems(folder)


def test_file_for_an_unknown_area(folder):
    shutil.copy(folder / "statements" / "asenne.yaml", folder / "statements" / "hankinnat.yaml")
    assert 'statements/hankinnat.yaml: there is no roadmap area "hankinnat"' in problems(folder)


def test_item_without_a_statement(folder):
    rewrite(folder / "statements" / "strategia.yaml", lambda d: d["items"].pop("strategia-2-a4"))
    assert "statements/strategia.yaml: items: no statement for strategia-2-a4; add one" in problems(folder)


def test_unknown_item_id(folder):
    rewrite(
        folder / "statements" / "strategia.yaml",
        lambda d: d["items"].__setitem__("strategia-2-a9", d["items"]["strategia-2-a4"]),
    )
    message = problems(folder)
    assert (
        'statements/strategia.yaml: items.strategia-2-a9: "strategia-2-a9" is not a goal or '
        "action id of the roadmap" in message
    )


def test_item_of_another_area(folder):
    def move(d):
        d["items"]["asenne-1-g1"] = d["items"].pop("strategia-1-g1")

    rewrite(folder / "statements" / "strategia.yaml", move)
    message = problems(folder)
    assert (
        'statements/strategia.yaml: items.asenne-1-g1: "asenne-1-g1" belongs to the area '
        '"asenne"; move it to statements/asenne.yaml' in message
    )


def test_wrong_area_key(folder):
    rewrite(folder / "statements" / "strategia.yaml", lambda d: d.__setitem__("area", "asenne"))
    assert 'statements/strategia.yaml: area: the area must be "strategia"' in problems(folder)


def test_item_given_twice(folder):
    path = folder / "statements" / "strategia.yaml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("  strategia-1-a1:") : text.index("  strategia-1-a2:")]
    path.write_text(text.replace(block, block + block), encoding="utf-8")
    assert 'the key "strategia-1-a1" appears twice; keep one' in problems(folder)


def test_items_out_of_roadmap_order(folder):
    def swap(d):
        items = list(d["items"].items())
        items[0], items[1] = items[1], items[0]
        d["items"] = dict(items)

    rewrite(folder / "statements" / "strategia.yaml", swap)
    assert (
        "statements/strategia.yaml: items: the items are in the roadmap's order: expected "
        "strategia-1-g1 at place 1" in problems(folder)
    )


def test_missing_english_guidance(folder):
    rewrite(
        folder / "statements" / "osaaminen.yaml", lambda d: d["items"]["osaaminen-3-a2"]["guidance"].pop("en")
    )
    message = problems(folder)
    assert "statements/osaaminen.yaml: items.osaaminen-3-a2.guidance:" in message
    assert 'the English text ("en") is missing or empty; add it' in message


@pytest.mark.parametrize(
    "key, text, expected",
    [
        ("statement", "Liian lyhyt", "statement.fi: 11 characters; write 15-220"),
        ("statement", "Pitkä " * 40, "statement.fi: 239 characters; write 15-220"),
        ("guidance", "Lyhyt ohje", "guidance.fi: 10 characters; write 20-600"),
    ],
)
def test_length_limits(folder, key, text, expected):
    set_statement(folder, "tekeminen-3-g1", "fi", text.strip(), key)
    assert f"statements/tekeminen.yaml: items.tekeminen-3-g1: {expected}" in problems(folder)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("fi", "Emme pelkää kokeilla uusia hankintamenettelyjä."),
        ("fi", "Ei ole hankintaa, jota emme osaisi tehdä."),
        ("en", "We do not fear trying new procurement procedures."),
        ("en", "Not a single procurement is left without a plan."),
    ],
)
def test_a_negated_statement_is_refused(folder, lang, text):
    set_statement(folder, "asenne-2-g1", lang, text)
    assert f"statements/asenne.yaml: items.asenne-2-g1: statement.{lang}: starts with a negation" in problems(
        folder
    )


@pytest.mark.parametrize(
    "lang, text, verb",
    [
        ("fi", "Johdon tulee linjata hankintojen tavoitteet.", "tulee"),
        ("fi", "Hankinnoissa on syytä kokeilla uutta.", "on syytä"),
        ("en", "Management should set the goals of procurement.", "should"),
        ("en", "Every contract must have an owner.", "must"),
    ],
)
def test_a_statement_of_duty_is_refused(folder, lang, text, verb):
    set_statement(folder, "johtaminen-2-g1", lang, text)
    message = problems(folder)
    assert f'items.johtaminen-2-g1: statement.{lang}: states a duty ("{verb}")' in message


def test_the_same_statement_twice_in_a_questionnaire(folder, content):
    # Case and white space do not make two statements different.
    same = "  " + content.items["tyokalut-3-g1"].claim("fi").upper().replace(" ", "   ") + " "
    set_statement(folder, "tyokalut-4-g1", "fi", same)
    message = problems(folder)
    for questionnaire in ("quick", "full"):
        assert (
            "statements/tyokalut.yaml: items.tyokalut-4-g1.statement.fi: the same statement as "
            'tyokalut-3-g1 ("'
        ) in message and f'in the questionnaire "{questionnaire}"' in message


def test_an_action_repeating_a_goal_is_refused_only_where_both_are_asked(folder, content):
    set_statement(folder, "tyokalut-4-a1", "en", content.items["tyokalut-3-g1"].claim("en"))
    message = problems(folder)
    assert "items.tyokalut-4-a1.statement.en: the same statement as tyokalut-3-g1" in message
    assert 'questionnaire "full"' in message and 'questionnaire "quick"' not in message


def test_a_statement_change_gives_a_new_version(folder):
    before = load_content(folder).version
    set_statement(folder, "asenne-5-a1", "en", "A reworded statement about the organisation.")
    assert load_content(folder).version != before


def test_glossary_problems(folder):
    def break_it(d):
        d["terms"][1]["id"] = d["terms"][0]["id"]  # an id twice
        d["terms"][2]["term"]["en"] = d["terms"][3]["term"]["en"]  # one English word, two concepts
        d["terms"][4]["definition"].pop("fi")  # no Finnish definition
        d["terms"][5]["avoid"] = {"fi": ["tavoite"]}  # forbids another term

    rewrite(folder / "glossary.yaml", break_it)
    message = problems(folder)
    assert (
        'glossary.yaml: terms[1] (tulevaisuuspolku): the term id "tulevaisuuspolku" is used twice' in message
    )
    assert 'glossary.yaml: terms[3] (vaihe): the term "stage" (en) is also the term of "askel"' in message
    assert "glossary.yaml: terms[4] (toteutuma).definition: the Finnish text" in message
    assert 'glossary.yaml: terms (kynnys).avoid.fi: "tavoite" is the glossary term of "tavoite"' in message


def test_missing_glossary(folder):
    (folder / "glossary.yaml").unlink()
    assert "glossary.yaml: the file is missing" in problems(folder)


# --- (c) the documents, and content from before statements ----------------------------------


def test_the_content_document_carries_statement_and_guidance(client, runner, content):
    document = client.get("/api/content").get_json()
    assert document == json.loads(runner.invoke(args=["content", "--json"]).output)
    for area in document["roadmap"]["areas"]:
        for step in area["steps"]:
            for goal in step["goals"]:
                assert set(goal) == {"id", "text", "statement", "guidance"}
            for action in step["actions"]:
                assert set(action) == {"id", "text", "goal", "statement", "guidance"}
    first = document["roadmap"]["areas"][0]["steps"][0]["goals"][0]
    item = content.items[first["id"]]
    assert first["statement"] == item.wording.statement.as_dict()
    assert first["guidance"] == item.wording.guidance.as_dict()
    assert [t["id"] for t in document["glossary"]][:3] == ["tulevaisuuspolku", "osa-alue", "askel"]


def before_statements(document: dict) -> dict:
    """The document of this content as it was before statements and the glossary existed."""
    old = json.loads(json.dumps(document))
    for area in old["roadmap"]["areas"]:
        for step in area["steps"]:
            for entry in (*step["goals"], *step["actions"]):
                del entry["statement"], entry["guidance"]
    del old["glossary"]
    old["files"] = {
        k: v for k, v in old["files"].items() if k != "glossary" and not k.startswith("statements/")
    }
    return old


def digest(document: dict) -> str:
    """A content document's version as the earlier release computed it: the digest of all
    but the version itself."""
    rest = {k: v for k, v in document.items() if k != "version"}
    canonical = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def test_a_document_from_before_statements_keeps_its_version(content):
    old = before_statements(to_document(content))
    old["version"] = digest(old)
    again = from_document(old)
    assert to_document(again) == old  # no statement keys appear: the digest holds
    assert all(i.wording is None and i.claim("fi") == i.text.fi for i in again.items.values())


def _observe(app, assessment_id: int, areas: list[str]) -> dict:
    """What a lead sees of an assessment: the statements of each area page, its results and
    the statements in the answers export."""
    client = app.test_client()
    login(client, LEAD)
    seen: dict = {"legends": {}, "sources": 0}
    for area in areas:
        page = soup(client.get(f"/assessments/{assessment_id}/areas/{area}"))
        seen["legends"][area] = [
            f.legend.get_text(strip=True) for f in page.find_all("fieldset", class_="statement")
        ]
        seen["sources"] += len(page.select(".statement-source, details"))
    results = soup(client.get(f"/assessments/{assessment_id}/results"))
    seen["results"] = results.find("main").get_text(" ", strip=True)
    org_id = app.config["_org_id"]
    raw = client.get(f"/orgs/{org_id}/export/answers.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    seen["export"] = [row[5:9] for row in rows[1:]]
    return seen


def test_an_assessment_answered_before_statements_scores_and_reads_as_before(tmp_path):
    now = make_app(tmp_path)
    current = now.extensions["content"]
    old_document = before_statements(to_document(current))
    old_document["version"] = digest(old_document)
    old = from_document(old_document)
    assert old.version != current.version
    db = open_db(now.config["DATABASE"])
    try:
        accounts = seed_accounts(db)
        content_store.remember(db, old.version, json.dumps(old_document))
        row = assessments.create_assessment(
            db,
            org_id=accounts["org"]["id"],
            year=2024,
            questionnaire="full",
            content_version=old.version,
            kind="single",
            created_by=None,
        )
        respondent = assessments.shared_respondent(db, row["id"])
        answers = {
            item: (4, 3, None, 2, 4, 1)[n % 6] for n, item in enumerate(old.questionnaire("full").items)
        }
        assessments.save_area(
            db,
            respondent_id=respondent["id"],
            area="all",
            changes=answers,
            base={},
            comment=None,
            base_comment=None,
        )
    finally:
        db.conn.close()
    # Before: the app while that content was the current one (same database).
    then = make_app(tmp_path)
    then.extensions["content"] = old
    areas = [a.id for a in old.areas]
    for app in (then, now):
        app.config["_org_id"] = accounts["org"]["id"]
    before, after = _observe(then, row["id"], areas), _observe(now, row["id"], areas)
    assert after == before
    # And what was rated then was the roadmap text itself, with no source or guidance beside it.
    assert after["legends"]["strategia"][0] == old.items["strategia-1-g1"].text.fi
    assert after["sources"] == 0
    assert after["export"][0][1:3] == [old.items["strategia-1-g1"].text.fi, ""]
    assert "Vaihe" in after["results"] or "vaihe" in after["results"]


# --- (d) links that hold ------------------------------------------------------------------------


def test_every_programme_goal_rests_on_at_least_two_steps(content):
    for goal in content.goals:
        steps = {lk.step for lk in content.steps_for_goal(goal.number)}
        assert len(steps) >= 2, f"programme goal {goal.number} rests on {sorted(steps)}"


def test_contract_management_step_advances_goal_7(content):
    # tekeminen-2 defines, instructs and assigns the contract management process: goal 7's actions.
    assert 7 in {lk.goal for lk in content.goals_for_step("tekeminen-2")}


# --- (e) one vocabulary -------------------------------------------------------------------------


def catalogue() -> list[tuple[str, str, str]]:
    """(part file, msgid, msgstr) for every Finnish translation, plural forms included."""
    found = []
    for po_path in sorted((TRANSLATIONS / "fi" / "parts").glob("*.po")):
        with po_path.open("rb") as fh:
            for message in read_po(fh, locale="fi"):
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for msgstr in strings:
                    found.append((po_path.name, ids[0], msgstr))
    return found


def test_no_glossary_synonym_in_the_finnish_catalogue(content):
    hits = [
        f"{part}: {msgstr!r} uses {word!r} for {term!r}"
        for part, _msgid, msgstr in catalogue()
        for term, word in forbidden(content.glossary, "fi", msgstr)
    ]
    assert not hits, "\n".join(hits)


def test_no_glossary_synonym_in_the_english_strings(content):
    hits = [
        f"{part}: {msgid!r} uses {word!r} for {term!r}"
        for part, msgid, _msgstr in catalogue()
        for term, word in forbidden(content.glossary, "en", msgid)
    ]
    assert not hits, "\n".join(hits)


def test_the_target_stage_is_never_called_a_goal(content):
    # "Tavoite" is a programme goal; the stage aimed at is "tavoitetaso".
    wrong = [
        (msgid, msgstr)
        for _part, msgid, msgstr in catalogue()
        if re.search(r"\btargets?\b", msgid, re.IGNORECASE)
        and not re.search(r"tavoitetaso", msgstr, re.IGNORECASE)
    ]
    assert not wrong, wrong


def test_glossary_page_lists_every_term_in_both_languages(client, seeded, content):
    page = soup(client.get("/glossary"))  # open to respondents, who have no account
    entries = page.select(".glossary-entry")
    assert [e["id"] for e in entries] == [f"term-{t.id}" for t in content.glossary]
    first = content.glossary[0]
    assert entries[0].dt.dfn.get_text() == first.term.fi
    assert entries[0].dd.p.get_text() == first.definition.fi
    header = page.find("header")
    assert header.find("a", href="/glossary").get_text() == "Käsitteet"
    tavoitetaso = next(e for e in entries if e["id"] == "term-tavoitetaso")
    assert "tavoitevaihe" in tavoitetaso.get_text()  # the synonyms not to use are named
    # A matching stem ("tiekarta-", for "tiekartan") is not a word to show.
    roadmap = next(e for e in entries if e["id"] == "term-tulevaisuuspolku")
    assert roadmap.find(class_="meta").get_text() == "Ei: tiekartta"


def test_a_respondent_sees_the_statement_with_its_source_and_guidance(app, db, seeded):
    from tests.test_workshop import join, make_round

    content = app.extensions["content"]
    row = make_round(db, app, seeded, questionnaire="full")
    phone, link = join(app, row["join_code"], "Maija")
    page = soup(phone.get(f"{link}/areas/tekeminen"))
    hint = page.find("p", class_="hint").get_text()
    assert "tilannetta ei ole koskaan tullut vastaan" in hint  # never arose: "en osaa sanoa"
    fieldsets = page.find_all("fieldset", class_="statement")
    ids = [f["id"].removeprefix("a-") for f in fieldsets]
    assert [f.legend.get_text(strip=True) for f in fieldsets] == [content.items[i].claim("fi") for i in ids]
    assert [f.find(class_="statement-source").get_text(" ", strip=True) for f in fieldsets] == [
        f"Tulevaisuuspolulla: {content.items[i].text.fi}" for i in ids
    ]
    # tekeminen-2 asks three goals with their actions: each action stands under its goal.
    groups = page.select("#step-tekeminen-2")[0].find_parent("section").select(".goal-group")
    assert [g.find("fieldset")["id"] for g in groups] == [
        "a-tekeminen-2-g1",
        "a-tekeminen-2-g2",
        "a-tekeminen-2-g3",
    ]
    assert [len(g.select(".goal-actions fieldset")) for g in groups] == [7, 3, 5]
