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

Brute-force protection beyond the hash cost (lock-out after wrong attempts) belongs to the
screen that asks for the PIN.

``python -m kiosk.auth_pin`` asks for a PIN twice (not echoed) and prints the line to paste into
the ``[technician]`` section.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import sys

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
