"""The sign-in limiter: a user name pauses after too many failures and recovers in time."""

from __future__ import annotations

from assess.login_limit import FailureLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_name_pauses_after_the_limit_and_recovers():
    clock = Clock()
    limiter = FailureLimiter(3, window_seconds=60, clock=clock)
    for _ in range(2):
        limiter.fail("liisa")
    assert not limiter.blocked("liisa")
    limiter.fail("liisa")
    assert limiter.blocked("liisa") and not limiter.blocked("ville")
    clock.now += 61
    assert not limiter.blocked("liisa")


def test_old_failures_fall_out_of_the_window():
    clock = Clock()
    limiter = FailureLimiter(2, window_seconds=60, clock=clock)
    limiter.fail("liisa")
    clock.now += 50
    limiter.fail("liisa")
    assert limiter.blocked("liisa")
    clock.now += 20  # the first failure is now older than the window
    assert not limiter.blocked("liisa")


def test_a_success_resets_the_count():
    limiter = FailureLimiter(2, clock=Clock())
    limiter.fail("liisa")
    limiter.reset("liisa")
    limiter.fail("liisa")
    assert not limiter.blocked("liisa")


def test_stale_names_are_forgotten():
    clock = Clock()
    limiter = FailureLimiter(5, window_seconds=60, clock=clock)
    limiter.MAX_KEYS = 10
    for n in range(10):
        limiter.fail(f"guess-{n}")
    clock.now += 61
    limiter.fail("liisa")
    assert list(limiter._failures) == ["liisa"]
