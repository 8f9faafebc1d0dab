"""Pooled benchmark files (pure): what `assess benchmark export` writes and what
`assess benchmark import` accepts.

A file holds one installation's consenting organisations' counted results as anonymised
rows: a pseudonym (assess.storage.benchmark.pseudonym), the profile classes, year,
questionnaire, content version, and stage and index per area. No names, no answers::

    {"format": "hankintapolku-benchmark", "format_version": 1,
     "installation": "<32 hex>", "name": "…", "exported_at": "2026-03-01T12:00:00+00:00",
     "rows": [{"pseudonym": "<32 hex>", "type": "kunta", "size_class": "…", "region": "…",
               "year": 2025, "questionnaire": "full", "content_version": "…",
               "areas": {"strategia": {"stage": 2, "index": 2.45}, …}}, …]}

``validate`` checks a whole file before anything is written and names the first problem
in one line (where it is and how to fix it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, TypeGuard

from .content.profile_classes import ProfileClasses
from .domain import MAX_STAGE

FORMAT = "hankintapolku-benchmark"
FORMAT_VERSION = 1
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_NAME = 200
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_VERSION = re.compile(r"^[0-9A-Za-z._:-]{1,100}$")


class PoolFileError(ValueError):
    """A pooled file that cannot be imported; the message is one line."""


def document(installation: str, name: str, exported_at: str, rows: list[dict]) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "installation": installation,
        "name": name,
        "exported_at": exported_at,
        "rows": rows,
    }


def row(
    pseudonym: str,
    profile: Mapping[str, Any],
    assessment: Mapping[str, Any],
    areas: Mapping[str, tuple[int | None, float | None]],
) -> dict:
    """One organisation-year as a pooled row (areas without a stage are left out)."""
    return {
        "pseudonym": pseudonym,
        "type": profile.get("org_type"),
        "size_class": profile.get("size_class"),
        "region": profile.get("region"),
        "year": assessment["year"],
        "questionnaire": assessment["questionnaire"],
        "content_version": assessment["content_version"],
        "areas": {
            area: {"stage": stage, "index": index}
            for area, (stage, index) in areas.items()
            if stage is not None
        },
    }


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parse(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise PoolFileError(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; is it a benchmark file?"
        )
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PoolFileError(
            "the file is not UTF-8 text; give the .json file `assess benchmark export` wrote"
        ) from exc
    except json.JSONDecodeError as exc:
        raise PoolFileError(
            f"the file is not valid JSON (line {exc.lineno}, column "
            f"{exc.colno}: {exc.msg}); give the file as it was exported"
        ) from exc


def _fail(place: str, what: str) -> PoolFileError:
    return PoolFileError(f"{place}: {what}" if place else what)


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_id(r: dict, key: str, place: str, known: Collection[str]) -> str | None:
    value = r.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value not in known:
        raise _fail(
            f"{place}.{key}",
            f"unknown class {str(value)[:40]!r}; this installation "
            "knows only the ids of questionnaires/benchmark.yaml",
        )
    return value


def validate(
    doc: Any, classes: ProfileClasses, questionnaires: Collection[str], areas: Collection[str]
) -> tuple[dict, list[dict]]:
    """(head, rows) of a well-formed pooled file; PoolFileError names the first problem."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _fail(
            "",
            f'this is not a benchmark file (its "format" is not "{FORMAT}"); '
            "give a file written by `assess benchmark export`",
        )
    if doc.get("format_version") != FORMAT_VERSION:
        raise _fail(
            "format_version",
            f"is {doc.get('format_version')!r}; this version reads "
            f"{FORMAT_VERSION}: update the installation that reads or writes it",
        )
    unknown = sorted(set(doc) - {"format", "format_version", "installation", "name", "exported_at", "rows"})
    if unknown:
        raise _fail("", f"unknown key(s) {', '.join(unknown)[:80]}; the file was changed by hand?")
    if not isinstance(doc.get("installation"), str) or not _HEX32.match(doc["installation"]):
        raise _fail("installation", "must be the 32-character id the exporting installation wrote")
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise _fail("name", f"must be a text of 1-{MAX_NAME} characters naming the source")
    exported = doc.get("exported_at")
    try:
        if not isinstance(exported, str):
            raise ValueError
        moment = datetime.fromisoformat(exported)
        if moment.tzinfo is None:
            raise ValueError
    except ValueError:
        raise _fail("exported_at", "must be a time with its zone, e.g. 2026-03-01T12:00:00+00:00") from None
    rows_in = doc.get("rows")
    if not isinstance(rows_in, list):
        raise _fail("rows", "must be a list of rows")
    if len(rows_in) > MAX_ROWS:
        raise _fail("rows", f"holds {len(rows_in)} rows; at most {MAX_ROWS} are read")
    types = {t.id for t in classes.types}
    sizes = {b.id for m in classes.measures for b in m.bands}
    regions = {r.id for r in classes.regions}
    seen: set[tuple[str, int]] = set()
    clean = []
    for n, r in enumerate(rows_in):
        place = f"rows[{n}]"
        if not isinstance(r, dict):
            raise _fail(place, "must be a mapping")
        extra = sorted(
            set(r)
            - {
                "pseudonym",
                "type",
                "size_class",
                "region",
                "year",
                "questionnaire",
                "content_version",
                "areas",
            }
        )
        if extra:
            raise _fail(place, f"unknown key(s) {', '.join(extra)[:80]}")
        if not isinstance(r.get("pseudonym"), str) or not _HEX32.match(r["pseudonym"]):
            raise _fail(f"{place}.pseudonym", "must be a 32-character pseudonym")
        org_type = _optional_id(r, "type", place, types)
        size = _optional_id(r, "size_class", place, sizes)
        region = _optional_id(r, "region", place, regions)
        if size is not None and size not in {b.id for b in classes.sizes_for(org_type)}:
            raise _fail(f"{place}.size_class", f"{size!r} is not a size band of the type {org_type!r}")
        year = r.get("year")
        if not _whole(year) or not 2000 <= year <= 2100:
            raise _fail(f"{place}.year", "must be a whole number 2000-2100")
        if r.get("questionnaire") not in questionnaires:
            raise _fail(
                f"{place}.questionnaire",
                f"{str(r.get('questionnaire'))[:40]!r} is not a "
                f"questionnaire of this installation ({', '.join(sorted(questionnaires))})",
            )
        version = r.get("content_version")
        if not isinstance(version, str) or not _VERSION.match(version):
            raise _fail(f"{place}.content_version", "must be the content version text")
        if (r["pseudonym"], year) in seen:
            raise _fail(
                place, f"the pseudonym has a second row for {year}; one row per organisation and year"
            )
        seen.add((r["pseudonym"], year))
        area_values = r.get("areas")
        if not isinstance(area_values, dict) or not area_values:
            raise _fail(f"{place}.areas", "must map area ids to a stage and an index")
        clean_areas = {}
        for area, value in area_values.items():
            where = f"{place}.areas.{str(area)[:40]}"
            if area not in areas:
                raise _fail(where, "is not an area of this installation's roadmap")
            if not isinstance(value, dict) or set(value) != {"stage", "index"}:
                raise _fail(where, 'must be {"stage": 0-5, "index": 0-5}')
            stage, index = value["stage"], value["index"]
            if not _whole(stage) or not 0 <= stage <= MAX_STAGE:
                raise _fail(f"{where}.stage", "must be a whole number 0-5")
            if isinstance(index, bool) or not isinstance(index, int | float) or not 0 <= index <= MAX_STAGE:
                raise _fail(f"{where}.index", "must be a number 0-5")
            clean_areas[area] = {"stage": stage, "index": float(index)}
        clean.append(
            {
                "pseudonym": r["pseudonym"],
                "type": org_type,
                "size_class": size,
                "region": region,
                "year": year,
                "questionnaire": r["questionnaire"],
                "content_version": version,
                "areas": clean_areas,
            }
        )
    head = {"installation": doc["installation"], "name": name.strip(), "exported_at": moment.isoformat()}
    return head, clean
