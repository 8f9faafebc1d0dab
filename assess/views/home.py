"""The front page: the organisations the user may see, and the way into the content."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from flask.typing import ResponseReturnValue

from ..security import login_required
from ..state import content, get_db
from ..storage import accounts

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    orgs = accounts.orgs_for_user(get_db(), g.user)
    return render_template("home/index.html", orgs=orgs, content=content())
