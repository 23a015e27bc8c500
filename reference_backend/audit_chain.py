"""The state's copy of every centre's and kiosk's audit trail (outbox kind ``audit.entry``).

Why the backend keeps the chain and checks it: a hash chain on the centre's own disk shows an
edited or deleted row, but not a trail rewritten from some entry on (every hash recomputed) or
cut off at the end. The state holds the entries it already received; when the next entry
arrives its ``prev_hash`` must equal the ``hash`` of the entry before it *as the state holds
it*. After a local rewrite it does not, and the state flags the break — it never refuses the
entry (refusing would park it at the centre and hide exactly the evidence that matters).

One chain per caller (the enrolled kiosk id the centre or kiosk forwards as) and ``source``
(``centre`` or ``kiosk``). An entry is also checked on its own (its ``hash`` recomputed from its
content, the rule in ``backend_client/openapi.yaml`` ``AuditEntry``), and against the entry
after it when entries arrive out of order. Deliberately independent of ``kiosk/``: this is the
contract's rule written again, as the state would.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_entries (
    kiosk_id TEXT NOT NULL, source TEXT NOT NULL, id INTEGER NOT NULL, centre TEXT NOT NULL,
    device TEXT, at TEXT NOT NULL, action TEXT NOT NULL, operator_id TEXT, counter TEXT,
    detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
    received_at TEXT NOT NULL, break_reason TEXT,
    PRIMARY KEY (kiosk_id, source, id));
CREATE INDEX IF NOT EXISTS audit_entries_breaks ON audit_entries (kiosk_id, source)
    WHERE break_reason IS NOT NULL;
"""


def entry_hash(p: dict[str, Any]) -> str:
    """``SHA-256(prev_hash ‖ canonical {action, at, counter, detail, id, operator_id})``."""
    body = {k: p[k] for k in ("action", "at", "counter", "detail", "id", "operator_id")}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return hashlib.sha256(str(p["prev_hash"]).encode("ascii") + text.encode("utf-8")).hexdigest()


def _break_reason(conn: Any, kiosk_id: str, p: dict[str, Any]) -> str | None:
    """Why ``p`` does not continue the chain held for its caller and source (None: it does)."""
    source, n = p["source"], int(p["id"])
    try:
        if entry_hash(p) != p["hash"]:
            return f"entry {n} does not match its own hash"
    except (TypeError, ValueError):
        return f"entry {n} cannot be hashed"
    if n == 1 and p["prev_hash"] != GENESIS_HASH:
        return "entry 1 does not start the chain"
    before = conn.execute("SELECT hash FROM audit_entries WHERE kiosk_id = ? AND source = ? "
                          "AND id = ?", (kiosk_id, source, n - 1)).fetchone()
    if before is not None and before[0] != p["prev_hash"]:
        return f"entry {n} does not continue entry {n - 1} as the state received it"
    after = conn.execute("SELECT prev_hash FROM audit_entries WHERE kiosk_id = ? AND source = ? "
                         "AND id = ?", (kiosk_id, source, n + 1)).fetchone()
    if after is not None and after[0] != p["hash"]:
        return f"entry {n + 1} as the state received it does not continue entry {n}"
    return None


def store_entry(conn: Any, kiosk_id: str, centre: str, p: dict[str, Any],
                now: str) -> dict[str, Any]:
    """Keep one forwarded entry; returns ``{"id", "chain", "reason"}`` (the item's result).

    The same id arriving again with other content (a rewritten trail resent under a new
    idempotency key) is kept as evidence by flagging the stored entry, not overwritten.
    """
    source, n = str(p["source"]), int(p["id"])
    held = conn.execute("SELECT hash FROM audit_entries WHERE kiosk_id = ? AND source = ? "
                        "AND id = ?", (kiosk_id, source, n)).fetchone()
    if held is not None:
        if held[0] == p["hash"]:
            return {"id": n, "chain": "ok", "reason": None}
        resent = f"entry {n} was sent again with different content"
        conn.execute("UPDATE audit_entries SET break_reason = COALESCE(break_reason, ?) "
                     "WHERE kiosk_id = ? AND source = ? AND id = ?", (resent, kiosk_id, source, n))
        return {"id": n, "chain": "broken", "reason": resent}
    reason = _break_reason(conn, kiosk_id, p)
    added = conn.execute(
        "INSERT INTO audit_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING RETURNING id",
        (kiosk_id, source, n, centre, p.get("device"), p["at"], p["action"], p["operator_id"],
         p["counter"], json.dumps(p["detail"], sort_keys=True, ensure_ascii=False),
         p["prev_hash"], p["hash"], now, reason)).fetchone()
    if added is None:  # the same entry arrived concurrently (PostgreSQL): judge it as held
        return store_entry(conn, kiosk_id, centre, p, now)
    return {"id": n, "chain": "broken" if reason else "ok", "reason": reason}


def chain(conn: Any, kiosk_id: str, source: str) -> list[dict[str, Any]]:
    """The entries held for one trail, in id order (tests, an auditor's look)."""
    rows = conn.execute("SELECT id, at, action, operator_id, counter, detail, prev_hash, hash, "
                        "device, break_reason FROM audit_entries WHERE kiosk_id = ? AND "
                        "source = ? ORDER BY id", (kiosk_id, source)).fetchall()
    return [{"id": r[0], "at": r[1], "action": r[2], "operator_id": r[3], "counter": r[4],
             "detail": json.loads(r[5]), "prev_hash": r[6], "hash": r[7], "device": r[8],
             "break_reason": r[9]} for r in rows]


def breaks(conn: Any, centre: str | None = None) -> list[dict[str, Any]]:
    """Every flagged entry (optionally of one centre): where a trail stopped matching."""
    sql = ("SELECT kiosk_id, source, id, break_reason FROM audit_entries "
           "WHERE break_reason IS NOT NULL")
    args: tuple[Any, ...] = ()
    if centre is not None:
        sql += " AND centre = ?"
        args = (centre,)
    return [{"kiosk_id": r[0], "source": r[1], "id": r[2], "reason": r[3]}
            for r in conn.execute(sql + " ORDER BY kiosk_id, source, id", args)]
