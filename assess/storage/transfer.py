"""Reading one organisation's whole data into an export document, and writing a validated
document back as a new organisation (the format and its validation: assess.transfer).

The import writes raw rows rather than going through the other storage modules' create
functions: those stamp the current time and record a fresh status history, while a move
must keep every date (when an assessment closed decides which plan entries the history
shows between two years) and every status change as they were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from sqlite_utils import Database

from .. import joincodes
from ..content import Content, to_document
from ..metrics import value_kind
from ..transfer import FORMAT, FORMAT_VERSION
from . import accounts, content_store, plan
from . import history as history_store
from .accounts import NameTaken  # raised by import_org; callers catch it as store.NameTaken
from .db import inserted_id, now, one, rows, write, written
from .rows import (
    AnswerRow,
    AssessmentRow,
    MetricValueRow,
    OrganisationRow,
    PlanEntryRow,
    RespondentRow,
    WorkshopRow,
)


def _placeholders(ids: list[int]) -> str:
    return ",".join("?" * len(ids)) or "NULL"


def export_org(db: Database, org_id: int) -> dict[str, Any]:
    """One organisation's whole data as an export document (see assess.transfer).

    Read in one transaction, so the document is a consistent snapshot while others write.
    """
    if db.conn.in_transaction:
        return _export(db, org_id)
    db.execute("BEGIN")
    try:
        return _export(db, org_id)
    finally:
        db.execute("COMMIT")


def _export(db: Database, org_id: int) -> dict[str, Any]:
    org = accounts.get_org(db, org_id)
    if org is None:
        raise LookupError(f"no organisation {org_id}")
    assessments = cast(
        list[AssessmentRow], rows(db, "SELECT * FROM assessments WHERE org_id = ? ORDER BY id", (org_id,))
    )
    a_ids = [a["id"] for a in assessments]
    anonymous = {a["id"] for a in assessments if a["anonymous"] or a["kind"] == "single"}
    respondents = cast(
        list[RespondentRow],
        rows(
            db,
            f"SELECT * FROM respondents WHERE assessment_id IN ({_placeholders(a_ids)}) ORDER BY id",
            a_ids,
        ),
    )
    r_ids = [r["id"] for r in respondents]
    answers = cast(
        list[AnswerRow],
        rows(
            db,
            f"SELECT * FROM answers WHERE respondent_id IN ({_placeholders(r_ids)}) "
            "ORDER BY respondent_id, item",
            r_ids,
        ),
    )
    comments = rows(
        db,
        f"SELECT * FROM area_comments WHERE respondent_id IN ({_placeholders(r_ids)}) "
        "ORDER BY respondent_id, area",
        r_ids,
    )
    agreements = rows(
        db,
        f"SELECT * FROM agreements WHERE assessment_id IN ({_placeholders(a_ids)}) "
        "ORDER BY assessment_id, area",
        a_ids,
    )
    workshops = cast(
        list[WorkshopRow],
        rows(
            db,
            f"SELECT * FROM workshops WHERE assessment_id IN ({_placeholders(a_ids)}) ORDER BY assessment_id",
            a_ids,
        ),
    )
    entries = cast(
        list[PlanEntryRow], rows(db, "SELECT * FROM plan_entries WHERE org_id = ? ORDER BY id", (org_id,))
    )
    e_ids = [e["id"] for e in entries]
    events = rows(
        db,
        f"SELECT * FROM plan_events WHERE entry_id IN ({_placeholders(e_ids)}) ORDER BY id",
        e_ids,
    )
    # "counts" is what the one rule decides (storage.history.counting), not the raw mark.
    counted = {a["id"] for a in history_store.counting(db, org_id).values()}
    metric_values = cast(
        list[MetricValueRow],
        rows(db, "SELECT * FROM metric_values WHERE org_id = ? ORDER BY metric, year", (org_id,)),
    )
    versions = sorted({a["content_version"] for a in assessments})
    documents = []
    for version in versions:
        document = content_store.document(db, version)
        if document is None:  # cannot happen: assessments reference stored versions
            raise LookupError(f"content version {version} is not stored")
        documents.append({"version": version, "document": json.loads(document)})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now(),
        "organisation": {
            "slug": org["slug"],
            "name": org["name"],
            "path_start_year": org["path_start_year"],
            "is_demo": bool(org["is_demo"]),
            # So that a number given and then deleted is not given again.
            "plan_numbers_used": org["plan_numbers_used"],
        },
        "content_versions": documents,
        "assessments": [
            {
                "id": a["id"],
                "year": a["year"],
                "questionnaire": a["questionnaire"],
                "content_version": a["content_version"],
                "kind": a["kind"],
                "status": a["status"],
                "title": a["title"],
                "counts": a["id"] in counted,
                "anonymous": bool(a["anonymous"]),
                "show_team_to_respondents": bool(a["show_team_to_respondents"]),
                "deadline": a["deadline"],
                "created_at": a["created_at"],
                "finalised_at": a["finalised_at"],
                "archived_at": a["archived_at"],
            }
            for a in assessments
        ],
        # Names only in named rounds; never the token hashes (see assess.transfer).
        "respondents": [
            {
                "id": r["id"],
                "assessment": r["assessment_id"],
                "shared": bool(r["shared"]),
                "name": None if r["assessment_id"] in anonymous else r["name"],
                "alias": r["alias"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
            for r in respondents
        ],
        "answers": [
            {
                "respondent": x["respondent_id"],
                "item": x["item"],
                "value": x["value"],
                "updated_at": x["updated_at"],
            }
            for x in answers
        ],
        "comments": [
            {
                "respondent": c["respondent_id"],
                "area": c["area"],
                "comment": c["comment"],
                "updated_at": c["updated_at"],
            }
            for c in comments
        ],
        "agreements": [
            {
                "assessment": g["assessment_id"],
                "area": g["area"],
                "agreed_stage": g["agreed_stage"],
                "reason": g["reason"],
                "updated_at": g["updated_at"],
            }
            for g in agreements
        ],
        "workshops": [
            {
                "assessment": w["assessment_id"],
                "position": w["position"],
                "revealed": bool(w["revealed"]),
                "show_code": bool(w["show_code"]),
                "ended": bool(w["ended"]),
                "updated_at": w["updated_at"],
            }
            for w in workshops
        ],
        "plan_entries": [
            {
                "id": e["id"],
                "number": e["number"],
                "step": e["step"],
                "goal": e["goal"],
                "item": e["item"],
                "text": e["text"],
                "responsible": e["responsible"],
                "schedule_year": e["schedule_year"],
                "schedule_quarter": e["schedule_quarter"],
                "status": e["status"],
                "created_in": e["created_in"],
                "created_at": e["created_at"],
                "updated_at": e["updated_at"],
                "done_at": e["done_at"],
            }
            for e in entries
        ],
        "plan_events": [{"entry": v["entry_id"], "status": v["status"], "at": v["at"]} for v in events],
        "targets": rows(
            db, "SELECT year, area, stage FROM targets WHERE org_id = ? ORDER BY year, area", (org_id,)
        ),
        "metric_kinds": rows(
            db, "SELECT metric, kind FROM metric_kinds WHERE org_id = ? ORDER BY metric", (org_id,)
        ),
        "metric_values": [
            {
                "year": v["year"],
                "metric": v["metric"],
                "kind": v["kind"],
                "value": value_kind(v["kind"]).from_columns(v["value_num"], v["value_text"]),
                "note": v["note"],
                "source": v["source"],
                "updated_at": v["updated_at"],
            }
            for v in metric_values
        ],
    }


def name_taken(db: Database, name: str, slug: str | None = None) -> bool:
    """Whether an organisation has this name (any case) or this identifier."""
    if accounts.org_name_taken(db, name):
        return True
    return slug is not None and accounts.get_org_by_slug(db, slug) is not None


def import_org(
    db: Database, document: Mapping[str, Any], contents: Mapping[str, Content], *, name: str | None = None
) -> OrganisationRow:
    """Write a validated export document as a new organisation, all in one transaction.

    ``contents``: the file's content versions, as assess.transfer.validate parsed them.
    With ``name`` the organisation gets that name and an identifier made from it. Raises
    NameTaken (writing nothing) when the name, or without ``name`` the file's identifier,
    is already in use. Returns the new organisation row.
    """
    source = document["organisation"]
    with write(db):
        wanted = (name or source["name"]).strip()
        if name_taken(db, wanted, None if name else source["slug"]):
            raise NameTaken(wanted)
        for version, content in contents.items():
            # Stored as the app stores its own versions; an existing one is kept as it is.
            content_store.remember(db, version, json.dumps(to_document(content)))
        org = accounts.create_org(
            db,
            wanted,
            is_demo=bool(source.get("is_demo")),
            start_year=source.get("path_start_year"),
            slug=accounts.unique_slug(db, wanted) if name else source["slug"],
        )
        org_id = org["id"]
        assessment_ids = _insert_assessments(db, org_id, document["assessments"])
        respondent_ids = _insert_respondents(db, document["respondents"], assessment_ids)
        _insert_answers(db, document, respondent_ids, assessment_ids)
        _insert_plan(db, org_id, document, assessment_ids)
        _insert_org_data(db, org_id, document)
    return written(accounts.get_org(db, org_id))


def _new_join_code(db: Database) -> str:
    code = joincodes.new_code()
    while one(db, "SELECT 1 FROM assessments WHERE join_code = ?", (code,)):
        code = joincodes.new_code()
    return code


def _insert_assessments(db: Database, org_id: int, records: list[dict]) -> dict[int, int]:
    """File id -> new id."""
    ids = {}
    for a in records:
        cur = db.execute(
            "INSERT INTO assessments (org_id, year, questionnaire, content_version, kind, status, "
            "title, counts, anonymous, join_code, deadline, created_at, finalised_at, "
            "archived_at, show_team_to_respondents) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                org_id,
                a["year"],
                a["questionnaire"],
                a["content_version"],
                a["kind"],
                a["status"],
                a.get("title") or "",
                int(bool(a.get("counts"))),
                int(bool(a.get("anonymous"))),
                _new_join_code(db) if a["kind"] == "round" else None,
                a.get("deadline"),
                a["created_at"],
                a.get("finalised_at"),
                a.get("archived_at"),
                int(bool(a.get("show_team_to_respondents"))),
            ),
        )
        ids[a["id"]] = inserted_id(cur)
    return ids


def _insert_respondents(
    db: Database, records: list[dict], assessment_ids: Mapping[int, int]
) -> dict[int, int]:
    ids = {}
    for r in records:
        # No token: a personal link cannot move (see assess.transfer).
        cur = db.execute(
            "INSERT INTO respondents (assessment_id, token_hash, name, alias, shared, created_at, "
            "updated_at) VALUES (?, NULL, ?, ?, ?, ?, ?)",
            (
                assessment_ids[r["assessment"]],
                r.get("name"),
                r.get("alias"),
                int(bool(r.get("shared"))),
                r["created_at"],
                r["updated_at"],
            ),
        )
        ids[r["id"]] = inserted_id(cur)
    return ids


def _insert_answers(
    db: Database,
    document: Mapping[str, Any],
    respondent_ids: Mapping[int, int],
    assessment_ids: Mapping[int, int],
) -> None:
    db.conn.executemany(
        "INSERT INTO answers (respondent_id, item, value, updated_at) VALUES (?, ?, ?, ?)",
        [
            (respondent_ids[x["respondent"]], x["item"], x["value"], x["updated_at"])
            for x in document["answers"]
        ],
    )
    db.conn.executemany(
        "INSERT INTO area_comments (respondent_id, area, comment, updated_at) VALUES (?, ?, ?, ?)",
        [
            (respondent_ids[c["respondent"]], c["area"], c["comment"], c["updated_at"])
            for c in document["comments"]
        ],
    )
    db.conn.executemany(
        "INSERT INTO agreements (assessment_id, area, agreed_stage, reason, updated_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (
                assessment_ids[g["assessment"]],
                g["area"],
                g["agreed_stage"],
                g.get("reason") or "",
                g["updated_at"],
            )
            for g in document["agreements"]
        ],
    )
    db.conn.executemany(
        "INSERT INTO workshops (assessment_id, position, revealed, show_code, ended, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                assessment_ids[w["assessment"]],
                w["position"],
                int(bool(w.get("revealed"))),
                int(bool(w.get("show_code", True))),
                int(bool(w.get("ended"))),
                w["updated_at"],
            )
            for w in document["workshops"]
        ],
    )


def _insert_plan(
    db: Database, org_id: int, document: Mapping[str, Any], assessment_ids: Mapping[int, int]
) -> dict[int, int]:
    ids = {}
    # Entries keep their numbers; one without (an older file) gets the next after them all,
    # and after every number the organisation had given (a deleted entry's is not reused).
    top = max((e.get("number") or 0 for e in document["plan_entries"]), default=0)
    top = max(top, document["organisation"].get("plan_numbers_used") or 0)
    db.execute(
        "UPDATE organisations SET plan_numbers_used = MAX(plan_numbers_used, ?) WHERE id = ?", (top, org_id)
    )
    for e in document["plan_entries"]:
        created_in = e.get("created_in")
        number = e.get("number") or plan.next_number(db, org_id)
        cur = db.execute(
            "INSERT INTO plan_entries (org_id, number, step, goal, item, text, responsible, "
            "schedule_year, schedule_quarter, status, created_in, created_at, updated_at, "
            "done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                org_id,
                number,
                e.get("step"),
                e.get("goal"),
                e.get("item"),
                e["text"],
                e.get("responsible") or "",
                e.get("schedule_year"),
                e.get("schedule_quarter"),
                e["status"],
                assessment_ids[created_in] if created_in is not None else None,
                e["created_at"],
                e["updated_at"],
                e.get("done_at"),
            ),
        )
        ids[e["id"]] = inserted_id(cur)
    db.conn.executemany(
        "INSERT INTO plan_events (entry_id, status, at) VALUES (?, ?, ?)",
        [(ids[v["entry"]], v["status"], v["at"]) for v in document["plan_events"]],
    )
    return ids


def _insert_org_data(db: Database, org_id: int, document: Mapping[str, Any]) -> None:
    db.conn.executemany(
        "INSERT INTO targets (org_id, year, area, stage) VALUES (?, ?, ?, ?)",
        [(org_id, t["year"], t["area"], t["stage"]) for t in document["targets"]],
    )
    db.conn.executemany(
        "INSERT INTO metric_kinds (org_id, metric, kind) VALUES (?, ?, ?)",
        [(org_id, k["metric"], k["kind"]) for k in document["metric_kinds"]],
    )
    db.conn.executemany(
        "INSERT INTO metric_values (org_id, year, metric, kind, value_num, value_text, note, "
        "source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                org_id,
                v["year"],
                v["metric"],
                v["kind"],
                *value_kind(v["kind"]).to_columns(v["value"]),
                v.get("note") or "",
                v.get("source") or "",
                v["updated_at"],
            )
            for v in document["metric_values"]
        ],
    )


def find_org(db: Database, ident: str) -> OrganisationRow | None:
    """An organisation by its identifier (slug), or by its numeric id."""
    org = accounts.get_org_by_slug(db, ident)
    if org is None and ident.isascii() and ident.isdigit() and len(ident) < 19:
        org = accounts.get_org(db, int(ident))
    return org
