"""Moving one organisation between installations: the export file format and its validation
(pure: no Flask, no SQL).

An export file is one JSON object::

    {"format": "hankintapolku-export", "format_version": 1, "exported_at": "…",
     "organisation": {"slug", "name", "path_start_year", "is_demo"},
     "content_versions": [{"version", "document"}],   # every version answered on
     "assessments": [{"id", "year", "questionnaire", "content_version", "kind", "status",
                      "title", "counts", "anonymous", "deadline", "created_at",
                      "finalised_at"}],
     "respondents": [{"id", "assessment", "shared", "name", "created_at", "updated_at"}],
     "answers": [{"respondent", "item", "value", "updated_at"}],
     "comments": [{"respondent", "area", "comment", "updated_at"}],
     "agreements": [{"assessment", "area", "agreed_stage", "reason", "updated_at"}],
     "workshops": [{"assessment", "position", "revealed", "show_code", "ended", "updated_at"}],
     "plan_entries": [{"id", "step", "goal", "item", "text", "responsible", "schedule_year",
                       "schedule_quarter", "status", "created_in", "created_at",
                       "updated_at", "done_at"}],
     "plan_events": [{"entry", "status", "at"}],
     "targets": [{"year", "area", "stage"}],
     "metric_kinds": [{"metric", "kind"}],
     "metric_values": [{"year", "metric", "kind", "value", "note", "source", "updated_at"}]}

Ids are the file's own references (an answer names its respondent, a respondent its
assessment); the importing installation gives new ones. What does not move: users and
their roles, personal links of round respondents (only a hash of each is stored and the
installation's secret differs, so they could not work elsewhere anyway; respondents keep
their answers), join codes (new ones are made) and cached results (recomputed).
Respondents' names are exported only in named rounds.

``validate`` checks the whole file and returns every problem it finds, each with its
place in the file ("answers[12].value") and what is wrong, as a msgid with parameters so
the command line and the administrator's page can each show it in their language.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .content import Content, ContentError, from_document
from .content.model import METRIC_KINDS
from .metric_form import NOTE_MAX_LENGTH, SOURCE_MAX_LENGTH
from .metrics import CHOOSABLE_KINDS, TEXT_MAX_LENGTH, VALUE_KINDS, parse_value

FORMAT = "hankintapolku-export"
FORMAT_VERSION = 1

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_STAGE = 5
MAX_VALUE = 4
MAX_NAME = 200
MAX_TEXT = 5000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("single", "round")
ASSESSMENT_STATUSES = ("open", "final")
PLAN_STATUSES = ("planned", "in_progress", "done", "dropped")
SECTIONS = ("content_versions", "assessments", "respondents", "answers", "comments",
            "agreements", "workshops", "plan_entries", "plan_events", "targets",
            "metric_kinds", "metric_values")


def N_(msgid: str) -> str:
    """Marks a msgid that is translated where the problem is shown."""
    return msgid


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file: where (``path``) and what (``message`` % params)."""

    path: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def what(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """What is wrong, in the language of ``translate``."""
        message = translate(self.message)
        return message % dict(self.params) if self.params else message

    def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
        """"path: what is wrong"."""
        return f"{self.path}: {self.what(translate)}"


@dataclass
class Checked:
    """The result of validation: the problems, and the content of each version in the file."""

    problems: list[Problem]
    contents: dict[str, Content]

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading the file -------------------------------------------------------------------

def load(raw: bytes | str) -> tuple[Any, list[Problem]]:
    """The file's JSON, or the problem that it is not JSON at all."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text), []
    except UnicodeDecodeError:
        return None, [Problem("file", N_("The file is not UTF-8 text."))]
    except json.JSONDecodeError as exc:
        return None, [Problem("file", N_("The file is not valid JSON (line %(line)d, column "
                                         "%(column)d: %(error)s)."),
                              {"line": exc.lineno, "column": exc.colno, "error": exc.msg})]


def dump(document: Mapping[str, Any]) -> str:
    """An export document as the JSON text of the file."""
    return json.dumps(document, ensure_ascii=False, indent=1)


# --- value checks -------------------------------------------------------------------------

def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


METRIC_ERRORS = {
    "required": N_("A value is required."),
    "yes_no_expected": N_("Must be true or false."),
    "number_expected": N_("Must be a number."),
    "whole_number_expected": N_("Must be a whole number."),
    "negative": N_("Must not be negative."),
    "over_100": N_("A percentage can be at most 100."),
    "too_many_decimals": N_("At most two decimals are allowed."),
    "too_long": N_("The text is too long: at most %(max)d characters."),
}


def metric_value_problem(kind: str, value: Any) -> tuple[str, dict[str, Any]] | None:
    """What is wrong with a stored metric value of a value kind, or None.

    JSON types by kind: yes_no true/false, count a whole number, percent and euro numbers,
    text a string; the value itself is checked by assess.metrics.parse_value, the same
    rule as the metric values form.
    """
    if kind == "yes_no":
        return None if isinstance(value, bool) else (METRIC_ERRORS["yes_no_expected"], {})
    if kind == "count" and not _is_int(value):
        return METRIC_ERRORS["whole_number_expected"], {}
    if kind in ("percent", "euro") and not _is_number(value):
        return METRIC_ERRORS["number_expected"], {}
    if kind == "text" and not isinstance(value, str):
        return N_("Must be text."), {}
    parsed = parse_value(kind, value if kind == "text" else repr(value))
    if parsed.error:
        return METRIC_ERRORS.get(parsed.error, N_("The value is not valid.")), \
            {"max": TEXT_MAX_LENGTH}
    return None


# --- the validator --------------------------------------------------------------------------

class _Check:
    """Collects problems while walking the document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, **params: Any) -> None:
        self.problems.append(Problem(path, message, params))

    def obj(self, value: Any, path: str) -> bool:
        if not isinstance(value, dict):
            self.add(path, N_("Must be an object."))
            return False
        return True

    def has(self, record: Mapping[str, Any], path: str, keys: Iterable[str]) -> bool:
        missing = [k for k in keys if k not in record]
        for key in missing:
            self.add(f"{path}.{key}", N_("Required field is missing."))
        return not missing

    def integer(self, value: Any, path: str, low: int | None = None, high: int | None = None,
                *, optional: bool = False) -> bool:
        if value is None and optional:
            return True
        if not _is_int(value) or (low is not None and value < low) or \
                (high is not None and value > high):
            if low is not None and high is not None:
                self.add(path, N_("Must be a whole number from %(low)d to %(high)d."),
                         low=low, high=high)
            elif low is not None:
                self.add(path, N_("Must be a whole number of at least %(low)d."), low=low)
            else:
                self.add(path, N_("Must be a whole number."))
            return False
        return True

    def text(self, value: Any, path: str, *, limit: int = MAX_TEXT, optional: bool = False,
             empty: bool = True) -> bool:
        if value is None and optional:
            return True
        if not isinstance(value, str):
            self.add(path, N_("Must be text."))
            return False
        if not empty and not value.strip():
            self.add(path, N_("Must not be empty."))
            return False
        if len(value) > limit:
            self.add(path, N_("The text is too long: at most %(max)d characters."), max=limit)
            return False
        return True

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.add(path, N_("Must be true or false."))
            return False
        return True

    def time(self, value: Any, path: str, *, optional: bool = False) -> bool:
        if value is None and optional:
            return True
        if not _is_time(value):
            self.add(path, N_("Must be a date and time (ISO 8601, e.g. 2025-03-20T12:00:00+00:00)."))
            return False
        return True

    def choice(self, value: Any, path: str, choices: Iterable[str]) -> bool:
        choices = tuple(choices)
        if value not in choices:
            self.add(path, N_("Must be one of: %(choices)s."), choices=", ".join(choices))
            return False
        return True

    def year(self, value: Any, path: str, *, optional: bool = False) -> bool:
        return self.integer(value, path, FIRST_YEAR, LAST_YEAR, optional=optional)


