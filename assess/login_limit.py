"""Slowing down password guessing: too many failed sign-ins for one user name pause it for a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class FailureLimiter:
    """Counts failed sign-ins per key (the lower-cased user name) within a sliding window.

    Kept in memory: the app runs as one process (waitress threads), and a restart
    forgetting the counts is harmless; the point is to make guessing slow, not impossible
    to retry after a mistyped password.
    """

    MAX_KEYS = 10_000

    def __init__(self, limit: int, window_seconds: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic):
        self.limit, self.window, self.clock = limit, window_seconds, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> list[float]:
        cutoff = self.clock() - self.window
        recent = [t for t in self._failures.get(key, []) if t > cutoff]
        if recent:
            self._failures[key] = recent
        else:
            self._failures.pop(key, None)
        return recent

    def blocked(self, key: str) -> bool:
        """True when the key has used up its attempts for now."""
        with self._lock:
            return len(self._recent(key)) >= self.limit

    def fail(self, key: str) -> None:
        with self._lock:
            self._failures[key] = [*self._recent(key), self.clock()]
            if len(self._failures) > self.MAX_KEYS:  # many names guessed: forget the stale ones
                for stale in list(self._failures):
                    self._recent(stale)

    def reset(self, key: str) -> None:
        """Forget the failures after a successful sign-in."""
        with self._lock:
            self._failures.pop(key, None)
