"""Background import jobs: a big invoice file is imported in a thread while the page polls.

Process-local (the app runs as one waitress process): a job lives in memory until a while
after it ends. Bounded: few jobs run at once, finished ones are forgotten after an hour.
No Flask here; the view hands the job its work as a function.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_RUNNING = 2
KEEP_SECONDS = 3600


@dataclass
class Job:
    token: str
    org_id: int
    kind: str = "invoices"  # or "hilma": what is imported
    state: str = "running"  # "running", "done", "refused", "failed"
    fraction: float = 0.0
    result: object = None
    """What the work returned (done) or raised (refused: its Refused)."""
    ended_at: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> dict:
        with self.lock:
            return {"state": self.state, "percent": round(self.fraction * 100)}


_JOBS: dict[str, Job] = {}
_LOCK = threading.Lock()


class Busy(Exception):
    """Too many imports run at once: try again in a moment."""


def _forget_old() -> None:
    cutoff = time.monotonic() - KEEP_SECONDS
    for token in [t for t, j in _JOBS.items() if j.ended_at and j.ended_at < cutoff]:
        del _JOBS[token]


def start(
    org_id: int,
    work: Callable[[Callable[[float], None]], object],
    refused: type[Exception] | tuple[type[Exception], ...],
    cleanup: Callable[[], None] | None = None,
    kind: str = "invoices",
) -> Job:
    """Run ``work(progress)`` in a thread; ``refused`` is the exception(s) meaning a bad file
    (or, for a fetch, a stopped one)."""
    with _LOCK:
        _forget_old()
        if sum(1 for j in _JOBS.values() if j.state == "running") >= MAX_RUNNING:
            raise Busy
        job = Job(secrets.token_urlsafe(16), org_id, kind)
        _JOBS[job.token] = job

    def progress(fraction: float) -> None:
        with job.lock:
            job.fraction = max(job.fraction, min(fraction, 0.99))

    def run() -> None:
        state, result = "done", None
        try:
            result = work(progress)
        except refused as exc:
            state, result = "refused", exc
        except Exception as exc:  # noqa: BLE001 - shown as a failed import, never a traceback
            state, result = "failed", exc
        finally:
            if cleanup:
                cleanup()
        with job.lock:
            job.state, job.result, job.ended_at = state, result, time.monotonic()
            if state == "done":
                job.fraction = 1.0

    threading.Thread(target=run, name=f"import-{job.token[:6]}", daemon=True).start()
    return job


def get(token: str, org_id: int) -> Job | None:
    """The organisation's job by its token (None for another organisation's)."""
    job = _JOBS.get(token)
    return job if job is not None and job.org_id == org_id else None


def wait(job: Job, timeout: float = 30.0) -> None:
    """Block until the job ends (for tests and the command line)."""
    deadline = time.monotonic() + timeout
    while job.state == "running" and time.monotonic() < deadline:
        time.sleep(0.02)
