"""Writing exported tables (assess.export.tables.Table) as an XLSX workbook or a CSV file (pure).

XLSX: one sheet per table, a bold header row frozen in place, column widths fitted to the
content, numbers stored as numbers with a number format (indices with two decimals).

CSV: UTF-8 with a byte order mark, so Excel opens Finnish letters correctly. The separators
follow what Excel expects in the reader's language, since Excel reads a CSV with the
system's list separator: Finnish uses a semicolon between fields and a decimal comma
("2,35"), English a comma and a decimal point. Numbers carry no thousands grouping, so
they read back as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..formatting import format_number
from .tables import Table, plain

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"

NUMBER_FORMATS = {
    "int": "0",
    "index": "0.00",
    "decimal": "General",  # 3 stays 3, 2.5 stays 2.5
    "euro": "#,##0.00",
}
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: Sequence[str] = ()) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _width(value: object) -> int:
    """Characters a cell needs: its longest line (numbers as they show)."""
    if value is None:
        return 0
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """The tables as one workbook, one sheet each, in the given order."""
    book = Workbook()
    book.remove(book.active)
    names: list[str] = []
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        name = sheet_name(table.title, names)
        names.append(name)
        sheet = book.create_sheet(name)
        sheet.append(table.header)
        for cell in sheet[1]:
            cell.font = bold
        widths = [_width(h) for h in table.header]
        # The row number counted here: openpyxl's max_row walks every cell, which made a
        # large export quadratic.
        for excel_row, row in enumerate(table.rows, start=2):
            values = [xlsx_text(plain(c)) for c in row]
            sheet.append(values)
            for col, (value, fmt) in enumerate(zip(values, table.formats(row), strict=True), 1):
                cell = sheet.cell(row=excel_row, column=col)
                if isinstance(value, int | float) and fmt in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[fmt]
                elif isinstance(value, str):
                    # Text is text: "=..." typed into a plan entry must not become a formula.
                    cell.data_type = "s"
                    if "\n" in value or len(value) > MAX_WIDTH - 2:
                        cell.alignment = wrap  # long text wraps within its fitted column
                widths[col - 1] = max(widths[col - 1], _width(value))
        sheet.freeze_panes = "A2"
        for col, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_dialect(lang: str) -> tuple[str, str]:
    """(field separator, decimal separator) for a language: Finnish ";" and ",", English
    "," and "."."""
    return (",", ".") if lang == "en" else (";", ",")


def csv_number(value: int | float, fmt: str, lang: str) -> str:
    """A number as text for the CSV: the language's decimal separator, no grouping."""
    if isinstance(value, bool):
        value = int(value)
    if fmt in ("index", "euro"):
        return format_number(value, lang, decimals=2, grouping=False)
    if isinstance(value, int) or fmt == "int":
        return str(int(value))
    return format_number(value, lang, max_decimals=2, grouping=False)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """Text as a CSV cell; a leading formula character is escaped with an apostrophe.

    Spreadsheets run a cell that starts with "=", "+", "-" or "@" as a formula, so text
    a user typed (a plan entry, a note) could otherwise run in the reader's Excel
    (CSV injection). The apostrophe is Excel's own "this is text" mark.
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def xlsx_text(value: str | int | float | None) -> str | int | float | None:
    """Text as XLSX can hold it: control characters (a vertical tab pasted from Word) are
    not allowed in a cell, so they become spaces instead of failing the whole export."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(" ", value)
    return value


def to_csv(table: Table, lang: str) -> bytes:
    """One table as CSV: UTF-8 with BOM, header row first, separators by ``lang``."""
    delimiter, _decimal = csv_dialect(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        cells = []
        for cell, fmt in zip(row, table.formats(row), strict=True):
            value = plain(cell)
            if value is None:
                cells.append("")
            elif isinstance(value, int | float):
                cells.append(csv_number(value, fmt, lang))
            else:
                cells.append(csv_text(value))
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def content_disposition(filename: str) -> str:
    """The Content-Disposition of a download named ``filename`` (it may hold Finnish letters):
    an ASCII-safe name for old clients ("ä" becomes "a", anything else unsafe "-") and the
    exact name as UTF-8 in filename* (RFC 6266), which current browsers use."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-") or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
