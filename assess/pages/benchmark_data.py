"""Gathering the benchmark for a page, the yearly report, the XLSX export and the pooled
file: reads through assess.storage.benchmark and hands plain data to assess.benchmark.

Shared by the benchmark pages, the exports and `assess benchmark export` (all inside an
app context), so every one of them applies the same privacy rule to the same figures.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from flask import current_app
from flask_babel import gettext as _
from sqlite_utils import Database

from .. import benchmark, benchmark_pool
from ..benchmark import ALL_QUESTIONNAIRES, AreaRow, AreaValue, Entry, GroupKey
from ..benchmark_privacy import K
from ..formatting import format_date, format_number
from ..i18n import current_lang
from ..state import content, content_at, profile_classes
from ..storage import benchmark as store
from ..storage.rows import OrganisationRow


def local_date(stored: str | None, lang: str = "fi") -> str:
    """A stored UTC time as the reader's local date: "1.12.2026" (fi), "1 Dec 2026" (en)."""
    return format_date(stored, lang)


def num(value: float | None, *, decimals: int | None = 2) -> str:
    """A figure the way the reader's language writes it ("2,45"); decimals=None drops
    trailing zeros (a median stage "2,5", "3")."""
    if value is None:
        return "–"
    return format_number(value, current_lang(), decimals=decimals)


def universe() -> list[GroupKey]:
    """Every peer group the installation could show, in the privacy rule's fixed order."""
    classes = profile_classes()
    return benchmark.group_keys(
        {
            "type": [t.id for t in classes.types],
            "size": [b.id for m in classes.measures for b in m.bands],
            "region": [r.id for r in classes.regions],
        }
    )


def filters() -> list[str]:
    """The questionnaire filters: every counted result, then each questionnaire alone."""
    return [ALL_QUESTIONNAIRES, *(q.id for q in content().questionnaires)]


def entries(db: Database, year: int, *, demo: bool, counted: list[dict] | None = None) -> list[Entry]:
    """Every organisation's counted result for the year: this installation's consenting
    organisations, and (for real organisations) the pooled rows of other installations."""
    if counted is None:
        counted = store.counted_assessments(db, demo=demo, year=year)
    found = store.scores(db, counted, content_at)
    result = [
        Entry(
            f"o:{a['org_id']}",
            a["org_type"],
            a["size_class"],
            a["region"],
            a["questionnaire"],
            found[a["id"]],
        )
        for a in counted
    ]
    if not demo:
        result += [
            Entry(p["key"], p["org_type"], p["size_class"], p["region"], p["questionnaire"], p["areas"])
            for p in store.pooled_entries(db, year)
        ]
    return result


# Built years by what they were built from: a page view whose year reads the same counted
# assessments (same revisions and profiles), agreements and pooled sources reuses the
# figures and privacy decisions instead of rebuilding them. Any change makes a new key.
_YEARS: OrderedDict[tuple, benchmark.Year] = OrderedDict()
_YEARS_KEPT = 32
_YEARS_LOCK = threading.Lock()


def year(db: Database, year_number: int, *, demo: bool) -> benchmark.Year:
    counted = store.counted_assessments(db, demo=demo, year=year_number)
    key = (
        current_app.config["DATABASE"],
        content().version,
        year_number,
        demo,
        store.stamp(db, counted, pooled=not demo),
        tuple(
            (a["id"], a["revision"], a["finalised_at"], a["org_type"], a["size_class"], a["region"])
            for a in counted
        ),
    )
    with _YEARS_LOCK:
        found = _YEARS.get(key)
        if found is not None:
            _YEARS.move_to_end(key)
            return found
    areas = [a.id for a in content().areas]
    built = benchmark.Year(entries(db, year_number, demo=demo, counted=counted), areas, universe(), filters())
    with _YEARS_LOCK:
        _YEARS[key] = built
        while len(_YEARS) > _YEARS_KEPT:
            _YEARS.popitem(last=False)
    return built


def own_values(db: Database, org_id: int, year_number: int) -> tuple[dict | None, dict[str, AreaValue]]:
    """The organisation's own counted assessment of the year and its values per area."""
    own = store.own_counted(db, org_id, year_number)
    if own is None:
        return None, {}
    return own, store.scores(db, [own], content_at)[own["id"]]


