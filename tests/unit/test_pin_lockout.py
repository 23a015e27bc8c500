"""The technician PIN lock-out: 5 wrong → 60 s, then 5 min, then 30 min; kept across restarts."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kiosk.auth_pin import (
    DEFAULT_PIN,
    LOCK_STEPS_S,
    LockoutState,
    PinLockout,
    hash_pin,
    uses_default_pin,
)
from kiosk.config import DEFAULTS


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _fail(lock: PinLockout, times: int) -> None:
    for _ in range(times):
        lock.record_failure()


def test_locks_escalate_60s_5min_30min_and_a_right_pin_resets(tmp_path: Path) -> None:
    clock = Clock()
    lock = PinLockout(tmp_path / "lock.json", clock=clock)
    assert LOCK_STEPS_S == (60, 300, 1800)
    seen = []
    for _ in range(4):
        _fail(lock, 4)
        assert lock.remaining() == 0                     # four wrong: still open
        _fail(lock, 1)
        seen.append(lock.remaining())
        clock.now += lock.remaining() + 1
    assert seen == [60, 300, 1800, 1800]
    lock.record_success()
    _fail(lock, 5)
    assert lock.remaining() == 60                        # back to the first step


def test_the_lock_survives_a_restart_and_the_file_is_private(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "data" / "lock.json"
    first = PinLockout(path, clock=clock)
    _fail(first, 10)                                     # two locks: the second is 5 min
    clock.now += 10
    again = PinLockout(path, clock=clock)                # a new process
    assert again.state == LockoutState(0, 2, first.state.locked_until)
    assert again.remaining() == 290
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_clock_set_back_cannot_stretch_a_lock(tmp_path: Path) -> None:
    clock = Clock()
    lock = PinLockout(tmp_path / "lock.json", clock=clock)
    _fail(lock, 5)
    clock.now -= 10 * 365 * 86400
    assert lock.remaining() == 60


def test_a_damaged_file_locks_rather_than_opens(tmp_path: Path) -> None:
    path = tmp_path / "lock.json"
    path.write_text("{not json")
    lock = PinLockout(path, clock=Clock())
    assert lock.remaining() == LOCK_STEPS_S[-1]


def test_default_pin_is_recognised_whatever_its_salt() -> None:
    assert uses_default_pin(DEFAULTS["technician"]["pin_hash"])
    assert uses_default_pin(hash_pin(DEFAULT_PIN))
    assert not uses_default_pin(hash_pin("97531"))
