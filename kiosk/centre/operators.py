"""Counter operators: who may log in at a counter, with which PIN, and the lock-out on guesses.

Why operators live in the centre's database and not in a config file: a supervisor adds and
disables them while the centre runs, and the lock-out must survive a restart — if restarting a
counter reset the count of wrong PINs, a four-digit PIN would fall to anyone with an afternoon.
So the count, the rung of the escalation ladder and the lock's end are columns of the operator.

PINs are 4–8 ASCII digits, checked against easy guesses (``0000``, ``1234``, the shipped
technician PIN …) and hashed with :mod:`kiosk.auth_pin` (salted scrypt): one hashing scheme for
the whole program. Neither the PIN nor its hash is ever logged; card ids are logged masked.

Transactions belong to the caller: every function here takes a plain :class:`sqlite3.Connection`,
never begins, commits or uses ``executescript`` (which would commit), so it works inside the
caller's ``BEGIN IMMEDIATE`` next to the audit and event rows of the same action.

**The one trap.** :func:`authenticate` writes the failed attempt (the lock-out count) and *then*
raises. If the caller lets that exception escape its ``with store.transaction():`` block, the
rollback throws the count away and the lock-out never happens. Either call
:func:`attempt_login` (it records the attempt and returns a :class:`LoginAttempt`, never raising
for a refusal), append ``attempt.audit_detail()`` to the audit trail, commit, and only then call
``attempt.result()``; or catch :class:`~kiosk.errors.AuthError` inside the transaction.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kiosk.auth_pin import DEFAULT_PIN, hash_pin, verify_pin
from kiosk.centre import audit
from kiosk.errors import AuthError, ValidationError
from kiosk.i18n import N_, ngettext, translate
from kiosk.masking import mask_card

log = logging.getLogger(__name__)

#: Wrong PINs in a row that lock an operator's log-in.
LOCKOUT_ATTEMPTS = 5
#: How long each successive lock lasts (seconds): 1, 5, 15, then 60 minutes for every later one.
#: A successful log-in (or a new PIN) returns the operator to the first rung.
LOCKOUT_LADDER_S: tuple[int, ...] = (60, 300, 900, 3600)

MIN_PIN, MAX_PIN = 4, 8
MAX_NAME = 80
MAX_FINGER_SLOT = 65535
#: PINs people pick first (beyond repeats and runs, which :func:`weak_pin` finds by shape).
COMMON_PINS = frozenset({DEFAULT_PIN, "1357", "2580", "0852", "1379", "1397", "1004", "2468",
                         "13579", "24680", "8642", "9753", "1590", "7410", "0147", "3690"})

_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,32}")
_CARD_RE = re.compile(r"[0-9A-F]{10}")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")

MSG_BAD_ID = N_("An operator id is 1 to 32 letters, digits, dots, dashes or underscores.")
MSG_BAD_NAME = N_("Please give the operator's name (at most 80 characters).")
MSG_BAD_ROLE = N_("The role must be operator, supervisor or technician.")
MSG_BAD_PIN = N_("A PIN is 4 to 8 digits.")
MSG_WEAK_PIN = N_("This PIN is too easy to guess. Please choose another one.")
MSG_BAD_CARD = N_("A staff card id is 10 hex digits, as the card reader shows it.")
MSG_BAD_SLOT = N_("A fingerprint slot is a whole number from 0 to 65535.")
MSG_DUPLICATE_ID = N_("An operator with this id already exists.")
MSG_DUPLICATE_CARD = N_("This staff card already belongs to another operator.")
MSG_DUPLICATE_SLOT = N_("This fingerprint slot already belongs to another operator.")
MSG_NO_SUCH_OPERATOR = N_("There is no operator with this id.")
MSG_ONE_CREDENTIAL = N_("Log in with exactly one of: operator id, staff card or fingerprint.")


class Role(StrEnum):
    """What an operator may do (CENTRE.md, Operators)."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    TECHNICIAN = "technician"


class Outcome(StrEnum):
    """How one log-in attempt ended; recorded in the audit trail as ``detail["outcome"]``."""

    OK = "ok"
    UNKNOWN = "unknown"
    WRONG_PIN = "wrong_pin"
    DISABLED = "disabled"
    LOCKED = "locked"