@dataclass
class GroupRows:
    """One peer group of the page: which group, its name and its rows per area."""

    key: GroupKey
    label: str
    rows: list[AreaRow]

    @property
    def any_shown(self) -> bool:
        return any(r.figure is not None for r in self.rows)


def group_label(key: GroupKey, lang: str) -> str:
    kind, ident = key
    classes = profile_classes()
    if kind == "all":
        return _("All organisations")
    if kind == "type":
        found = classes.type(ident)
        return _("Same type: %(name)s", name=found.title.get(lang) if found else ident)
    if kind == "size":
        band = classes.size(ident)
        return _("Same size: %(name)s", name=band.title.get(lang) if band else ident)
    region = classes.region(ident)
    return _("Same region: %(name)s", name=region.title.get(lang) if region else ident)


def peer_rows(
    db: Database, org: OrganisationRow, year_number: int, questionnaire: str, lang: str
) -> tuple[dict | None, list[GroupRows]]:
    """The page's peer groups for the organisation (all, same type, size, region)."""
    data = year(db, year_number, demo=bool(org["is_demo"]))
    prof = store.profile(db, org["id"])
    own, values = own_values(db, org["id"], year_number)
    keys = benchmark.own_groups(prof["org_type"], prof["size_class"], prof["region"])
    return own, [GroupRows(k, group_label(k, lang), data.rows(k, questionnaire, values)) for k in keys]


def export_document(db: Database, name: str) -> dict:
    """The pooled file of this installation (real organisations that consent, every year)."""
    identity = store.installation(db)
    counted = store.counted_assessments(db, demo=False)
    found = store.scores(db, counted, content_at)
    rows = [
        benchmark_pool.row(store.pseudonym(identity["secret"], a["org_id"]), a, a, found[a["id"]])
        for a in sorted(counted, key=lambda a: (a["year"], a["org_id"]))
    ]
    rows = [r for r in rows if r["areas"]]
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return benchmark_pool.document(identity["installation"], name, at, rows)


def group_table(db: Database, members: Sequence[dict]) -> dict[int, dict[int, dict]]:
    """Year -> org id -> area -> AreaValue for a comparison group's members."""
    counted = store.counted_of(db, [m["id"] for m in members])
    found = store.scores(db, counted, content_at)
    table: dict[int, dict[int, dict]] = {}
    for a in counted:
        table.setdefault(a["year"], {})[a["org_id"]] = found[a["id"]]
    return table


def position_texts() -> dict[str | None, str]:
    """Where the own organisation stands, in words (the page never relies on colour)."""
    return {
        "top": _("in the top quarter"),
        "above": _("above the median"),
        "near": _("near the median"),
        "below": _("below the median"),
        "bottom": _("in the bottom quarter"),
        None: "–",
    }


def questionnaire_choices(lang: str) -> list[tuple[str, str]]:
    return [(benchmark.ALL_QUESTIONNAIRES, _("All counted results (stage comparable)"))] + [
        (q.id, _("Only %(title)s (index comparable)", title=q.title.get(lang)))
        for q in content().questionnaires
    ]


def hidden_text(row: benchmark.AreaRow, labels: dict, lang: str) -> str:
    """Why a figure is hidden, in plain words."""
    if row.verdict.reason == "too_few":
        return _("Hidden: fewer than %(k)d organisations.", k=K)
    # A figure's key is (questionnaire, group); the privacy rule keeps keys as any Hashable.
    questionnaire, group = cast(tuple[str, GroupKey], row.verdict.conflicts_with)
    name = group_label(group, lang)
    if questionnaire != benchmark.ALL_QUESTIONNAIRES:
        name = f"{name}, {labels.get(questionnaire, questionnaire)}"
    return _(
        "Hidden: its members differ from those of a figure already shown (%(group)s) by "
        "fewer than %(k)d organisations, so comparing the two would reveal their results.",
        group=name,
        k=K,
    )


def questionnaire_parts(figure: benchmark.Figure, labels: dict[str, str]) -> str:
    """How many results of a figure were answered on each questionnaire: "Laaja kysely 9,
    Pikakysely 3"."""
    return ", ".join(f"{labels.get(q, q)} {n}" for q, n in sorted(figure.by_questionnaire.items()))
