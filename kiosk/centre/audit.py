"""The centre's audit trail: append-only, each entry chained to the one before by SHA-256.

Why a hash chain and not just a table: whoever can open the SQLite file can edit a row. Each
entry stores ``prev_hash`` (the previous entry's ``hash``; 64 zeros for the first) and

    hash = SHA-256( prev_hash as 64 ASCII hex characters ‖ canonical entry )

where the canonical entry is the JSON object ``{"action", "at", "counter", "detail", "id",
"operator_id"}`` with sorted keys, no spaces, UTF-8 (``ensure_ascii=False``) and no floats.
The entry's ``id`` is inside the hash, so moving content between rows breaks the chain too.
:func:`verify` recomputes every link and names the first entry that does not hold: an edited
entry, the entry after one deleted from the middle, a reordered entry. Triggers refuse UPDATE
and DELETE as a first wall; the chain still catches a rewrite made with the triggers dropped.

What a local chain cannot show: the newest entries cut off the end, or the whole chain rewritten
from some entry on. That is why the centre forwards entries to the state through the outbox
(CENTRE.md): a local rewrite then disagrees with the state's copy.

**No personal data in ``detail``.** Operator ids, counters, token numbers, masked card ids,
codes and counts only — never a citizen's or an operator's name, a mobile number, an Aadhaar
number (not even masked), a PIN or PIN hash, a full card id. :func:`append` refuses the
obvious keys (:data:`FORBIDDEN_KEYS`) at any depth; the rest is the caller's duty.

Like :mod:`kiosk.centre.operators`, every function takes a plain connection and never begins or
commits: :func:`append` belongs inside the caller's ``BEGIN IMMEDIATE`` with the action it
records, which is also what keeps two writers from chaining onto the same ``prev_hash``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64

#: Keys that would put personal data or secrets into the trail; refused at any depth.
FORBIDDEN_KEYS = frozenset({
    "pin", "pin_hash", "password", "name", "name_hi", "name_en", "operator_name",
    "applicant_name", "mobile", "phone", "aadhaar", "aadhaar_number", "aadhaar_last4",
    "card_id", "address", "email", "dob", "fingerprint",
})

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS audit_log (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        action      TEXT NOT NULL,
        operator_id TEXT,
        counter     TEXT,
        detail      TEXT NOT NULL,
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
    """,
)


@dataclass(frozen=True)
class AuditCheck:
    """What :func:`verify` found: ``first_bad_id`` is None when the whole chain holds."""

    ok: bool
    entries: int
    first_bad_id: int | None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "first_bad_id": self.first_bad_id,
                "reason": self.reason}


@dataclass(frozen=True)
class AuditEntry:
    """One stored entry (for forwarding to the state, or for showing to a supervisor)."""

    id: int
    at: str
    action: str
    operator_id: str | None
    counter: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "action": self.action,
                "operator_id": self.operator_id, "counter": self.counter,
                "detail": self.detail, "prev_hash": self.prev_hash, "hash": self.hash}


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the table and its append-only triggers (safe inside an open transaction)."""
    for statement in _SCHEMA:
        conn.execute(statement)


def _check_value(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"audit detail key {path}.{key!r} is not a string")
            if key.lower() in FORBIDDEN_KEYS:
                raise ValueError(f"audit detail must not carry {path}.{key} (personal data)")
            _check_value(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_value(item, f"{path}[{i}]")
    elif isinstance(value, float):
        raise ValueError(f"audit detail {path} is a float; use integers (paise, seconds, ms)")
    elif value is not None and not isinstance(value, str | int):
        raise ValueError(f"audit detail {path} is a {type(value).__name__}, not JSON")


def canonical(entry: dict[str, Any]) -> bytes:
    """The canonical encoding: sorted keys, no spaces, UTF-8, no floats, no NaN."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """``SHA-256(prev_hash ‖ canonical(entry))`` as 64 lower-case hex digits."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(entry)).hexdigest()


def _entry(entry_id: int, at: str, action: str, operator_id: str | None, counter: str | None,
           detail: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry_id, "at": at, "action": action, "operator_id": operator_id,
            "counter": counter, "detail": detail}


def append(conn: sqlite3.Connection, *, action: str, operator_id: str | None,
           counter: str | int | None, detail: dict[str, Any], at: datetime) -> int:
    """Append one entry chained to the newest; returns its id. Call inside the caller's
    write transaction (``BEGIN IMMEDIATE``), so the entry commits with the action it records.

    ``detail`` must hold no personal data (see the module docstring); a forbidden key, a float
    or a non-JSON value raises :class:`ValueError` — a programming error, not bad input.
    """
    if not action or not isinstance(action, str):
        raise ValueError("an audit entry needs an action")
    if at.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    if not isinstance(detail, dict):
        raise ValueError("audit detail must be a dict")
    _check_value(detail, "detail")
    last = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    entry_id, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)
    counter_text = None if counter is None else str(counter)
    # Round-trip through JSON so tuples become lists exactly as verify() will read them back.
    detail = json.loads(canonical(detail))
    stamp = at.isoformat()
    digest = entry_hash(prev, _entry(entry_id, stamp, action, operator_id, counter_text, detail))
    conn.execute(
        "INSERT INTO audit_log (id, at, action, operator_id, counter, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (entry_id, stamp, action, operator_id, counter_text, canonical(detail).decode("utf-8"),
         prev, digest))
    return entry_id


def _rows(conn: sqlite3.Connection, after_id: int = 0,
          limit: int | None = None) -> Iterator[tuple[Any, ...]]:
    sql = ("SELECT id, at, action, operator_id, counter, detail, prev_hash, hash "
           "FROM audit_log WHERE id > ? ORDER BY id")
    params: tuple[Any, ...] = (after_id,)
    if limit is not None:
        sql += " LIMIT ?"
        params += (limit,)
    for row in conn.execute(sql, params):
        yield tuple(row)


def entries(conn: sqlite3.Connection, *, after_id: int = 0,
            limit: int = 500) -> list[AuditEntry]:
    """Stored entries after ``after_id``, oldest first (for the outbox or a supervisor)."""
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7])
            for r in _rows(conn, after_id, limit)]


def verify(conn: sqlite3.Connection) -> AuditCheck:
    """Walk the chain from the first entry; name the first one whose link or hash is wrong.

    ``entries`` is how many entries the table holds, whether or not the chain holds.
    """
    count = int(conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])
    expected_prev, expected_id = GENESIS_HASH, 1
    for entry_id, at, action, operator_id, counter, detail_text, prev, digest in _rows(conn):
        if entry_id != expected_id:
            return AuditCheck(False, count, entry_id,
                              f"entry {entry_id} follows {expected_id - 1}: entries are missing")
        if prev != expected_prev:
            return AuditCheck(False, count, entry_id,
                              f"entry {entry_id} does not point at the entry before it")
        try:
            detail = json.loads(detail_text)
            entry = _entry(entry_id, at, action, operator_id, counter, detail)
            computed = entry_hash(prev, entry)
            well_formed = isinstance(detail, dict) and canonical(detail).decode() == detail_text
        except (ValueError, TypeError, AttributeError):
            computed, well_formed = "", False
        if not well_formed or computed != digest:
            return AuditCheck(False, count, entry_id,
                              f"entry {entry_id} does not match its hash (edited)")
        expected_prev, expected_id = digest, entry_id + 1
    return AuditCheck(True, count, None)
