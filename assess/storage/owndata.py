"""The organisation's own data: settings, raw invoice rows and notices, computed figures,
and where saved metric values came from.

Raw rows are the organisation's data: stored per organisation and year, removed with the
year, never exported. Every query is scoped to the organisation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from sqlite_utils import Database

from ..owndata.notices import Notice
from ..owndata.proposals import Proposal, same_value
from ..owndata.spend import InvoiceRow
from . import metrics
from .db import now, one, rows, write

MAX_MUNICIPALITIES = 50
MAX_BUSINESS_IDS = 20


# --- settings ---------------------------------------------------------------------------


def settings(db: Database, org_id: int) -> dict:
    """Home municipality, local municipalities and business ids (empty when never set)."""
    found = one(db, "SELECT * FROM own_data_settings WHERE org_id = ?", (org_id,))
    if found is None:
        return {"home_municipality": "", "local_municipalities": [], "business_ids": []}
    return {
        "home_municipality": found["home_municipality"],
        "local_municipalities": json.loads(found["local_municipalities"]),
        "business_ids": json.loads(found["business_ids"]),
    }


def save_settings(
    db: Database,
    org_id: int,
    *,
    home_municipality: str,
    local_municipalities: Sequence[str],
    business_ids: Sequence[str],
) -> None:
    with write(db):
        db.execute(
            "INSERT INTO own_data_settings (org_id, home_municipality, local_municipalities, "
            "business_ids, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET "
            "home_municipality = excluded.home_municipality, "
            "local_municipalities = excluded.local_municipalities, "
            "business_ids = excluded.business_ids, updated_at = excluded.updated_at",
            (
                org_id,
                home_municipality,
                json.dumps(list(local_municipalities)[:MAX_MUNICIPALITIES], ensure_ascii=False),
                json.dumps(list(business_ids)[:MAX_BUSINESS_IDS]),
                now(),
            ),
        )


def local_municipalities(found: Mapping) -> list[str]:
    """The "area" of goal 3: the chosen municipalities, else the home municipality alone."""
    chosen = list(found["local_municipalities"])
    if chosen:
        return chosen
    return [found["home_municipality"]] if found["home_municipality"] else []


# --- invoices ---------------------------------------------------------------------------

_INSERT_ROW = (
    "INSERT INTO {table} (org_id, year, line, voucher_date, voucher, supplier_id, supplier_name, "
    "country, cents, service_class, account) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class InvoiceStaging:
    """Rows of a file being imported, kept in a connection-private TEMP table until the
    whole file is known good; the real table is written only by ``commit``, in one short
    transaction, so other writers never wait for the file to be read."""

    def __init__(self, db: Database, org_id: int) -> None:
        self.db, self.org_id = db, org_id
        db.execute("DROP TABLE IF EXISTS temp.staged_invoice_rows")
        db.execute("CREATE TEMP TABLE staged_invoice_rows AS SELECT * FROM invoice_rows WHERE 0")

    def add(self, batch: Iterable[InvoiceRow]) -> None:
        org_id = self.org_id
        self.db.conn.executemany(
            _INSERT_ROW.format(table="temp.staged_invoice_rows"),
            (
                (
                    org_id,
                    r.year,
                    r.line,
                    r.voucher_date,
                    r.voucher,
                    r.supplier_id,
                    r.supplier_name,
                    r.country,
                    r.cents,
                    r.service_class,
                    r.account,
                )
                for r in batch
            ),
        )

    def drop(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.staged_invoice_rows")

    def commit(self, years: Mapping[int, dict], suppliers: Mapping[str, str], file_name: str) -> None:
        """Store the file: its years' rows replace earlier ones, the suppliers' municipalities
        are added (or updated), and each year's figures stored."""
        db, org_id, stamp = self.db, self.org_id, now()
        try:
            with write(db):
                for year in years:
                    db.execute("DELETE FROM invoice_rows WHERE org_id = ? AND year = ?", (org_id, year))
                db.execute("INSERT INTO invoice_rows SELECT * FROM temp.staged_invoice_rows")
                db.conn.executemany(
                    "INSERT INTO supplier_municipalities (org_id, business_id, municipality) "
                    "VALUES (?, ?, ?) ON CONFLICT (org_id, business_id) "
                    "DO UPDATE SET municipality = excluded.municipality",
                    ((org_id, b, m) for b, m in suppliers.items()),
                )
                for year, figures in years.items():
                    _put_figures(db, org_id, year, "invoices", figures, file_name, stamp)
        finally:
            self.drop()


