"""One assessment out of an organisation's export document (pure: no Flask, no SQL).

A lead about to delete an assessment downloads it first: the result is a complete export
file of its own (the organisation's name, the one assessment with everything that hangs on
it, the content version it was answered on; no plan, targets or metrics), so it can be
read, or imported as an organisation, like any other export.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fileformat import SECTIONS


def only_assessment(document: Mapping[str, Any], assessment_id: int) -> dict[str, Any]:
    """The export document cut down to one assessment (by its id in the document)."""
    result: dict[str, Any] = {k: v for k, v in document.items() if k not in SECTIONS}
    assessments = [a for a in document["assessments"] if a["id"] == assessment_id]
    if not assessments:
        raise LookupError(assessment_id)
    respondents = [r for r in document["respondents"] if r["assessment"] == assessment_id]
    people = {r["id"] for r in respondents}
    version = assessments[0]["content_version"]
    result.update(
        {
            "content_versions": [c for c in document["content_versions"] if c["version"] == version],
            "assessments": assessments,
            "respondents": respondents,
            "answers": [x for x in document["answers"] if x["respondent"] in people],
            "comments": [c for c in document["comments"] if c["respondent"] in people],
            "agreements": [g for g in document["agreements"] if g["assessment"] == assessment_id],
            "workshops": [w for w in document["workshops"] if w["assessment"] == assessment_id],
            "plan_entries": [],
            "plan_events": [],
            "targets": [],
            "metric_kinds": [],
            "metric_values": [],
        }
    )
    return result
