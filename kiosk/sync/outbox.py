"""The outbox: records waiting to reach the central backend, and their delivery states.

A record and its outbox entry are written in the *same* SQLite transaction by whoever makes the
record (``kiosk/queue.py`` for tokens; :func:`enqueue` for everyone else), so a record that
exists locally is always either delivered or still queued — never silently forgotten.

States (the ack-queue pattern)::

    pending ──claim──▶ inflight ──2xx / duplicate──▶ done
       ▲                 │  │
       └──retryable──────┘  └──permanent (4xx, 401)──▶ parked ──requeue──▶ pending

``inflight`` only lives while a request is on the wire; a kiosk that dies there finds the entry
``inflight`` at the next start and puts it back to ``pending`` (:func:`recover_inflight`). The
resend carries the same idempotency key, so the backend answers "duplicate" if it had already
committed the first one. Entries of one record are delivered strictly in ``id`` order: an entry
whose record has an earlier entry parked waits ("blocked") rather than overtaking it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.store import Store

PENDING, INFLIGHT, DONE, PARKED = "pending", "inflight", "done", "parked"

#: Why an entry was parked; ``auth`` entries go back to pending by themselves once the kiosk's
#: credential works again, the others need a person (``requeue``) after the cause is fixed.
PARK_AUTH, PARK_REJECTED, PARK_EXHAUSTED, PARK_UNKNOWN_KIND = (
    "auth", "rejected", "exhausted", "unknown-kind")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    idempotency_key: str
    kind: str
    record_id: str
    payload: dict[str, Any]
    attempts: int
    created_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> OutboxEntry:
        return cls(int(row["id"]), str(row["idempotency_key"]), str(row["kind"]),
                   str(row["record_id"]), json.loads(row["payload"]), int(row["attempts"]),
                   str(row["created_at"]))


@dataclass(frozen=True)
class ParkedEntry:
    """A record that will not be sent again by itself, and why (shown to a technician)."""

    id: int
    kind: str
    record_id: str
    code: str
    reason: str
    attempts: int
    parked_at: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "record_id": self.record_id,
                "code": self.code, "reason": self.reason, "attempts": self.attempts,
                "parked_at": self.parked_at}


def enqueue(conn: sqlite3.Connection, kind: str, record_id: str, payload: dict[str, Any],
            *, key: str | None = None, now: str | None = None) -> str:
    """Add an entry inside the caller's transaction (``with store.transaction() as conn``).

    The key defaults to ``<kind>:<record_id>``: one event of a kind per record, so enqueueing
    the same fact twice is refused by the UNIQUE index rather than delivered twice. Pass an
    explicit key for kinds that may legitimately repeat (e.g. a token recalled twice).
    """
    if not conn.in_transaction:
        raise RuntimeError("enqueue() must run inside the transaction that writes the record")
    key = key or f"{kind}:{record_id}"
    stamp = now or utc_now()
    conn.execute("INSERT INTO outbox (idempotency_key, kind, record_id, payload, created_at, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                 (key, kind, record_id, json.dumps(payload, ensure_ascii=False), stamp, stamp))
    return key


def recover_inflight(store: Store) -> int:
    """After a crash: whatever was on the wire goes back to pending (the key makes it safe).

    The attempt :func:`claim` counted is given back: a crash is not the backend's verdict.
    """
    with store.transaction() as conn:
        cur = conn.execute("UPDATE outbox SET state = ?, attempts = MAX(attempts - 1, 0), "
                           "updated_at = ? WHERE state = ?", (PENDING, utc_now(), INFLIGHT))
        return cur.rowcount


def claim(store: Store, limit: int) -> list[OutboxEntry]:
    """Take up to ``limit`` pending entries, oldest first, keeping each record's order.

    An entry is skipped when its record already has an entry parked or in flight — sending it
    would let a later event (``served``) overtake an earlier one (``issued``).
    """
    with store.transaction() as conn:
        blocked = {str(r[0]) for r in conn.execute(
            "SELECT DISTINCT record_id FROM outbox WHERE state IN (?, ?)", (PARKED, INFLIGHT))}
        taken: list[OutboxEntry] = []
        for row in conn.execute("SELECT * FROM outbox WHERE state = ? ORDER BY id", (PENDING,)):
            if row["record_id"] in blocked:
                continue
            taken.append(OutboxEntry.from_row(row))
            if len(taken) >= limit:
                break
        now = utc_now()
        conn.executemany("UPDATE outbox SET state = ?, attempts = attempts + 1, updated_at = ? "
                         "WHERE id = ?", [(INFLIGHT, now, e.id) for e in taken])
        return taken


def mark_done(store: Store, ids: Iterable[int]) -> None:
    now = utc_now()
    with store.transaction() as conn:
        conn.executemany("UPDATE outbox SET state = ?, delivered_at = ?, updated_at = ?, "
                         "last_error = NULL, park_code = NULL WHERE id = ?",
                         [(DONE, now, now, i) for i in ids])


def release(store: Store, ids: Iterable[int], error: str, *, counted: bool = True) -> None:
    """Back to pending after a retryable failure (the error is kept for the status screen).

    ``counted=False`` gives back the attempt :func:`claim` counted: the failure said nothing
    about *this entry* (no answer at all, a timeout, a 503, a garbled answer), so an outage of
    any length never brings an entry closer to being parked as exhausted.
    """
    now = utc_now()
    refund = 0 if counted else 1
    with store.transaction() as conn:
        conn.executemany("UPDATE outbox SET state = ?, last_error = ?, updated_at = ?, "
                         "attempts = MAX(attempts - ?, 0) WHERE id = ? AND state = ?",
                         [(PENDING, error[:500], now, refund, i, INFLIGHT) for i in ids])


def park(store: Store, ids: Iterable[int], code: str, reason: str) -> None:
    now = utc_now()
    with store.transaction() as conn:
        conn.executemany("UPDATE outbox SET state = ?, park_code = ?, last_error = ?, "
                         "updated_at = ? WHERE id = ?",
                         [(PARKED, code, reason[:500], now, i) for i in ids])


def requeue(store: Store, *, code: str | None = None, ids: Iterable[int] | None = None) -> int:
    """Parked → pending (all, one park code, or chosen ids). Returns how many moved."""
    now = utc_now()
    with store.transaction() as conn:
        if ids is not None:
            return sum(conn.execute("UPDATE outbox SET state = ?, updated_at = ? WHERE id = ? "
                                    "AND state = ?", (PENDING, now, i, PARKED)).rowcount
                       for i in ids)
        sql = "UPDATE outbox SET state = ?, updated_at = ? WHERE state = ?"
        args: tuple[Any, ...] = (PENDING, now, PARKED)
        if code is not None:
            sql += " AND park_code = ?"
            args += (code,)
        return conn.execute(sql, args).rowcount


def depth_by_kind(conn: sqlite3.Connection) -> dict[str, int]:
    """Entries not yet delivered nor parked, by kind (what the indicator calls "waiting")."""
    return {str(r[0]): int(r[1]) for r in conn.execute(
        "SELECT kind, COUNT(*) FROM outbox WHERE state IN (?, ?) GROUP BY kind ORDER BY kind",
        (PENDING, INFLIGHT))}


def parked_entries(conn: sqlite3.Connection, limit: int = 200) -> list[ParkedEntry]:
    return [ParkedEntry(int(r["id"]), str(r["kind"]), str(r["record_id"]),
                        str(r["park_code"] or ""), str(r["last_error"] or ""),
                        int(r["attempts"]), str(r["updated_at"] or r["created_at"]))
            for r in conn.execute("SELECT * FROM outbox WHERE state = ? ORDER BY id LIMIT ?",
                                  (PARKED, limit))]


def count_state(conn: sqlite3.Connection, state: str) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE state = ?",
                            (state,)).fetchone()[0])


def count_blocked(conn: sqlite3.Connection) -> int:
    """Pending entries held back behind a parked entry of the same record."""
    return int(conn.execute(
        "SELECT COUNT(*) FROM outbox o WHERE o.state = ? AND EXISTS (SELECT 1 FROM outbox p "
        "WHERE p.record_id = o.record_id AND p.state = ? AND p.id < o.id)",
        (PENDING, PARKED)).fetchone()[0])


def wire_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The contract's shape for an entry's payload.

    Token entries are stored as the queue writes them (``issued_at``); the contract's token
    event carries the moment as ``at`` and no other extras, so map here, in one place.
    """
    if kind.startswith("token."):
        out = {k: payload[k] for k in ("token_id", "number", "group", "priority", "centre",
                                       "counter") if payload.get(k) is not None}
        out["at"] = payload.get("at") or payload.get("issued_at")
        return out
    return payload
