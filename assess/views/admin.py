"""Administration: organisations, users and their roles."""

from flask import Blueprint

from ..security import admin_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@admin_required
def index():
    return "admin"
