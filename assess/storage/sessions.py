"""Signed-in sessions, kept on the server: the cookie carries only a random id.

A session is valid while its row exists, its epoch equals the user's session_epoch, the
user is not disabled, it has been used within the idle timeout and it is younger than the
absolute lifetime. Signing out deletes the row, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlite_utils import Database

from .db import now, one, rows, write
from .rows import SessionRow, UserRow

# last_seen_at is written at most this often: a projector polling every second would
# otherwise write on every request.
TOUCH_EVERY = timedelta(seconds=60)
MAX_SESSIONS_PER_USER = 20  # the oldest are ended beyond this: the table stays bounded


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _parse(at: str) -> datetime:
    return datetime.fromisoformat(at)


def start(db: Database, user: UserRow, *, client: str, user_agent: str) -> str:
    """A new session for the user; returns the token for the cookie (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    stamp = now()
    with write(db):
        db.execute(
            "INSERT INTO sessions (token_hash, user_id, epoch, created_at, last_seen_at, client, "
            "user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_hash(token), user["id"], user["session_epoch"], stamp, stamp, client[:64], user_agent[:200]),
        )
        db.execute(
            "DELETE FROM sessions WHERE user_id = ? AND id NOT IN (SELECT id FROM sessions "
            "WHERE user_id = ? ORDER BY id DESC LIMIT ?)",
            (user["id"], user["id"], MAX_SESSIONS_PER_USER),
        )
    return token


def resume(
    db: Database, token: str, *, idle: timedelta, lifetime: timedelta, at: datetime | None = None
) -> tuple[SessionRow, UserRow] | None:
    """(session, user) for a live session's token; None (deleting a dead one) otherwise."""
    if not token or len(token) > 100:
        return None
    row = cast(SessionRow | None, one(db, "SELECT * FROM sessions WHERE token_hash = ?", (_hash(token),)))
    if row is None:
        return None
    user = cast(UserRow | None, one(db, "SELECT * FROM users WHERE id = ?", (row["user_id"],)))
    moment = at or datetime.now(UTC)
    alive = (
        user is not None
        and not user["disabled"]
        and user["session_epoch"] == row["epoch"]
        and moment - _parse(row["last_seen_at"]) <= idle
        and moment - _parse(row["created_at"]) <= lifetime
    )
    if user is None or not alive:
        with write(db):
            db.execute("DELETE FROM sessions WHERE id = ?", (row["id"],))
        return None
    if moment - _parse(row["last_seen_at"]) >= TOUCH_EVERY:
        with write(db):
            db.execute(
                "UPDATE sessions SET last_seen_at = ? WHERE id = ?",
                (moment.isoformat(timespec="seconds"), row["id"]),
            )
    return row, user


def end(db: Database, token: str) -> None:
    """Sign-out: the session is gone for good."""
    with write(db):
        db.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash(token),))


def end_one(db: Database, user_id: int, session_id: int) -> bool:
    """End one of the user's own sessions (from the account page); False if it was not theirs."""
    with write(db):
        cur = db.execute("DELETE FROM sessions WHERE id = ? AND user_id = ?", (session_id, user_id))
    return cur.rowcount > 0


def end_all(db: Database, user_id: int, *, keep: int | None = None) -> None:
    """End every session of the user (but keep, when given)."""
    with write(db):
        db.execute("DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?", (user_id, keep))


def of_user(db: Database, user_id: int, *, idle: timedelta, lifetime: timedelta) -> list[SessionRow]:
    """The user's live sessions, newest use first."""
    moment = datetime.now(UTC)
    user = one(db, "SELECT session_epoch FROM users WHERE id = ?", (user_id,))
    if user is None:
        return []
    found = cast(
        list[SessionRow],
        rows(db, "SELECT * FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, id DESC", (user_id,)),
    )
    return [
        s
        for s in found
        if s["epoch"] == user["session_epoch"]
        and moment - _parse(s["last_seen_at"]) <= idle
        and moment - _parse(s["created_at"]) <= lifetime
    ]


def purge(db: Database, *, lifetime: timedelta) -> None:
    """Forget sessions older than the absolute lifetime (dead anyway)."""
    cutoff = (datetime.now(UTC) - lifetime).isoformat(timespec="seconds")
    with write(db):
        db.execute("DELETE FROM sessions WHERE created_at < ?", (cutoff,))
