"""Slowing down guessing and floods: growing waits after failures (Throttle) and a rate limit
with a burst allowance (Bucket), each in a store of bounded size.

Kept in memory: the app runs as one process (waitress threads), and a restart forgetting
the counts is harmless; the point is to make guessing slow, not to lock anyone out.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int
    last: float


class Throttle:
    """After `free` failures for a key, each further failure makes the key wait, twice as
    long each time (first_delay, 2 x first_delay, … up to max_delay). A key with no failure
    for `forget_after` seconds starts afresh, and a success resets it.

    At most max_keys keys are held; beyond that the least recently failed are forgotten, so
    no stream of invented names can grow the store.
    """

    def __init__(
        self,
        *,
        free: int,
        first_delay: float = 1.0,
        max_delay: float = 15 * 60,
        forget_after: float = 60 * 60,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.first_delay, self.max_delay = free, first_delay, max_delay
        self.forget_after, self.max_keys, self.clock = forget_after, max_keys, clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def _delay(self, failures: int) -> float:
        over = failures - self.free - 1
        if over < 0:
            return 0.0
        return min(self.first_delay * 2 ** min(over, 40), self.max_delay)

    def _get(self, key: str) -> _Record | None:
        record = self._records.get(key)
        if record is not None and self.clock() - record.last > self.forget_after:
            del self._records[key]
            return None
        return record

    def wait(self, key: str) -> float:
        """Seconds the key must still wait before its next attempt (0: go ahead)."""
        with self._lock:
            record = self._get(key)
            if record is None:
                return 0.0
            return max(0.0, record.last + self._delay(record.failures) - self.clock())

    def fail(self, key: str) -> float:
        """Count a failure; returns the wait it earns (0 while within the free attempts)."""
        with self._lock:
            record = self._get(key)
            if record is None:
                record = self._records[key] = _Record(0, 0.0)
            record.failures += 1
            record.last = self.clock()
            self._records.move_to_end(key)
            while len(self._records) > self.max_keys:
                self._records.popitem(last=False)
            return self._delay(record.failures)

    def reset(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def __len__(self) -> int:
        return len(self._records)


class Bucket:
    """A token bucket per key: up to `burst` actions at once, then `per_minute` more each
    minute. A whole room joining through one address at the start fits in the burst; a
    script creating respondents one after another runs dry. Bounded like Throttle."""

    def __init__(
        self,
        *,
        burst: int,
        per_minute: float,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst, self.rate, self.max_keys, self.clock = burst, per_minute / 60, max_keys, clock
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> bool:
        """Use one action of the key's allowance; False (nothing used) when none is left."""
        with self._lock:
            now = self.clock()
            level, at = self._levels.get(key, (float(self.burst), now))
            level = min(float(self.burst), level + (now - at) * self.rate)
            if level < 1:
                self._levels[key] = (level, now)
                return False
            self._levels[key] = (level - 1, now)
            self._levels.move_to_end(key)
            while len(self._levels) > self.max_keys:
                self._levels.popitem(last=False)
            return True
