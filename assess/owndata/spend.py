"""Spend figures per year from purchase-invoice rows and a suppliers' municipality file.

The invoice file follows the Finnish municipalities' open purchase-invoice data guidance
(Kuntaliitto 2021): one row per voucher line with the buyer, voucher number and date,
supplier name, business id (Y-tunnus) and country code, the amount in euros, service class
and account. It has no supplier municipality: that comes from a second file mapping
business id -> municipality (the business register's open data, YTJ/PRH avoindata).

Rules (the README states them for users):
- a row belongs to the year of its voucher date; credit notes are negative rows and net
  against invoices;
- a supplier is a distinct business id;
- a row is *excluded* (cannot be located) when it has no business id (anonymised sole
  traders) or its Finnish supplier is missing from the suppliers file; a foreign supplier
  (country code other than FI) is located, and never local;
- local spend is the spend with suppliers whose municipality is one of the local ones;
  the local share is local spend over located spend (total minus excluded).

Amounts are summed in cents as integers, so no float error creeps into a year's total.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain import FIRST_YEAR, LAST_YEAR
from . import csvfile
from .csvfile import Detected, FileProblem

INVOICE_ALIASES: dict[str, tuple[str, ...]] = {
    "buyer_name": ("ostajan nimi", "organisaation nimi", "ostaja", "buyer name"),
    "buyer_id": ("ostajan y-tunnus", "organisaation y-tunnus", "ostajan ytunnus", "buyer business id"),
    "voucher": ("tositenumero", "tositteen numero", "tosite", "laskun numero", "voucher number"),
    "date": (
        "tositepäivämäärä",
        "tositepäivä",
        "tositepvm",
        "tositteen päivämäärä",
        "laskun päivämäärä",
        "päivämäärä",
        "voucher date",
    ),
    "supplier_name": ("toimittajan nimi", "toimittaja", "supplier name"),
    "supplier_id": (
        "toimittajan y-tunnus",
        "toimittajan ytunnus",
        "y-tunnus",
        "ytunnus",
        "supplier business id",
    ),
    "country": ("maakoodi", "toimittajan maakoodi", "country code"),
    "amount": (
        "summa",
        "euromäärä",
        "tiliöinnin summa",
        "summa (eur)",
        "summa euroina",
        "euromäärä (eur)",
        "amount",
    ),
    "service_class": ("palveluluokka", "palveluluokan nimi", "palveluluokka (nimi)", "service class"),
    "account": ("tili", "tilin nimi", "kirjanpidon tili", "account"),
}
INVOICE_REQUIRED = ("date", "supplier_id", "amount")
INVOICE_FIELDS = tuple(INVOICE_ALIASES)

SUPPLIER_ALIASES: dict[str, tuple[str, ...]] = {
    "business_id": ("y-tunnus", "ytunnus", "toimittajan y-tunnus", "business id", "businessid"),
    "municipality": ("kotipaikka", "kotikunta", "kunta", "municipality", "domicile"),
}
SUPPLIER_REQUIRED = ("business_id", "municipality")

MAX_PROBLEMS = 50
TOP = 10
MAX_CENTS = 10**14  # a single row over a trillion euros is a typo, not a purchase
MAX_TEXT = 300

_BUSINESS_ID = re.compile(r"^\d{7}-\d$")
_DATE_FI = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: line (1 = header), column header, what, the cell."""

    line: int
    column: str
    code: str  # "bad_date", "bad_amount", "bad_business_id", "year_out_of_range", "too_long",
    #            "missing_column", "broken", "encoding", "empty", "no_header", "binary",
    #            "duplicate_business_id", "empty_municipality"
    value: str = ""


PROBLEM_TEXTS = {
    "bad_date": "not a date (expected d.m.yyyy or yyyy-mm-dd)",
    "bad_amount": "not an amount in euros",
    "bad_business_id": "not a business id (expected 1234567-8)",
    "year_out_of_range": "the year is outside 2000-2100",
    "too_long": "the text is too long",
    "missing_column": "no column for this field: map it or add the header",
    "broken": "the CSV structure is broken here (an unclosed quote?)",
    "encoding": "characters that are neither UTF-8 nor Windows-1252",
    "empty": "the file is empty",
    "no_header": "no header row with at least two columns",
    "binary": "not a text file",
    "unreadable": "the file cannot be read",
    "duplicate_business_id": "the business id is listed twice with different municipalities",
    "empty_municipality": "the municipality is empty",
}


