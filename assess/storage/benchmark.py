"""The benchmark's data: profiles and consent, counted results of consenting organisations,
the installation's pseudonym secret, pooled rows from other installations, and named
comparison groups with their invitations.

Which organisations and assessments the benchmark may read is decided in one place,
``BENCHMARK_ORGS`` and ``BENCHMARK_ASSESSMENTS`` (archived organisations and assessments are
left out there); a new exclusion is one more condition there.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from ..benchmark import AreaValue
from ..content import Content
from ..history import counting_per_year
from ..rules import RULE_VERSION
from . import results
from .assessments import countable_sql
from .db import inserted_id, now, one, rows, write, written
from .history import agreed_stages

BENCHMARK_ORGS = (
    "SELECT o.id FROM organisations o JOIN org_profiles p ON p.org_id = o.id "
    "WHERE p.consent = 1 AND o.is_demo = :demo AND o.archived_at IS NULL"
)
"""The organisations whose results the anonymous benchmark reads (:demo 0 or 1: demo
organisations are compared only with demo organisations, real ones only with real ones;
archived organisations are out)."""

BENCHMARK_ASSESSMENTS = countable_sql("a")
"""The assessments (alias a) the benchmark may count: those that may count for their year
(final, answered, not archived); the year's counted one is chosen among them as in the
history (assess.history.counting_per_year)."""

PROFILE_DEFAULT = {
    "org_type": None,
    "size_class": None,
    "region": None,
    "consent": 0,
    "consent_changed_at": None,
}

ContentFor = Callable[[str], Content]


# --- profile and consent ----------------------------------------------------------------


def profile(db: Database, org_id: int) -> dict[str, Any]:
    """The organisation's profile; an organisation without one has no classes and no consent."""
    row = one(
        db,
        "SELECT org_type, size_class, region, consent, consent_changed_at FROM org_profiles WHERE org_id = ?",
        (org_id,),
    )
    return row or dict(PROFILE_DEFAULT)


def _ensure(db: Database, org_id: int) -> None:
    db.execute(
        "INSERT INTO org_profiles (org_id, updated_at) VALUES (?, ?) ON CONFLICT (org_id) DO NOTHING",
        (org_id, now()),
    )


def save_profile(
    db: Database, org_id: int, org_type: str | None, size_class: str | None, region: str | None
) -> None:
    with write(db):
        _ensure(db, org_id)
        db.execute(
            "UPDATE org_profiles SET org_type = ?, size_class = ?, region = ?, "
            "updated_at = ? WHERE org_id = ?",
            (org_type, size_class, region, now(), org_id),
        )


def set_consent(db: Database, org_id: int, consent: bool, user_id: int | None) -> bool:
    """Give or withdraw consent; returns whether it changed. Withdrawn consent takes the
    organisation out of every figure from the next page view on (nothing is stored of it)."""
    with write(db):
        _ensure(db, org_id)
        before = one(db, "SELECT consent FROM org_profiles WHERE org_id = ?", (org_id,))
        if before and bool(before["consent"]) == consent:
            return False
        at = now()
        db.execute(
            "UPDATE org_profiles SET consent = ?, consent_changed_at = ?, "
            "consent_changed_by = ?, updated_at = ? WHERE org_id = ?",
            (int(consent), at, user_id, at, org_id),
        )
    return True


# --- counted results --------------------------------------------------------------------


def _final_for(db: Database, org_filter: str, params: dict, year: int | None) -> list[dict]:
    """Final assessments of the organisations ``org_filter`` selects, each with the
    organisation's profile classes (None without a profile)."""
    year_sql = " AND a.year = :year" if year is not None else ""
    return rows(
        db,
        "SELECT a.id, a.org_id, a.year, a.questionnaire, a.content_version, a.kind, a.status, "
        "a.counts, a.revision, a.finalised_at, p.org_type, p.size_class, p.region "
        "FROM assessments a LEFT JOIN org_profiles p ON p.org_id = a.org_id "
        f"WHERE {BENCHMARK_ASSESSMENTS} AND a.org_id IN ({org_filter}){year_sql} "
        "ORDER BY a.org_id, a.year, a.finalised_at, a.id",
        dict(params, year=year),
    )


def _counted(final: Iterable[dict]) -> list[dict]:
    """Each organisation's counted assessment per year, from its final ones."""
    by_org: dict[int, list[dict]] = {}
    for row in final:
        by_org.setdefault(row["org_id"], []).append(row)
    return [chosen for org_rows in by_org.values() for chosen in counting_per_year(org_rows).values()]


