"""Admission of a workshop room's traffic, in front of the Flask app (WSGI middleware).

Two jobs, both about a room of hundreds of phones that poll and vote at once:

- A phone's state poll that carries the ETag of its last answer, while the room's state
  version (storage.live_state, a tiny file shared by all worker processes) is unchanged, is
  answered 304 here, without Flask, a session or the database. The ETag is an HMAC of the
  personal link and the version under the app's secret key, so only the phone that received
  it can use it, and it says nothing but "nothing changed".
- Under overload the phones' background requests (state polls and answer posts made by
  live.js) are shed with 503 and Retry-After at once, so the queue in front of the worker
  threads stays short and the facilitator's controls and the projector, never shed, answer
  first. live.js backs off and retries; pages are never shed, so no phone sees an error page.

Overload is measured as the time a request waited in the server's queue before a thread took
it (server.Worker records it in ``queued``): a burst that the threads clear in a moment sheds
nothing. Under a server that does not record it, a process is overloaded when all but
RESERVED_THREADS of its threads are busy.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import joincodes
from .storage import live_state

_PHONE_FETCH = re.compile(r"^/r/([^/]{1,20})/([A-Za-z0-9_-]{1,64})/live/(state|answer)$")

# Waiting longer than this in the server's queue means the process is behind. A poll is put
# off first: it is cheap to refuse, and the next one brings the same news. A vote is put off
# only when the queue is much longer: a refused vote costs its phone a retry (live.js sends
# it until acknowledged) and the server the same work later.
QUEUE_LIMIT_S = {"state": 0.2, "answer": 1.0}
# Without queue times: threads of each process kept for requests that are never shed.
RESERVED_THREADS = 2
# When a thread took its request from the server's queue: ``queued.at`` (time.monotonic),
# set per request by server.Worker.
queued = threading.local()
# When a shed phone should try again, in milliseconds: a poll can wait (the room's state
# rarely changes), an answer is sent again soon, so that a burst of votes is spread over a
# moment instead of being refused. Retry-After carries the same in whole seconds (HTTP).
RETRY_MS = {"state": 2000, "answer": 250}


def phone_etag(secret: str | bytes, code: str, token: str, version: str) -> str:
    """The ETag of a phone's state answer: bound to the personal link and the room's version."""
    key = secret.encode() if isinstance(secret, str) else secret
    mac = hmac.new(key, f"{code}\0{token}\0{version}".encode(), hashlib.sha256).hexdigest()
    return f'"{mac[:24]}"'


class RoomGate:
    """WSGI middleware: 304 for unchanged phone polls, 503 for phones' fetches under overload.

    ``threads`` is how many requests the process serves at once (the server's thread pool),
    used only when the server records no queue times; None then turns shedding off
    (development server, tests that do not ask for it).
    """

    def __init__(
        self, app: Callable, *, secret: str | bytes, folder: Path, threads: int | None = None
    ) -> None:
        self.app = app
        self.secret = secret
        self.folder = folder
        self.limit = None if threads is None else max(1, threads - RESERVED_THREADS)
        self.busy = 0
        self.shed = 0
        # Phones' fetches to refuse as busy whatever the load, by kind ("state", "answer"):
        # set by tests that check how a phone rides out a busy server.
        self.shed_next = {"state": 0, "answer": 0}
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = _PHONE_FETCH.match(environ.get("PATH_INFO", ""))
        if match is not None:
            kind = match.group(3)
            if kind == "state" and environ.get("REQUEST_METHOD") == "GET":
                unchanged = self._unchanged(match.group(1), match.group(2), environ.get("HTTP_IF_NONE_MATCH"))
                if unchanged is not None:
                    start_response(
                        "304 Not Modified",
                        [
                            ("ETag", unchanged),
                            ("Cache-Control", "no-store"),
                            ("X-Content-Type-Options", "nosniff"),
                        ],
                    )
                    return [b""]
            if self._overloaded(kind):
                with self._lock:
                    self.shed += 1
                retry = RETRY_MS[kind]
                body = b'{"busy": true, "retry_ms": %d}' % retry
                start_response(
                    "503 Service Unavailable",
                    [
                        ("Content-Type", "application/json"),
                        ("Content-Length", str(len(body))),
                        ("Retry-After", str(max(1, round(retry / 1000)))),
                        ("Cache-Control", "no-store"),
                        ("X-Content-Type-Options", "nosniff"),
                    ],
                )
                return [body]
        with self._lock:
            self.busy += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self._lock:
                self.busy -= 1

    def _overloaded(self, kind: str) -> bool:
        if self.shed_next[kind] > 0:
            with self._lock:
                self.shed_next[kind] -= 1
            return True
        at = getattr(queued, "at", None)
        if at is not None:
            return time.monotonic() - at > QUEUE_LIMIT_S[kind]
        return self.limit is not None and self.busy >= self.limit

    def _unchanged(self, raw_code: str, token: str, tag: str | None) -> str | None:
        """The ETag to answer 304 with, or None when the phone needs a full answer."""
        if not tag:
            return None
        code = joincodes.normalise_code(raw_code)
        if code is None:
            return None
        version = live_state.read(self.folder, code)
        if version is None:
            return None
        current = phone_etag(self.secret, code, token, version)
        return current if hmac.compare_digest(tag.strip().removeprefix("W/"), current) else None


def install(app: Any, threads: int | None) -> RoomGate:
    """Put the gate in front of a Flask app; returns it (its counters are read by tests)."""
    gate = RoomGate(
        app.wsgi_app,
        secret=app.secret_key,
        folder=live_state.folder_for(app.config["DATABASE"]),
        threads=threads,
    )
    app.wsgi_app = gate
    return gate
