"""Uploaded own-data files waiting for the user's go-ahead (detection shown, mapping chosen).

Kept under instance/own_uploads/<org id>/<token>/ until imported, and never longer than a
day: each new upload sweeps older ones away. The token is random and bound to the
organisation's folder, so one organisation never reaches another's files.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _root(instance: Path, org_id: int) -> Path:
    return instance / "own_uploads" / str(int(org_id))


def sweep(instance: Path) -> None:
    """Remove staged uploads older than a day (of every organisation)."""
    base = instance / "own_uploads"
    if not base.exists():
        return
    cutoff = time.time() - KEEP_SECONDS
    for folder in base.glob("*/*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def stage(instance: Path, org_id: int, files: Mapping[str, BinaryIO], meta: Mapping) -> str:
    """Store the uploaded streams (name -> stream) and their metadata; the new token."""
    sweep(instance)
    token = secrets.token_urlsafe(18)
    folder = _root(instance, org_id) / token
    folder.mkdir(parents=True)
    for name, stream in files.items():
        with (folder / name).open("wb") as out:
            shutil.copyfileobj(stream, out, 1024 * 1024)
    (folder / "meta.json").write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")
    return token


def folder(instance: Path, org_id: int, token: str) -> Path | None:
    """The staged upload's folder, or None when there is none (or the token is malformed)."""
    if not _TOKEN.match(token):
        return None
    found = _root(instance, org_id) / token
    return found if (found / "meta.json").exists() else None


def meta(found: Path) -> dict:
    return json.loads((found / "meta.json").read_text(encoding="utf-8"))


def remove(found: Path) -> None:
    shutil.rmtree(found, ignore_errors=True)