@dataclass
class _Known:
    """Roadmap and programme ids known from the current content and the file's versions:
    plan entries, targets and metrics belong to the organisation, not to a version."""

    areas: set[str] = field(default_factory=set)
    steps: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    goals: set[int] = field(default_factory=set)
    metric_kinds: dict[str, set[str]] = field(default_factory=dict)

    def add(self, content: Content) -> None:
        self.areas |= {a.id for a in content.areas}
        self.steps |= set(content.steps)
        self.items |= set(content.items)
        self.goals |= {g.number for g in content.goals}
        for metric_id, (_goal, _action, metric) in content.metrics.items():
            self.metric_kinds.setdefault(metric_id, set()).add(metric.kind)

    def value_kinds(self, metric: str) -> set[str]:
        """The value kinds a metric's values may have."""
        allowed: set[str] = set()
        for kind in self.metric_kinds.get(metric, ()):
            allowed |= set(VALUE_KINDS) if kind in CHOOSABLE_KINDS else {kind}
        return allowed


def _content_problem(content: Content) -> str | None:
    """A content document that passes its digest could still be hand-made (the digest is
    no signature): what the pages rely on must hold together."""
    for questionnaire in content.questionnaires:
        unknown = [i for i in questionnaire.items if i not in content.items]
        if unknown:
            return f"questionnaire {questionnaire.id}: unknown items {', '.join(unknown[:5])}"
        if not 0 < questionnaire.threshold <= 1:
            return f"questionnaire {questionnaire.id}: threshold {questionnaire.threshold}"
    for link in content.links:
        if link.step not in content.steps or not content.has_goal(link.goal):
            return f"link {link.step} -> {link.goal}: unknown step or goal"
    for metric_id, (_goal, _action, metric) in content.metrics.items():
        if metric.kind not in METRIC_KINDS:
            return f"metric {metric_id}: unknown kind {metric.kind}"
    return None