def counted_assessments(db: Database, *, demo: bool, year: int | None = None) -> list[dict]:
    """The counted assessment of every consenting organisation (per year; one year if
    given), each with the organisation's profile classes."""
    return _counted(_final_for(db, BENCHMARK_ORGS, {"demo": int(demo)}, year))


def own_counted(db: Database, org_id: int, year: int) -> dict | None:
    """The organisation's own counted assessment of the year (consent or not: it is its own)."""
    counted = _counted(_final_for(db, ":org", {"org": org_id}, year))
    return counted[0] if counted else None


def scores(
    db: Database, assessments: Sequence[dict], content_for: ContentFor
) -> dict[int, dict[str, AreaValue]]:
    """Assessment id -> area -> (stage that counts, index) for final assessments.

    The stage that counts is the team's agreed one where there is one. Computed stages
    and indices are kept in benchmark_scores with the assessment's revision, finalisation
    time and the rules' version, so they are scored once (a reopened and refinalised
    assessment, or any after a rule change, is scored again).
    """
    ids = [a["id"] for a in assessments]
    found: dict[int, dict[str, AreaValue]] = {i: {} for i in ids}
    if not ids:
        return found
    stamps = {a["id"]: (a["revision"], a["finalised_at"], RULE_VERSION) for a in assessments}
    cached: set[int] = set()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for r in db.execute(
            f"SELECT assessment_id, revision, finalised_at, rules, area, stage, "
            f"idx FROM benchmark_scores WHERE assessment_id IN ({marks})",
            chunk,
        ):
            if stamps[r[0]] != (r[1], r[2], r[3]):
                continue
            found[r[0]][r[4]] = AreaValue(r[5], r[6])
            cached.add(r[0])
    missing = [a for a in assessments if a["id"] not in cached]
    if missing:
        _score(db, missing, content_for, found)
    agreed = agreed_stages(db, ids)
    for assessment_id, areas in found.items():
        for area, stage in agreed[assessment_id].items():
            if area in areas and areas[area].stage is not None:
                areas[area] = AreaValue(stage, areas[area].index)
    return found


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _score(
    db: Database, missing: Sequence[dict], content_for: ContentFor, found: dict[int, dict[str, AreaValue]]
) -> None:
    computed = []
    for a in missing:
        cont = content_for(a["content_version"])
        if cont.questionnaire(a["questionnaire"]) is None:
            continue  # a questionnaire its content version no longer has: nothing to compare
        result = results.result_for(db, a, cont)
        for area in result["areas"]:
            found[a["id"]][area["area"]] = AreaValue(area["stage"], area["index"])
            computed.append(
                (
                    a["id"],
                    a["revision"],
                    a["finalised_at"],
                    RULE_VERSION,
                    area["area"],
                    area["stage"],
                    area["index"],
                )
            )
    with write(db):
        db.execute(
            f"DELETE FROM benchmark_scores WHERE assessment_id IN ({','.join('?' * len(missing))})",
            [a["id"] for a in missing],
        )
        db.conn.executemany(
            "INSERT INTO benchmark_scores (assessment_id, revision, finalised_at, "
            "rules, area, stage, idx) VALUES (?, ?, ?, ?, ?, ?, ?)",
            computed,
        )


def stamp(db: Database, counted: Sequence[dict], *, pooled: bool) -> tuple:
    """What else a year's figures are made of besides the counted assessments: their agreed
    stages (when last changed, how many) and the pooled sources (which, which file)."""
    agreed: tuple = (None, 0)
    ids = [a["id"] for a in counted]
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        row = db.execute(
            f"SELECT MAX(updated_at), COUNT(*) FROM agreements WHERE assessment_id IN ({marks})", chunk
        ).fetchone()
        agreed = (max(filter(None, (agreed[0], row[0])), default=None), agreed[1] + row[1])
    sources_now = tuple(db.execute("SELECT id, digest FROM pooled_sources ORDER BY id")) if pooled else ()
    return agreed, tuple(tuple(r) for r in sources_now)


def years(db: Database, *, demo: bool) -> list[int]:
    """Years for which the benchmark has any counted result (pooled rows count for real
    organisations only), ascending."""
    local = {
        r["year"]
        for r in rows(
            db,
            f"SELECT DISTINCT a.year FROM assessments a WHERE {BENCHMARK_ASSESSMENTS} "
            f"AND a.org_id IN ({BENCHMARK_ORGS})",
            {"demo": int(demo)},
        )
    }
    if not demo:
        local |= {r["year"] for r in rows(db, "SELECT DISTINCT year FROM pooled_rows")}
    return sorted(local)


# --- this installation's identity and pseudonyms -----------------------------------------


