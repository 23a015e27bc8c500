"""Operators and log-in: weak PINs refused, lock-out escalates and survives a restart, a success
resets it, refusals are clear in both languages, and no PIN ever reaches the disk or the log."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.centre import audit, operators
from kiosk.centre.operators import (
    LOCKOUT_ATTEMPTS,
    LOCKOUT_LADDER_S,
    Operator,
    OperatorDisabledError,
    OperatorLockedError,
    Outcome,
    Role,
    UnknownOperatorError,
    WrongPinError,
)
from kiosk.errors import AuthError, KioskError, ValidationError

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PIN = "583920"
WRONG = "907153"
CARD = "0B001A2B3C"


def open_db(path: Path) -> sqlite3.Connection:
    """A connection set up as the centre's database is (WAL, autocommit, explicit BEGIN)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    operators.ensure_schema(conn)
    audit.ensure_schema(conn)
    return conn


@contextmanager
def tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = open_db(tmp_path / "centre.sqlite3")
    with tx(conn):
        operators.add_operator(conn, operator_id="op1", name="Sunita Verma", role="operator",
                               pin=PIN, card_id=CARD.lower(), finger_slot=7, now=T0)
    yield conn
    conn.close()


def login(conn: sqlite3.Connection, pin: str, at: datetime, **who: object) -> Operator:
    """Log in as a counter would: record the attempt and its audit entry, commit, then raise."""
    who = who or {"card_id": CARD}
    with tx(conn):
        attempt = operators.attempt_login(conn, pin=pin, counter="3", now=at,
                                          **who)  # type: ignore[arg-type]
        operators.audit_login(conn, attempt, at=at)
    return attempt.result()


def test_add_and_list_without_pin_hashes(db: sqlite3.Connection) -> None:
    with tx(db):
        operators.add_operator(db, operator_id="sup-1", name="R. K. Mishra", role=Role.SUPERVISOR,
                               pin="40719", now=T0)
    ops = operators.list_operators(db)
    assert [o.id for o in ops] == ["op1", "sup-1"]
    assert ops[0] == Operator("op1", "Sunita Verma", Role.OPERATOR, False, CARD, 7)
    assert ops[1].card_id is None and ops[1].finger_slot is None
    assert ops[0].to_json() == {"id": "op1", "name": "Sunita Verma", "role": "operator",
                                "disabled": False, "card": "XXXXXX2B3C", "finger_slot": 7}
    assert ops[1].to_json()["card"] is None
    stored = db.execute("SELECT pin_hash FROM operators WHERE id = 'op1'").fetchone()[0]
    assert stored.startswith("scrypt$") and PIN not in stored


@pytest.mark.parametrize("pin", ["0000", "1111", "1234", "4321", "7890", "12345678", "1212",
                                 "123123", "1122", "2468", "9876"])
def test_weak_pins_are_refused(db: sqlite3.Connection, pin: str) -> None:
    with pytest.raises(ValidationError) as err:
        operators.add_operator(db, operator_id="x", name="X", role="operator", pin=pin, now=T0)
    assert err.value.message == operators.MSG_WEAK_PIN
    assert err.value.user_message("hi") != err.value.user_message("en")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "१२३४५", " 5839"])
def test_malformed_pins_are_refused(db: sqlite3.Connection, pin: str) -> None:
    with pytest.raises(ValidationError) as err:
        operators.add_operator(db, operator_id="x", name="X", role="operator", pin=pin, now=T0)
    assert err.value.message == operators.MSG_BAD_PIN


def test_bad_and_duplicate_fields_are_refused_by_name(db: sqlite3.Connection) -> None:
    cases = [
        ({"operator_id": "op1"}, operators.MSG_DUPLICATE_ID),
        ({"card_id": CARD}, operators.MSG_DUPLICATE_CARD),
        ({"finger_slot": 7}, operators.MSG_DUPLICATE_SLOT),
        ({"card_id": "12345"}, operators.MSG_BAD_CARD),
        ({"finger_slot": -1}, operators.MSG_BAD_SLOT),
        ({"role": "admin"}, operators.MSG_BAD_ROLE),
        ({"name": "  "}, operators.MSG_BAD_NAME),
        ({"operator_id": "a b"}, operators.MSG_BAD_ID),
    ]
    for change, msg in cases:
        fields: dict[str, object] = {"operator_id": "op2", "name": "Amit", "role": "operator",
                                     "pin": "40719"}
        fields.update(change)
        with pytest.raises(ValidationError) as err:
            operators.add_operator(db, now=T0, **fields)  # type: ignore[arg-type]
        assert err.value.message == msg, change
    assert len(operators.list_operators(db)) == 1


