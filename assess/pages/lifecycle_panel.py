"""What an assessment's or round's page shows about retiring it (templates/lifecycle/_panel.html
and _result_notes.html): archived (by whom, when), whether a lead may delete or archive it,
and the notes on a result changed by erasing answers after it closed."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from .. import lifecycle
from ..forms import ConfirmForm
from ..storage import lifecycle as store
from ..storage import workshops
from ..storage.rows import AssessmentRow, OrganisationRow
from .lifecycle_text import actor_name


@dataclass
class LifecyclePanel:
    assessment_id: int
    lead: bool
    archived: bool
    archived_at: str | None
    archived_by: str | None
    """Who archived it (a name, "removed user" or the retention job); None if not on record."""
    can_delete: bool
    can_archive: bool
    changes: list[dict]
    """Results recomputed after answers were erased, oldest first."""
    form: ConfirmForm = field(default_factory=ConfirmForm)
    """The CSRF token of the restore and archive buttons."""


def panel(db: Database, assessment: AssessmentRow, org: OrganisationRow) -> LifecyclePanel:
    block = lifecycle.deletion_block(assessment, workshop_running=workshops.running(db, assessment["id"]))
    archived_by = None
    if assessment.get("archived_at"):
        found = [a for a in store.archived(db, org["id"]) if a["id"] == assessment["id"]]
        archived_by = actor_name(found[0]) if found else None
    return LifecyclePanel(
        assessment_id=assessment["id"],
        lead=org.get("role") == "lead",
        archived=bool(assessment.get("archived_at")),
        archived_at=assessment.get("archived_at"),
        archived_by=archived_by,
        can_delete=block is None,
        can_archive=lifecycle.can_archive(assessment),
        changes=store.result_changes(db, assessment["id"]),
    )
