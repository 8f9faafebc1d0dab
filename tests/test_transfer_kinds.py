"""Every kind of data the export format carries survives export → import into a fresh
installation → export again, and every validation rule of the import refuses on its own.

The organisation is the demo (single assessments on two content versions, a closed named round
with agreements, plan entries in every status with their events, targets, metric values) and,
added here, what the demo lacks:
- area comments (a single assessment's shared respondent and a round respondent);
- an anonymous team round still open, with respondents who answered, and a running workshop
  whose state moved (position, votes revealed, join code shown);
- a named round in which one respondent was erased (an alias, no name) and one still named;
- an archived assessment (archived_at);
- a metric value of every value kind (yes/no, count, percent, euro, text), including a value
  of a kind the organisation chose for a "planned separately" metric (metric_kinds);
- plan entries in every status (planned, in progress, done, dropped).
Not in the format, so not here: users and roles, personal links, join codes, cached results,
own-data imports and proposals, benchmark settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assess.metrics import VALUE_KINDS
from assess.storage import accounts, assessments, lifecycle, metrics, plan, rounds, workshops
from assess.storage.db import open_db
from assess.transfer import SECTIONS
from tests.conftest import make_app

TRANSFER = Path(__file__).resolve().parent.parent / "assess" / "transfer"
TABLES = (
    "content_versions",
    "organisations",
    "assessments",
    "respondents",
    "answers",
    "area_comments",
    "agreements",
    "plan_entries",
    "plan_events",
    "targets",
    "metric_kinds",
    "metric_values",
    "workshops",
)
EXAMPLES = {
    "yes_no": True,
    "count": 12,
    "percent": 37.5,
    "euro": 1250000.5,
    "text": "Sopimusseuranta alkoi syksyllä.",
}


def _copy(doc):
    """A deep copy of an export document (JSON data): ten times quicker than copy.deepcopy."""
    return json.loads(json.dumps(doc))


def _metric_of_kind(content, kind: str) -> str:
    for goal in content.goals:
        for action in goal.actions:
            for metric in action.metrics:
                if metric.kind == kind:
                    return metric.id
    raise AssertionError(f"no metric of kind {kind}")


def _add_what_the_demo_lacks(app, db, org_id: int) -> None:
    content = app.extensions["content"]
    version = content.version
    quick = next(q for q in content.questionnaires if q.id == "quick")
    items = list(quick.items)
    area = items[0].split("-")[0]
    # An open single assessment with answers and an area comment.
    single, _ = assessments.start_single(
        db, org_id=org_id, year=2026, questionnaire="quick", content_version=version, created_by=None
    )
    shared = assessments.shared_respondent(db, single["id"])
    assessments.save_area(
        db,
        respondent_id=shared["id"],
        area=area,
        changes={items[0]: 3, items[1]: None},
        base={},
        comment="Perustelut: hankintaohje päivitettiin.",
        base_comment=None,
    )
    # An anonymous round, open, with a running workshop that moved on.
    anon = rounds.open_round(
        db,
        org_id=org_id,
        year=2026,
        questionnaire="quick",
        content_version=version,
        created_by=None,
        anonymous=True,
        deadline="2026-05-31",
        title="Nimetön kierros",
    )
    for n in range(3):
        who, _ = rounds.join(db, anon["id"], f"anon{n}".ljust(32, "x"), None)
        assessments.save_area(
            db,
            respondent_id=who["id"],
            area=area,
            changes={items[0]: n + 1},
            base={},
            comment="Kommentti" if n == 0 else None,
            base_comment=None,
        )
    workshops.start(db, anon["id"])
    workshops.move(db, anon["id"], 2, 10)
    workshops.set_flag(db, anon["id"], "revealed", True)
    workshops.set_flag(db, anon["id"], "show_code", True)
    # A named round: one respondent erased (answers kept as an alias), one still named.
    named = rounds.open_round(
        db,
        org_id=org_id,
        year=2026,
        questionnaire="quick",
        content_version=version,
        created_by=None,
        anonymous=False,
    )
    kept, _ = rounds.join(db, named["id"], "named0".ljust(32, "x"), "Kaisa Kehittäjä")
    erased, _ = rounds.join(db, named["id"], "named1".ljust(32, "x"), "Eero Poistettava")
    for who in (kept, erased):
        assessments.save_area(
            db,
            respondent_id=who["id"],
            area=area,
            changes={items[0]: 2},
            base={},
            comment=None,
            base_comment=None,
        )
    lifecycle.erase_respondent(db, named["id"], erased["id"], keep_answers=True, by_user=None, label="Eero")
    rounds.set_show_team(db, named["id"], True)
    # An archived assessment: the demo's oldest final one that does not count.
    final = [a for a in assessments.for_org(db, org_id) if a["status"] == "final"]
    candidates = [a for a in final if not a["counts"]] or final
    lifecycle.archive_assessment(db, org_id, candidates[0]["id"], by_user=None, label="arkistoon")
    # A value of every kind, one through a chosen kind.
    for kind in VALUE_KINDS:
        metric = _metric_of_kind(content, kind) if kind != "text" else None
        if metric is None:
            metric = _metric_of_kind(content, "planned_separately")
            metrics.set_kind(db, org_id, metric, "text")
        metrics.set_value(db, org_id, 2026, metric, kind, EXAMPLES[kind], note="huom", source="oma seuranta")
    # A plan entry in every status.
    for status in ("planned", "in_progress", "done", "dropped"):
        entry = plan.add_entry(db, org_id, text=f"Toimenpide {status}", step=None, goal=None)
        if status != "planned":
            plan.set_status(db, org_id, entry["id"], entry["revision"], status)
    # The newest entry deleted: its number is used up and must stay so after a move.
    mistake = plan.add_entry(db, org_id, text="Kirjattu vahingossa", step=None, goal=None)
    lifecycle.delete_plan_entry(db, org_id, mistake["id"], by_user=None, label="vahinko")


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """(first app, export path, export document, slug) for the enriched demo organisation."""
    tmp = tmp_path_factory.mktemp("transfer")
    app = make_app(tmp / "first")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    slug = result.output.strip().splitlines()[-1]
    db = open_db(app.config["DATABASE"])
    try:
        _add_what_the_demo_lacks(app, db, accounts.get_org_by_slug(db, slug)["id"])
    finally:
        db.conn.close()
    path = tmp / "full.json"
    assert runner.invoke(args=["export", slug, str(path)]).exit_code == 0
    return app, path, json.loads(path.read_text(encoding="utf-8")), slug


def test_the_file_holds_every_kind_of_data(full):
    _app, _path, doc, _slug = full
    for section in SECTIONS:
        assert doc[section], f"{section} is empty: the round trip would not test it"
    kinds = {a["kind"] for a in doc["assessments"]}
    assert kinds == {"single", "round"}
    assert {a["status"] for a in doc["assessments"]} >= {"final", "open"}
    assert any(a["anonymous"] for a in doc["assessments"])
    assert any(a["archived_at"] for a in doc["assessments"])
    assert any(a["deadline"] for a in doc["assessments"])
    assert any(a["show_team_to_respondents"] for a in doc["assessments"])
    top = max(p["number"] for p in doc["plan_entries"])
    assert doc["organisation"]["plan_numbers_used"] > top  # the deleted entry's number
    assert any(r["alias"] for r in doc["respondents"]) and any(r["name"] for r in doc["respondents"])
    assert {v["kind"] for v in doc["metric_values"]} == set(VALUE_KINDS)
    assert {p["status"] for p in doc["plan_entries"]} == {"planned", "in_progress", "done", "dropped"}
    workshop = doc["workshops"][0]
    assert workshop["position"] == 2 and workshop["revealed"] and workshop["show_code"]
    assert any(a["value"] is None for a in doc["answers"])  # "don't know"


def test_export_import_export_gives_the_same_document(full, tmp_path):
    _app, path, doc, slug = full
    second = make_app(tmp_path / "second")
    result = second.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.json"
    assert second.test_cli_runner().invoke(args=["export", slug, str(again)]).exit_code == 0
    redone = json.loads(again.read_text(encoding="utf-8"))
    first = _copy(doc)
    first.pop("exported_at")
    redone.pop("exported_at")
    for section in SECTIONS:
        assert redone[section] == first[section], section
    assert redone == first


def test_a_moved_organisation_never_gives_a_deleted_entrys_number_again(full, tmp_path):
    _app, path, doc, slug = full
    second = make_app(tmp_path / "second")
    assert second.test_cli_runner().invoke(args=["import", str(path)]).exit_code == 0
    db = open_db(second.config["DATABASE"])
    try:
        org_id = accounts.get_org_by_slug(db, slug)["id"]
        entry = plan.add_entry(db, org_id, text="Uusi toimenpide", step=None, goal=None)
    finally:
        db.conn.close()
    assert entry["number"] == doc["organisation"]["plan_numbers_used"] + 1


# --- every validation rule refuses on its own -----------------------------------------------


def _single(doc):
    return next(a for a in doc["assessments"] if a["kind"] == "single")


def _round(doc, anonymous=False):
    return next(a for a in doc["assessments"] if a["kind"] == "round" and a["anonymous"] == anonymous)


def _shared_of(doc, assessment):
    return next(r for r in doc["respondents"] if r["assessment"] == assessment["id"])


def _index(doc, section, record):
    return doc[section].index(record)


def _set(section, n, key, value):
    def breaker(doc):
        doc[section][n][key] = value
        return f"{section}[{n}].{key}"

    return breaker


def _drop(section, n, key):
    def breaker(doc):
        del doc[section][n][key]
        return f"{section}[{n}].{key}"

    return breaker


def _duplicate_assessment_id(doc):
    doc["assessments"][1]["id"] = doc["assessments"][0]["id"]
    return "assessments[1].id"


def _duplicate_respondent_id(doc):
    doc["respondents"][1]["id"] = doc["respondents"][0]["id"]
    return "respondents[1].id"


def _bad_deadline(doc):
    doc["assessments"][0]["deadline"] = "31.5.2026"
    return "assessments[0].deadline"


def _unknown_version(doc):
    doc["assessments"][0]["content_version"] = "0123456789ab"
    return "assessments[0].content_version"


def _unknown_questionnaire(doc):
    doc["assessments"][0]["questionnaire"] = "no-such-questionnaire"
    return "assessments[0].questionnaire"


def _two_count(doc):
    counted = next(a for a in doc["assessments"] if a["counts"])
    other = (
        next(
            a
            for a in doc["assessments"]
            if a is not counted
            and a["year"] == counted["year"]
            and not a["counts"]
            and a["status"] == "final"
        )
        if any(
            a is not counted and a["year"] == counted["year"] and a["status"] == "final"
            for a in doc["assessments"]
        )
        else None
    )
    if other is None:  # a copy of the counted one, for the same year
        other = dict(counted, id=max(a["id"] for a in doc["assessments"]) + 1)
        doc["assessments"].append(other)
        doc["respondents"].append(
            dict(
                _shared_of(doc, counted),
                id=max(r["id"] for r in doc["respondents"]) + 1,
                assessment=other["id"],
            )
        )
    other["counts"] = True
    return f"assessments[{_index(doc, 'assessments', other)}].counts"


def _round_shared(doc):
    the_round = _round(doc)
    respondent = next(r for r in doc["respondents"] if r["assessment"] == the_round["id"])
    respondent["shared"] = True
    return f"respondents[{_index(doc, 'respondents', respondent)}].shared"


def _single_not_shared(doc):
    respondent = _shared_of(doc, _single(doc))
    respondent["shared"] = False
    return f"respondents[{_index(doc, 'respondents', respondent)}].shared"


def _name_in_anonymous(doc):
    the_round = _round(doc, anonymous=True)
    respondent = next(r for r in doc["respondents"] if r["assessment"] == the_round["id"])
    respondent["name"] = "Paljastettu"
    return f"respondents[{_index(doc, 'respondents', respondent)}].name"


def _single_without_respondent(doc):
    single = _single(doc)
    respondent = _shared_of(doc, single)
    gone = respondent["id"]
    doc["respondents"].remove(respondent)
    for section in ("answers", "comments"):
        doc[section] = [x for x in doc[section] if x["respondent"] != gone]
    return f"assessments[{_index(doc, 'assessments', single)}]"


def _first_answer(doc):
    return doc["answers"][0]


def _answer_seven(doc):
    doc["answers"][0]["value"] = 7
    return "answers[0].value"


def _answer_unknown_item(doc):
    doc["answers"][0]["item"] = "no-such-item"
    return "answers[0].item"


def _answer_twice(doc):
    doc["answers"].append(dict(doc["answers"][0]))
    return f"answers[{len(doc['answers']) - 1}].item"


def _answer_dangling(doc):
    doc["answers"][0]["respondent"] = 99_999
    return "answers[0].respondent"


def _comment_unknown_area(doc):
    doc["comments"][0]["area"] = "no-such-area"
    return "comments[0].area"


def _comment_twice(doc):
    doc["comments"].append(dict(doc["comments"][0]))
    return f"comments[{len(doc['comments']) - 1}].area"


def _agreement_on_single(doc):
    doc["agreements"][0]["assessment"] = _single(doc)["id"]
    return "agreements[0].assessment"


def _agreement_dangling(doc):
    doc["agreements"][0]["assessment"] = 99_999
    return "agreements[0].assessment"


def _agreement_twice(doc):
    doc["agreements"].append(dict(doc["agreements"][0]))
    return f"agreements[{len(doc['agreements']) - 1}].area"


def _workshop_twice(doc):
    doc["workshops"].append(dict(doc["workshops"][0]))
    return f"workshops[{len(doc['workshops']) - 1}].assessment"


def _version_twice(doc):
    doc["content_versions"].append(_copy(doc["content_versions"][0]))
    return f"content_versions[{len(doc['content_versions']) - 1}].version"


def _content_altered(doc):
    doc["content_versions"][0]["document"]["roadmap"]["areas"][0]["title"]["fi"] = "Muokattu"
    return "content_versions[0].document"


def _content_of_other_version(doc):
    first, second = doc["content_versions"][:2]
    first["document"], second["document"] = second["document"], first["document"]
    return "content_versions[0].version"


def _content_broken(doc):
    doc["content_versions"][0]["document"] = {"roadmap": "rikki"}
    return "content_versions[0].document"


def _slug(doc):
    doc["organisation"]["slug"] = "Iso Kirjain!"
    return "organisation.slug"


def _no_organisation(doc):
    del doc["organisation"]
    return "organisation"


def _plan_unknown_step(doc):
    doc["plan_entries"][0]["step"] = "no-such-step"
    return "plan_entries[0].step"


def _plan_unknown_goal(doc):
    doc["plan_entries"][0]["goal"] = 99_999
    return "plan_entries[0].goal"


def _plan_unknown_item(doc):
    doc["plan_entries"][0]["item"] = "no-such-item"
    return "plan_entries[0].item"


def _quarter_without_year(doc):
    doc["plan_entries"][0]["schedule_year"] = None
    doc["plan_entries"][0]["schedule_quarter"] = 2
    return "plan_entries[0].schedule_quarter"


def _event_dangling(doc):
    doc["plan_events"][0]["entry"] = 99_999
    return "plan_events[0].entry"


def _target_twice(doc):
    doc["targets"].append(dict(doc["targets"][0]))
    return f"targets[{len(doc['targets']) - 1}]"


def _target_unknown_area(doc):
    doc["targets"][0]["area"] = "no-such-area"
    return "targets[0].area"


def _kind_unknown_metric(doc):
    doc["metric_kinds"][0]["metric"] = "no-such-metric"
    return "metric_kinds[0].metric"


def _kind_of_fixed_metric(doc, *, content):
    doc["metric_kinds"][0]["metric"] = _metric_of_kind(content, "percent")
    return "metric_kinds[0].metric"


def _kind_twice(doc):
    doc["metric_kinds"].append(dict(doc["metric_kinds"][0]))
    return f"metric_kinds[{len(doc['metric_kinds']) - 1}].metric"


def _value_index(doc, kind):
    return next(n for n, v in enumerate(doc["metric_values"]) if v["kind"] == kind)


def _value(kind, value):
    def breaker(doc):
        n = _value_index(doc, kind)
        doc["metric_values"][n]["value"] = value
        return f"metric_values[{n}].value"

    return breaker


def _value_unknown_metric(doc):
    doc["metric_values"][0]["metric"] = "no-such-metric"
    return "metric_values[0].metric"


def _value_wrong_kind(doc):
    chosen = {k["metric"] for k in doc["metric_kinds"]}  # these take any kind
    n = next(
        n for n, v in enumerate(doc["metric_values"]) if v["kind"] == "percent" and v["metric"] not in chosen
    )
    doc["metric_values"][n]["kind"] = "euro"
    return f"metric_values[{n}].kind"


def _value_twice(doc):
    doc["metric_values"].append(dict(doc["metric_values"][0]))
    return f"metric_values[{len(doc['metric_values']) - 1}]"


def _wrong_format(doc):
    doc["format"] = "jotain-muuta"
    return "format"


def _wrong_format_version(doc):
    doc["format_version"] = 99
    return "format_version"


def _section_not_a_list(doc):
    doc["targets"] = {"year": 2024}
    return "targets"


def _section_missing(doc):
    del doc["targets"]
    return "targets"


def _duplicate_plan_number(doc):
    doc["plan_entries"][1]["number"] = doc["plan_entries"][0]["number"]
    return "plan_entries[1].number"


def _record_not_an_object(doc):
    doc["targets"][0] = "strategia"
    return "targets[0]"


# (breaker, the message's msgid as in the validator). Every msgid of assess/transfer has a case.
RULES = [
    (_set("assessments", 0, "status", "valmis"), "Must be one of: %(choices)s."),
    (_set("assessments", 0, "year", 1999), "Must be a whole number from %(low)d to %(high)d."),
    (_set("assessments", 0, "id", "yksi"), "Must be a whole number."),
    (_set("respondents", 0, "alias", 0), "Must be a whole number from %(low)d to %(high)d."),
    (_set("workshops", 0, "position", 2**70), "Must be a whole number from %(low)d to %(high)d."),
    (_set("assessments", 0, "title", 5), "Must be text."),
    (_set("assessments", 0, "title", "x" * 6000), "The text is too long: at most %(max)d characters."),
    (_set("assessments", 0, "counts", "yes"), "Must be true or false."),
    (
        _set("assessments", 0, "created_at", "eilen"),
        "Must be a date and time (ISO 8601, e.g. 2025-03-20T12:00:00+00:00).",
    ),
    (_drop("assessments", 0, "year"), "Required field is missing."),
    (_record_not_an_object, "Must be an object."),
    (_section_not_a_list, "Must be a list."),
    (_section_missing, "Required field is missing."),
    (_set("plan_entries", 0, "text", "   "), "Must not be empty."),
    (_duplicate_plan_number, "Another plan entry already has the number %(number)s."),
    (_duplicate_assessment_id, "Duplicate id %(id)s."),
    (_duplicate_respondent_id, "Duplicate id %(id)s."),
    (_bad_deadline, "Must be a date (YYYY-MM-DD) or null."),
    (_unknown_version, "Unknown content version %(version)s"),
    (_unknown_questionnaire, "Questionnaire %(questionnaire)s is not in content version"),
    (_two_count, "Another assessment (%(other)s) already counts"),
    (
        _set("respondents", 0, "assessment", 99_999),
        "Refers to assessment %(id)s, which is not in the file (or is not valid).",
    ),
    (_round_shared, "A team round has no shared respondent."),
    (_single_not_shared, "A single assessment has only its one shared"),
    (_name_in_anonymous, "A name is not allowed in an anonymous round or a"),
    (_single_without_respondent, "A single assessment must have exactly one shared respondent"),
    (_answer_seven, "Answer value %(value)s is not a whole number 0–4 or"),
    (_answer_unknown_item, "Item %(item)s is not in the questionnaire this"),
    (_answer_twice, "A second answer to item %(item)s by the same"),
    (_answer_dangling, "Refers to respondent %(id)s, which is not in the file (or is not valid)."),
    (_comment_unknown_area, "Unknown roadmap area %(area)s."),
    (_comment_twice, "A second comment on area %(area)s by the same"),
    (_agreement_on_single, "Assessment %(id)s is not a team round."),
    (_agreement_dangling, "Refers to assessment %(id)s, which is not in the file (or is not valid)."),
    (_agreement_twice, "Area %(area)s is agreed twice."),
    (_workshop_twice, "A second workshop for assessment %(id)s."),
    (_version_twice, "Content version %(version)s is in the file twice."),
    (_content_altered, "The content document is broken or was altered: "),
    (_content_broken, "The content document is broken or was altered: "),
    (_content_of_other_version, "The content document is of version %(found)s, "),
    (_slug, "Must be an identifier of lower-case letters a-z, digits "),
    (_no_organisation, "Required field is missing."),
    (_plan_unknown_step, "Unknown roadmap step %(step)s."),
    (_plan_unknown_goal, "Unknown programme goal %(goal)s."),
    (_plan_unknown_item, "Unknown roadmap item %(item)s."),
    (_quarter_without_year, "A quarter needs a year."),
    (_event_dangling, "Refers to plan entry %(id)s, which is not in the "),
    (_target_twice, "A second target for %(area)s in %(year)d."),
    (_target_unknown_area, "Unknown roadmap area %(area)s."),
    (_kind_unknown_metric, "Unknown programme metric %(metric)s."),
    (_kind_of_fixed_metric, "Metric %(metric)s has a fixed kind of value; the "),
    (_kind_twice, "A second kind for metric %(metric)s."),
    (_value_unknown_metric, "Unknown programme metric %(metric)s."),
    (_value_wrong_kind, "Metric %(metric)s does not take values of kind "),
    (_value_twice, "A second value for %(metric)s in %(year)d."),
    (_value("text", "   "), "A value is required."),
    (_value("yes_no", "kyllä"), "Must be true or false."),
    (_value("euro", "paljon"), "Must be a number."),
    (_value("count", 2.5), "Must be a whole number."),
    (_value("count", -3), "Must not be negative."),
    (_value("percent", 150), "A percentage can be at most 100."),
    (_value("euro", 10.555), "At most two decimals are allowed."),
    (_value("text", "x" * 6000), "The text is too long: at most %(max)d characters."),
    (_value("euro", 10**16), "The number is too large: at most %(max)s."),
    (_value("text", 5), "Must be text."),
    (_wrong_format, "This is not a Hankintapolku export file: the format marker "),
    (_wrong_format_version, "Export format version %(found)s is not supported; "),
]
FILE_RULES = [  # the file itself, before any section
    (b"\xff\xfe{}", "The file is not UTF-8 text."),
    (b"[" * 100_000 + b"]" * 100_000, "The file is nested too deeply to be an export file."),
    (b'{"format": "hankintapolku-export", ', "The file is not valid JSON (line %(line)d, column "),
]


def _msgids() -> set[str]:
    """Every message the import's validation can give, read from its source."""
    found = set()
    for path in TRANSFER.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r'N_\(((?:\s*"(?:[^"\\]|\\.)*")+)\)', source):
            found.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))))
    found.discard("The value is not valid.")  # a fallback for a parser error no input reaches
    found.discard("Must be a whole number of at least %(low)d.")  # no field has only a floor
    return found


