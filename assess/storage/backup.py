"""A consistent copy of the whole database while the app keeps serving (SQLite's online backup)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def backup_database(source: str | Path, target: str | Path) -> str:
    """Copy the database at source to target; return the copy's integrity check result.

    The copy is made in one step inside a read transaction, so it is a consistent snapshot
    even while requests write (with WAL, readers and writers do not block each other).
    It is written to a temporary file first and renamed into place, so an interrupted
    backup never leaves a half-written file under the target name.
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    src = sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # pages=-1: all pages in one step, one consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
        tmp.replace(target)
    except BaseException:
        # A full disk or an unwritable folder: leave nothing behind, not even an empty file.
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return result