def _records(check: _Check, doc: Mapping[str, Any], section: str) -> list[tuple[str, dict]]:
    """(path, record) for each object of a list section; problems for the rest."""
    value = doc.get(section)
    if value is None:
        check.add(section, N_("Required field is missing."))
        return []
    if not isinstance(value, list):
        check.add(section, N_("Must be a list."))
        return []
    found = []
    for n, record in enumerate(value):
        path = f"{section}[{n}]"
        if check.obj(record, path):
            found.append((path, record))
    return found


def _unique_ids(check: _Check, records: list[tuple[str, dict]], key: str = "id") -> dict[Any, dict]:
    by_id: dict[Any, dict] = {}
    for path, record in records:
        if key not in record:
            continue
        ident = record[key]
        if not check.integer(ident, f"{path}.{key}"):
            continue
        if ident in by_id:
            check.add(f"{path}.{key}", N_("Duplicate id %(id)s."), id=ident)
            continue
        by_id[ident] = record
    return by_id


def validate(doc: Any, current: Content) -> Checked:
    """Check an export document completely; ``current`` is the installation's own content.

    Nothing stops at the first problem: every problem in the file is listed, except that a
    file without the format marker is not read further (it is not an export at all).
    """
    check = _Check()
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        check.add("format", N_("This is not a Hankintapolku export file: the format marker "
                               "\"%(format)s\" is missing or wrong."), format=FORMAT)
        return Checked(check.problems, {})
    if doc.get("format_version") != FORMAT_VERSION:
        check.add("format_version", N_("Export format version %(found)s is not supported; "
                                       "this installation reads version %(supported)d."),
                  found=json.dumps(doc.get("format_version")), supported=FORMAT_VERSION)
        return Checked(check.problems, {})

    _organisation(check, doc.get("organisation"))
    contents = _contents(check, doc)
    known = _Known()
    known.add(current)
    for content in contents.values():
        known.add(content)
    assessments = _assessments(check, doc, contents)
    respondents = _respondents(check, doc, assessments)
    _answers(check, doc, assessments, respondents, contents)
    _agreements(check, doc, assessments, contents)
    _plan(check, doc, assessments, known)
    _targets_and_metrics(check, doc, known)
    return Checked(check.problems, contents)


def _organisation(check: _Check, org: Any) -> None:
    path = "organisation"
    if org is None:
        check.add(path, N_("Required field is missing."))
        return
    if not check.obj(org, path) or not check.has(org, path, ("slug", "name")):
        return
    check.text(org["name"], f"{path}.name", limit=MAX_NAME, empty=False)
    if not isinstance(org["slug"], str) or not SLUG.match(org["slug"]):
        check.add(f"{path}.slug", N_("Must be an identifier of lower-case letters a-z, digits "
                                     "and dashes."))
    check.year(org.get("path_start_year"), f"{path}.path_start_year", optional=True)
    if "is_demo" in org:
        check.flag(org["is_demo"], f"{path}.is_demo")


