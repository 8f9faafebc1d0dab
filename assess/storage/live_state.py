"""The room's state version of a workshop, shared by every worker process of the server
through one tiny file per round (instance/live/<join code>), so that a phone's poll can be
answered "nothing changed" without opening the database.

The version is a short text derived from the rows that decide what a phone shows (the round's
status and the workshop's position, reveal and end), so the same database state always has the
same version. It is written inside the write transaction that changes that state: SQLite's
write lock serialises those transactions across processes, so the file always names the latest
committed state (or the one being committed), never an older one. A transaction that rolls
back after writing leaves a version no phone holds, which only costs full answers until the
next change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .db import one

FOLDER = "live"
_CODE = re.compile(r"[A-Z0-9]{1,16}")


def folder_for(database: str | Path) -> Path:
    """The folder of the version files: next to the database file."""
    return Path(database).parent / FOLDER


def room_version(status: str, workshop: Mapping[str, Any] | None) -> str:
    """What a phone's view of the room depends on, as a short text (no ids, no names)."""
    if workshop is None:
        return f"{status[:1]}.-"
    return (
        f"{status[:1]}.{workshop['position']}.{int(bool(workshop['revealed']))}"
        f".{int(bool(workshop['ended']))}"
    )


def _path(folder: Path, code: str) -> Path | None:
    return folder / code if _CODE.fullmatch(code) else None


def read(folder: Path, code: str) -> str | None:
    """The published version of the round with this join code; None when none is published."""
    path = _path(folder, code)
    if path is None:
        return None
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def publish(db: Database, round_id: int) -> None:
    """Write the round's current version to its file. Call inside the write transaction that
    changed it (see the module's docstring); an in-memory database has no files to share."""
    row = one(
        db,
        "SELECT a.status, a.join_code, w.position, w.revealed, w.ended, "
        "w.assessment_id AS started FROM assessments a "
        "LEFT JOIN workshops w ON w.assessment_id = a.id WHERE a.id = ?",
        (round_id,),
    )
    database = one(db, "SELECT file FROM pragma_database_list WHERE name = 'main'")
    if row is None or not row["join_code"] or database is None or not database["file"]:
        return
    workshop = row if row["started"] is not None else None
    path = _path(folder_for(database["file"]), row["join_code"])
    if path is None:
        return
    version = room_version(row["status"], workshop)
    path.parent.mkdir(exist_ok=True)
    # Written whole and renamed into place: a reader in another process sees the old or the
    # new version, never half of one.
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    temp.write_text(version, encoding="ascii")
    os.replace(temp, path)
