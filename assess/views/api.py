"""JSON endpoints."""

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..content import to_document
from ..state import content

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/content")
def content_document() -> ResponseReturnValue:
    """The whole loaded content, the same document as `assess content --json`."""
    return jsonify(to_document(content()))