def installation(db: Database) -> dict[str, str]:
    """This installation's public id and pseudonym secret, made on first use."""
    row = one(db, "SELECT installation, secret FROM benchmark_installation WHERE id = 1")
    if row is None:
        with write(db):
            db.execute(
                "INSERT INTO benchmark_installation (id, installation, secret, created_at) "
                "VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (secrets.token_hex(16), secrets.token_hex(32), now()),
            )
        row = written(one(db, "SELECT installation, secret FROM benchmark_installation WHERE id = 1"))
    return row


def pseudonym(secret: str, org_id: int) -> str:
    """A stable name for an organisation in pooled files: HMAC-SHA-256 of its id under the
    installation's secret, so it reveals neither the organisation nor the installation."""
    return hmac.new(bytes.fromhex(secret), f"org:{org_id}".encode(), hashlib.sha256).hexdigest()[:32]


# --- pooled rows ---------------------------------------------------------------------------


def pooled_entries(db: Database, year: int) -> list[dict]:
    """The pooled rows of a year: one dict per (source, pseudonym) with its areas."""
    grouped: dict[tuple[int, str], dict] = {}
    for r in db.execute(
        "SELECT source_id, pseudonym, org_type, size_class, region, questionnaire, area, "
        "stage, idx FROM pooled_rows WHERE year = ? ORDER BY source_id, pseudonym",
        (year,),
    ):
        entry = grouped.setdefault(
            (r[0], r[1]),
            {
                "key": f"p:{r[0]}:{r[1]}",
                "org_type": r[2],
                "size_class": r[3],
                "region": r[4],
                "questionnaire": r[5],
                "areas": {},
            },
        )
        entry["areas"][r[6]] = AreaValue(r[7], r[8])
    return list(grouped.values())


def sources(db: Database) -> list[dict]:
    """Imported sources with how many organisations and years they hold, newest first."""
    return rows(
        db,
        "SELECT s.id, s.installation, s.name, s.exported_at, s.imported_at, "
        "(SELECT COUNT(DISTINCT pseudonym) FROM pooled_rows r WHERE r.source_id = s.id) "
        "AS organisations, (SELECT COUNT(DISTINCT year) FROM pooled_rows r "
        "WHERE r.source_id = s.id) AS years "
        "FROM pooled_sources s ORDER BY s.imported_at DESC, s.id DESC",
    )


def source(db: Database, ident: str) -> dict | None:
    """A source by its installation id, or by its name when that is unique."""
    found = one(db, "SELECT * FROM pooled_sources WHERE installation = ?", (ident,))
    if found:
        return found
    named = rows(db, "SELECT * FROM pooled_sources WHERE name = ?", (ident,))
    return named[0] if len(named) == 1 else None


def source_by_id(db: Database, source_id: int) -> dict | None:
    return one(db, "SELECT * FROM pooled_sources WHERE id = ?", (source_id,))


def import_rows(db: Database, head: dict, rows_in: Sequence[dict], digest: str) -> str:
    """Store a validated pooled file: "same" (this exact file is in already: nothing
    changes), "older" (an earlier export of a source already imported: nothing changes),
    "replaced" (a newer export of the source replaced its rows) or "added"."""
    with write(db):
        existing = one(db, "SELECT * FROM pooled_sources WHERE installation = ?", (head["installation"],))
        if existing and existing["digest"] == digest:
            return "same"
        if existing and existing["exported_at"] > head["exported_at"]:
            return "older"
        if existing:
            db.execute("DELETE FROM pooled_sources WHERE id = ?", (existing["id"],))
        cur = db.execute(
            "INSERT INTO pooled_sources (installation, name, exported_at, "
            "imported_at, digest) VALUES (?, ?, ?, ?, ?)",
            (head["installation"], head["name"], head["exported_at"], now(), digest),
        )
        source_id = cur.lastrowid
        db.conn.executemany(
            "INSERT INTO pooled_rows (source_id, pseudonym, year, org_type, size_class, region, "
            "questionnaire, content_version, area, stage, idx) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    source_id,
                    r["pseudonym"],
                    r["year"],
                    r["type"],
                    r["size_class"],
                    r["region"],
                    r["questionnaire"],
                    r["content_version"],
                    area,
                    v["stage"],
                    v["index"],
                )
                for r in rows_in
                for area, v in r["areas"].items()
            ],
        )
    return "replaced" if existing else "added"


def remove_source(db: Database, source_id: int) -> None:
    with write(db):
        db.execute("DELETE FROM pooled_sources WHERE id = ?", (source_id,))


# --- comparison groups ---------------------------------------------------------------------


class GroupNameTaken(Exception):
    """A comparison group of that name exists already."""


