"""Per-app and per-request state: the loaded content, its stored versions, the database on g."""

from __future__ import annotations

import json
import threading
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
        content_store.remember(db, content.version, _document_text(content))
    finally:
        db.conn.close()
    app.teardown_appcontext(close_db)


def get_db() -> Database:
    """The request's database connection, opened on first use.

    With DB_POOL (set by `assess serve`) each server thread keeps its connection between
    requests: opening one (file, WAL and pragmas) costs about as much as a workshop phone's
    whole answer. Without it every request opens and closes its own, so a test or command
    that replaces the database file never meets an old connection.
    """
    if "db" not in g:
        path = current_app.config["DATABASE"]
        if current_app.config.get("DB_POOL"):
            pooled = getattr(_pool, "db", None)
            if pooled is None or _pool.path != path:
                if pooled is not None:
                    pooled.conn.close()
                _pool.db, _pool.path = open_db(path), path
            g.db = _pool.db
        else:
            g.db = open_db(path)
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Release the request's database connection, if one was opened (app teardown): a pooled
    one is kept for the thread's next request, never with a transaction left open."""
    db: Database | None = g.pop("db", None)
    if db is None:
        return
    pooled: Database | None = getattr(_pool, "db", None)
    if db is pooled:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        return
    db.conn.close()


# One connection per server thread (DB_POOL); SQLite connections are cheap to keep open.
_pool = threading.local()


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


def _document_text(content: Content) -> str:
    """The content as the document stored for its version, made once per version in a process
    (the version is the digest of the content, so it names one document)."""
    text = _documents.get(content.version)
    if text is None:
        text = _documents[content.version] = json.dumps(to_document(content))
    return text


_documents: dict[str, str] = {}  # one per content version loaded: a handful

# Parsed snapshots by version. A version is the digest of its content (from_document checks
# it), so one version is the same content in every database and never needs reading twice.
_snapshots: dict[str, Content] = {}
