"""The throttle: growing waits after the free attempts, recovery in time, a bounded store."""

from __future__ import annotations

from assess.login_limit import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_waits_grow_after_the_free_attempts():
    clock = Clock()
    throttle = Throttle(free=3, first_delay=1, max_delay=8, clock=clock)
    assert [throttle.fail("liisa") for _ in range(3)] == [0, 0, 0]
    assert throttle.wait("liisa") == 0
    assert [throttle.fail("liisa") for _ in range(5)] == [1, 2, 4, 8, 8]
    assert throttle.wait("liisa") == 8 and throttle.wait("ville") == 0
    clock.now += 5
    assert throttle.wait("liisa") == 3
    clock.now += 3
    assert throttle.wait("liisa") == 0


def test_a_key_is_forgotten_after_a_quiet_period_and_on_success():
    clock = Clock()
    throttle = Throttle(free=0, forget_after=60, clock=clock)
    throttle.fail("liisa")
    clock.now += 61
    assert throttle.fail("liisa") == 1  # counted afresh
    throttle.reset("liisa")
    assert throttle.wait("liisa") == 0


def test_the_store_never_holds_more_than_its_bound():
    throttle = Throttle(free=5, max_keys=100, clock=Clock())
    for n in range(10_000):
        throttle.fail(f"guess-{n}")
    assert len(throttle) == 100
    assert throttle.wait("guess-9999") == 0 and len(throttle) == 100
