"""The row types of storage/rows.py follow the tables: a migration that adds, drops or renames a
column fails here until the table's row type says the same (so mypy checks the new shape)."""

from __future__ import annotations

import pytest

from assess.storage import rows
from assess.storage.db import open_db
from assess.storage.schema import migrate

TABLE_ROWS = {
    "organisations": rows.OrganisationRow,
    "users": rows.UserRow,
    "assessments": rows.AssessmentRow,
    "respondents": rows.RespondentRow,
    "answers": rows.AnswerRow,
    "plan_entries": rows.PlanEntryRow,
    "metric_values": rows.MetricValueRow,
    "workshops": rows.WorkshopRow,
    "sessions": rows.SessionRow,
}


@pytest.fixture(scope="module")
def columns() -> dict[str, list[str]]:
    db = open_db(":memory:")
    migrate(db)
    return {
        table: [c[1] for c in db.execute(f"PRAGMA table_info({table})").fetchall()] for table in TABLE_ROWS
    }


@pytest.mark.parametrize("table", sorted(TABLE_ROWS))
def test_a_row_type_has_the_tables_columns_in_the_schemas_order(columns, table):
    assert list(TABLE_ROWS[table].__annotations__) == columns[table]
