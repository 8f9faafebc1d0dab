"""The front page: the organisations the user may see, and the way into the content."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template
from flask.typing import ResponseReturnValue

from ..security import login_required
from ..state import content, get_db
from ..storage import accounts

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    orgs = accounts.orgs_for_user(get_db(), g.user)
    # The organisation dashboard is its own journey; link to it only once it is there.
    has_dashboard = "orgs.dashboard" in current_app.view_functions
    return render_template("home/index.html", orgs=orgs, has_dashboard=has_dashboard,
                           content=content())
