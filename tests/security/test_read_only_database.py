"""Every command on a database that cannot be written: one clear line on stderr, a non-zero
exit, no traceback, and nothing left behind (no -wal or -shm beside the database, no
half-written backup, the database itself unchanged).

Root ignores file modes, so the database is made read-only the ways an operator meets it:
an immutable file (chattr +i) and a read-only mount of the instance folder.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.security.server import free_port, seeded_instance
from tests.security.test_cli_failures import ASSESS, one_clear_line, run


def _works(*command: str) -> bool:
    return (
        shutil.which(command[0]) is not None and subprocess.run(command, capture_output=True).returncode == 0
    )


@contextmanager
def immutable(instance: Path) -> Iterator[Path]:
    database = instance / "assess.db"
    if not _works("chattr", "+i", str(database)):
        pytest.skip("chattr +i is not available here (needs root on a file system with attributes)")
    try:
        yield instance
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)


@contextmanager
def read_only_mount(instance: Path) -> Iterator[Path]:
    mounted = instance.parent / "ro-instance"
    mounted.mkdir()
    if not _works("mount", "--bind", str(instance), str(mounted)):
        pytest.skip("bind mounts are not available here (needs root)")
    try:
        if not _works("mount", "-o", "remount,ro,bind", str(mounted)):
            pytest.skip("cannot remount read-only here")
        yield mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=True)


def _state(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.iterdir())
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> tuple[Path, Path]:
    """A seeded instance with the demo organisation, and that organisation's export file."""
    tmp = tmp_path_factory.mktemp("ro")
    instance = seeded_instance(tmp)
    demo = run(instance, "demo")
    assert demo.returncode == 0, demo.stderr
    export = tmp / "vienti.json"
    assert run(instance, "export", demo.stdout.strip().splitlines()[-1], str(export)).returncode == 0
    return instance, export


COMMANDS = {
    "import": lambda export, out: ["import", str(export), "--name", "Kopio"],
    "backup": lambda export, out: ["backup", str(out / "varmuus.db")],
    "purge": lambda export, out: ["purge"],
    "purge --dry-run": lambda export, out: ["purge", "--dry-run"],
    "serve": lambda export, out: ["serve", "--port", str(free_port()), "--workers", "1"],
}


@pytest.mark.parametrize("how", [immutable, read_only_mount], ids=["immutable file", "read-only mount"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_database_gets_one_clear_line(prepared, tmp_path, how, command):
    source, export = prepared
    instance = tmp_path / "instance"
    shutil.copytree(source, instance)
    out = tmp_path / "kopiot"
    out.mkdir()
    before = _state(instance)
    with how(instance) as where:
        # serve would run until stopped: on a read-only database it must not start at all.
        result = run(where, *COMMANDS[command](export, out))
        line = one_clear_line(result)
        assert "read-only" in line and "assess.db" in line, line
    assert _state(instance) == before, "the command left something behind in the instance folder"
    assert list(out.iterdir()) == []


def test_the_same_commands_work_on_a_writable_copy(prepared, tmp_path):
    # The refusals above are about the read-only database, not broken commands.
    source, export = prepared
    instance = tmp_path / "instance"
    shutil.copytree(source, instance)
    assert run(instance, "import", str(export), "--name", "Kopio").returncode == 0
    assert run(instance, "backup", str(tmp_path / "varmuus.db")).returncode == 0
    assert (tmp_path / "varmuus.db").stat().st_size > 0
    assert Path(ASSESS).exists()
