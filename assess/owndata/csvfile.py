"""Reading a CSV file someone else produced: encoding, delimiter and decimal mark detected,
columns found by their usual Finnish (or English) headers, rows streamed.

Finnish exports come as UTF-8 (often with a BOM, as Excel writes it) or Windows-1252,
separated by semicolons (decimal comma) or commas (decimal point, or quoted decimal
commas). Detection reads only the first block of the file, so a file of any size is
checked in an instant; the rows are then read one at a time.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_BYTES = 64 * 1024
MAX_FIELD = 10_000
"""Longest accepted cell: a longer one means a broken file (an unclosed quote)."""


class FileProblem(Exception):
    """The file cannot be read at all (not CSV, no header row, unknown encoding)."""


@dataclass(frozen=True)
class Detected:
    encoding: str  # "utf-8-sig", "utf-8" or "cp1252"
    delimiter: str  # ";" or ","
    decimal: str  # "," or "."
    headers: tuple[str, ...]
    mapping: dict[str, str] = field(default_factory=dict)
    """Field name -> the header found for it."""
    missing: tuple[str, ...] = ()
    """Required fields for which no header was recognised: the user maps them."""

    @property
    def encoding_label(self) -> str:
        return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "cp1252": "Windows-1252"}[self.encoding]


def normalise_header(text: str) -> str:
    """ "  Toimittajan Y-tunnus " -> "toimittajan y-tunnus"; BOM, quotes and spacing removed."""
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").strip().strip('"').lower())


def _encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # An incremental decoder tolerates a character cut in two at the end of the sample.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") >= max(1, header_line.count(",")) else ","


_COMMA_NUMBER = re.compile(r"^-?[\d \u00a0]*\d,\d+-?$")
_POINT_NUMBER = re.compile(r"^-?\d*\.\d+-?$")


def _decimal(values: Sequence[str], delimiter: str) -> str:
    commas = sum(1 for v in values if _COMMA_NUMBER.match(v.strip()))
    points = sum(1 for v in values if _POINT_NUMBER.match(v.strip()))
    if commas or points:
        return "," if commas >= points else "."
    return "," if delimiter == ";" else "."


def map_headers(headers: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Field -> header, by the first alias found among the headers (compared normalised)."""
    by_normal = {normalise_header(h): h for h in headers}
    mapping: dict[str, str] = {}
    for name, names in aliases.items():
        for alias in names:
            if alias in by_normal and by_normal[alias] not in mapping.values():
                mapping[name] = by_normal[alias]
                break
    return mapping


def detect(
    path: Path, aliases: Mapping[str, Sequence[str]], required: Sequence[str], amount_field: str | None = None
) -> Detected:
    """Encoding, delimiter, header mapping and decimal mark of a CSV file."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise FileProblem("empty")
    if b"\x00" in sample:
        raise FileProblem("binary")
    encoding = _encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    delimiter = _delimiter(_first_line(text))
    lines = text.splitlines()
    # The sample's last line may be cut short: leave it out of the decimal guess.
    complete = lines[:-1] if len(lines) > 1 else lines
    reader = csv.reader(complete, delimiter=delimiter)
    try:
        headers = tuple(h.strip() for h in next(reader))
    except (StopIteration, csv.Error) as exc:
        raise FileProblem("no_header") from exc
    if len(headers) < 2:
        raise FileProblem("no_header")
    mapping = map_headers(headers, aliases)
    decimal = "," if delimiter == ";" else "."
    if amount_field and amount_field in mapping:
        index = headers.index(mapping[amount_field])
        try:
            values = [row[index] for row in reader if len(row) > index]
        except csv.Error:
            values = []
        decimal = _decimal(values[:500], delimiter)
    missing = tuple(f for f in required if f not in mapping)
    return Detected(encoding, delimiter, decimal, headers, mapping, missing)


def with_mapping(detected: Detected, mapping: Mapping[str, str], required: Sequence[str]) -> Detected:
    """The detection with the user's own mapping (field -> header; empty header = none)."""
    chosen = {f: h for f, h in mapping.items() if h and h in detected.headers}
    missing = tuple(f for f in required if f not in chosen)
    return Detected(
        detected.encoding, detected.delimiter, detected.decimal, detected.headers, chosen, missing
    )


def rows(path: Path, detected: Detected) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {field: cell}) for every data row; the header is line 1.

    Raises FileProblem("broken_at:<line>") when the CSV structure breaks (an unclosed
    quote, a huge cell), FileProblem("encoding_at:<line>") on undecodable bytes.
    """
    index = {name: detected.headers.index(header) for name, header in detected.mapping.items()}
    for line, cells in raw_rows(path, detected):
        yield line, {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}


def raw_rows(path: Path, detected: Detected) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells stripped) for every non-empty data row: the fast path for big
    files, where the caller indexes the cells by the header positions itself."""
    csv.field_size_limit(MAX_FIELD)
    width = len(detected.headers)
    with path.open("r", encoding=detected.encoding, errors="strict", newline="") as handle:
        reader = csv.reader(handle, delimiter=detected.delimiter)
        try:
            next(reader)
            for cells in reader:
                if len(cells) < width:
                    if not any(c.strip() for c in cells):
                        continue
                    cells = cells + [""] * (width - len(cells))
                yield reader.line_num, [c.strip() for c in cells]
        except csv.Error as exc:
            raise FileProblem(f"broken_at:{reader.line_num}") from exc
        except UnicodeDecodeError as exc:
            raise FileProblem(f"encoding_at:{reader.line_num + 1}") from exc