def create_group(
    db: Database, name: str, description: str, created_by: int | None, *, is_demo: bool = False
) -> dict:
    try:
        with write(db):
            cur = db.execute(
                "INSERT INTO benchmark_groups (name, description, is_demo, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                (name.strip(), description.strip(), int(is_demo), created_by, now()),
            )
    except sqlite3.IntegrityError as exc:
        raise GroupNameTaken(name) from exc
    return written(group(db, inserted_id(cur)))


def group(db: Database, group_id: int) -> dict | None:
    return one(db, "SELECT * FROM benchmark_groups WHERE id = ?", (group_id,))


def all_groups(db: Database) -> list[dict]:
    """Every group, each with ``members``: its organisations and their status."""
    groups = rows(db, "SELECT * FROM benchmark_groups ORDER BY name COLLATE NOCASE")
    members = rows(
        db,
        "SELECT m.group_id, m.org_id, m.status, o.name FROM "
        "benchmark_group_members m JOIN organisations o ON o.id = m.org_id "
        "ORDER BY o.name COLLATE NOCASE",
    )
    for g in groups:
        g["members"] = [m for m in members if m["group_id"] == g["id"]]
    return groups


def delete_group(db: Database, group_id: int) -> None:
    with write(db):
        db.execute("DELETE FROM benchmark_groups WHERE id = ?", (group_id,))


def remove_demo_groups(db: Database) -> None:
    with write(db):
        db.execute("DELETE FROM benchmark_groups WHERE is_demo = 1")


def invite(db: Database, group_id: int, org_id: int) -> str:
    """Invite an organisation: "invited", "already" (member or invited), or "again" (one
    that declined or left is invited anew)."""
    with write(db):
        row = one(
            db,
            "SELECT status FROM benchmark_group_members WHERE group_id = ? AND org_id = ?",
            (group_id, org_id),
        )
        if row and row["status"] in ("invited", "member"):
            return "already"
        db.execute(
            "INSERT INTO benchmark_group_members (group_id, org_id, status, invited_at) "
            "VALUES (?, ?, 'invited', ?) ON CONFLICT (group_id, org_id) DO UPDATE SET "
            "status = 'invited', invited_at = excluded.invited_at, answered_at = NULL, "
            "answered_by = NULL",
            (group_id, org_id, now()),
        )
    return "again" if row else "invited"


def membership(db: Database, group_id: int, org_id: int) -> dict | None:
    return one(
        db, "SELECT * FROM benchmark_group_members WHERE group_id = ? AND org_id = ?", (group_id, org_id)
    )


def answer(
    db: Database, group_id: int, org_id: int, status: str, user_id: int | None, *, expected: tuple[str, ...]
) -> bool:
    """Move a membership to ``status`` (member, declined, left) if it is now in one of
    ``expected``; returns whether it moved."""
    marks = ",".join("?" * len(expected))
    with write(db):
        cur = db.execute(
            f"UPDATE benchmark_group_members SET status = ?, answered_at = ?, answered_by = ? "
            f"WHERE group_id = ? AND org_id = ? AND status IN ({marks})",
            (status, now(), user_id, group_id, org_id, *expected),
        )
    return cur.rowcount == 1


def remove_member(db: Database, group_id: int, org_id: int) -> None:
    with write(db):
        db.execute(
            "DELETE FROM benchmark_group_members WHERE group_id = ? AND org_id = ?", (group_id, org_id)
        )


def groups_of(db: Database, org_id: int) -> list[dict]:
    """The groups an organisation is invited to or a member of (status with each)."""
    return rows(
        db,
        "SELECT g.id, g.name, g.description, m.status, m.invited_at FROM "
        "benchmark_group_members m JOIN benchmark_groups g ON g.id = m.group_id "
        "WHERE m.org_id = ? AND m.status IN ('invited', 'member') "
        "ORDER BY g.name COLLATE NOCASE",
        (org_id,),
    )


def group_members(db: Database, group_id: int) -> list[dict]:
    """The organisations that are members of a group now (accepted and not left)."""
    return rows(
        db,
        "SELECT o.id, o.name, o.slug FROM benchmark_group_members m "
        "JOIN organisations o ON o.id = m.org_id WHERE m.group_id = ? "
        "AND m.status = 'member' AND o.archived_at IS NULL "
        "ORDER BY o.name COLLATE NOCASE",
        (group_id,),
    )


def counted_of(db: Database, org_ids: Sequence[int]) -> list[dict]:
    """The counted assessment per year of the given organisations (a group's members)."""
    if not org_ids:
        return []
    return _counted(_final_for(db, ",".join(str(int(i)) for i in org_ids), {}, None))
