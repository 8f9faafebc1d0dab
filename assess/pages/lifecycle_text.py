"""How retiring data is told to people: why something cannot be deleted, who did what
(a name, "removed user" or the retention rule), the record's rows, respondents' labels.
Shared by the lead's and the administrator's views."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import lifecycle
from ..storage.rows import AssessmentRow


def block_message(reason: str, assessment: AssessmentRow) -> str:
    """Why an assessment cannot be deleted, and what to do instead."""
    messages = {
        lifecycle.FINAL_SINGLE: _(
            "This assessment has been marked final, so it cannot be "
            "deleted. If it really was a mistake, reopen it first; to "
            "keep it as a record but out of sight, archive it."
        ),
        lifecycle.CLOSED_ROUND: _(
            "A closed round is a record of what the team answered and "
            "agreed, so it cannot be deleted. Archive it instead: it "
            "leaves the lists and charts and can be restored."
        ),
        lifecycle.COUNTED: _(
            "This assessment counts for %(year)d, so it cannot be deleted. "
            "Make another assessment count for the year first, or archive "
            "this one.",
            year=assessment["year"],
        ),
        lifecycle.LIVE_WORKSHOP: _("The round is being run as a workshop right now. End the workshop first."),
        lifecycle.ARCHIVED: _("The assessment is archived. Restore it first."),
        "not_archivable": _(
            "Only a final or counted assessment is archived; an open one that does not count can be deleted."
        ),
        "not_archived": _("The assessment is not archived."),
    }
    return messages[reason]


def actor_name(row: dict) -> str:
    """Who did something on record: a user's name, "removed user", or the system."""
    if row.get("by_removed"):
        return _("removed user")
    return row.get("by_name") or _("automatic (retention period)")


ACTIONS = {
    "deleted": _l("deleted"),
    "archived": _l("archived"),
    "restored": _l("restored"),
    "erased": _l("name and link erased, answers kept anonymously"),
    "answers_removed": _l("name, link and answers erased"),
    "pseudonymised": _l("names replaced by numbers (retention period)"),
}
KINDS = {
    "assessment": _l("Single assessment"),
    "round": _l("Team round"),
    "plan_entry": _l("Plan entry"),
    "organisation": _l("Organisation"),
    "user": _l("User"),
    "respondent": _l("Respondent"),
}


def describe(event: dict) -> dict:
    """A record row as the page shows it."""
    action = str(ACTIONS[event["action"]])
    if event["action"] == "answers_removed" and event["detail"].startswith("closed"):
        action += " – " + _("the result was recomputed")
    if event["detail"].endswith(":own"):
        action += " – " + _("by the respondent on their own link")
    own = event["detail"].endswith(":own")
    return {
        "at": event["at"],
        "kind": str(KINDS[event["kind"]]),
        "label": event["label"],
        "action": action,
        "by": _("the respondent") if own else actor_name(event),
    }


def respondent_label(person: dict) -> str:
    """A respondent as the lead sees them: the name, or "Respondent n" once it is gone."""
    if person.get("name"):
        return person["name"]
    if person.get("alias"):
        return _("Respondent %(n)d", n=person["alias"])
    return _("(no name)")
