"""Naming and linking assessments.

Template helpers too (assess/templating.py): assessment_url, assessment_title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import url_for

from ..i18n import current_lang
from ..state import content_at
from ..storage.rows import AssessmentRow


def assessment_url(assessment: AssessmentRow) -> str:
    """Where an assessment is opened: a single one's overview, a round's own page."""
    if assessment["kind"] == "single":
        return url_for("assessments.overview", assessment_id=assessment["id"])
    return url_for("rounds.show", assessment_id=assessment["id"])


def assessment_title(assessment: Mapping[str, Any]) -> str:
    """The assessment's own title, else its questionnaire's title and year (any row with the
    assessment's title, content_version, questionnaire and year: a listing adds columns)."""
    if assessment.get("title"):
        return assessment["title"]
    questionnaire = content_at(assessment["content_version"]).questionnaire(assessment["questionnaire"])
    name = questionnaire.title.get(current_lang()) if questionnaire else assessment["questionnaire"]
    return f"{name} {assessment['year']}"