def _contents(check: _Check, doc: Mapping[str, Any]) -> dict[str, Content]:
    contents: dict[str, Content] = {}
    for path, record in _records(check, doc, "content_versions"):
        if not check.has(record, path, ("version", "document")):
            continue
        version, document = record["version"], record["document"]
        if not check.text(version, f"{path}.version", limit=64, empty=False):
            continue
        if version in contents:
            check.add(f"{path}.version", N_("Content version %(version)s is in the file twice."),
                      version=version)
            continue
        if not check.obj(document, f"{path}.document"):
            continue
        try:
            content = from_document(document)
        except ContentError as exc:
            check.add(f"{path}.document", N_("The content document is broken or was altered: "
                                             "%(reason)s"), reason="; ".join(exc.problems))
            continue
        if content.version != version:
            check.add(f"{path}.version", N_("The content document is of version %(found)s, "
                                            "not %(version)s."),
                      found=content.version, version=version)
            continue
        broken = _content_problem(content)
        if broken:
            check.add(f"{path}.document", N_("The content document is broken or was altered: "
                                             "%(reason)s"), reason=broken)
            continue
        contents[version] = content
    return contents


def _assessments(check: _Check, doc: Mapping[str, Any],
                 contents: Mapping[str, Content]) -> dict[int, dict]:
    """Valid assessments by id (invalid ones are left out, their problems listed)."""
    records = _records(check, doc, "assessments")
    keys = ("id", "year", "questionnaire", "content_version", "kind", "status", "created_at")
    valid: dict[int, dict] = {}
    counting: dict[int, str] = {}
    for path, record in records:
        if not check.has(record, path, keys):
            continue
        ok = check.integer(record["id"], f"{path}.id")
        if ok and record["id"] in valid:
            check.add(f"{path}.id", N_("Duplicate id %(id)s."), id=record["id"])
            ok = False
        ok &= check.year(record["year"], f"{path}.year")
        ok &= check.choice(record["kind"], f"{path}.kind", KINDS)
        ok &= check.choice(record["status"], f"{path}.status", ASSESSMENT_STATUSES)
        ok &= check.time(record["created_at"], f"{path}.created_at")
        ok &= check.time(record.get("finalised_at"), f"{path}.finalised_at", optional=True)
        ok &= check.text(record.get("title", ""), f"{path}.title", limit=MAX_NAME)
        for flag in ("counts", "anonymous"):
            if flag in record:
                ok &= check.flag(record[flag], f"{path}.{flag}")
        deadline = record.get("deadline")
        if deadline is not None and not _is_date(deadline):
            check.add(f"{path}.deadline", N_("Must be a date (YYYY-MM-DD) or null."))
            ok = False
        version = record["content_version"]
        content = contents.get(version) if isinstance(version, str) else None
        if content is None:
            check.add(f"{path}.content_version",
                      N_("Unknown content version %(version)s: the file does not include a "
                         "valid document of it."), version=json.dumps(version))
            ok = False
        elif content.questionnaire(record["questionnaire"]) is None:
            check.add(f"{path}.questionnaire",
                      N_("Questionnaire %(questionnaire)s is not in content version "
                         "%(version)s."), questionnaire=json.dumps(record["questionnaire"]),
                      version=version)
            ok = False
        if ok and record.get("counts"):
            if record["year"] in counting:
                check.add(f"{path}.counts", N_("Another assessment (%(other)s) already counts "
                                               "for %(year)d."),
                          other=counting[record["year"]], year=record["year"])
                ok = False
            else:
                counting[record["year"]] = path
        if ok:
            # A copy with its place in the file, for problems found later.
            valid[record["id"]] = dict(record, _n=path[len("assessments["):-1])
    return valid


