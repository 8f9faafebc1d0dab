"""The shapes of the main rows as storage returns them: one TypedDict per table.

Fields follow the table's columns after every migration (storage/schema.py), in the schema's
order; SQLite gives INTEGER as int (flags are 0/1), TEXT as str, REAL as float, and NULL as
None. A column is NotRequired only where a SELECT that returns the row leaves it out (the
comment names the query). The storage functions cast their query results to these types: the
SELECT is the one place that knows the shape, and mypy then checks every caller.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class OrganisationRow(TypedDict):
    """One row of organisations."""

    id: int
    slug: str
    name: str
    path_start_year: int | None
    is_demo: int
    created_at: str
    archived_at: str | None
    archived_by: int | None
    plan_numbers_used: int


class UserRow(TypedDict):
    """One row of users (an account)."""

    id: int
    username: str
    display_name: str
    password_hash: str
    is_admin: int
    session_epoch: int
    created_at: str
    removed_at: str | None
    disabled: int
    must_change_password: int


class AssessmentRow(TypedDict):
    """One row of assessments: a single assessment or a round (kind "round")."""

    id: int
    org_id: int
    year: int
    questionnaire: str
    content_version: str
    kind: str
    status: str
    title: str
    counts: int
    anonymous: int
    # history.final_assessments leaves out the columns marked NotRequired.
    join_code: NotRequired[str | None]
    deadline: NotRequired[str | None]
    revision: int
    created_by: NotRequired[int | None]
    created_at: str
    finalised_at: str | None
    archived_at: NotRequired[str | None]
    archived_by: NotRequired[int | None]
    show_team_to_respondents: NotRequired[int]


class RespondentRow(TypedDict):
    """One row of respondents: a round's participant, or a single assessment's shared one."""

    id: int
    assessment_id: int
    token_hash: str | None
    name: str | None
    shared: int
    created_at: str
    updated_at: str
    alias: int | None


class AnswerRow(TypedDict):
    """One row of answers: a respondent's value (None = "don't know") for one item."""

    respondent_id: int
    item: str
    value: int | None
    updated_at: str


class PlanEntryRow(TypedDict):
    """One row of plan_entries: an action of the organisation's plan."""

    id: int
    # history.plan_entries leaves out the columns marked NotRequired.
    org_id: NotRequired[int]
    step: str | None
    goal: int | None
    item: str | None
    text: str
    responsible: str
    schedule_year: int | None
    schedule_quarter: int | None
    status: str
    created_in: NotRequired[int | None]
    revision: NotRequired[int]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]
    done_at: str | None
    number: NotRequired[int | None]
    responsible_user: NotRequired[int | None]


class MetricValueRow(TypedDict):
    """One row of metric_values: a programme metric's value for a year, in the kind's column."""

    org_id: int
    year: int
    metric: str
    kind: str
    value_num: float | None
    value_text: str | None
    note: str
    source: str
    updated_at: str


class WorkshopRow(TypedDict):
    """One row of workshops: the live state of a round run as a workshop."""

    assessment_id: int
    position: int
    revealed: int
    show_code: int
    ended: int
    updated_at: str


class SessionRow(TypedDict):
    """One row of sessions: a signed-in session (only the token's hash is kept)."""

    id: int
    token_hash: str
    user_id: int
    epoch: int
    created_at: str
    last_seen_at: str
    client: str
    user_agent: str


# Rows with the columns a query adds to a table's own.


class OrgWithRole(OrganisationRow):
    """An organisation as accounts.orgs_for_user lists it: with the user's role in it."""

    role: str


class GrantRow(TypedDict):
    """A user's role in an organisation, with its name (accounts.GRANTS)."""

    user_id: int
    role: str
    org_id: int
    name: str


class UserWithGrants(UserRow):
    """A user as accounts.all_users lists them: with their roles by organisation."""

    grants: list[GrantRow]


class AssessmentListed(AssessmentRow):
    """An assessment as assessments.for_org lists it: with its answer and participant counts."""

    answers: int
    respondents: int