@dataclass(frozen=True)
class Operator:
    """An operator as the rest of the program sees it: never with the PIN hash."""

    id: str
    name: str
    role: Role
    disabled: bool
    card_id: str | None
    finger_slot: int | None

    def to_json(self) -> dict[str, Any]:
        """For output and APIs: the card id masked (an EM4100 card is easy to clone from it)."""
        return {"id": self.id, "name": self.name, "role": self.role.value,
                "disabled": self.disabled,
                "card": mask_card(self.card_id) if self.card_id else None,
                "finger_slot": self.finger_slot}


class UnknownOperatorError(AuthError):
    """No operator has this card, fingerprint slot or id."""

    default_message = N_("This card or operator id is not registered. Please ask the supervisor.")
    code = "unknown_operator"
    http_status = 401


class WrongPinError(AuthError):
    """The PIN did not match; ``attempts_left`` wrong PINs more lock the log-in."""

    default_message = N_("Wrong PIN. Please try again.")
    code = "wrong_pin"
    http_status = 401

    def __init__(self, detail: str, *, attempts_left: int) -> None:
        super().__init__(detail)
        self.attempts_left = attempts_left

    def user_message(self, lang: str) -> str:
        n = self.attempts_left
        extra = ngettext("{n} try left before this log-in is locked.",
                         "{n} tries left before this log-in is locked.", n, lang).format(n=n)
        return f"{translate(self.message, lang)} {extra}"


class OperatorDisabledError(AuthError):
    """The operator exists but has been disabled by a supervisor."""

    default_message = N_("This operator has been disabled. Please ask the supervisor.")
    code = "operator_disabled"
    http_status = 403


class OperatorLockedError(AuthError):
    """Too many wrong PINs: no PIN is even checked for ``retry_after_s`` more seconds."""

    default_message = N_("Too many wrong PINs: this log-in is locked for now.")
    code = "operator_locked"
    http_status = 423

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s

    @property
    def retry_after_min(self) -> int:
        return max(1, math.ceil(self.retry_after_s / 60))

    def user_message(self, lang: str) -> str:
        n = self.retry_after_min
        extra = ngettext("Please try again in {n} minute.",
                         "Please try again in {n} minutes.", n, lang).format(n=n)
        return f"{translate(self.message, lang)} {extra}"


@dataclass(frozen=True)
class LoginAttempt:
    """One log-in attempt's outcome, already recorded in the operators table.

    ``audit_detail()`` is what the caller appends to the audit trail (no PIN, card masked);
    ``result()`` returns the operator or raises the refusal.
    """

    outcome: Outcome
    method: str  # "operator_id" | "card" | "finger"
    counter: str | None
    operator_id: str | None = None
    operator: Operator | None = None
    card_masked: str | None = None
    finger_slot: int | None = None
    attempts_left: int | None = None
    locked_for_s: int | None = None
    error: AuthError | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def audit_detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"outcome": self.outcome.value, "method": self.method}
        if self.card_masked is not None:
            detail["card"] = self.card_masked
        if self.finger_slot is not None:
            detail["finger_slot"] = self.finger_slot
        if self.attempts_left is not None:
            detail["attempts_left"] = self.attempts_left
        if self.locked_for_s is not None:
            detail["locked_for_s"] = self.locked_for_s
        if self.error is not None:
            detail["code"] = self.error.code
        return detail

    def result(self) -> Operator:
        """The operator on success; otherwise raise the :class:`AuthError` subclass."""
        if self.error is not None:
            raise self.error
        assert self.operator is not None
        return self.operator


_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS operators (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        role            TEXT NOT NULL
                        CHECK (role IN ('operator', 'supervisor', 'technician')),
        pin_hash        TEXT NOT NULL,
        card_id         TEXT UNIQUE,
        finger_slot     INTEGER UNIQUE,
        disabled        INTEGER NOT NULL DEFAULT 0,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        lock_level      INTEGER NOT NULL DEFAULT 0,
        locked_until    TEXT,
        last_login_at   TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    )
    """,
)

_COLUMNS = "id, name, role, disabled, card_id, finger_slot"


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the operators table if it is missing (safe inside an open transaction)."""
    for statement in _SCHEMA:
        conn.execute(statement)


# -- validation ------------------------------------------------------------------------------


