"""Importing the organisation's own files: check everything, compute, then store in one go.

Shared by the command line and the web page's import job. A file with any problem is
refused whole (Refused lists them) and nothing is stored. Invoices are read once, row by
row: checked, counted into the figures and staged for storing, so a file of hundreds of
thousands of rows never sits in memory.
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
BATCH = 5000


def detect_invoices(path: Path) -> Detected:
    """The invoice file's encoding, delimiter, decimal mark and column mapping; Refused when
    it cannot be read as CSV at all."""
    try:
        return csvfile.detect(path, spend.INVOICE_ALIASES, spend.INVOICE_REQUIRED, "amount")
    except csvfile.FileProblem as exc:
        raise Refused([Problem(0, "", str(exc))]) from exc
    except OSError as exc:
        raise Refused([Problem(0, "", "unreadable")]) from exc


def estimate_rows(path: Path) -> int:
    """Roughly how many rows the file has, from its size and its first lines (for progress)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(csvfile.SAMPLE_BYTES)
    lines = max(sample.count(b"\n"), 1)
    return max(int(size / (len(sample) / lines)), 1)


def import_invoices(
    db: Database | None,
    org_id: int | None,
    invoices: Path,
    detected: Detected,
    suppliers_path: Path,
    local: Sequence[str],
    *,
    file_name: str = "",
    progress: Progress | None = None,
) -> SpendResult:
    """Check and compute in one streamed pass; with a database, also store rows, suppliers
    and figures (rows are staged as they are read and committed only when the whole file
    is good). ``progress`` gets a fraction 0..1 as rows are read."""
    suppliers = spend.read_suppliers(suppliers_path)
    expected = estimate_rows(invoices)

    def read(count: int) -> None:
        if progress:
            progress(min(count / expected, 1.0) * 0.95)

    if db is None or org_id is None:
        return spend.check_and_compute(invoices, detected, suppliers, local, progress=read)
    staging = store.InvoiceStaging(db, org_id)
    batch: list[InvoiceRow] = []

    def keep(row: InvoiceRow) -> None:
        batch.append(row)
        if len(batch) >= BATCH:
            staging.add(batch)
            batch.clear()

    try:
        result = spend.check_and_compute(invoices, detected, suppliers, local, keep=keep, progress=read)
        staging.add(batch)
    except BaseException:
        staging.drop()
        raise
    staging.commit(
        {year: result.summary(year) for year in result.years}, suppliers, file_name or invoices.name
    )
    return result


def import_notices(
    db: Database | None, org_id: int | None, data: bytes, business_ids: Sequence[str], *, file_name: str = ""
) -> list[notices.Notice]:
    """Parse, filter to the organisation's business ids, and with a database store them."""
    found = notices.for_buyers(notices.parse(data), business_ids)
    if db is not None and org_id is not None:
        store.replace_notices(db, org_id, found, notices.counts(found), file_name)
    return found


__all__ = ["Refused", "detect_invoices", "import_invoices", "import_notices"]
