"""The command line on bad files, a busy port and a full disk: one clear line, a non-zero
exit, no traceback, and nothing left behind."""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.security.server import seeded_instance

ASSESS = str(Path(sys.executable).parent / "assess")


def run(instance: Path, *args: str, file_limit: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:  # a "full disk": writes beyond file_limit bytes fail
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [ASSESS, *args],
        env=dict(os.environ, ASSESS_INSTANCE_PATH=str(instance)),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit if file_limit else None,
    )


def one_clear_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_import_of_a_deeply_nested_file_is_refused_without_a_traceback(tmp_path):
    instance = seeded_instance(tmp_path)
    bad = tmp_path / "sisakkain.json"
    bad.write_text("[" * 100_000 + "]" * 100_000)
    result = run(instance, "import", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nested too deeply" in result.stderr


def test_backup_into_a_missing_folder_says_so_and_leaves_nothing(tmp_path):
    instance = seeded_instance(tmp_path)
    line = one_clear_line(run(instance, "backup", str(tmp_path / "ei-ole" / "varmuus.db")))
    assert "no backup was written" in line


def test_backup_on_a_full_disk_leaves_no_temporary_file(tmp_path):
    instance = seeded_instance(tmp_path)
    target = tmp_path / "kopiot"
    target.mkdir()
    size = (instance / "assess.db").stat().st_size
    line = one_clear_line(run(instance, "backup", str(target / "varmuus.db"), file_limit=size // 2))
    assert "no backup was written" in line
    assert list(target.iterdir()) == []


def test_serve_on_a_busy_port_says_so(tmp_path):
    instance = seeded_instance(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = one_clear_line(run(instance, "serve", "--port", str(port)))
    assert f"cannot listen on 127.0.0.1:{port}" in line


def test_import_on_a_full_disk_says_so(tmp_path):
    instance = seeded_instance(tmp_path)
    export = tmp_path / "vienti.json"
    demo = run(instance, "demo")
    assert demo.returncode == 0, demo.stderr
    slug = demo.stdout.strip().splitlines()[-1]
    assert run(instance, "export", slug, str(export)).returncode == 0
    # The database file is larger than this: the import's writes are the first to fail.
    result = run(instance, "import", str(export), "--name", "Kopio", file_limit=16_384)
    line = one_clear_line(result)
    assert "Error:" in line
