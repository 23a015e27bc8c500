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

The operator's desk (migration 2, CENTRE.md "Money at the desk"; all amounts integer paise):

* ``applications`` / ``payments`` — applications entered at a counter, exactly the kiosk's
  shape (:mod:`kiosk.store` v3 + ``proof_secret``), so :class:`kiosk.applications.
  ApplicationService` writes them here unchanged, plus the token served and the counter.
* ``kiosk_applications`` — the copy of an application a citizen entered at one of the centre's
  kiosks (handed over by the kiosk; the kiosk's own outbox still reports it to the state), so
  an operator can find it and take its cash.
* ``documents_seen`` — the documents an operator ticked as seen for an application.
* ``receipt_sequences`` / ``cash_receipts`` — the cash receipt series per counter and day
  (``<centre>-<counter>-<YYYYMMDD>-<seq>``) and every receipt; at most one live (not voided)
  receipt per application. A void or refund is recorded on the receipt with its supervisor.
* ``day_ends`` — an operator's counted cash against the expected amount, per day and counter;
  a non-zero difference is closed only with a supervisor, and never adjusted.
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
    # v2 (the operator's desk)
    """
    CREATE TABLE applications (
        application_no  TEXT PRIMARY KEY,
        submission_id   TEXT NOT NULL UNIQUE,
        day             TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        service_code    TEXT NOT NULL,
        lang            TEXT NOT NULL,
        submitted_at    TEXT NOT NULL,
        due_date        TEXT NOT NULL,
        answers         TEXT NOT NULL,
        aadhaar_last4   TEXT,
        documents_shown TEXT NOT NULL,
        delivery        TEXT NOT NULL,
        fees            TEXT NOT NULL,
        fee_paise       INTEGER NOT NULL,
        status          TEXT NOT NULL DEFAULT 'submitted',
        status_checked_at TEXT,
        operator        TEXT,
        proof_secret    TEXT,
        token_id        TEXT,
        counter         TEXT,
        UNIQUE (day, seq)
    );
    CREATE INDEX applications_token ON applications (token_id);
    CREATE TABLE payments (
        tr              TEXT PRIMARY KEY,
        application_no  TEXT NOT NULL,
        method          TEXT NOT NULL,
        amount_paise    INTEGER NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending',
        utr             TEXT,
        cash_receipt_no TEXT,
        upi_uri         TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    );
    CREATE INDEX payments_application ON payments (application_no);
    CREATE TABLE kiosk_applications (
        application_no  TEXT PRIMARY KEY,
        kiosk_id        TEXT NOT NULL,
        day             TEXT NOT NULL,
        service_code    TEXT NOT NULL,
        submitted_at    TEXT NOT NULL,
        fee_paise       INTEGER NOT NULL,
        payment_method  TEXT,
        record          TEXT NOT NULL,
        received_at     TEXT NOT NULL
    );
    CREATE INDEX kiosk_applications_day ON kiosk_applications (day);
    CREATE TABLE documents_seen (
        application_no  TEXT NOT NULL,
        doc_key         TEXT NOT NULL,
        operator_id     TEXT NOT NULL,
        counter         TEXT NOT NULL,
        seen_at         TEXT NOT NULL,
        PRIMARY KEY (application_no, doc_key)
    );
    CREATE TABLE receipt_sequences (
        counter     TEXT NOT NULL,
        day         TEXT NOT NULL,
        next_seq    INTEGER NOT NULL,
        PRIMARY KEY (counter, day)
    );
    CREATE TABLE cash_receipts (
        receipt_no      TEXT PRIMARY KEY,
        application_no  TEXT NOT NULL,
        tr              TEXT,
        counter         TEXT NOT NULL,
        day             TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        operator_id     TEXT NOT NULL,
        amount_paise    INTEGER NOT NULL CHECK (amount_paise >= 0),
        taken_at        TEXT NOT NULL,
        voided_at       TEXT,
        void_kind       TEXT CHECK (void_kind IN ('void', 'refund')),
        void_reason     TEXT,
        void_operator   TEXT,
        void_supervisor TEXT,
        UNIQUE (counter, day, seq)
    );
    CREATE UNIQUE INDEX cash_receipts_live ON cash_receipts (application_no)
        WHERE voided_at IS NULL;
    CREATE INDEX cash_receipts_day ON cash_receipts (day, counter, operator_id);
    CREATE TABLE day_ends (
        day             TEXT NOT NULL,
        counter         TEXT NOT NULL,
        operator_id     TEXT NOT NULL,
        expected_paise  INTEGER NOT NULL,
        declared_paise  INTEGER NOT NULL,
        difference_paise INTEGER NOT NULL,
        declared_at     TEXT NOT NULL,
        supervisor_id   TEXT,
        note            TEXT,
        closed_at       TEXT,
        PRIMARY KEY (day, counter, operator_id)
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