def _respondents(check: _Check, doc: Mapping[str, Any],
                 assessments: Mapping[int, dict]) -> dict[int, dict]:
    valid: dict[int, dict] = {}
    shared_count: dict[int, int] = {}
    all_ids: set[int] = set()
    for path, record in _records(check, doc, "respondents"):
        if not check.has(record, path, ("id", "assessment", "created_at", "updated_at")):
            continue
        ok = check.integer(record["id"], f"{path}.id")
        if ok and record["id"] in all_ids:
            check.add(f"{path}.id", N_("Duplicate id %(id)s."), id=record["id"])
            ok = False
        if ok:
            all_ids.add(record["id"])
        ok &= check.time(record["created_at"], f"{path}.created_at")
        ok &= check.time(record["updated_at"], f"{path}.updated_at")
        shared = record.get("shared", False)
        ok &= check.flag(shared, f"{path}.shared")
        ok &= check.text(record.get("name"), f"{path}.name", limit=MAX_NAME, optional=True)
        assessment = assessments.get(record["assessment"]) if _is_int(record["assessment"]) \
            else None
        if assessment is None:
            check.add(f"{path}.assessment", N_("Refers to assessment %(id)s, which is not in "
                                               "the file (or is not valid)."),
                      id=json.dumps(record["assessment"]))
            continue
        if assessment["kind"] == "round" and shared is True:
            check.add(f"{path}.shared", N_("A team round has no shared respondent."))
            ok = False
        if assessment["kind"] == "single" and shared is False:
            check.add(f"{path}.shared", N_("A single assessment has only its one shared "
                                           "respondent."))
            ok = False
        if record.get("name") is not None and (assessment["kind"] == "single"
                                               or assessment.get("anonymous")):
            check.add(f"{path}.name", N_("A name is not allowed in an anonymous round or a "
                                         "single assessment."))
            ok = False
        if ok:
            valid[record["id"]] = record
            if shared:
                shared_count[record["assessment"]] = shared_count.get(record["assessment"], 0) + 1
    for ident, assessment in assessments.items():
        if assessment["kind"] == "single" and shared_count.get(ident, 0) != 1:
            check.add(f"assessments[{assessment['_n']}]",
                      N_("A single assessment must have exactly one shared respondent; the file "
                         "has %(count)d."), count=shared_count.get(ident, 0))
    return valid


def _assessment_content(respondent: Mapping, assessments: Mapping[int, dict],
                        contents: Mapping[str, Content]) -> tuple[dict, Content]:
    assessment = assessments[respondent["assessment"]]
    return assessment, contents[assessment["content_version"]]


def _answers(check: _Check, doc: Mapping[str, Any], assessments: Mapping[int, dict],
             respondents: Mapping[int, dict], contents: Mapping[str, Content]) -> None:
    seen: set[tuple[int, str]] = set()
    for path, record in _records(check, doc, "answers"):
        if not check.has(record, path, ("respondent", "item", "value", "updated_at")):
            continue
        check.time(record["updated_at"], f"{path}.updated_at")
        value = record["value"]
        if value is not None and not (_is_int(value) and 0 <= value <= MAX_VALUE):
            check.add(f"{path}.value", N_("Answer value %(value)s is not a whole number 0–4 or "
                                          "null (don't know)."), value=json.dumps(value))
        respondent = respondents.get(record["respondent"]) if _is_int(record["respondent"]) \
            else None
        if respondent is None:
            check.add(f"{path}.respondent", N_("Refers to respondent %(id)s, which is not in "
                                               "the file (or is not valid)."),
                      id=json.dumps(record["respondent"]))
            continue
        assessment, content = _assessment_content(respondent, assessments, contents)
        questionnaire = content.questionnaire(assessment["questionnaire"])
        item = record["item"]
        if questionnaire is None or item not in questionnaire.items:
            check.add(f"{path}.item", N_("Item %(item)s is not in the questionnaire this "
                                         "assessment was answered on."), item=json.dumps(item))
            continue
        if (respondent["id"], item) in seen:
            check.add(f"{path}.item", N_("A second answer to item %(item)s by the same "
                                         "respondent."), item=item)
        seen.add((respondent["id"], item))
    seen_comments: set[tuple[int, str]] = set()
    for path, record in _records(check, doc, "comments"):
        if not check.has(record, path, ("respondent", "area", "comment", "updated_at")):
            continue
        check.time(record["updated_at"], f"{path}.updated_at")
        check.text(record["comment"], f"{path}.comment")
        respondent = respondents.get(record["respondent"]) if _is_int(record["respondent"]) \
            else None
        if respondent is None:
            check.add(f"{path}.respondent", N_("Refers to respondent %(id)s, which is not in "
                                               "the file (or is not valid)."),
                      id=json.dumps(record["respondent"]))
            continue
        _assessment, content = _assessment_content(respondent, assessments, contents)
        if not isinstance(record["area"], str) or not content.has_area(record["area"]):
            check.add(f"{path}.area", N_("Unknown roadmap area %(area)s."),
                      area=json.dumps(record["area"]))
        elif (respondent["id"], record["area"]) in seen_comments:
            check.add(f"{path}.area", N_("A second comment on area %(area)s by the same "
                                         "respondent."), area=record["area"])
        else:
            seen_comments.add((respondent["id"], record["area"]))


