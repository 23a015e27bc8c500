"""Technician PINs: salted, slow hashes in the config and a constant-time check.

Why not store the PIN: a kiosk's config file is copied around on USB sticks by whoever services
it, so it must only ever hold a hash that is expensive to brute-force. A 4–8 digit PIN has a
tiny key space, so the hash must be *slow* (scrypt, memory-hard) and *salted* (one pre-computed
table must not unlock every kiosk in the state). PBKDF2-SHA256 is accepted too, for hashes made
on machines whose OpenSSL lacks scrypt.

Stored format (one string, self-describing so parameters can be raised later without breaking
old configs)::

    scrypt$n=16384,r=8,p=1$<salt, base64>$<hash, base64>
    pbkdf2_sha256$600000$<salt, base64>$<hash, base64>

Brute-force protection beyond the hash cost is :class:`PinLockout`: 5 wrong PINs lock the pad
for 60 s, the next 5 for 5 min, then 30 min each time, until a right PIN. It is kept in a 0600
file in the data directory, so pulling the plug (or killing the process) does not reset it: a
4-digit PIN with a restartable 60 s lock falls in a day, with this lock in months.

``python -m kiosk.auth_pin`` asks for a PIN twice (not echoed) and prints the line to paste into
the ``[technician]`` section.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: The PIN of the default (simulated) configuration. Change it on every real kiosk.
DEFAULT_PIN = "2468"

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PBKDF2_ITERATIONS = 600_000
_SALT_BYTES = 16
_HASH_BYTES = 32
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 12


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def valid_pin(pin: str) -> bool:
    """A technician PIN is 4–12 ASCII digits (what a touchscreen keypad can enter)."""
    return pin.isascii() and pin.isdigit() and MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH


def hash_pin(pin: str, *, salt: bytes | None = None, scheme: str = "scrypt") -> str:
    """The storable hash of ``pin`` with a fresh random salt (``salt`` only for tests)."""
    if not valid_pin(pin):
        raise ValueError(f"a PIN must be {MIN_PIN_LENGTH}-{MAX_PIN_LENGTH} digits")
    salt = salt if salt is not None else os.urandom(_SALT_BYTES)
    if scheme == "scrypt":
        digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                                p=SCRYPT_P, dklen=_HASH_BYTES)
        return f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}${_b64(salt)}${_b64(digest)}"
    if scheme == "pbkdf2_sha256":
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, PBKDF2_ITERATIONS,
                                     _HASH_BYTES)
        return f"pbkdf2_sha256${PBKDF2_ITERATIONS}${_b64(salt)}${_b64(digest)}"
    raise ValueError(f"unknown PIN hash scheme {scheme!r}")


def _compute(pin: bytes, stored: str) -> tuple[bytes, bytes] | None:
    """``(computed, expected)`` for ``stored``'s scheme and parameters; None if malformed."""
    try:
        scheme, params, salt_b64, hash_b64 = stored.split("$")
        salt, expected = _unb64(salt_b64), _unb64(hash_b64)
        if scheme == "scrypt":
            kv = dict(item.split("=", 1) for item in params.split(","))
            n, r, p = int(kv["n"]), int(kv["r"]), int(kv["p"])
            # Refuse absurd parameters from a tampered file instead of eating all memory.
            if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
                return None
            computed = hashlib.scrypt(pin, salt=salt, n=n, r=r, p=p, dklen=len(expected),
                                      maxmem=256 * 1024 * 1024)
        elif scheme == "pbkdf2_sha256":
            iterations = int(params)
            if not 1_000 <= iterations <= 10_000_000:
                return None
            computed = hashlib.pbkdf2_hmac("sha256", pin, salt, iterations, len(expected))
        else:
            return None
    except (ValueError, KeyError, TypeError):
        return None
    return computed, expected


def verify_pin(pin: str, stored: str) -> bool:
    """True if ``pin`` matches ``stored``. Constant-time compare; a malformed hash never matches.

    Non-ASCII or empty input is still hashed (with a dummy) so the time taken does not reveal
    whether the input was well-formed.
    """
    raw = pin.encode("utf-8", "replace") if pin else b"\x00"
    pair = _compute(raw, stored)
    if pair is None:
        return False
    computed, expected = pair
    return hmac.compare_digest(computed, expected) and valid_pin(pin)


