"""Every table that holds an organisation's data is known to organisation deletion (and named
on its confirmation page), so a table added later cannot be left behind when an
organisation is deleted for good."""

from __future__ import annotations

from assess.storage.lifecycle import ORG_TABLES
from assess.views.admin_retire import TABLE_LABELS

# Tables that reference an organisation, an assessment, a respondent or a plan entry but are
# not the organisation's own data.
NOT_ORGANISATIONS = {"organisations"}


def _tables_with_org_data(db) -> set[str]:
    found = set()
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if columns & {"org_id", "assessment_id", "respondent_id", "entry_id"}:
            found.add(table)
    return found - NOT_ORGANISATIONS


def test_organisation_deletion_knows_every_table_of_an_organisation(db):
    missing = _tables_with_org_data(db) - ORG_TABLES.keys()
    assert not missing, f"add these to storage.lifecycle.ORG_TABLES: {sorted(missing)}"


def test_every_table_is_named_on_the_deletion_page():
    assert ORG_TABLES.keys() <= TABLE_LABELS.keys()