def test_every_validation_message_has_a_refusal_case():
    covered = {m for _b, m in RULES} | {m for _b, m in FILE_RULES}
    missing = sorted(m for m in _msgids() if not any(m.startswith(c) for c in covered))
    assert not missing, f"validation messages without a refusal case: {missing}"


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    """A second installation that every refused import must leave as it was."""
    return make_app(tmp_path_factory.mktemp("target"))


def _counts(app) -> dict[str, int]:
    db = open_db(app.config["DATABASE"])
    try:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        db.conn.close()


def _refused(app, file: Path, place: str, message: str) -> None:
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["import", str(file)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  - ")]
    fixed = re.split(r"%\(\w+\)\w", message)[0].strip()
    assert any(line.startswith(f"  - {place}:") and fixed in line for line in lines), (
        f"expected '{place}: {message}' in:\n{result.output}"
    )
    assert _counts(app) == before


@pytest.mark.parametrize(
    ("breaker", "message"), RULES, ids=[f"{n}-{m[:40]}" for n, (_b, m) in enumerate(RULES)]
)
def test_each_validation_rule_refuses_and_names_the_place(full, target, tmp_path, breaker, message):
    app, _path, doc, _slug = full
    broken = _copy(doc)
    if breaker is _kind_of_fixed_metric:
        place = breaker(broken, content=app.extensions["content"])
    else:
        place = breaker(broken)
    file = tmp_path / "rikki.json"
    file.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    _refused(target, file, place, message)


@pytest.mark.parametrize(("raw", "message"), FILE_RULES, ids=["not UTF-8", "nested", "truncated"])
def test_a_file_that_is_no_export_is_refused(target, tmp_path, raw, message):
    file = tmp_path / "rikki.json"
    file.write_bytes(raw)
    _refused(target, file, "file", message)


# --- wrong types in every field: problems, never a crash -------------------------------------

# A list (unhashable where an id is looked up), a number beyond SQLite's integers, nothing.
WRONG = ([1], 2**70, None)


@pytest.mark.long
def test_a_wrong_type_in_any_field_is_a_problem_or_imports_never_a_crash(full, tmp_path):
    from assess.storage import transfer as store
    from assess.transfer import validate

    app, _path, doc, _slug = full
    small = _copy(doc)
    small["answers"] = small["answers"][:100]  # enough of each kind; the walk stays quick
    small["plan_events"] = small["plan_events"][:20]
    content = app.extensions["content"]
    places = [("organisation", None, key) for key in small["organisation"]]
    places += [
        (section, 0, key)
        for section in SECTIONS
        if section != "content_versions"
        for key in small[section][0]
    ]
    target = make_app(tmp_path / "target")
    db = open_db(target.config["DATABASE"])
    crashes, imported = [], 0
    try:
        for n, (section, index, key) in enumerate(places):
            for value in WRONG:
                broken = _copy(small)
                record = broken[section] if index is None else broken[section][index]
                record[key] = value
                where = f"{section}{'' if index is None else f'[{index}]'}.{key} = {value!r}"
                try:
                    checked = validate(broken, content)
                    if not checked.problems:
                        store.import_org(db, broken, checked.contents, name=f"Kokeilu {n} {imported}")
                        imported += 1
                except store.NameTaken:
                    pass
                except Exception as exc:  # noqa: BLE001 - any exception is the finding
                    crashes.append(f"{where}: {type(exc).__name__}: {exc}"[:300])
    finally:
        db.conn.close()
    assert len(places) > 60
    assert not crashes, "\n".join(crashes)
