"""The content versions an export file carries: each must parse, match its version and hold
together; and the roadmap and programme ids they make known (pure: no Flask, no SQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content import Content, ContentError, from_document
from ..content.model import METRIC_KINDS
from ..metrics import CHOOSABLE_KINDS, VALUE_KINDS
from .checks import Check, records
from .fileformat import N_

MAX_VERSION = 64


@dataclass
class Known:
    """Roadmap and programme ids known from the current content and the file's versions:
    plan entries, targets and metrics belong to the organisation, not to a version."""

    areas: set[str] = field(default_factory=set)
    steps: set[str] = field(default_factory=set)
    items: set[str] = field(default_factory=set)
    goals: set[int] = field(default_factory=set)
    metric_kinds: dict[str, set[str]] = field(default_factory=dict)

    def add(self, content: Content) -> None:
        """Make the ids of ``content`` known too."""
        self.areas |= {a.id for a in content.areas}
        self.steps |= set(content.steps)
        self.items |= set(content.items)
        self.goals |= {g.number for g in content.goals}
        for metric_id, (_goal, _action, metric) in content.metrics.items():
            self.metric_kinds.setdefault(metric_id, set()).add(metric.kind)

    def value_kinds(self, metric: str) -> set[str]:
        """The value kinds a metric's values may have."""
        allowed: set[str] = set()
        for kind in self.metric_kinds.get(metric, ()):
            allowed |= set(VALUE_KINDS) if kind in CHOOSABLE_KINDS else {kind}
        return allowed


def content_problem(content: Content) -> str | None:
    """A content document that passes its digest could still be hand-made (the digest is
    no signature): what the pages rely on must hold together."""
    for questionnaire in content.questionnaires:
        unknown = [i for i in questionnaire.items if i not in content.items]
        if unknown:
            return f"questionnaire {questionnaire.id}: unknown items {', '.join(unknown[:5])}"
        if not 0 < questionnaire.threshold <= 1:
            return f"questionnaire {questionnaire.id}: threshold {questionnaire.threshold}"
    for link in content.links:
        if link.step not in content.steps or not content.has_goal(link.goal):
            return f"link {link.step} -> {link.goal}: unknown step or goal"
    for metric_id, (_goal, _action, metric) in content.metrics.items():
        if metric.kind not in METRIC_KINDS:
            return f"metric {metric_id}: unknown kind {metric.kind}"
    return None


def check_contents(check: Check, doc: Mapping[str, Any]) -> dict[str, Content]:
    """The valid content versions of the file by version; problems for the others."""
    contents: dict[str, Content] = {}
    for path, record in records(check, doc, "content_versions"):
        if not check.has(record, path, ("version", "document")):
            continue
        version, document = record["version"], record["document"]
        if not check.text(version, f"{path}.version", limit=MAX_VERSION, empty=False):
            continue
        if version in contents:
            check.add(
                f"{path}.version", N_("Content version %(version)s is in the file twice."), version=version
            )
            continue
        if not check.obj(document, f"{path}.document"):
            continue
        try:
            content = from_document(document)
        except ContentError as exc:
            check.add(
                f"{path}.document",
                N_("The content document is broken or was altered: %(reason)s"),
                reason="; ".join(exc.problems),
            )
            continue
        if content.version != version:
            check.add(
                f"{path}.version",
                N_("The content document is of version %(found)s, not %(version)s."),
                found=content.version,
                version=version,
            )
            continue
        broken = content_problem(content)
        if broken:
            check.add(
                f"{path}.document",
                N_("The content document is broken or was altered: %(reason)s"),
                reason=broken,
            )
            continue
        contents[version] = content
    return contents
