"""The centre service's own SQLite database (WAL, ``BEGIN IMMEDIATE``, numbered migrations).

It reuses :class:`kiosk.store.Store` — WAL with ``synchronous=FULL``, one connection per thread,
write transactions that take the lock up front — with its own migration list, so a commit that
returned is on disk (the SIGKILL test relies on it) and two counters pressing Call next at the
same instant are serialised by SQLite, across threads *and* processes.

The outbox and ``sync_state`` tables have exactly the kiosk's shape, so the kiosk's sync engine
(:mod:`kiosk.sync`) drains this database to the state backend unchanged.

Tables (one job each):

* ``tokens`` — every token of every day. ``num_grp`` + ``seq`` make the printed number and are
  UNIQUE per day; ``grp`` is the queue it waits in now (a transfer changes it, not the number).
* ``sequences`` — the next free number per day and group (online from 1; leases take blocks
  from their own band, key ``<group>:lease``, from 5001).
* ``leases`` — number blocks handed to kiosks for offline issuing.
* ``counters`` / ``sessions`` — who is at which counter; a session token is stored hashed.
* ``devices`` — enrolled kiosks, counters, boards (bearer tokens, hashed).
* ``events`` — the ordered event stream (ids are the SSE ids).
* ``streaks`` — priority calls in a row per group (the 2:1 rule survives a restart).
* ``settings`` — the enrolment code and other single values.
* ``outbox``, ``sync_state``, ``reference_docs`` (always empty) — the sync engine's tables.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from pathlib import Path

from kiosk.store import Store

log = logging.getLogger(__name__)

CENTRE_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE devices (
        token_hash  TEXT PRIMARY KEY,
        device_id   TEXT NOT NULL,
        kind        TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE TABLE sequences (
        day         TEXT NOT NULL,
        grp         TEXT NOT NULL,
        next_seq    INTEGER NOT NULL,
        PRIMARY KEY (day, grp)
    );
    CREATE TABLE leases (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kiosk_id    TEXT NOT NULL,
        day         TEXT NOT NULL,
        grp         TEXT NOT NULL,
        first_seq   INTEGER NOT NULL,
        last_seq    INTEGER NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX leases_kiosk ON leases (kiosk_id, day, grp);
    CREATE TABLE tokens (
        id              TEXT PRIMARY KEY,
        day             TEXT NOT NULL,
        num_grp         TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        number          TEXT NOT NULL,
        grp             TEXT NOT NULL,
        priority        TEXT NOT NULL,
        lang            TEXT NOT NULL,
        kiosk_id        TEXT NOT NULL,
        issued_at       TEXT NOT NULL,
        offline         INTEGER NOT NULL DEFAULT 0,
        state           TEXT NOT NULL DEFAULT 'waiting',
        counter         TEXT,
        target_counter  TEXT,
        called_at       TEXT,
        served_at       TEXT,
        no_show_at      TEXT,
        parked_at       TEXT,
        recalls         INTEGER NOT NULL DEFAULT 0,
        transfers       INTEGER NOT NULL DEFAULT 0,
        service_s       REAL,
        UNIQUE (day, num_grp, seq)
    );
    CREATE INDEX tokens_state ON tokens (day, state, grp, priority, issued_at);
    CREATE INDEX tokens_target ON tokens (target_counter, state);
    CREATE INDEX tokens_counter ON tokens (counter, day, state);
    CREATE INDEX tokens_served ON tokens (grp, served_at);
    CREATE TABLE counters (
        counter     TEXT PRIMARY KEY,
        state       TEXT NOT NULL DEFAULT 'closed',
        operator_id TEXT,
        operator_name TEXT,
        groups      TEXT NOT NULL DEFAULT '[]',
        token_id    TEXT,
        opened_at   TEXT,
        updated_at  TEXT
    );
    CREATE TABLE sessions (
        token_hash  TEXT PRIMARY KEY,
        counter     TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        last_used   TEXT NOT NULL,
        closed_at   TEXT
    );
    CREATE TABLE events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        type        TEXT NOT NULL,
        at          TEXT NOT NULL,
        body        TEXT NOT NULL
    );
    CREATE TABLE streaks (grp TEXT PRIMARY KEY, streak INTEGER NOT NULL);
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL,
        record_id       TEXT NOT NULL,
        payload         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending',
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT,
        delivered_at    TEXT,
        park_code       TEXT
    );
    CREATE INDEX outbox_state ON outbox (state, id);
    CREATE INDEX outbox_record ON outbox (record_id, id);
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE reference_docs (
        name        TEXT PRIMARY KEY,
        etag        TEXT,
        version     TEXT NOT NULL,
        body        TEXT NOT NULL,
        applied_at  TEXT NOT NULL
    )
    """,
)


class CentreStore(Store):
    """The centre's database file; see the module docstring for the tables."""

    migrations = CENTRE_MIGRATIONS


def token_hash(secret: str) -> str:
    """Bearer and session tokens are kept only as SHA-256 (a copied DB grants nothing)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def local_enrolment_code(path: Path) -> str:
    """The enrolment code of the centre database at ``path``, read-only, or "" when there is
    none (no service runs from this data directory, or its file cannot be read).

    A counter or a CLI started beside an embedded centre service (``python main.py`` on one
    machine) joins it without anyone copying the code; on another machine it is configured.
    """
    if not path.exists():
        return ""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'enrolment_code'"
                               ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        log.info("could not read the local centre's enrolment code", exc_info=True)
        return ""
    return str(row[0]) if row else ""