def describe(problem: Problem, texts: Mapping[str, str] = PROBLEM_TEXTS) -> str:
    """A problem in plain English, for the command line (``texts``: what each code means)."""
    where = f"row {problem.line}" if problem.line else "file"
    if problem.column:
        where += f", column {problem.column!r}"
    value = f": {problem.value!r}" if problem.value else ""
    return f"{where}: {texts.get(problem.code, problem.code)}{value}"


class Refused(Exception):
    """The file has problems: nothing is computed or saved from it."""

    def __init__(self, problems: list[Problem], more: int = 0, file: str = "") -> None:
        super().__init__(f"{len(problems) + more} problems")
        self.problems = problems
        self.more = more
        self.file = file  # "suppliers" when the suppliers file is the one refused


@dataclass(slots=True)
class InvoiceRow:
    line: int
    year: int
    voucher_date: str  # ISO
    voucher: str
    supplier_id: str  # "" when anonymised
    supplier_name: str
    country: str
    cents: int
    service_class: str
    account: str


def parse_date(text: str) -> date | None:
    """d.m.yyyy or yyyy-mm-dd (a time after the date is ignored); None when not a date."""
    match = _DATE_FI.match(text)
    if match:
        day, month, year = match.groups()
    else:
        match = _DATE_ISO.match(text)
        if not match:
            return None
        year, month, day = match.groups()
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


_PLAIN_AMOUNT = {d: re.compile(r"(-?)(\d+)(?:" + re.escape(d) + r"(\d{1,2}))?") for d in ",."}


def parse_cents(text: str, decimal: str) -> int | None:
    """ "-1 234,50" -> -123450 (decimal comma); a trailing minus counts as a sign too."""
    plain = _PLAIN_AMOUNT[decimal].fullmatch(text)
    if plain:  # the common case, without grouping or a currency sign
        cents = int(plain[2]) * 100 + int((plain[3] or "0").ljust(2, "0"))
        if cents >= MAX_CENTS:
            return None
        return -cents if plain[1] else cents
    t = text.replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").replace("€", "")
    if t.endswith("-") and not t.startswith("-"):
        t = "-" + t[:-1]
    other = "." if decimal == "," else ","
    if other in t:
        # A grouping mark of the other kind ("1.234,50") is fine only in groups of three.
        grouped = r"-?\d{1,3}(?:" + re.escape(other) + r"\d{3})+(?:" + re.escape(decimal) + r"\d{1,2})?"
        if not re.fullmatch(grouped, t):
            return None
        t = t.replace(other, "")
    match = re.fullmatch(r"(-?)(\d+)(?:" + re.escape(decimal) + r"(\d{1,2}))?", t)
    if not match:
        return None
    cents = int(match[2]) * 100 + int((match[3] or "0").ljust(2, "0"))
    if cents >= MAX_CENTS:
        return None
    return -cents if match[1] else cents


def normalise_business_id(text: str) -> str:
    """ "FI12345678" / "1234567-8 " -> "1234567-8"; other text is returned stripped."""
    if _BUSINESS_ID.match(text):
        return text
    t = text.strip().upper().replace(" ", "")
    if re.fullmatch(r"FI\d{8}", t):
        return f"{t[2:9]}-{t[9]}"
    if re.fullmatch(r"\d{6}-\d", t):  # a lost leading zero (spreadsheets drop it)
        return "0" + t
    return t


_FINNISH = frozenset({"", "FI", "FIN", "SUOMI", "FINLAND"})


def _is_finnish(country: str) -> bool:
    return country in _FINNISH or country.strip().upper() in _FINNISH


