"""assess backup: a consistent, intact copy even while requests keep writing."""

from __future__ import annotations

import sqlite3
import threading

from assess.storage import accounts
from assess.storage.backup import backup_database
from assess.storage.db import open_db


def test_backup_during_concurrent_writes_is_consistent(app, tmp_path):
    path = app.config["DATABASE"]
    stop = threading.Event()
    written: list[int] = []

    def writer(n: int) -> None:
        db = open_db(path)
        i = 0
        while not stop.is_set():
            accounts.create_org(db, f"Kunta {n}-{i}")
            written.append(1)
            i += 1
        db.conn.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    try:
        copies = []
        for k in range(5):
            target = tmp_path / f"copy{k}.db"
            assert backup_database(path, target) == "ok"
            copies.append(target)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert written, "the writers did not run"
    counts = []
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts.append(conn.execute("SELECT COUNT(*) FROM organisations").fetchone()[0])
        # The copy is a whole database: the schema and the content snapshot came along.
        assert conn.execute("SELECT COUNT(*) FROM content_versions").fetchone()[0] == 1
        conn.close()
    assert counts == sorted(counts)  # later copies never hold less


def test_backup_command_writes_a_file_that_opens(runner, tmp_path):
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    conn = sqlite3.connect(target)
    assert "organisations" in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