def weak_pin(pin: str) -> bool:
    """True for a PIN a stranger would try first: repeats, runs, doubled digits, favourites."""
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    if len(set(pin)) == 1 or steps in ({1}, {9}):  # 0000, 1234, 7890, 4321
        return True
    n = len(pin)
    if any(n % k == 0 and pin == pin[:k] * (n // k) for k in range(1, n // 2 + 1)):
        return True  # 1212, 123123, 2020
    if n % 2 == 0 and pin[0::2] == pin[1::2]:
        return True  # 1122, 112233
    return pin in COMMON_PINS


def check_pin(pin: str) -> None:
    """Raise :class:`ValidationError` unless ``pin`` is 4–8 digits and not an easy guess."""
    if not (pin.isascii() and pin.isdigit() and MIN_PIN <= len(pin) <= MAX_PIN):
        raise ValidationError("PIN is not 4-8 ASCII digits", message=MSG_BAD_PIN)
    if weak_pin(pin):
        raise ValidationError("PIN refused as too easy to guess", message=MSG_WEAK_PIN)


def normalise_card(card_id: str) -> str:
    """The stored form of a staff card id: 10 upper-case hex digits (EM4100 version + number)."""
    card = card_id.strip().upper()
    if not _CARD_RE.fullmatch(card):
        raise ValidationError(f"card id of {len(card)} characters is not 10 hex digits",
                              message=MSG_BAD_CARD)
    return card


def _check_id(operator_id: str) -> str:
    if not isinstance(operator_id, str) or not _ID_RE.fullmatch(operator_id):
        raise ValidationError("operator id has a bad shape", message=MSG_BAD_ID)
    return operator_id


def _check_slot(slot: int) -> int:
    if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot <= MAX_FINGER_SLOT:
        raise ValidationError(f"finger slot {slot!r} out of range", message=MSG_BAD_SLOT)
    return slot


def _iso(now: datetime) -> str:
    if now.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return now.isoformat()


def _row_to_operator(row: sqlite3.Row | tuple[Any, ...]) -> Operator:
    op_id, name, role, disabled, card, slot = tuple(row)[:6]
    return Operator(id=op_id, name=name, role=Role(role), disabled=bool(disabled),
                    card_id=card, finger_slot=slot)


# -- management -------------------------------------------------------------------------------


def add_operator(conn: sqlite3.Connection, *, operator_id: str, name: str, role: Role | str,
                 pin: str, card_id: str | None = None, finger_slot: int | None = None,
                 now: datetime) -> Operator:
    """Add an operator; :class:`ValidationError` (bilingual) for every bad or duplicate field."""
    _check_id(operator_id)
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or _CONTROL_RE.search(name):
        raise ValidationError(f"operator {operator_id}: bad name", message=MSG_BAD_NAME)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError(f"unknown role {role!r}", message=MSG_BAD_ROLE) from None
    check_pin(pin)
    card = normalise_card(card_id) if card_id else None
    slot = _check_slot(finger_slot) if finger_slot is not None else None
    if conn.execute("SELECT 1 FROM operators WHERE id = ?", (operator_id,)).fetchone():
        raise ValidationError(f"operator {operator_id} exists", message=MSG_DUPLICATE_ID)
    if card and conn.execute("SELECT 1 FROM operators WHERE card_id = ?", (card,)).fetchone():
        raise ValidationError(f"card {mask_card(card)} is taken", message=MSG_DUPLICATE_CARD)
    if slot is not None and conn.execute(
            "SELECT 1 FROM operators WHERE finger_slot = ?", (slot,)).fetchone():
        raise ValidationError(f"finger slot {slot} is taken", message=MSG_DUPLICATE_SLOT)
    stamp = _iso(now)
    conn.execute(
        "INSERT INTO operators (id, name, role, pin_hash, card_id, finger_slot, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (operator_id, name, role.value, hash_pin(pin), card, slot, stamp, stamp))
    log.info("operator %s added (role %s%s%s)", operator_id, role.value,
             f", card {mask_card(card)}" if card else "",
             f", finger slot {slot}" if slot is not None else "")
    return Operator(operator_id, name, role, False, card, slot)


def get_operator(conn: sqlite3.Connection, operator_id: str) -> Operator | None:
    """The operator with this id, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM operators WHERE id = ?",
                       (operator_id,)).fetchone()
    return _row_to_operator(row) if row else None


def list_operators(conn: sqlite3.Connection) -> list[Operator]:
    """Every operator (disabled ones too), by id."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM operators ORDER BY id").fetchall()
    return [_row_to_operator(r) for r in rows]


def disable_operator(conn: sqlite3.Connection, operator_id: str, *, now: datetime) -> Operator:
    """Disable an operator: every later log-in is refused. Unknown id → ValidationError."""
    cur = conn.execute("UPDATE operators SET disabled = 1, updated_at = ? WHERE id = ?",
                       (_iso(now), operator_id))
    if cur.rowcount != 1:
        raise ValidationError(f"no operator {operator_id!r}", message=MSG_NO_SUCH_OPERATOR)
    log.info("operator %s disabled", operator_id)
    found = get_operator(conn, operator_id)
    assert found is not None
    return found


def set_pin(conn: sqlite3.Connection, operator_id: str, pin: str, *, now: datetime) -> None:
    """Give an operator a new PIN; this also lifts any lock-out and returns it to rung one."""
    check_pin(pin)
    cur = conn.execute(
        "UPDATE operators SET pin_hash = ?, failed_attempts = 0, lock_level = 0, "
        "locked_until = NULL, updated_at = ? WHERE id = ?", (hash_pin(pin), _iso(now), operator_id))
    if cur.rowcount != 1:
        raise ValidationError(f"no operator {operator_id!r}", message=MSG_NO_SUCH_OPERATOR)
    log.info("operator %s: PIN changed", operator_id)


# -- log-in -----------------------------------------------------------------------------------


def lock_duration_s(level: int) -> int:
    """Seconds of the ``level``-th lock (1-based); the last rung repeats."""
    return LOCKOUT_LADDER_S[min(level, len(LOCKOUT_LADDER_S)) - 1]


@dataclass(frozen=True)
class PinCheck:
    """The result of comparing a PIN with one stored hash, made before the write transaction.

    Holds no PIN: only which hash was checked and whether it matched. :func:`attempt_login`
    uses it when the operator's hash is still the same, so the slow scrypt (~50–250 ms) runs
    outside the caller's ``BEGIN IMMEDIATE`` and does not hold up every other counter's write.
    Only :func:`precheck_pin` makes one; never build one from anything a client sent.
    """

    pin_hash: str | None
    matches: bool


def _credential(operator_id: str | None, card_id: str | None,
                finger_slot: int | None) -> tuple[str, str, object, str]:
    """(method, SQL column, value, who-for-the-log) for exactly one credential."""
    given = [v is not None for v in (operator_id, card_id, finger_slot)]
    if sum(given) != 1:
        raise ValidationError(f"{sum(given)} credentials given", message=MSG_ONE_CREDENTIAL)
    if card_id is not None:
        return "card", "card_id", card_id.strip().upper(), f"card {mask_card(card_id)}"
    if finger_slot is not None:
        return "finger", "finger_slot", finger_slot, f"finger slot {finger_slot}"
    return "operator_id", "id", operator_id, f"operator id {operator_id!r}"[:60]


def _lookup(conn: sqlite3.Connection, column: str, value: object) -> tuple[Any, ...] | None:
    row = conn.execute(f"SELECT {_COLUMNS}, pin_hash, failed_attempts, lock_level, locked_until "
                       f"FROM operators WHERE {column} = ?", (value,)).fetchone()
    return tuple(row) if row is not None else None


def precheck_pin(conn: sqlite3.Connection, *, pin: str, operator_id: str | None = None,
                 card_id: str | None = None, finger_slot: int | None = None) -> PinCheck:
    """Compare ``pin`` with the operator's stored hash, reading only (no transaction needed).

    Optional: pass the result to :func:`attempt_login` / :func:`authenticate` as ``precheck``
    to keep the hashing out of the write lock. Changes nothing, counts nothing.
    """
    _, column, value, _ = _credential(operator_id, card_id, finger_slot)
    row = _lookup(conn, column, value)
    if row is None:
        return PinCheck(None, False)
    return PinCheck(row[6], verify_pin(pin, row[6]))


def attempt_login(conn: sqlite3.Connection, *, pin: str, operator_id: str | None = None,
                  card_id: str | None = None, finger_slot: int | None = None,
                  counter: str | int | None, now: datetime,
                  precheck: PinCheck | None = None) -> LoginAttempt:
    """Check one log-in, record its effect on the lock-out, and return the outcome.

    Exactly one of ``operator_id``, ``card_id`` or ``finger_slot`` (the slot the counter's
    fingerprint module matched) names the operator. A refusal is returned, not raised (see the
    module docstring for why); the effect on the lock-out is written on ``conn`` and persists
    when the caller commits. While locked no PIN is checked and nothing is counted.
    ``precheck`` (from :func:`precheck_pin` with the same PIN) is used if the stored hash has not
    changed since; otherwise the PIN is hashed here.
    """
    method, column, value, who = _credential(operator_id, card_id, finger_slot)
    stamp = _iso(now)
    where_counter = None if counter is None else str(counter)
    masked = mask_card(card_id) if card_id is not None else None
    row = _lookup(conn, column, value)
    where = f" at counter {where_counter}" if where_counter is not None else ""
    base: dict[str, Any] = {"method": method, "counter": where_counter, "card_masked": masked,
                            "finger_slot": finger_slot}
    if row is None:
        err: AuthError = UnknownOperatorError(f"log-in{where}: {who} is not registered")
        log.warning("%s", err.detail)
        return LoginAttempt(Outcome.UNKNOWN, error=err, **base)
    op = _row_to_operator(row)
    pin_hash, failed, level, locked_until = row[6:10]
    base["operator_id"] = op.id
    who = f"operator {op.id}" + (f" ({who})" if method != "operator_id" else "")
    if op.disabled:
        err = OperatorDisabledError(f"log-in{where}: {who} is disabled")
        log.warning("%s", err.detail)
        return LoginAttempt(Outcome.DISABLED, error=err, **base)
    if locked_until is not None:
        left = math.ceil((datetime.fromisoformat(locked_until) - now).total_seconds())
        if left > 0:
            err = OperatorLockedError(f"log-in{where}: {who} is locked for {left} s more",
                                      retry_after_s=left)
            log.warning("%s", err.detail)
            return LoginAttempt(Outcome.LOCKED, error=err, locked_for_s=left, **base)
    if precheck is not None and precheck.pin_hash == pin_hash:
        pin_ok = precheck.matches
    else:
        pin_ok = verify_pin(pin, pin_hash)
    if pin_ok:
        conn.execute("UPDATE operators SET failed_attempts = 0, lock_level = 0, "
                     "locked_until = NULL, last_login_at = ? WHERE id = ?", (stamp, op.id))
        log.info("log-in%s: %s (%s)", where, who, op.role.value)
        return LoginAttempt(Outcome.OK, operator=op, **base)
    failed += 1
    if failed >= LOCKOUT_ATTEMPTS:
        level += 1
        seconds = lock_duration_s(level)
        conn.execute("UPDATE operators SET failed_attempts = 0, lock_level = ?, "
                     "locked_until = ? WHERE id = ?",
                     (level, _iso(now + timedelta(seconds=seconds)), op.id))
        err = OperatorLockedError(f"log-in{where}: {who}: wrong PIN, {LOCKOUT_ATTEMPTS} in a "
                                  f"row; locked for {seconds} s (lock {level})",
                                  retry_after_s=seconds)
        log.warning("%s", err.detail)
        return LoginAttempt(Outcome.WRONG_PIN, error=err, attempts_left=0, locked_for_s=seconds,
                            **base)
    conn.execute("UPDATE operators SET failed_attempts = ? WHERE id = ?", (failed, op.id))
    left_tries = LOCKOUT_ATTEMPTS - failed
    err = WrongPinError(f"log-in{where}: {who}: wrong PIN, {left_tries} tries left",
                        attempts_left=left_tries)
    log.warning("%s", err.detail)
    return LoginAttempt(Outcome.WRONG_PIN, error=err, attempts_left=left_tries, **base)


def authenticate(conn: sqlite3.Connection, *, pin: str, operator_id: str | None = None,
                 card_id: str | None = None, finger_slot: int | None = None,
                 counter: str | int | None, now: datetime,
                 precheck: PinCheck | None = None) -> Operator:
    """The operator whose credential and PIN these are, or raise an :class:`AuthError` subclass.

    :class:`UnknownOperatorError`, :class:`WrongPinError` (``attempts_left``),
    :class:`OperatorDisabledError`, :class:`OperatorLockedError` (``retry_after_s``). The
    exception's ``attempt`` attribute is the :class:`LoginAttempt` to audit. Mind the rollback
    trap in the module docstring: catch inside the transaction, or use :func:`attempt_login`.
    """
    attempt = attempt_login(conn, pin=pin, operator_id=operator_id, card_id=card_id,
                            finger_slot=finger_slot, counter=counter, now=now, precheck=precheck)
    if attempt.error is not None:
        attempt.error.attempt = attempt
    return attempt.result()


def audit_login(conn: sqlite3.Connection, attempt: LoginAttempt, *, at: datetime) -> int:
    """Append ``attempt`` to the audit trail (``operator.login`` or ``operator.login_refused``)
    on the same connection and transaction; returns the entry id."""
    action = "operator.login" if attempt.ok else "operator.login_refused"
    return audit.append(conn, action=action, operator_id=attempt.operator_id,
                        counter=attempt.counter, detail=attempt.audit_detail(), at=at)