def invoice_years(db: Database, org_id: int) -> list[dict]:
    """The years with stored invoice rows: year, rows and their net sum in euros."""
    found = rows(
        db,
        "SELECT year, COUNT(*) AS n, SUM(cents) AS cents FROM invoice_rows "
        "WHERE org_id = ? GROUP BY year ORDER BY year",
        (org_id,),
    )
    return [{"year": r["year"], "rows": r["n"], "eur": (r["cents"] or 0) / 100} for r in found]


def delete_invoice_year(db: Database, org_id: int, year: int) -> int:
    """Remove a year's raw invoice rows and its spend figures; the number of rows removed.

    Metric values the lead saved stay (with their recorded source)."""
    with write(db):
        cursor = db.execute("DELETE FROM invoice_rows WHERE org_id = ? AND year = ?", (org_id, year))
        db.execute(
            "DELETE FROM own_figures WHERE org_id = ? AND year = ? AND source = 'invoices'", (org_id, year)
        )
        return cursor.rowcount


def supplier_count(db: Database, org_id: int) -> int:
    found = one(db, "SELECT COUNT(*) AS n FROM supplier_municipalities WHERE org_id = ?", (org_id,))
    return found["n"] if found else 0


# --- notices ----------------------------------------------------------------------------


def replace_notices(
    db: Database, org_id: int, notices: Sequence[Notice], years: Mapping[int, dict], file_name: str
) -> None:
    """Store imported notices: the file's years replace what was stored for them."""
    stamp = now()
    with write(db):
        for year in years:
            db.execute("DELETE FROM hilma_notices WHERE org_id = ? AND year = ?", (org_id, year))
        db.conn.executemany(
            "INSERT INTO hilma_notices (org_id, notice_id, year, published, procedure_type, title, "
            "figures) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, notice_id) DO UPDATE SET "
            "year = excluded.year, published = excluded.published, "
            "procedure_type = excluded.procedure_type, title = excluded.title, "
            "figures = excluded.figures",
            (
                (
                    org_id,
                    n.notice_id,
                    n.year,
                    n.published.isoformat(),
                    n.procedure_type,
                    n.title,
                    json.dumps(sorted(n.figures())),
                )
                for n in notices
            ),
        )
        for year, figures in years.items():
            _put_figures(db, org_id, year, "hilma", figures, file_name, stamp)


def notices_for_year(db: Database, org_id: int, year: int) -> list[dict]:
    """The year's stored notices, newest first, each with the list of figures it counts in."""
    found = rows(
        db,
        "SELECT notice_id, published, procedure_type, title, figures FROM hilma_notices "
        "WHERE org_id = ? AND year = ? ORDER BY published DESC, notice_id",
        (org_id, year),
    )
    for r in found:
        r["figures"] = json.loads(r["figures"])
    return found


def notice_years(db: Database, org_id: int) -> list[dict]:
    found = rows(
        db,
        "SELECT year, COUNT(*) AS n FROM hilma_notices WHERE org_id = ? GROUP BY year ORDER BY year",
        (org_id,),
    )
    return [{"year": r["year"], "notices": r["n"]} for r in found]


def delete_notice_year(db: Database, org_id: int, year: int) -> int:
    with write(db):
        cursor = db.execute("DELETE FROM hilma_notices WHERE org_id = ? AND year = ?", (org_id, year))
        db.execute(
            "DELETE FROM own_figures WHERE org_id = ? AND year = ? AND source = 'hilma'", (org_id, year)
        )
        return cursor.rowcount