def _round_ref(check: _Check, record: Mapping, path: str,
               assessments: Mapping[int, dict]) -> dict | None:
    assessment = assessments.get(record["assessment"]) if _is_int(record["assessment"]) else None
    if assessment is None:
        check.add(f"{path}.assessment", N_("Refers to assessment %(id)s, which is not in the "
                                           "file (or is not valid)."),
                  id=json.dumps(record["assessment"]))
        return None
    if assessment["kind"] != "round":
        check.add(f"{path}.assessment", N_("Assessment %(id)s is not a team round."),
                  id=record["assessment"])
        return None
    return assessment


def _agreements(check: _Check, doc: Mapping[str, Any], assessments: Mapping[int, dict],
                contents: Mapping[str, Content]) -> None:
    seen: set[tuple[int, str]] = set()
    for path, record in _records(check, doc, "agreements"):
        if not check.has(record, path, ("assessment", "area", "agreed_stage", "updated_at")):
            continue
        check.integer(record["agreed_stage"], f"{path}.agreed_stage", 0, MAX_STAGE)
        check.text(record.get("reason", ""), f"{path}.reason")
        check.time(record["updated_at"], f"{path}.updated_at")
        assessment = _round_ref(check, record, path, assessments)
        if assessment is None:
            continue
        content = contents[assessment["content_version"]]
        if not isinstance(record["area"], str) or not content.has_area(record["area"]):
            check.add(f"{path}.area", N_("Unknown roadmap area %(area)s."),
                      area=json.dumps(record["area"]))
        elif (assessment["id"], record["area"]) in seen:
            check.add(f"{path}.area", N_("Area %(area)s is agreed twice."), area=record["area"])
        else:
            seen.add((assessment["id"], record["area"]))
    seen_workshops: set[int] = set()
    for path, record in _records(check, doc, "workshops"):
        if not check.has(record, path, ("assessment", "position", "updated_at")):
            continue
        check.integer(record["position"], f"{path}.position", 0)
        for flag in ("revealed", "show_code", "ended"):
            if flag in record:
                check.flag(record[flag], f"{path}.{flag}")
        check.time(record["updated_at"], f"{path}.updated_at")
        assessment = _round_ref(check, record, path, assessments)
        if assessment is None:
            continue
        if assessment["id"] in seen_workshops:
            check.add(f"{path}.assessment", N_("A second workshop for assessment %(id)s."),
                      id=assessment["id"])
        seen_workshops.add(assessment["id"])


def _plan(check: _Check, doc: Mapping[str, Any], assessments: Mapping[int, dict],
          known: _Known) -> None:
    records = _records(check, doc, "plan_entries")
    keys = ("id", "text", "status", "created_at", "updated_at")
    entry_ids = _unique_ids(check, [(p, r) for p, r in records if "id" in r])
    for path, record in records:
        if not check.has(record, path, keys):
            continue
        check.text(record["text"], f"{path}.text", empty=False)
        check.text(record.get("responsible", ""), f"{path}.responsible", limit=MAX_NAME)
        check.choice(record["status"], f"{path}.status", PLAN_STATUSES)
        step, goal, item = record.get("step"), record.get("goal"), record.get("item")
        if step is not None and step not in known.steps:
            check.add(f"{path}.step", N_("Unknown roadmap step %(step)s."), step=json.dumps(step))
        if goal is not None and (not _is_int(goal) or goal not in known.goals):
            check.add(f"{path}.goal", N_("Unknown programme goal %(goal)s."),
                      goal=json.dumps(goal))
        if item is not None and item not in known.items:
            check.add(f"{path}.item", N_("Unknown roadmap item %(item)s."), item=json.dumps(item))
        year_ok = check.year(record.get("schedule_year"), f"{path}.schedule_year", optional=True)
        quarter = record.get("schedule_quarter")
        if check.integer(quarter, f"{path}.schedule_quarter", 1, 4, optional=True) and \
                quarter is not None and year_ok and record.get("schedule_year") is None:
            check.add(f"{path}.schedule_quarter", N_("A quarter needs a year."))
        created_in = record.get("created_in")
        if created_in is not None and (not _is_int(created_in) or created_in not in assessments):
            check.add(f"{path}.created_in", N_("Refers to assessment %(id)s, which is not in the "
                                               "file (or is not valid)."),
                      id=json.dumps(created_in))
        check.time(record["created_at"], f"{path}.created_at")
        check.time(record["updated_at"], f"{path}.updated_at")
        check.time(record.get("done_at"), f"{path}.done_at", optional=True)
    for path, record in _records(check, doc, "plan_events"):
        if not check.has(record, path, ("entry", "status", "at")):
            continue
        if not _is_int(record["entry"]) or record["entry"] not in entry_ids:
            check.add(f"{path}.entry", N_("Refers to plan entry %(id)s, which is not in the "
                                          "file."), id=json.dumps(record["entry"]))
        check.choice(record["status"], f"{path}.status", PLAN_STATUSES)
        check.time(record["at"], f"{path}.at")


