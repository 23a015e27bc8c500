"""A supervisor's approval at a counter: only a supervisor, never their own action, a wrong PIN
counts towards the lock-out, and every attempt is in the audit trail."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.centre import audit, operators, supervisor
from kiosk.centre.errors import ForbiddenError, UnauthorizedError

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SUP_PIN = "583920"
OP_PIN = "620417"


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    operators.ensure_schema(c)
    audit.ensure_schema(c)
    c.execute("BEGIN IMMEDIATE")
    operators.add_operator(c, operator_id="sup1", name="Sunita", role="supervisor",
                           pin=SUP_PIN, card_id="0B001A2B3C", now=T0)
    operators.add_operator(c, operator_id="op1", name="Ramesh", role="operator",
                           pin=OP_PIN, now=T0)
    c.execute("COMMIT")
    yield c
    c.close()


def approve(conn: sqlite3.Connection, **kw: object) -> supervisor.Approval:
    conn.execute("BEGIN IMMEDIATE")
    try:
        return supervisor.approve(conn, counter="3", action="cash.void", now=T0, **kw)  # type: ignore[arg-type]
    finally:
        conn.execute("COMMIT")


def test_a_supervisor_by_id_or_card_approves_and_it_is_audited(conn: sqlite3.Connection) -> None:
    assert approve(conn, operator_id="sup1", pin=SUP_PIN, requested_by="op1").result().id == "sup1"
    assert approve(conn, card_id="0b001a2b3c", pin=SUP_PIN).result().id == "sup1"
    rows = list(audit.entries(conn))
    assert [r.action for r in rows] == ["supervisor.approved", "supervisor.approved"]
    assert rows[0].detail["for"] == "cash.void" and rows[0].counter == "3"
    assert audit.verify(conn).ok


def test_an_operator_cannot_approve(conn: sqlite3.Connection) -> None:
    result = approve(conn, operator_id="op1", pin=OP_PIN)
    with pytest.raises(ForbiddenError) as err:
        result.result()
    assert "पर्यवेक्षक" in err.value.user_message("hi")
    assert "supervisor" in err.value.user_message("en")
    assert list(audit.entries(conn))[-1].action == "supervisor.refused"


def test_a_supervisor_cannot_approve_their_own_action(conn: sqlite3.Connection) -> None:
    with pytest.raises(ForbiddenError):
        approve(conn, operator_id="sup1", pin=SUP_PIN, requested_by="sup1").result()


def test_a_wrong_pin_is_refused_and_counts(conn: sqlite3.Connection) -> None:
    with pytest.raises(UnauthorizedError):
        approve(conn, operator_id="sup1", pin="111000").result()
    failed = conn.execute("SELECT failed_attempts FROM operators WHERE id = 'sup1'").fetchone()[0]
    assert failed == 1
    assert SUP_PIN not in str([e.to_json() for e in audit.entries(conn)])
