"""What the own-data pages show: problems, figures and proposals worded for the reader.

Plain view data for the templates (translated, numbers formatted the reader's way).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..formatting import format_count, format_euro, format_number
from ..owndata.proposals import Proposal
from ..owndata.spend import Problem

HILMA_NOTICE_URL = "https://www.hankintailmoitukset.fi/fi/public/search?q={notice_id}"
"""Where a notice opens in Hilma's public search (by its notice number)."""

FIELD_LABELS = {
    "buyer_name": _l("Buyer name"),
    "buyer_id": _l("Buyer business id"),
    "voucher": _l("Voucher number"),
    "date": _l("Voucher date"),
    "supplier_name": _l("Supplier name"),
    "supplier_id": _l("Supplier business id"),
    "country": _l("Country code"),
    "amount": _l("Amount in euros"),
    "service_class": _l("Service class"),
    "account": _l("Account"),
    "business_id": _l("Business id"),
    "municipality": _l("Municipality"),
}

FIGURE_LABELS = {
    "notices": _l("Notices"),
    "new_to_buyer": _l("Solution new to the buyer"),
    "innovative": _l("Innovative procurement"),
    "environmental": _l("Environmental criteria"),
    "social": _l("Social criteria (incl. employment condition)"),
    "sme_considered": _l("SME participation considered"),
    "not_open_procedure": _l("Procedure other than open"),
}

PROCEDURE_LABELS = {  # eForms BT-105 procedure type codes
    "open": _l("Open procedure"),
    "restricted": _l("Restricted procedure"),
    "neg-w-call": _l("Negotiated procedure with prior publication"),
    "neg-wo-call": _l("Negotiated procedure without prior publication"),
    "comp-dial": _l("Competitive dialogue"),
    "innovation": _l("Innovation partnership"),
    "oth-single": _l("Other single-stage procedure"),
    "oth-mult": _l("Other multiple-stage procedure"),
}

PROBLEM_LABELS = {
    "bad_date": _l("not a date (use d.m.yyyy or yyyy-mm-dd)"),
    "bad_amount": _l("not an amount in euros"),
    "bad_business_id": _l("not a business id (format 1234567-8)"),
    "year_out_of_range": _l("the year is outside 2000–2100"),
    "too_long": _l("the text is too long"),
    "missing_column": _l("no column was found for this field"),
    "broken": _l("the file's structure is broken here (a quotation mark left open?)"),
    "encoding": _l("the characters are neither UTF-8 nor Windows-1252"),
    "empty": _l("the file is empty"),
    "no_header": _l("the file has no header row with at least two columns"),
    "binary": _l("the file is not a text file"),
    "unreadable": _l("the file cannot be read"),
    "duplicate_business_id": _l("the business id is listed twice with different municipalities"),
    "empty_municipality": _l("the municipality is empty"),
    "bad_json": _l("not valid JSON"),
    "no_notices": _l("no list of notices was found"),
    "not_a_notice": _l("not a notice"),
    "bad_notice_id": _l("not a notice number"),
    "bad_procedure": _l("not a procedure type (for example open or restricted)"),
    "bad_buyers": _l("not a list of business ids"),
    "bad_statistics": _l("the statistics are not given per lot"),
    "bad_answer": _l("not a yes/no answer (true or false)"),
    "too_many_notices": _l("the file has too many notices"),
}


def problem_text(problem: Problem) -> str:
    """ "Row 12, column “Summa”: not an amount in euros (“abc”)"."""
    column = str(FIELD_LABELS.get(problem.column, problem.column))
    what = str(PROBLEM_LABELS.get(problem.code, problem.code))
    if problem.line and column:
        where = _("Row %(row)d, column “%(column)s”", row=problem.line, column=column)
    elif problem.line:
        where = _("Row %(row)d", row=problem.line)
    else:
        where = _("The file")
    value = f" (“{problem.value}”)" if problem.value else ""
    return f"{where}: {what}{value}"


def problem_list(problems: Sequence[Problem], more: int) -> list[str]:
    texts = [problem_text(p) for p in problems]
    if more:
        texts.append(_("… and %(n)s more problems.", n=format_count(more, "fi")))
    return texts


