"""Writing the security log from a request: one call, log_event(), for every view.

Each event goes to the database (security_log, read on the administrators' log page) and,
as one JSON line, to instance/security.log, which rotates at midnight UTC and keeps as many
days as the database does. Never pass a password or a token.
"""

from __future__ import annotations

import json
import logging
import time
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request

from .storage import security_log
from .storage.rows import UserRow

PURGE_EVERY = 3600.0  # seconds between deletions of entries past the retention period


def init_app(app: Flask) -> None:
    """The log file's handler (on a private logger, so apps in one process never mix)."""
    days = int(app.config["SECURITY_LOG_DAYS"])
    handler = TimedRotatingFileHandler(
        Path(app.instance_path) / "security.log",
        when="midnight",
        backupCount=days,
        utc=True,
        encoding="utf-8",
        delay=True,
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.Logger(f"assess.security.{app.instance_path}", logging.INFO)
    logger.addHandler(handler)
    app.extensions["security_logger"] = logger
    app.extensions["security_log_purged"] = float("-inf")


def client_address() -> str:
    """The client's address as the app sees it (after a trusted proxy's header, if configured)."""
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def log_event(
    event: str, outcome: str = "ok", *, user: UserRow | None = None, username: str = "", detail: str = ""
) -> None:
    """Record a security event for the current request (the signed-in user unless given)."""
    from .state import get_db

    user = user if user is not None else (g.get("user") if has_request_context() else None)
    db = get_db()
    entry = security_log.record(
        db,
        event,
        outcome,
        user_id=user["id"] if user else None,
        username=user["username"] if user else username,
        client=client_address(),
        detail=detail,
    )
    current_app.extensions["security_logger"].info(json.dumps(entry, ensure_ascii=False))
    last = current_app.extensions.get("security_log_purged", 0.0)
    if time.monotonic() - last > PURGE_EVERY:
        current_app.extensions["security_log_purged"] = time.monotonic()
        security_log.purge(db, keep_days=int(current_app.config["SECURITY_LOG_DAYS"]))
