"""Naming and linking assessments, and links to pages other parts may not have built yet.

Registered as template globals by the orgs blueprint: optional_url, assessment_url,
assessment_title.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from werkzeug.routing import BuildError

from ..i18n import current_lang
from ..state import content_at


def optional_url(endpoint: str, **values: Any) -> str | None:
    """The URL of an endpoint, or None when no such view exists (yet) or its arguments differ."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def assessment_url(assessment: dict) -> str | None:
    """Where an assessment is opened: a single one's overview, a round's own page."""
    if assessment["kind"] == "single":
        return url_for("assessments.overview", assessment_id=assessment["id"])
    return optional_url("rounds.show", assessment_id=assessment["id"])


def assessment_title(assessment: dict) -> str:
    """The assessment's own title, else its questionnaire's title and year."""
    if assessment.get("title"):
        return assessment["title"]
    questionnaire = content_at(assessment["content_version"]).questionnaire(assessment["questionnaire"])
    name = questionnaire.title.get(current_lang()) if questionnaire else assessment["questionnaire"]
    return f"{name} {assessment['year']}"
