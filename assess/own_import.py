"""Importing the organisation's own files: check everything, compute, then store in one go.

Shared by the command line and the web page's import job. A file with any problem is
refused whole (Refused lists them) and nothing is stored. Invoices are read twice when
saved: the first pass checks and computes, the second stores the rows, so a file of
hundreds of thousands of rows never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlite_utils import Database

from .owndata import csvfile, notices, spend
from .owndata.csvfile import Detected
from .owndata.spend import InvoiceRow, Problem, Refused, SpendResult
from .storage import owndata as store

Progress = Callable[[float], None]


def detect_invoices(path: Path) -> Detected:
    """The invoice file's encoding, delimiter, decimal mark and column mapping; Refused when
    it cannot be read as CSV at all."""
    try:
        return csvfile.detect(path, spend.INVOICE_ALIASES, spend.INVOICE_REQUIRED, "amount")
    except csvfile.FileProblem as exc:
        raise Refused([Problem(0, "", str(exc))]) from exc


def estimate_rows(path: Path) -> int:
    """Roughly how many rows the file has, from its size and its first lines (for progress)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(csvfile.SAMPLE_BYTES)
    lines = max(sample.count(b"\n"), 1)
    return max(int(size / (len(sample) / lines)), 1)


def import_invoices(db: Database | None, org_id: int | None, invoices: Path, detected: Detected,
                    suppliers_path: Path, local: Sequence[str], *, file_name: str = "",
                    progress: Progress | None = None) -> SpendResult:
    """Check and compute; with a database, also store rows, suppliers and figures.

    ``progress`` gets a fraction 0..1 as rows are read (checking is the first half when
    storing, the whole when not).
    """
    suppliers = spend.read_suppliers(suppliers_path)
    expected = estimate_rows(invoices)
    saving = db is not None and org_id is not None
    span = 0.5 if saving else 1.0

    def checked(count: int) -> None:
        if progress:
            progress(min(count / expected, 1.0) * span)

    result = spend.check_and_compute(invoices, detected, suppliers, local, progress=checked)
    if not saving:
        return result
    assert db is not None and org_id is not None

    def stored_rows() -> iter:
        count = 0
        for item in spend.read_invoices(invoices, detected):
            if isinstance(item, InvoiceRow):
                count += 1
                if progress and count % 10_000 == 0:
                    progress(0.5 + min(count / expected, 1.0) * 0.5)
                yield item

    summaries = {year: result.summary(year) for year in result.years}
    used = {b: m for b, m in suppliers.items()}
    store.replace_invoice_years(db, org_id, stored_rows(), summaries, used,
                                file_name or invoices.name)
    return result


def import_notices(db: Database | None, org_id: int | None, data: bytes, business_ids: Sequence[str],
                   *, file_name: str = "") -> list[notices.Notice]:
    """Parse, filter to the organisation's business ids, and with a database store them."""
    found = notices.for_buyers(notices.parse(data), business_ids)
    if db is not None and org_id is not None:
        store.replace_notices(db, org_id, found, notices.counts(found), file_name)
    return found


__all__ = ["Refused", "detect_invoices", "import_invoices", "import_notices"]
