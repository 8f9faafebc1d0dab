"""Opening the SQLite database and running write transactions safely under concurrent requests."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

# How long a writer waits for another writer's transaction before giving up. SQLite has
# one writer at a time; with WAL, readers never wait.
BUSY_TIMEOUT_MS = 10_000
# Re-entrant, so a thread that (unusually) writes through a second connection inside a write
# fails on SQLite's busy timeout as before instead of deadlocking here.
_WRITERS = threading.RLock()
# Writers of other processes (`assess serve --workers N`) queue on a lock file beside the
# database: SQLite's own busy handler makes a writer that finds the database locked sleep
# 1, 2, 5, 10 ms and longer, while the other process's transaction takes a fraction of a
# millisecond; under a room's burst of answers the writers would mostly sleep.
_LOCK_POLL_SECONDS = 0.0002
_lock_paths: weakref.WeakKeyDictionary[Database, str] = weakref.WeakKeyDictionary()
# Lock file path -> (process id, descriptor), the most recently used last. Bounded: a process
# that opens many databases (the test suite, the import of backups) keeps only the newest open.
_lock_files: OrderedDict[str, tuple[int, int]] = OrderedDict()
_MAX_LOCK_FILES = 16


def open_db(path: str | Path) -> Database:
    """Open the database file with WAL, foreign keys and a busy timeout.

    A database that cannot be written (a read-only file or mount) is refused before SQLite
    opens it: SQLite would fall back to reading, leave -wal and -shm files beside it and fail
    only at the first write.
    """
    if str(path) != ":memory:":
        _refuse_read_only(Path(path))
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; faster commits
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    db = Database(conn)
    if str(path) != ":memory:":
        _lock_paths[db] = f"{path}.writelock"
    return db


def _refuse_read_only(path: Path) -> None:
    # os.access also sees immutable files and read-only mounts, which file modes do not show
    # to root. The folder must be writable too: SQLite keeps its journal beside the file.
    for place in (path, path.parent):
        if place.exists() and not os.access(place, os.W_OK):
            raise sqlite3.OperationalError(
                f"{place} is read-only; the app must be able to write the database {path.name} and its folder"
            )


@contextmanager
def write(db: Database) -> Iterator[Database]:
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE).

    A plain BEGIN would start as a reader and could fail with "database is locked"
    when it later tries to write while another request writes; taking the lock first
    makes concurrent writers queue up (within the busy timeout) instead.
    Nested calls become savepoints of the outer transaction.

    Writers of this process also queue on an in-process lock first: SQLite's busy handler
    makes a writer that finds the database locked sleep in growing steps, so under a burst
    (a workshop room answering the same statement) writers would idle while the database is
    free; the lock hands it to the next writer the moment the previous one commits. Writers
    of other processes queue the same way on the database's lock file (``<file>.writelock``);
    SQLite's busy timeout stays as the last guard (a writer outside the app, such as the
    sqlite3 shell).
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    if not _WRITERS.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise sqlite3.OperationalError("database is locked")
    try:
        fd = _process_lock(_lock_paths.get(db), deadline)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        _WRITERS.release()


def _process_lock(path: str | None, deadline: float) -> int | None:
    """Take the write lock file of the database at ``path`` for this process (None for an
    in-memory database), polling until ``deadline``. One descriptor per process: a
    descriptor inherited through fork would share its lock with the parent."""
    if path is None:
        return None
    known = _lock_files.get(path)
    if known is None or known[0] != os.getpid():
        if known is not None:
            os.close(known[1])  # inherited through fork: the parent keeps its own
        known = (os.getpid(), os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        _lock_files[path] = known
        # Called under _WRITERS, so no other descriptor holds its lock now.
        while len(_lock_files) > _MAX_LOCK_FILES:
            _path, (_pid, oldest) = _lock_files.popitem(last=False)
            os.close(oldest)
    _lock_files.move_to_end(path)
    fd = known[1]
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise sqlite3.OperationalError("database is locked") from None
            time.sleep(_LOCK_POLL_SECONDS)


def now() -> str:
    """The current UTC time as ISO 8601 text, as stored in every *_at column."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def rows(db: Database, sql: str, params: Sequence[Any] | dict = ()) -> list[dict]:
    """Run a query and return its rows as plain dicts."""
    return [dict(r) for r in db.execute(sql, params).fetchall()]


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just made (sqlite3 types it as optional: None only without one)."""
    if cursor.lastrowid is None:
        raise RuntimeError("the statement inserted no row")
    return cursor.lastrowid


Row = TypeVar("Row")


def written(row: Row | None) -> Row:
    """A row this transaction has just written (or found), read back by its getter: never None.
    Narrows the getter's optional type, with an error rather than a silent None should the row
    ever be missing."""
    if row is None:
        raise LookupError("the row just written is missing")
    return row


def one(db: Database, sql: str, params: Sequence[Any] | dict = ()) -> dict | None:
    """Run a query and return its first row as a plain dict, or None."""
    row = db.execute(sql, params).fetchone()
    return dict(row) if row is not None else None
