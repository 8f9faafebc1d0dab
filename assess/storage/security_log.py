"""The security log in the database: who did what from where, and how it went.

Never a password or a token: callers pass only names, ids and outcomes, and detail is
cut to a bounded length.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from .db import now, rows, write

MAX_DETAIL = 500
PAGE = 200


def record(
    db: Database,
    event: str,
    outcome: str,
    *,
    user_id: int | None = None,
    username: str = "",
    client: str = "",
    detail: str = "",
) -> dict:
    """Store one event; returns the stored row (also what the log file gets)."""
    entry = {
        "at": now(),
        "event": event[:40],
        "outcome": outcome[:20],
        "user_id": user_id,
        "username": (username or "")[:80],
        "client": (client or "")[:64],
        "detail": (detail or "")[:MAX_DETAIL],
    }
    with write(db):
        db.execute(
            "INSERT INTO security_log (at, event, outcome, user_id, username, client, detail) "
            "VALUES (:at, :event, :outcome, :user_id, :username, :client, :detail)",
            entry,
        )
    return entry


def purge(db: Database, *, keep_days: int, at: datetime | None = None) -> int:
    """Delete entries older than keep_days; returns how many went."""
    cutoff = ((at or datetime.now(UTC)) - timedelta(days=keep_days)).isoformat(timespec="seconds")
    with write(db):
        return db.execute("DELETE FROM security_log WHERE at < ?", (cutoff,)).rowcount


def events(db: Database) -> list[str]:
    """The kinds of event the log holds, for the filter."""
    return [r["event"] for r in rows(db, "SELECT DISTINCT event FROM security_log ORDER BY event")]


def search(
    db: Database,
    *,
    event: str = "",
    username: str = "",
    outcome: str = "",
    since: str = "",
    until: str = "",
    limit: int = PAGE,
) -> list[dict]:
    """The newest entries matching every filter given (empty filters match all)."""
    where, params = [], []
    if event:
        where.append("event = ?")
        params.append(event)
    if username:
        where.append("username = ? COLLATE NOCASE")
        params.append(username)
    if outcome:
        where.append("outcome = ?")
        params.append(outcome)
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    sql = "SELECT * FROM security_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return rows(db, sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
