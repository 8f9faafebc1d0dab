"""The front page: the organisations the user may see, and the way into the content."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, render_template
from flask.typing import ResponseReturnValue

from ..formatting import format_datetime
from ..i18n import current_lang
from ..security import login_required
from ..state import content, get_db
from ..storage import accounts
from ..storage import history as history_store
from ..storage import overview as overview_store

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    db = get_db()
    orgs = accounts.orgs_for_user(db, g.user)
    status = overview_store.org_status(db, [o["id"] for o in orgs])
    shown: list[dict[str, Any]] = []  # each organisation with its line's figures
    for org in orgs:
        counted = history_store.counting(db, org["id"])
        last = status[org["id"]]["last_activity"]
        shown.append(
            {
                **org,
                "counted_year": max(counted) if counted else None,
                "open_rounds": status[org["id"]]["open_rounds"],
                "last_activity": format_datetime(last, current_lang()) if last else None,
            }
        )
    return render_template("home/index.html", orgs=shown, content=content())
