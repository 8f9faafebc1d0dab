"""The front page: the organisations the user may see."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from ..security import login_required
from ..state import get_db
from ..storage import accounts

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    orgs = accounts.orgs_for_user(get_db(), g.user)
    return render_template("home/index.html", orgs=orgs)
