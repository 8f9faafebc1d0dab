"""The production server behind `assess serve`: gunicorn with several worker processes, each
with a pool of threads (gthread workers).

One Python process cannot use more than one core (its interpreter lock), so a room of phones
needs several processes; SQLite in WAL mode serves them all from one file, and every write
takes SQLite's own write lock (BEGIN IMMEDIATE with a busy timeout, storage.db.write), which
holds across processes. The app is loaded once in the master process before the workers are
forked (content validated once, plotly.js compressed once).
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from . import room_gate

# A workshop phone keeps its connection open between polls (1.2-1.8 s apart): connections
# stay open this long when idle, and each process holds up to this many at once.
KEEPALIVE_S = 10
CONNECTIONS_PER_WORKER = 2000


def default_workers() -> int:
    """One worker process per core."""
    return max(1, os.cpu_count() or 1)


class Worker(ThreadWorker):
    """gunicorn's gthread worker that tells the app how long each request waited in its queue
    for a thread (room_gate sheds phones' fetches when the wait says the process is behind)."""

    def enqueue_req(self, conn: Any) -> None:
        conn.queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        room_gate.queued.at = getattr(conn, "queued_at", None)
        return super().handle(conn)


class _Server(BaseApplication):
    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self.app = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.app


def warm(app: Flask) -> None:
    """Compress the static files and plotly.js now, in the master, so that no worker spends
    its first requests on it; drop the copies of files that have changed since."""
    from flask import url_for

    from . import static_files
    from .vendor_assets import plotly_urls

    with app.test_request_context():
        plotly_urls()
        folder = app.config["STATIC_DIR"]
        for base, _dirs, files in os.walk(folder):
            for name in files:
                url_for("static", filename=os.path.relpath(os.path.join(base, name), folder))
        cache = static_files.cache_folder()
        static_files.prune(cache, static_files.known(cache))


class CannotListen(RuntimeError):
    """The address cannot be listened on (in use, or not this machine's)."""


def check_address(host: str, port: int) -> None:
    """Fail at once with a clear reason, instead of gunicorn's five seconds of retries."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        raise CannotListen(str(exc.strerror or exc)) from None


def run(app: Flask, *, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM); check_address first for a clear refusal."""
    warm(app)
    _Server(
        app,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "assess.server.Worker",
            "worker_connections": CONNECTIONS_PER_WORKER,
            "keepalive": KEEPALIVE_S,
            "backlog": 2048,
            "timeout": 60,
            "preload_app": True,
            "proc_name": "hankintapolku",
            "control_socket_disable": True,
            "errorlog": "-",
            "loglevel": "warning",
        },
    ).run()
