"""The words a page, an export or the report shows for a stored code: one table per kind of
code, in one place (pure: no Flask).

Values are English msgids. Pages translate them through the template helpers registered in
assess/templating.py (``label``, ``plan_status_label``, ...); the pure export builders
through the ``t`` function their caller passes. So a label is written once and reads the
same on every page, export and report.
"""

from __future__ import annotations

from collections.abc import Mapping


def N_(msgid: str) -> str:
    """Marks a msgid that is translated where it is shown."""
    return msgid


# A context of their own: "In progress" of a plan entry is not that of an assessment.
PLAN_STATUS_CONTEXT = "plan status"
PLAN_STATUSES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}

ROLES = {"lead": N_("lead"), "viewer": N_("viewer")}

ASSESSMENT_KINDS = {"single": N_("Single assessment"), "round": N_("Team round")}

ASSESSMENT_STATUSES = {"open": N_("Open"), "final": N_("Final")}

ROUND_STATUSES = {"open": N_("Open for answers"), "final": N_("Closed")}

# A metric's value as it is stored (the form and the exports).
METRIC_VALUE_KINDS = {
    "yes_no": N_("Yes or no"),
    "count": N_("Number (count)"),
    "percent": N_("Percentage"),
    "euro": N_("Amount in euros"),
    "text": N_("Text"),
}

# A programme metric as the roadmap pages describe it, including those followed elsewhere.
METRIC_KINDS = {
    "yes_no": N_("Done: yes/no"),
    "count": N_("Number per year"),
    "percent": N_("Percentage"),
    "euro": N_("Euros"),
    "planned_separately": N_("Planned separately"),
    "hilma": N_("From HILMA notices"),
    "text": N_("Written follow-up"),
}

PATH_POSITIONS = {
    "ahead": N_("Ahead of the path"),
    "on_track": N_("On track"),
    "behind": N_("Behind the path"),
}

# The security log (administrators' page).
SECURITY_OUTCOMES = {
    "ok": N_("succeeded"),
    "failed": N_("failed"),
    "refused": N_("refused"),
    "disabled": N_("account disabled"),
}
SECURITY_EVENTS = {
    "login": N_("sign-in"),
    "login.throttled": N_("sign-in slowed down"),
    "logout": N_("sign-out"),
    "setup": N_("first setup"),
    "access": N_("access refused"),
    "csrf": N_("form without a valid token"),
    "password.change": N_("own password changed"),
    "password.reset": N_("password set by an administrator"),
    "role.change": N_("role changed"),
    "user.create": N_("user created"),
    "user.disable": N_("user disabled"),
    "user.enable": N_("user enabled"),
    "session.end": N_("session ended"),
    "export": N_("export"),
    "import": N_("import"),
    "backup": N_("backup"),
}

TABLES: Mapping[str, Mapping[str, str]] = {
    "plan_status": PLAN_STATUSES,
    "role": ROLES,
    "assessment_kind": ASSESSMENT_KINDS,
    "assessment_status": ASSESSMENT_STATUSES,
    "round_status": ROUND_STATUSES,
    "metric_value_kind": METRIC_VALUE_KINDS,
    "metric_kind": METRIC_KINDS,
    "path_position": PATH_POSITIONS,
    "security_outcome": SECURITY_OUTCOMES,
    "security_event": SECURITY_EVENTS,
}

CONTEXTS = {"plan_status": PLAN_STATUS_CONTEXT}
"""Tables whose msgids are translated with a context (pgettext)."""
