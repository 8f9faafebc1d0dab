"""Hilma notices -> yearly counts for the programme's notice metrics.

Sources (the public documentation in the Hankintailmoitukset/hilma-api repository):
- README.md, "AVP": ``POST /notices/docs/search`` exposes the Azure Cognitive Search
  endpoint, so an export is its response ``{"@odata.count": n, "value": [notice, ...]}``;
  the index definition itself is served by ``GET /notices``.
- endpoints/hilmastatistics.md: the statistical questions, answered per lot and keyed by
  the lot id (BT-137-Lot): ``{"LOT-0000": {"solutionNewToBuyer": true, ...}}`` with the
  fields innovationConsidered, solutionNewToBuyer, solutionNewToMarketOrIndustry,
  energyEfficiencyConsidered, lowCarbon, circularEconomy, biodiversity,
  sustainableFoodProduction, listedGreenCriteriaUsed, justWorkingConditions,
  employmentCondition, codeOfConduct, smeParticipationConsidered, endUserInvolved.
- The procedure type is the eForms code of BT-105 (open, restricted, neg-w-call,
  neg-wo-call, comp-dial, innovation, oth-single, oth-mult, comp-tend).

The repository does not list the index's own field names, so the notice fields read here
are ``noticeId``, ``datePublished``, ``procedureType``, ``title``,
``organisationNationalIds`` (buyer business ids) and ``hilmaStatistics`` (lot id ->
answers, as in hilmastatistics.md). The CSV export has the same names as columns, one row
per notice or per lot (a ``lotId`` column), statistics fields as true/false.

A notice counts once however many of its lots tick a field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..domain import FIRST_YEAR, LAST_YEAR
from .spend import Problem, Refused, normalise_business_id, parse_date
from .spend import describe as describe_problem

MAX_NOTICES = 20_000
MAX_PROBLEMS = 50

NEW_TO_BUYER = ("solutionNewToBuyer",)
INNOVATIVE = ("innovationConsidered", "solutionNewToMarketOrIndustry")
ENVIRONMENTAL = (
    "energyEfficiencyConsidered",
    "lowCarbon",
    "circularEconomy",
    "biodiversity",
    "sustainableFoodProduction",
    "listedGreenCriteriaUsed",
)
SOCIAL = ("justWorkingConditions", "employmentCondition", "codeOfConduct")
SME = ("smeParticipationConsidered",)
STATISTICS = (
    NEW_TO_BUYER
    + INNOVATIVE
    + ENVIRONMENTAL
    + SOCIAL
    + SME
    + (
        "solutionContainsResearch",
        "endUserInvolved",
        "qualityAndPerformanceCriteria",
        "accessibilityForAll",
        "ethnicEquality",
        "genderEquality",
        "howManyOpportunitiesIsEstimated",
    )
)
FIGURES = {
    "new_to_buyer": NEW_TO_BUYER,
    "innovative": INNOVATIVE,
    "environmental": ENVIRONMENTAL,
    "social": SOCIAL,
    "sme_considered": SME,
}
COUNTS = ("notices", *FIGURES, "not_open_procedure")
OPEN = "open"

_PROCEDURE = re.compile(r"^[a-z][a-z-]{1,30}$")
_NOTICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,40}$")
_TRUE = {"true", "1", "yes", "kyllä", "x"}
_FALSE = {"false", "0", "no", "ei", ""}


@dataclass
class Notice:
    notice_id: str
    published: date
    procedure_type: str
    title: str = ""
    buyers: tuple[str, ...] = ()
    ticked: set[str] = field(default_factory=set)
    """The figures (keys of FIGURES) that at least one lot ticks."""

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def not_open(self) -> bool:
        return self.procedure_type != OPEN

    def figures(self) -> set[str]:
        return self.ticked | ({"not_open_procedure"} if self.not_open else set())


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    def add(self, problem: Problem) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(problem)
        else:
            self.more += 1


def _as_bool(value: object) -> bool | None:
    """A statistics answer: True/False, or None when it is not one."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def _ticks(answers: dict, where: int, prefix: str, problems: _Problems) -> set[str]:
    ticked = set()
    for name, value in answers.items():
        if name == "howManyOpportunitiesIsEstimated":
            continue
        answer = _as_bool(value)
        if answer is None:
            problems.add(Problem(where, f"{prefix}{name}", "bad_answer", str(value)[:40]))
            continue
        if answer:
            ticked |= {figure for figure, fields in FIGURES.items() if name in fields}
    return ticked


def _notice(doc: object, where: int, problems: _Problems) -> Notice | None:
    """One notice document; its problems named by position and field."""
    if not isinstance(doc, dict):
        problems.add(Problem(where, "", "not_a_notice"))
        return None
    before = len(problems.items) + problems.more
    notice_id = str(doc.get("noticeId") if doc.get("noticeId") is not None else "").strip()
    if not _NOTICE_ID.match(notice_id):
        problems.add(Problem(where, "noticeId", "bad_notice_id", notice_id[:40]))
    published = parse_date(str(doc.get("datePublished") or "").strip())
    if published is None:
        problems.add(Problem(where, "datePublished", "bad_date", str(doc.get("datePublished"))[:40]))
    elif not FIRST_YEAR <= published.year <= LAST_YEAR:
        problems.add(Problem(where, "datePublished", "year_out_of_range", str(published.year)))
    procedure = str(doc.get("procedureType") or "").strip().lower()
    if not _PROCEDURE.match(procedure):
        problems.add(Problem(where, "procedureType", "bad_procedure", procedure[:40]))
    buyers_raw = doc.get("organisationNationalIds") or []
    if isinstance(buyers_raw, str):
        buyers_raw = [b for b in re.split(r"[|;,]", buyers_raw) if b.strip()]
    if not isinstance(buyers_raw, list):
        problems.add(Problem(where, "organisationNationalIds", "bad_buyers"))
        buyers_raw = []
    stats = doc.get("hilmaStatistics") or {}
    ticked: set[str] = set()
    if not isinstance(stats, dict):
        problems.add(Problem(where, "hilmaStatistics", "bad_statistics"))
    else:
        for lot, answers in stats.items():
            if not isinstance(answers, dict):
                problems.add(Problem(where, f"hilmaStatistics.{lot}", "bad_statistics"))
                continue
            ticked |= _ticks(answers, where, f"hilmaStatistics.{lot}.", problems)
    if len(problems.items) + problems.more > before:
        return None
    assert published is not None
    title = str(doc.get("title") or "")[:300]
    buyers = tuple(normalise_business_id(str(b)) for b in buyers_raw)
    return Notice(notice_id, published, procedure, title, buyers, ticked)


