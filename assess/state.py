"""Per-app and per-request state: the loaded content, its stored versions, the database on g."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, current_app, g
from sqlite_utils import Database

from .content import Content, ContentError, from_document, load_content, to_document
from .content.profile_classes import ProfileClasses, load_profile_classes
from .storage import content_store
from .storage.db import open_db
from .storage.schema import migrate


def init_app(app: Flask) -> None:
    """Load the content (stopping on any problem), migrate the database, record the version."""
    content = load_content(Path(app.config["CONTENT_DIR"]))
    app.extensions["content"] = content
    app.extensions["profile_classes"] = load_profile_classes(Path(app.config["CONTENT_DIR"]))
    db = open_db(app.config["DATABASE"])
    try:
        app.extensions["schema_version"] = migrate(db)
        content_store.remember(db, content.version, json.dumps(to_document(content)))
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)


def get_db() -> Database:
    """The request's database connection, opened on first use."""
    if "db" not in g:
        g.db = open_db(current_app.config["DATABASE"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Close the request's database connection, if one was opened (app teardown)."""
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def content() -> Content:
    """The current content, as loaded from questionnaires/ at start."""
    return current_app.extensions["content"]


def profile_classes() -> ProfileClasses:
    """The benchmark's organisation types, size bands and regions (questionnaires/benchmark.yaml)."""
    return current_app.extensions["profile_classes"]


def content_at(version: str) -> Content:
    """The content an assessment was answered on: the current one or a stored snapshot."""
    current = content()
    if version == current.version:
        return current
    cached = _snapshots.get(version)
    if cached is None:
        document = content_store.document(get_db(), version)
        if document is None:
            raise ContentError([f"content version {version} is not stored in this database"])
        cached = _snapshots[version] = from_document(json.loads(document))
    return cached


# Parsed snapshots by version. A version is the digest of its content (from_document checks
# it), so one version is the same content in every database and never needs reading twice.
_snapshots: dict[str, Content] = {}