def read_invoices(path: Path, detected: Detected) -> Iterator[InvoiceRow | Problem]:
    """Every row of the invoice file, checked: an InvoiceRow or the Problems it has."""
    if detected.missing:
        for name in detected.missing:
            yield Problem(1, name, "missing_column")
        return
    headers = detected.mapping
    at = {name: detected.headers.index(header) for name, header in headers.items()}
    i_date, i_amount, i_id = at["date"], at["amount"], at["supplier_id"]
    optional = {
        name: at.get(name) for name in ("voucher", "supplier_name", "country", "service_class", "account")
    }
    decimal = detected.decimal
    try:
        for line, cells in csvfile.raw_rows(path, detected):
            text = {name: (cells[i] if i is not None else "") for name, i in optional.items()}
            problems = []
            when = parse_date(cells[i_date])
            if when is None:
                problems.append(Problem(line, headers["date"], "bad_date", cells[i_date][:40]))
            elif not FIRST_YEAR <= when.year <= LAST_YEAR:
                problems.append(Problem(line, headers["date"], "year_out_of_range", cells[i_date]))
            cents = parse_cents(cells[i_amount], decimal)
            if cents is None:
                problems.append(Problem(line, headers["amount"], "bad_amount", cells[i_amount][:40]))
            country = text["country"]
            business_id = normalise_business_id(cells[i_id])
            if business_id and _is_finnish(country) and not _BUSINESS_ID.match(business_id):
                problems.append(Problem(line, headers["supplier_id"], "bad_business_id", cells[i_id][:40]))
            for name in ("supplier_name", "service_class", "account", "voucher"):
                if len(text[name]) > MAX_TEXT:
                    problems.append(Problem(line, headers[name], "too_long"))
            if problems:
                yield from problems
                continue
            assert when is not None and cents is not None
            yield InvoiceRow(
                line,
                when.year,
                when.isoformat(),
                text["voucher"],
                business_id,
                text["supplier_name"],
                country.upper(),
                cents,
                text["service_class"],
                text["account"],
            )
    except FileProblem as exc:
        yield _file_problem(exc)


def _file_problem(exc: FileProblem) -> Problem:
    code, _, line = str(exc).partition("_at:")
    if line:
        return Problem(int(line), "", "broken" if code == "broken" else "encoding")
    return Problem(0, "", str(exc))


def read_suppliers(path: Path, detected: Detected | None = None) -> dict[str, str]:
    """Business id -> municipality from the suppliers file; Refused listing every problem."""
    problems: list[Problem] = []
    try:
        detected = detected or csvfile.detect(path, SUPPLIER_ALIASES, SUPPLIER_REQUIRED)
    except FileProblem as exc:
        raise Refused([_file_problem(exc)], file="suppliers") from exc
    except OSError as exc:
        raise Refused([Problem(0, "", "unreadable")], file="suppliers") from exc
    if detected.missing:
        raise Refused([Problem(1, name, "missing_column") for name in detected.missing], file="suppliers")
    result: dict[str, str] = {}
    more = 0
    headers = detected.mapping
    try:
        for line, cells in csvfile.rows(path, detected):
            business_id = normalise_business_id(cells["business_id"])
            municipality = " ".join(cells["municipality"].split())
            found = None
            if not _BUSINESS_ID.match(business_id):
                found = Problem(line, headers["business_id"], "bad_business_id", cells["business_id"][:40])
            elif not municipality:
                found = Problem(line, headers["municipality"], "empty_municipality")
            elif len(municipality) > MAX_TEXT:
                found = Problem(line, headers["municipality"], "too_long")
            elif business_id in result and result[business_id].casefold() != municipality.casefold():
                found = Problem(line, headers["business_id"], "duplicate_business_id", business_id)
            if found:
                if len(problems) < MAX_PROBLEMS:
                    problems.append(found)
                else:
                    more += 1
                continue
            result[business_id] = municipality
    except FileProblem as exc:
        problems.append(_file_problem(exc))
    if problems:
        raise Refused(problems, more, file="suppliers")
    return result


# --- the figures ------------------------------------------------------------------------


@dataclass
class YearFigures:
    """One voucher year's figures; euros as cents."""

    year: int
    rows: int = 0
    total_cents: int = 0
    local_cents: int = 0
    excluded_rows: int = 0
    excluded_cents: int = 0
    no_id_rows: int = 0
    no_id_cents: int = 0
    unknown_rows: int = 0
    unknown_cents: int = 0
    suppliers: set[str] = field(default_factory=set)
    by_supplier: Counter = field(default_factory=Counter)
    by_class: Counter = field(default_factory=Counter)

    @property
    def located_cents(self) -> int:
        return self.total_cents - self.excluded_cents

    @property
    def local_share(self) -> float:
        """Local spend over located spend, 0..1 to four decimals (0 when nothing is located)."""
        located = self.located_cents
        if located <= 0:
            return 0.0
        return round(min(max(self.local_cents / located, 0.0), 1.0), 4)