def test_success_by_card_finger_and_id(db: sqlite3.Connection) -> None:
    assert login(db, PIN, T0).id == "op1"
    assert login(db, PIN, T0, finger_slot=7).role is Role.OPERATOR
    assert login(db, PIN, T0, operator_id="op1").name == "Sunita Verma"
    assert login(db, PIN, T0, card_id=CARD.lower()).id == "op1"
    with pytest.raises(ValidationError):
        operators.authenticate(db, pin=PIN, counter="3", now=T0)
    with pytest.raises(ValidationError):
        operators.authenticate(db, pin=PIN, operator_id="op1", card_id=CARD, counter="3", now=T0)


def test_wrong_pins_escalate_and_survive_reopening(tmp_path: Path, db: sqlite3.Connection) -> None:
    path = tmp_path / "centre.sqlite3"
    conn = db
    at = T0
    for rung, seconds in enumerate([*LOCKOUT_LADDER_S, LOCKOUT_LADDER_S[-1]], start=1):
        for i in range(1, LOCKOUT_ATTEMPTS):
            with pytest.raises(WrongPinError) as wrong:
                login(conn, WRONG, at)
            assert wrong.value.attempts_left == LOCKOUT_ATTEMPTS - i
        with pytest.raises(OperatorLockedError) as locked:
            login(conn, WRONG, at)
        assert locked.value.retry_after_s == seconds, rung
        # A restart (the counter PC rebooted) changes nothing: still locked, even for the right PIN.
        conn.close()
        conn = open_db(path)
        halfway = at + timedelta(seconds=seconds // 2)
        with pytest.raises(OperatorLockedError) as still:
            login(conn, PIN, halfway)
        assert still.value.retry_after_s == seconds - seconds // 2
        assert still.value.http_status == 423 and still.value.code == "operator_locked"
        at += timedelta(seconds=seconds)
    # After the lock ends the right PIN works, and the ladder starts again from one minute.
    assert login(conn, PIN, at).id == "op1"
    for _ in range(LOCKOUT_ATTEMPTS - 1):
        with pytest.raises(WrongPinError):
            login(conn, WRONG, at)
    with pytest.raises(OperatorLockedError) as again:
        login(conn, WRONG, at)
    assert again.value.retry_after_s == LOCKOUT_LADDER_S[0]
    outcomes = [r[0] for r in conn.execute(
        "SELECT json_extract(detail, '$.outcome') FROM audit_log ORDER BY id")]
    assert outcomes.count(Outcome.OK.value) == 1
    assert outcomes.count(Outcome.LOCKED.value) == len(LOCKOUT_LADDER_S) + 1
    assert outcomes.count(Outcome.WRONG_PIN.value) == (len(LOCKOUT_LADDER_S) + 2) * 5
    assert audit.verify(conn).ok
    conn.close()


def test_a_success_resets_the_count(db: sqlite3.Connection) -> None:
    for _ in range(LOCKOUT_ATTEMPTS - 1):
        with pytest.raises(WrongPinError):
            login(db, WRONG, T0)
    login(db, PIN, T0)
    with pytest.raises(WrongPinError) as wrong:
        login(db, WRONG, T0)
    assert wrong.value.attempts_left == LOCKOUT_ATTEMPTS - 1


def test_set_pin_lifts_a_lock(db: sqlite3.Connection) -> None:
    for _ in range(LOCKOUT_ATTEMPTS):
        with pytest.raises(AuthError):
            login(db, WRONG, T0)
    with tx(db):
        operators.set_pin(db, "op1", "40719", now=T0)
    assert login(db, "40719", T0).id == "op1"
    with pytest.raises(ValidationError):
        operators.set_pin(db, "op1", "1111", now=T0)
    with pytest.raises(ValidationError):
        operators.set_pin(db, "nobody", "40719", now=T0)


def test_unknown_card_and_operator(db: sqlite3.Connection, caplog: pytest.LogCaptureFixture
                                  ) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(UnknownOperatorError) as err:
        login(db, PIN, T0, card_id="0C99887766")
    assert err.value.http_status == 401 and err.value.code == "unknown_operator"
    assert "XXXXXX7766" in err.value.detail and "0C99887766" not in caplog.text
    assert err.value.user_message("hi") != err.value.user_message("en")
    with pytest.raises(UnknownOperatorError):
        login(db, PIN, T0, operator_id="ghost")
    with pytest.raises(UnknownOperatorError):
        login(db, PIN, T0, finger_slot=99)
    action, counter, row = db.execute(
        "SELECT action, counter, detail FROM audit_log ORDER BY id LIMIT 1").fetchone()
    assert (action, counter) == ("operator.login_refused", "3")
    assert '"card":"XXXXXX7766"' in row and '"outcome":"unknown"' in row


def test_disabled_operator_is_refused_even_with_the_right_pin(db: sqlite3.Connection) -> None:
    with tx(db):
        op = operators.disable_operator(db, "op1", now=T0)
    assert op.disabled
    with pytest.raises(OperatorDisabledError) as err:
        login(db, PIN, T0)
    assert err.value.http_status == 403 and isinstance(err.value, KioskError)
    with pytest.raises(ValidationError):
        operators.disable_operator(db, "nobody", now=T0)


def test_authenticate_raises_with_the_attempt_to_audit(db: sqlite3.Connection) -> None:
    with tx(db):
        try:
            operators.authenticate(db, pin=WRONG, operator_id="op1", counter=3, now=T0)
        except WrongPinError as exc:
            caught = exc
    assert caught.attempt is not None
    assert caught.attempt.audit_detail() == {"outcome": "wrong_pin", "method": "operator_id",
                                             "attempts_left": 4, "code": "wrong_pin"}
    with pytest.raises(WrongPinError) as wrong:
        login(db, WRONG, T0)
    assert wrong.value.attempts_left == 3  # the count caught inside the transaction was kept


def test_messages_in_both_languages_carry_the_numbers(db: sqlite3.Connection) -> None:
    with pytest.raises(WrongPinError) as wrong:
        login(db, WRONG, T0)
    for lang in ("hi", "en"):
        assert "4" in wrong.value.user_message(lang)
    assert wrong.value.user_message("hi") != wrong.value.user_message("en")
    locked = OperatorLockedError("x", retry_after_s=61)
    assert "2 minutes" in locked.user_message("en") and "2" in locked.user_message("hi")
    assert "1 minute." in OperatorLockedError("x", retry_after_s=60).user_message("en")


def test_no_pin_in_the_database_wal_or_log(tmp_path: Path, db: sqlite3.Connection,
                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for pin in (WRONG, PIN, "1234", WRONG):
        try:
            login(db, pin, T0)
        except AuthError:
            pass
    with tx(db):
        operators.set_pin(db, "op1", "40719", now=T0)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("centre.sqlite3")]
    assert any(p.name.endswith("-wal") and p.stat().st_size > 0 for p in files)
    for p in files:
        data = p.read_bytes()
        for pin in (PIN, WRONG, "40719"):
            assert pin.encode() not in data, (p.name, pin)
    for pin in (PIN, WRONG, "40719", CARD):
        assert pin not in caplog.text


def test_a_precheck_keeps_hashing_out_of_the_transaction(db: sqlite3.Connection,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = operators.verify_pin

    def counting(pin: str, stored: str) -> bool:
        calls.append("in" if db.in_transaction else "out")
        return real(pin, stored)

    monkeypatch.setattr(operators, "verify_pin", counting)
    good = operators.precheck_pin(db, pin=PIN, card_id=CARD)
    bad = operators.precheck_pin(db, pin=WRONG, operator_id="op1")
    assert operators.precheck_pin(db, pin=PIN, card_id="0C99887766").pin_hash is None
    assert calls == ["out", "out"] and good.matches and not bad.matches
    with pytest.raises(WrongPinError):
        login_with(db, WRONG, precheck=bad)
    assert login_with(db, PIN, precheck=good).id == "op1"
    assert calls == ["out", "out"]  # nothing hashed under the write lock
    # The PIN changed between the check and the log-in: the old check is not trusted.
    with tx(db):
        operators.set_pin(db, "op1", "40719", now=T0)
    with pytest.raises(WrongPinError):
        login_with(db, PIN, precheck=good)
    assert calls[-1] == "in"


def login_with(conn: sqlite3.Connection, pin: str,
               precheck: operators.PinCheck) -> Operator:
    with tx(conn):
        try:
            return operators.authenticate(conn, pin=pin, card_id=CARD, counter="1", now=T0,
                                          precheck=precheck)
        except AuthError as exc:
            operators.audit_login(conn, exc.attempt, at=T0)
            caught = exc
    raise caught