# --- computed figures -------------------------------------------------------------------


def _put_figures(
    db: Database, org_id: int, year: int, source: str, figures: Mapping, file_name: str, stamp: str
) -> None:
    db.execute(
        "INSERT INTO own_figures (org_id, year, source, figures, file_name, computed_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, year, source) DO UPDATE SET "
        "figures = excluded.figures, file_name = excluded.file_name, "
        "computed_at = excluded.computed_at",
        (org_id, year, source, json.dumps(figures, ensure_ascii=False), file_name[:200], stamp),
    )


def figures(db: Database, org_id: int) -> dict[int, dict[str, dict]]:
    """Every year's computed figures: {year: {source: figures}}, years ascending."""
    found = rows(
        db,
        "SELECT year, source, figures, file_name, computed_at FROM own_figures "
        "WHERE org_id = ? ORDER BY year, source",
        (org_id,),
    )
    result: dict[int, dict[str, dict]] = {}
    for r in found:
        data = json.loads(r["figures"])
        data["file_name"], data["computed_at"] = r["file_name"], r["computed_at"]
        result.setdefault(r["year"], {})[r["source"]] = data
    return result


def figures_for_year(db: Database, org_id: int, year: int) -> dict[str, dict]:
    return figures(db, org_id).get(year, {})


# --- where saved values came from -------------------------------------------------------


def origins(db: Database, org_id: int) -> dict[str, dict[int, dict]]:
    """{metric: {year: origin}} with status, source, computed_value and trace."""
    found = rows(db, "SELECT * FROM metric_value_origins WHERE org_id = ?", (org_id,))
    result: dict[str, dict[int, dict]] = {}
    for r in found:
        r["trace"] = json.loads(r["trace"])
        result.setdefault(r["metric"], {})[r["year"]] = r
    return result


def _put_origin(db: Database, org_id: int, proposal: Proposal, status: str) -> None:
    db.execute(
        "INSERT INTO metric_value_origins (org_id, year, metric, status, source, computed_value, "
        "trace, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, year, metric) "
        "DO UPDATE SET status = excluded.status, source = excluded.source, "
        "computed_value = excluded.computed_value, trace = excluded.trace, "
        "recorded_at = excluded.recorded_at",
        (
            org_id,
            proposal.year,
            proposal.metric,
            status,
            proposal.source,
            float(proposal.value),
            json.dumps(proposal.trace, ensure_ascii=False),
            now(),
        ),
    )


def accept(
    db: Database,
    org_id: int,
    proposal: Proposal,
    *,
    kind: str,
    source_text: str,
    note: str = "",
    choose_kind: bool = False,
) -> None:
    """Save a proposed value as the year's metric value, with its source and trace
    (``choose_kind``: also make ``kind`` the organisation's choice for the metric)."""
    with write(db):
        if choose_kind:
            metrics.set_kind(db, org_id, proposal.metric, kind)
        metrics.set_value(db, org_id, proposal.year, proposal.metric, kind, proposal.value, note, source_text)
        _put_origin(db, org_id, proposal, "computed")


def record_origins(
    db: Database,
    org_id: int,
    year: int,
    saved: Mapping[str, object | None],
    proposals: Mapping[str, Proposal],
) -> None:
    """After the values form is saved: a value saved beside a proposal is traced as computed
    (the same value) or edited (another value); a removed value or one with no proposal
    loses its trace."""
    with write(db):
        for metric, value in saved.items():
            proposal = proposals.get(metric)
            if value is None or proposal is None:
                db.execute(
                    "DELETE FROM metric_value_origins WHERE org_id = ? AND year = ? AND metric = ?",
                    (org_id, year, metric),
                )
                continue
            _put_origin(db, org_id, proposal, "computed" if same_value(proposal, value) else "edited")