@dataclass
class SpendResult:
    years: dict[int, YearFigures]
    unknown_suppliers: list[str]
    supplier_names: dict[str, str]
    local: tuple[str, ...]

    def contract(self) -> dict:
        """The command line's JSON document."""
        return {
            "years": {
                str(y): {
                    "total_eur": cents_to_eur(f.total_cents),
                    "suppliers": len(f.suppliers),
                    "local_eur": cents_to_eur(f.local_cents),
                    "local_share": f.local_share,
                    "excluded_eur": cents_to_eur(f.excluded_cents),
                    "rows": f.rows,
                    "excluded_rows": f.excluded_rows,
                }
                for y, f in sorted(self.years.items())
            },
            "unknown_suppliers": self.unknown_suppliers,
        }

    def summary(self, year: int) -> dict:
        """What is stored and shown of a year: the contract's figures plus the details."""
        f = self.years[year]
        unknown = set(self.unknown_suppliers)
        return {
            **self.contract()["years"][str(year)],
            "located_eur": cents_to_eur(f.located_cents),
            "no_id_rows": f.no_id_rows,
            "no_id_eur": cents_to_eur(f.no_id_cents),
            "unknown_rows": f.unknown_rows,
            "unknown_eur": cents_to_eur(f.unknown_cents),
            "local_municipalities": list(self.local),
            "top_suppliers": [
                {"business_id": b, "name": self.supplier_names.get(b, ""), "eur": cents_to_eur(c)}
                for b, c in f.by_supplier.most_common(TOP)
            ],
            "top_classes": [
                {"name": n or "–", "eur": cents_to_eur(c)} for n, c in f.by_class.most_common(TOP)
            ],
            "unknown_suppliers": sorted(f.suppliers & unknown)[:200],
        }


def cents_to_eur(cents: int) -> float:
    return round(cents / 100, 2)


def municipality_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def compute(rows: Iterable[InvoiceRow], suppliers: Mapping[str, str], local: Sequence[str]) -> SpendResult:
    """The yearly figures of checked invoice rows (see the module's rules)."""
    local_keys = {municipality_key(m) for m in local}
    home = {b: municipality_key(m) for b, m in suppliers.items()}
    years: dict[int, YearFigures] = {}
    unknown: set[str] = set()
    names: dict[str, str] = {}
    for row in rows:
        f = years.get(row.year)
        if f is None:
            f = years[row.year] = YearFigures(row.year)
        f.rows += 1
        f.total_cents += row.cents
        f.by_class[row.service_class] += row.cents
        if not row.supplier_id:
            f.excluded_rows += 1
            f.excluded_cents += row.cents
            f.no_id_rows += 1
            f.no_id_cents += row.cents
            continue
        f.suppliers.add(row.supplier_id)
        f.by_supplier[row.supplier_id] += row.cents
        if row.supplier_name and row.supplier_id not in names:
            names[row.supplier_id] = row.supplier_name
        if not _is_finnish(row.country):
            continue  # located abroad: counts in located spend, never local
        municipality = home.get(row.supplier_id)
        if municipality is None:
            unknown.add(row.supplier_id)
            f.excluded_rows += 1
            f.excluded_cents += row.cents
            f.unknown_rows += 1
            f.unknown_cents += row.cents
        elif municipality in local_keys:
            f.local_cents += row.cents
    return SpendResult(years, sorted(unknown), names, tuple(local))


def check_and_compute(
    path: Path,
    detected: Detected,
    suppliers: Mapping[str, str],
    local: Sequence[str],
    *,
    keep: Callable[[InvoiceRow], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SpendResult:
    """Read, check and compute in one streamed pass; Refused (nothing kept) on any problem.

    ``keep`` receives every good row (to store them once the whole file is known good: the
    caller stages them and commits only when this returns); ``progress`` the number of
    rows read so far, every 10,000 rows.
    """
    problems: list[Problem] = []
    more = 0

    def good_rows() -> Iterator[InvoiceRow]:
        nonlocal more
        count = 0
        for item in read_invoices(path, detected):
            if isinstance(item, Problem):
                if len(problems) < MAX_PROBLEMS:
                    problems.append(item)
                else:
                    more += 1
                continue
            count += 1
            if progress and count % 10_000 == 0:
                progress(count)
            if not problems and keep:
                keep(item)
            yield item

    result = compute(good_rows(), suppliers, local)
    if problems:
        raise Refused(problems, more)
    return result
