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
from some entry on. That is why every entry is also forwarded to the state through the outbox
(CENTRE.md): :func:`append` itself enqueues an ``audit.entry`` (the whole entry with its
``prev_hash`` and ``hash``, and the source: the centre or a kiosk) in the same transaction, when
the database has an outbox. The state keeps one chain per source and flags an entry whose
``prev_hash`` does not continue the chain it already holds — so a local rewrite shows upstream as
soon as the next entry arrives. Doing it in :func:`append` rather than in a wrapper means no
caller can forget it; a bare connection without an ``outbox`` table (unit tests, a scratch
database) simply records locally.

The same functions serve the kiosk's own trail of technician actions
(:mod:`kiosk.tech_audit`): :func:`ensure_schema` with ``source="kiosk"`` on the kiosk's store.

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
import json.encoder
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

GENESIS_HASH = "0" * 64

#: The outbox kind that carries an entry to the state backend (backend_client BATCH_KINDS).
FORWARD_KIND = "audit.entry"
#: Which trail a database holds: the centre service's or one kiosk's technician trail.
SOURCES = ("centre", "kiosk")
#: ``kiosk audit show`` reads days in the centre's own time.
IST = ZoneInfo("Asia/Kolkata")

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
    CREATE TABLE IF NOT EXISTS audit_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)
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


def ensure_schema(conn: sqlite3.Connection, *, source: str = "centre",
                  device: str | None = None) -> None:
    """Create the table, its append-only triggers and the trail's settings (safe inside an
    open transaction). ``source`` (``centre`` or ``kiosk``) is fixed by the first call;
    ``device`` (the kiosk's or the centre's id at the state) is updated when given."""
    if source not in SOURCES:
        raise ValueError(f"unknown audit source {source!r}")
    for statement in _SCHEMA:
        conn.execute(statement)
    conn.execute("INSERT OR IGNORE INTO audit_settings VALUES ('source', ?)", (source,))
    if device:
        conn.execute("INSERT OR REPLACE INTO audit_settings VALUES ('device', ?)", (device,))


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
    _forward(conn, AuditEntry(entry_id, stamp, action, operator_id, counter_text, detail, prev,
                              digest))
    return entry_id


_FORWARD_SQL = (
    "SELECT (SELECT value FROM audit_settings WHERE key = 'source'), "
    "(SELECT value FROM audit_settings WHERE key = 'device'), "
    "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox')")


def forward_payload(entry: AuditEntry, source: str, device: str | None) -> dict[str, Any]:
    """The ``audit.entry`` outbox payload: the entry as stored, and whose trail it is."""
    return {**entry.to_json(), "source": source, "device": device}


def _forward(conn: sqlite3.Connection, entry: AuditEntry) -> None:
    """Enqueue ``entry`` for the state in the caller's transaction, if there is an outbox.

    One record id per trail (``audit-centre``/``audit-kiosk``) on purpose: the outbox delivers
    one record's entries strictly in order and holds the later ones back while an earlier one
    is parked, so the state always receives the chain in order.
    """
    source, device, has_outbox = conn.execute(_FORWARD_SQL).fetchone()
    if not has_outbox:
        return
    from kiosk.sync import outbox

    source = str(source or "centre")
    outbox.enqueue(conn, FORWARD_KIND, f"audit-{source}",
                   forward_payload(entry, source, device),
                   key=f"{FORWARD_KIND}:{source}:{entry.id}")


def backfill(conn: sqlite3.Connection) -> int:
    """Enqueue every entry that has no ``audit.entry`` in the outbox yet; returns how many.

    For entries appended while the database had no outbox: operators added with ``kiosk
    operator add`` before the centre service first ran, or a trail older than forwarding.
    Cheap when nothing is missing (two counts on indexes); call it in a transaction at start.
    The state accepts them out of order: it checks each entry against both neighbours.
    """
    source, device, has_outbox = conn.execute(_FORWARD_SQL).fetchone()
    if not has_outbox:
        return 0
    source = str(source or "centre")
    record = f"audit-{source}"
    queued = int(conn.execute("SELECT COUNT(*) FROM outbox WHERE record_id = ?",
                              (record,)).fetchone()[0])
    if queued >= int(conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]):
        return 0
    prefix = f"{FORWARD_KIND}:{source}:"
    missing = [int(r[0]) for r in conn.execute(
        "SELECT id FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE "
        "o.idempotency_key = ? || a.id) ORDER BY id", (prefix,))]
    from kiosk.sync import outbox

    for entry_id in missing:
        (entry,) = entries(conn, after_id=entry_id - 1, limit=1)
        outbox.enqueue(conn, FORWARD_KIND, record, forward_payload(entry, source, device),
                       key=f"{prefix}{entry.id}")
    return len(missing)