def uses_default_pin(stored: str) -> bool:
    """True while ``stored`` is a hash of the shipped :data:`DEFAULT_PIN` (slow: one hash)."""
    return verify_pin(DEFAULT_PIN, stored)


#: Wrong PINs in a row before the pad locks.
MAX_ATTEMPTS = 5
#: Lock lengths in seconds: the first lock, the second, then every later one.
LOCK_STEPS_S: tuple[int, ...] = (60, 5 * 60, 30 * 60)
LOCKOUT_FILE = "technician-lockout.json"


@dataclass(frozen=True)
class LockoutState:
    """``failures`` since the last lock (or success), ``locks`` since the last success, and
    the wall-clock time the current lock ends (0: not locked)."""

    failures: int = 0
    locks: int = 0
    locked_until: float = 0.0


class PinLockout:
    """The escalating, restart-proof lock-out of one PIN pad.

    Wall-clock time (not monotonic) because it must mean the same after a reboot; a clock set
    back cannot stretch a lock, as the remaining time is capped at that lock's length. Thread
    safe: the PIN is checked on a worker while the screen asks :meth:`remaining`.
    """

    def __init__(self, path: Path | None, *, clock: Callable[[], float] = time.time,
                 steps: tuple[int, ...] = LOCK_STEPS_S, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.path = path
        self._clock = clock
        self.steps = steps
        self.max_attempts = max_attempts
        self._lock = threading.Lock()
        self._state = self._load()

    @property
    def state(self) -> LockoutState:
        with self._lock:
            return self._state

    def lock_length(self, locks: int) -> int:
        """Seconds of the ``locks``-th lock (1-based)."""
        return self.steps[min(max(locks, 1), len(self.steps)) - 1]

    def remaining(self) -> float:
        """Seconds until the pad opens again (0.0: open now)."""
        with self._lock:
            st = self._state
        if st.locked_until <= 0:
            return 0.0
        left = st.locked_until - self._clock()
        return max(0.0, min(left, float(self.lock_length(st.locks))))

    def record_failure(self) -> LockoutState:
        """One wrong PIN; the fifth in a row starts the next, longer lock. Saved at once."""
        with self._lock:
            st = self._state
            failures, locks, until = st.failures + 1, st.locks, st.locked_until
            if failures >= self.max_attempts:
                locks += 1
                failures = 0
                until = self._clock() + self.lock_length(locks)
            self._state = LockoutState(failures, locks, until)
            self._save(self._state)
            return self._state

    def record_success(self) -> None:
        with self._lock:
            if self._state != LockoutState():
                self._state = LockoutState()
                self._save(self._state)

    def _load(self) -> LockoutState:
        if self.path is None:
            return LockoutState()
        try:
            with open(self.path, "rb") as f:
                raw = json.loads(f.read(4096).decode("utf-8"))
            st = LockoutState(int(raw["failures"]), int(raw["locks"]),
                              float(raw["locked_until"]))
        except FileNotFoundError:
            return LockoutState()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # A damaged file must not open the pad: treat it as the longest lock, just begun.
            log.warning("technician lock-out file %s unreadable (%s); locking", self.path, exc)
            return LockoutState(0, len(self.steps), self._clock() + self.steps[-1])
        if st.failures < 0 or st.locks < 0:
            return LockoutState(0, len(self.steps), self._clock() + self.steps[-1])
        return st

    def _save(self, st: LockoutState) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
            try:
                os.write(fd, json.dumps(asdict(st)).encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.error("technician lock-out could not be saved to %s: %s", self.path, exc)


def main(argv: list[str] | None = None) -> int:
    """Ask for a PIN twice and print the ``[technician]`` config line."""
    first = getpass.getpass("New technician PIN (4-12 digits): ")
    if not valid_pin(first):
        print("A PIN must be 4-12 digits.", file=sys.stderr)  # noqa: T201 - a CLI
        return 2
    if getpass.getpass("Again: ") != first:
        print("The two PINs differ.", file=sys.stderr)  # noqa: T201 - a CLI
        return 2
    print("[technician]")  # noqa: T201 - a CLI
    print(f'pin_hash = "{hash_pin(first)}"')  # noqa: T201 - a CLI
    return 0


if __name__ == "__main__":
    sys.exit(main())
