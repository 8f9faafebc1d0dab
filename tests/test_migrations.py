"""Migrations keep what is stored: the metric tables' rebuild without a list of kinds."""

from __future__ import annotations

import sqlite3

import pytest

from assess.storage import metrics
from assess.storage.db import open_db
from assess.storage.schema import migrate, migrations

METRIC_ROWS = [
    (1, 2024, "m-yes", "yes_no", 1.0, None, "ok", "Hilma", "2025-01-02T03:04:05+00:00"),
    (1, 2024, "m-euro", "euro", 1234.5, None, "", "", "2025-01-02T03:04:05+00:00"),
    (1, 2025, "m-text", "text", None, "Käytössä", "huom", "", "2025-02-03T04:05:06+00:00"),
]


def _schema(db, table: str) -> str:
    return db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]


def test_the_metric_tables_lose_their_kind_list_and_keep_every_row(tmp_path) -> None:
    db = open_db(tmp_path / "old.sqlite")
    migrations.apply(db, stop_before="m007_metric_kinds")
    db.execute("INSERT INTO organisations (id, slug, name, created_at) VALUES (1, 'k', 'Kunta', 'x')")
    db.conn.executemany("INSERT INTO metric_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", METRIC_ROWS)
    db.execute("INSERT INTO metric_kinds VALUES (1, 'm-hilma', 'count')")
    with pytest.raises(sqlite3.IntegrityError):  # before: a new kind needed a table rebuild
        db.execute("INSERT INTO metric_kinds VALUES (1, 'm-new', 'stars')")

    migrate(db)

    assert "CHECK" not in _schema(db, "metric_values") and "CHECK" not in _schema(db, "metric_kinds")
    kept = [tuple(r) for r in db.execute("SELECT * FROM metric_values ORDER BY year, metric")]
    assert kept == sorted(METRIC_ROWS, key=lambda r: (r[1], r[2]))
    assert metrics.chosen_kinds(db, 1) == {"m-hilma": "count"}
    assert metrics.values_for_year(db, 1, 2024)["m-euro"].value == 1234.5
    # The registry still guards every write: a kind it does not know is refused.
    with pytest.raises(ValueError, match="unknown value kind"):
        metrics.set_value(db, 1, 2025, "m-new", "stars", 5)
    with pytest.raises(ValueError, match="unknown value kind"):
        metrics.set_kind(db, 1, "m-new", "stars")
    # Foreign keys still hold: the organisation's removal takes its values along.
    db.execute("DELETE FROM organisations WHERE id = 1")
    assert db.execute("SELECT count(*) FROM metric_values").fetchone()[0] == 0
    db.conn.close()
