"""TEMPORARY stand-in for kiosk.centre.operators / kiosk.centre.audit (branch centre-ops).

Only the agreed interface, just enough for the centre service to run; deleted when the real
modules are merged (see kiosk/centre/_ops.py).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.errors import KioskError


class LoginError(KioskError):
    default_message = "Wrong operator or PIN. Please try again."


@dataclass(frozen=True)
class Operator:
    id: str
    name: str
    role: str
    disabled: bool
    card_id: str | None
    finger_slot: int | None


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_bad_id: int | None


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS standin_operators (id TEXT PRIMARY KEY, name TEXT, "
                 "role TEXT, pin TEXT, disabled INTEGER DEFAULT 0, card_id TEXT, "
                 "finger_slot INTEGER)")
    conn.execute("CREATE TABLE IF NOT EXISTS standin_audit (id INTEGER PRIMARY KEY "
                 "AUTOINCREMENT, action TEXT, operator_id TEXT, counter TEXT, detail TEXT, "
                 "at TEXT)")


def add_operator(conn: sqlite3.Connection, *, operator_id: str, name: str, role: str, pin: str,
                 card_id: str | None = None, finger_slot: int | None = None) -> Operator:
    ensure_schema(conn)
    conn.execute("INSERT INTO standin_operators (id, name, role, pin, card_id, finger_slot) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (operator_id, name, role, hashlib.sha256(pin.encode()).hexdigest(), card_id,
                  finger_slot))
    return Operator(operator_id, name, role, False, card_id, finger_slot)


def authenticate(conn: sqlite3.Connection, *, pin: str, operator_id: str | None = None,
                 card_id: str | None = None, finger_slot: int | None = None, counter: str,
                 now: datetime) -> Operator:
    if operator_id is not None:
        row = conn.execute("SELECT * FROM standin_operators WHERE id = ?",
                           (operator_id,)).fetchone()
    elif card_id is not None:
        row = conn.execute("SELECT * FROM standin_operators WHERE card_id = ?",
                           (card_id,)).fetchone()
    else:
        row = conn.execute("SELECT * FROM standin_operators WHERE finger_slot = ?",
                           (finger_slot,)).fetchone()
    if row is None or row["pin"] != hashlib.sha256(pin.encode()).hexdigest():
        raise LoginError("unknown operator or wrong PIN")
    if row["disabled"]:
        raise LoginError("operator disabled", message="This operator is disabled.")
    return Operator(row["id"], row["name"], row["role"], False, row["card_id"],
                    row["finger_slot"])


def append(conn: sqlite3.Connection, *, action: str, operator_id: str | None,
           counter: str | None, detail: dict[str, Any], at: datetime) -> int:
    cur = conn.execute("INSERT INTO standin_audit (action, operator_id, counter, detail, at) "
                       "VALUES (?, ?, ?, ?, ?)", (action, operator_id, counter,
                                                  json.dumps(detail), at.isoformat()))
    return int(cur.lastrowid or 0)


def verify(conn: sqlite3.Connection) -> AuditCheck:
    n = int(conn.execute("SELECT COUNT(*) FROM standin_audit").fetchone()[0])
    return AuditCheck(True, n, None)
