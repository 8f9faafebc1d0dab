"""Checking a whole export document before anything is imported (pure: no Flask, no SQL)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..content import Content
from .assessments import (
    check_agreements,
    check_answers,
    check_assessments,
    check_comments,
    check_respondents,
    check_workshops,
)
from .checks import Check
from .content_versions import Known, check_contents
from .fileformat import FORMAT, FORMAT_VERSION, N_, Problem
from .org_data import (
    check_metric_kinds,
    check_metric_values,
    check_organisation,
    check_plan,
    check_targets,
)


@dataclass
class Checked:
    """The result of validation: the problems, and the content of each version in the file."""

    problems: list[Problem]
    contents: dict[str, Content]

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(doc: Any, current: Content) -> Checked:
    """Check an export document completely; ``current`` is the installation's own content.

    Nothing stops at the first problem: every problem in the file is listed, except that a
    file without the format marker is not read further (it is not an export at all).
    """
    check = Check()
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        check.add(
            "format",
            N_(
                'This is not a Hankintapolku export file: the format marker "%(format)s" is missing or wrong.'
            ),
            format=FORMAT,
        )
        return Checked(check.problems, {})
    if doc.get("format_version") != FORMAT_VERSION:
        check.add(
            "format_version",
            N_(
                "Export format version %(found)s is not supported; "
                "this installation reads version %(supported)d."
            ),
            found=json.dumps(doc.get("format_version")),
            supported=FORMAT_VERSION,
        )
        return Checked(check.problems, {})

    check_organisation(check, doc.get("organisation"))
    contents = check_contents(check, doc)
    known = Known()
    known.add(current)
    for content in contents.values():
        known.add(content)
    # Later sections refer to earlier ones: each check gets the records found valid so far.
    assessments = check_assessments(check, doc, contents)
    respondents = check_respondents(check, doc, assessments)
    check_answers(check, doc, assessments, respondents, contents)
    check_comments(check, doc, assessments, respondents, contents)
    check_agreements(check, doc, assessments, contents)
    check_workshops(check, doc, assessments)
    check_plan(check, doc, assessments, known)
    check_targets(check, doc, known)
    check_metric_kinds(check, doc, known)
    check_metric_values(check, doc, known)
    return Checked(check.problems, contents)
