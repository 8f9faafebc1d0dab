"""Snapshots of content versions, so an assessment always reads the content it was answered on."""

from __future__ import annotations

from sqlite_utils import Database

from .db import now, one, write


def remember(db: Database, version: str, document: str) -> None:
    """Store the snapshot of a content version once; an existing version is never rewritten."""
    with write(db):
        db.execute(
            "INSERT OR IGNORE INTO content_versions (version, document, created_at) VALUES (?, ?, ?)",
            (version, document, now()),
        )


def document(db: Database, version: str) -> str | None:
    """The stored content document (JSON text) of a version; None when it is not stored."""
    row = one(db, "SELECT document FROM content_versions WHERE version = ?", (version,))
    return row["document"] if row else None


def first_used(db: Database) -> dict[str, str]:
    """Every stored content version with the time it was first stored (UTC ISO), oldest
    first: what a reader's name for a version is made of (formatting.content_version_labels)."""
    rows = db.execute(
        "SELECT version, created_at FROM content_versions ORDER BY created_at, version"
    ).fetchall()
    return {row[0]: row[1] for row in rows}