def parse_json(text: str) -> list[Notice]:
    """Notices of a JSON export (the search response, or a plain list of notices)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refused([Problem(exc.lineno, f"column {exc.colno}", "bad_json", exc.msg)]) from exc
    docs = document.get("value", document.get("notices")) if isinstance(document, dict) else document
    if not isinstance(docs, list):
        raise Refused([Problem(0, "value", "no_notices")])
    return _collect(docs)


def _collect(docs: Iterable[object]) -> list[Notice]:
    problems = _Problems()
    notices: dict[str, Notice] = {}
    for where, doc in enumerate(docs, start=1):
        if where > MAX_NOTICES:
            raise Refused([Problem(where, "", "too_many_notices")])
        notice = _notice(doc, where, problems)
        if notice is None:
            continue
        seen = notices.get(notice.notice_id)
        if seen is None:
            notices[notice.notice_id] = notice
        else:  # the same notice again (one row per lot): its lots' ticks add up
            seen.ticked |= notice.ticked
    if problems.items:
        raise Refused(problems.items, problems.more)
    return list(notices.values())


def parse_csv(text: str) -> list[Notice]:
    """Notices of a CSV export with the same field names as columns (see the module)."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= max(1, first.count(",")) else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [h.strip() for h in (reader.fieldnames or [])]
    missing = [h for h in ("noticeId", "datePublished", "procedureType") if h not in headers]
    if missing:
        raise Refused([Problem(1, h, "missing_column") for h in missing])
    docs = []
    try:
        for row in reader:
            row = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}
            lot = row.get("lotId") or "LOT-0000"
            stats = {name: row[name] for name in STATISTICS if name in row}
            docs.append(
                {
                    "noticeId": row["noticeId"],
                    "datePublished": row["datePublished"],
                    "procedureType": row["procedureType"],
                    "title": row.get("title", ""),
                    "organisationNationalIds": row.get("organisationNationalIds", ""),
                    "hilmaStatistics": {lot: stats},
                }
            )
    except csv.Error as exc:
        raise Refused([Problem(reader.line_num, "", "broken")]) from exc
    # Problems name the file's line: the header is line 1, so the first notice is line 2.
    try:
        return _collect(docs)
    except Refused as refused:
        refused.problems = [
            Problem(p.line + 1 if p.line else 0, p.column, p.code, p.value) for p in refused.problems
        ]
        raise


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Windows-1252 text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse(data: bytes) -> list[Notice]:
    """A notices file, JSON or CSV by its content."""
    if b"\x00" in data[:4096]:
        raise Refused([Problem(0, "", "binary")])
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise Refused([Problem(0, "", "encoding")]) from exc
    if not text.strip():
        raise Refused([Problem(0, "", "empty")])
    if text.lstrip()[:1] in "[{":
        return parse_json(text)
    return parse_csv(text)


def for_buyers(notices: Sequence[Notice], business_ids: Sequence[str]) -> list[Notice]:
    """The organisation's notices: those naming one of its business ids (all, when none is set
    or a notice names no buyer)."""
    ids = {normalise_business_id(b) for b in business_ids if b.strip()}
    if not ids:
        return list(notices)
    return [n for n in notices if not n.buyers or ids & set(n.buyers)]


def counts(notices: Iterable[Notice]) -> dict[int, dict[str, int]]:
    """Per year: the number of notices and of notices behind each figure."""
    result: dict[int, dict[str, int]] = {}
    for notice in notices:
        year = result.setdefault(notice.year, dict.fromkeys(COUNTS, 0))
        year["notices"] += 1
        for figure in notice.figures():
            year[figure] += 1
    return dict(sorted(result.items()))


def contract(notices: Iterable[Notice]) -> dict:
    """The command line's JSON document."""
    return {"years": {str(y): c for y, c in counts(notices).items()}}


PROBLEM_TEXTS = {
    "bad_json": "not valid JSON",
    "no_notices": 'no list of notices (expected the search response\'s "value" list)',
    "not_a_notice": "not a notice object",
    "bad_notice_id": "not a notice id",
    "bad_date": "not a date",
    "year_out_of_range": "the year is outside 2000-2100",
    "bad_procedure": "not a procedure type code (for example open, restricted)",
    "bad_buyers": "not a list of business ids",
    "bad_statistics": "statistics are not an object keyed by lot id",
    "bad_answer": "not a yes/no answer (true or false)",
    "too_many_notices": f"more than {MAX_NOTICES} notices",
    "missing_column": "the column is missing",
    "broken": "the CSV structure is broken here",
    "binary": "not a text file",
    "encoding": "not UTF-8 or Windows-1252 text",
    "empty": "the file is empty",
}


def describe(problem: Problem) -> str:
    """A problem in plain English, for the command line: the notice's row and field."""
    return describe_problem(problem, PROBLEM_TEXTS)