def _targets_and_metrics(check: _Check, doc: Mapping[str, Any], known: _Known) -> None:
    seen_targets: set[tuple[int, str]] = set()
    for path, record in _records(check, doc, "targets"):
        if not check.has(record, path, ("year", "area", "stage")):
            continue
        ok = check.year(record["year"], f"{path}.year")
        check.integer(record["stage"], f"{path}.stage", 0, MAX_STAGE)
        if record["area"] not in known.areas:
            check.add(f"{path}.area", N_("Unknown roadmap area %(area)s."),
                      area=json.dumps(record["area"]))
        elif ok and (record["year"], record["area"]) in seen_targets:
            check.add(path, N_("A second target for %(area)s in %(year)d."),
                      area=record["area"], year=record["year"])
        elif ok:
            seen_targets.add((record["year"], record["area"]))
    seen_kinds: set[str] = set()
    for path, record in _records(check, doc, "metric_kinds"):
        if not check.has(record, path, ("metric", "kind")):
            continue
        metric = record["metric"]
        if not isinstance(metric, str) or metric not in known.metric_kinds:
            check.add(f"{path}.metric", N_("Unknown programme metric %(metric)s."),
                      metric=json.dumps(metric))
            continue
        if not known.metric_kinds[metric] & set(CHOOSABLE_KINDS):
            check.add(f"{path}.metric", N_("Metric %(metric)s has a fixed kind of value; the "
                                           "organisation cannot choose one."), metric=metric)
        check.choice(record["kind"], f"{path}.kind", VALUE_KINDS)
        if metric in seen_kinds:
            check.add(f"{path}.metric", N_("A second kind for metric %(metric)s."), metric=metric)
        seen_kinds.add(metric)
    seen_values: set[tuple[int, str]] = set()
    for path, record in _records(check, doc, "metric_values"):
        if not check.has(record, path, ("year", "metric", "kind", "value", "updated_at")):
            continue
        year_ok = check.year(record["year"], f"{path}.year")
        check.text(record.get("note", ""), f"{path}.note", limit=NOTE_MAX_LENGTH)
        check.text(record.get("source", ""), f"{path}.source", limit=SOURCE_MAX_LENGTH)
        check.time(record["updated_at"], f"{path}.updated_at")
        metric, kind = record["metric"], record["kind"]
        if not isinstance(metric, str) or metric not in known.metric_kinds:
            check.add(f"{path}.metric", N_("Unknown programme metric %(metric)s."),
                      metric=json.dumps(metric))
            continue
        if not check.choice(kind, f"{path}.kind", VALUE_KINDS):
            continue
        if kind not in known.value_kinds(metric):
            check.add(f"{path}.kind", N_("Metric %(metric)s does not take values of kind "
                                         "%(kind)s."), metric=metric, kind=kind)
            continue
        problem = metric_value_problem(kind, record["value"])
        if problem:
            message, params = problem
            check.add(f"{path}.value", message, **params)
        if year_ok:
            if (record["year"], metric) in seen_values:
                check.add(path, N_("A second value for %(metric)s in %(year)d."),
                          metric=metric, year=record["year"])
            seen_values.add((record["year"], metric))