def fetch_problem(code: str) -> str:
    """Why a fetch from Hilma stopped; what was fetched so far is kept for the next try."""
    if code in ("http_401", "http_403"):
        return _("Hilma refused the API key. Ask the administrator to check it.")
    if code == "unreachable":
        return _(
            "Hilma could not be reached. Check the connection and try again: the fetch "
            "continues where it stopped."
        )
    return _("Hilma's API did not answer as expected. Try again later: the fetch continues where it stopped.")


def percent(share: float, lang: str, decimals: int = 1) -> str:
    number = format_number(share * 100, lang, max_decimals=decimals)
    return f"{number}\u00a0%" if lang != "en" else f"{number}%"


def rows_text(n: int, lang: str) -> str:
    """ "1 row", "2 059 rows"."""
    return ngettext("%(count)s row", "%(count)s rows", n, count=format_count(n, lang))


def spend_view(year: int, figures: Mapping, lang: str) -> dict:
    """A year's spend figures formatted for the page."""
    located = figures["total_eur"] - figures["excluded_eur"]
    return {
        "year": year,
        "rows": format_count(figures["rows"], lang),
        "total": format_euro(figures["total_eur"], lang),
        "suppliers": format_count(figures["suppliers"], lang),
        "local": format_euro(figures["local_eur"], lang),
        "local_share": percent(figures["local_share"], lang),
        "located": format_euro(located, lang),
        "excluded": format_euro(figures["excluded_eur"], lang),
        "excluded_rows": rows_text(figures["excluded_rows"], lang),
        "no_id": format_euro(figures.get("no_id_eur", 0), lang),
        "no_id_rows": rows_text(figures.get("no_id_rows", 0), lang),
        "unknown": format_euro(figures.get("unknown_eur", 0), lang),
        "unknown_rows": rows_text(figures.get("unknown_rows", 0), lang),
        "municipalities": ", ".join(figures.get("local_municipalities", [])),
        "top_suppliers": [dict(s, eur=format_euro(s["eur"], lang)) for s in figures.get("top_suppliers", [])],
        "top_classes": [dict(c, eur=format_euro(c["eur"], lang)) for c in figures.get("top_classes", [])],
        "unknown_suppliers": figures.get("unknown_suppliers", []),
        "file_name": figures.get("file_name", ""),
    }


def notice_view(year: int, figures: Mapping, lang: str) -> dict:
    return {
        "year": year,
        "counts": [
            (key, str(label), format_count(figures.get(key, 0), lang)) for key, label in FIGURE_LABELS.items()
        ],
        "file_name": figures.get("file_name", ""),
    }


def source_text(proposal: Proposal, lang: str) -> str:
    """The proposal's source and method in one sentence (also stored as the value's source)."""
    trace = proposal.trace
    if proposal.source == "invoices":
        return _(
            "Computed from purchase invoices %(year)d, %(rows)s rows; local suppliers "
            "%(share)s (%(area)s); %(excluded)s could not be located and is left out.",
            year=proposal.year,
            rows=format_count(trace["rows"], lang),
            share=percent(trace["local_share"], lang),
            area=", ".join(trace.get("local_municipalities", [])),
            excluded=format_euro(trace["excluded_eur"], lang),
        )
    return _(
        "Computed from Hilma notices %(year)d: %(count)s of %(notices)s notices "
        "(%(figure)s), each notice counted once.",
        year=proposal.year,
        count=format_count(proposal.value, lang),
        notices=format_count(trace["notices"], lang),
        figure=str(FIGURE_LABELS.get(trace["figure"], trace["figure"])).lower(),
    )


def proposal_value(proposal: Proposal, lang: str) -> str:
    if proposal.kind == "percent":
        return percent(proposal.value / 100, lang, decimals=2)
    return format_count(proposal.value, lang)


def origin_text(origin: Mapping, lang: str) -> str:
    """How a saved value came to be: computed as is, or edited from a computed figure."""
    if origin["status"] == "computed":
        return _("Computed value, accepted by a lead.")
    return _(
        "Entered by a lead; the computed figure was %(value)s.",
        value=format_number(origin["computed_value"], lang),
    )
