"""Applying the retention rule: respondents' names in rounds closed longer ago than
RETENTION_MONTHS (default 24) are replaced by "Respondent n".

It runs from `assess purge`, when `assess serve` starts, and while serving on the first
request of each day (a check throttled in memory, with the last run's date stored in the
database, so several processes or restarts do it once a day).
"""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, current_app
from sqlite_utils import Database

from . import clock, lifecycle
from .storage import lifecycle as store

TASK = "retention"
log = logging.getLogger(__name__)


def months(app: Flask | None = None) -> int:
    return lifecycle.check_retention((app or current_app).config["RETENTION_MONTHS"])


def due(db: Database, retention_months: int) -> list[dict]:
    """What the rule would change now (the dry run)."""
    return store.retention_due(db, lifecycle.retention_cutoff(retention_months))


def apply(db: Database, retention_months: int) -> list[dict]:
    """Apply the rule now and remember today as its last run; returns what was changed."""
    done = store.apply_retention(db, lifecycle.retention_cutoff(retention_months))
    store.mark_run(db, TASK, _today())
    return done


def _today() -> str:
    return clock.today().isoformat()


def apply_daily(db: Database, app: Flask) -> None:
    """Apply the rule unless it ran today already (in this process or, by the stored date,
    in any other)."""
    today = _today()
    if app.extensions.get("retention_day") == today:
        return
    try:
        if store.last_run(db, TASK) != today:
            done = apply(db, months(app))
            if done:
                log.info("retention: names replaced in %d rounds", len(done))
    except sqlite3.Error:
        # A busy database must not fail the user's request: try again on the next one.
        log.warning("retention rule not applied; retrying on the next request", exc_info=True)
        return
    app.extensions["retention_day"] = today


def init_app(app: Flask) -> None:
    """Check the setting (a wrong one stops the start) and run the rule daily while serving."""
    app.config.setdefault("RETENTION_MONTHS", lifecycle.DEFAULT_RETENTION_MONTHS)
    lifecycle.check_retention(app.config["RETENTION_MONTHS"])

    @app.before_request
    def retention_daily() -> None:
        if app.extensions.get("retention_day") == _today():
            return
        from .state import get_db

        apply_daily(get_db(), app)
