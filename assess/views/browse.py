"""The content browser: the roadmap grid and the programme table."""

from flask import Blueprint

from ..security import login_required

bp = Blueprint("browse", __name__)


@bp.route("/roadmap")
@login_required
def roadmap():
    return "roadmap"


@bp.route("/programme")
@login_required
def programme():
    return "programme"