def trail_source(conn: sqlite3.Connection) -> str:
    """``centre`` or ``kiosk``: whose trail this database holds."""
    row = conn.execute("SELECT value FROM audit_settings WHERE key = 'source'").fetchone()
    return str(row[0]) if row else "centre"


def matching(conn: sqlite3.Connection, *, operator_id: str | None = None,
           day: str | None = None, action: str | None = None,
           tz: ZoneInfo = IST) -> list[AuditEntry]:
    """Entries matching every filter given, oldest first (``kiosk audit show``).

    ``day`` (YYYY-MM-DD) is a calendar day in ``tz`` (IST): an entry stamped 23:00 UTC belongs
    to the next Indian day. ``action`` matches exactly, or a whole prefix when it ends with
    ``.`` or ``*`` (``cash.`` → every cash action).
    """
    sql = ("SELECT id, at, action, operator_id, counter, detail, prev_hash, hash "
           "FROM audit_log WHERE 1 = 1")
    params: list[Any] = []
    if operator_id is not None:
        sql += " AND operator_id = ?"
        params.append(operator_id)
    if action:
        if action.endswith(("*", ".")):
            prefix = action.rstrip("*")
            sql += " AND substr(action, 1, ?) = ?"
            params += [len(prefix), prefix]
        else:
            sql += " AND action = ?"
            params.append(action)
    found: list[AuditEntry] = []
    for r in conn.execute(sql + " ORDER BY id", params):
        if day is not None:
            try:
                local = datetime.fromisoformat(r[1]).astimezone(tz).date().isoformat()
            except ValueError:
                local = ""
            if local != day:
                continue
        try:
            detail = json.loads(r[5])
        except ValueError:
            detail = {"unreadable": str(r[5])[:80]}
        found.append(AuditEntry(r[0], r[1], r[2], r[3], r[4], detail, r[6], r[7]))
    return found


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


_quote = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes for a str


def _json_text(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def _row_hash(prev: str, entry_id: int, at: str, action: str, operator_id: str | None,
              counter: str | None, detail_text: str) -> str:
    """:func:`entry_hash` of a stored row, without parsing ``detail`` back.

    The canonical entry is assembled as text around the stored ``detail`` exactly as
    :func:`canonical` writes it (keys sorted: action, at, counter, detail, id, operator_id).
    If the hash matches, the stored bytes are the bytes that were hashed — so a detail that
    is not canonical JSON (re-spaced, reordered, not JSON at all) fails here, as it must;
    skipping the parse and re-encode makes ``verify`` several times faster.
    """
    if not isinstance(entry_id, int) or isinstance(entry_id, bool) or not isinstance(
            detail_text, str) or not detail_text.startswith("{"):
        raise TypeError("not a stored entry")
    text = (f'{{"action":{_json_text(action)},"at":{_json_text(at)},'
            f'"counter":{_json_text(counter)},"detail":{detail_text},"id":{entry_id},'
            f'"operator_id":{_json_text(operator_id)}}}')
    return hashlib.sha256(prev.encode("ascii") + text.encode("utf-8")).hexdigest()


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
            computed = _row_hash(prev, entry_id, at, action, operator_id, counter, detail_text)
        except (ValueError, TypeError, AttributeError, UnicodeError):
            computed = ""
        if computed != digest:
            return AuditCheck(False, count, entry_id,
                              f"entry {entry_id} does not match its hash (edited)")
        expected_prev, expected_id = digest, entry_id + 1
    return AuditCheck(True, count, None)
