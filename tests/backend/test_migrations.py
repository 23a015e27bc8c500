"""Schema migrations: numbered steps in ``schema_version``, on both stores, and an old SQLite
file (from before the table existed, before centre scoping) brought level in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reference_backend import migrations
from reference_backend.db import BackendDB, Caller, ProblemError


def _versions(db: BackendDB) -> list[int]:
    return [int(r[0]) for r in db.conn.execute("SELECT version FROM schema_version "
                                               "ORDER BY version")]


def test_a_new_store_runs_every_step_once(store_location: str) -> None:
    db = BackendDB(store_location, "CODE-1")
    try:
        assert _versions(db) == list(range(1, migrations.LATEST + 1))
        assert db.schema_version == migrations.LATEST
    finally:
        db.close()
    again = BackendDB(store_location)  # reopening applies nothing and keeps the code
    try:
        assert _versions(again) == list(range(1, migrations.LATEST + 1))
        assert again.enrolment_code == "CODE-1"
    finally:
        again.close()


def test_a_database_from_newer_code_is_refused(store_location: str) -> None:
    db = BackendDB(store_location)
    with db.tx() as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (migrations.LATEST + 1,))
    db.close()
    with pytest.raises(RuntimeError, match="newer than this reference backend"):
        BackendDB(store_location)


def test_an_old_sqlite_file_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE tokens (token_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,
            centre TEXT NOT NULL, number TEXT NOT NULL, grp TEXT NOT NULL,
            priority TEXT NOT NULL, status TEXT NOT NULL, counter TEXT, issued_at TEXT NOT NULL,
            called_at TEXT, done_at TEXT, recalls INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL);
        CREATE TABLE applications (application_no TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,
            service_code TEXT NOT NULL, centre TEXT NOT NULL, submitted_at TEXT NOT NULL,
            received_at TEXT NOT NULL, status TEXT NOT NULL, due_date TEXT,
            payload TEXT NOT NULL);
        CREATE TABLE payments (tr TEXT PRIMARY KEY, application_no TEXT NOT NULL,
            amount_paise INTEGER NOT NULL, method TEXT NOT NULL, status TEXT NOT NULL,
            utr TEXT, cash_receipt_no TEXT, upi_uri TEXT, created_at TEXT NOT NULL);
        CREATE TABLE counters (counter TEXT PRIMARY KEY, token_id TEXT);
        INSERT INTO tokens VALUES ('T1', 'K', 'C1', 'A-001', 'A', 'general', 'called', '3',
            '2026-12-01T10:00:00+05:30', NULL, NULL, 0, 'x');
        INSERT INTO applications VALUES ('APP-1', 'K', 'INC', 'C1', 's', 'r', 'submitted',
            NULL, '{}');
        INSERT INTO payments VALUES ('TR1', 'APP-1', 100, 'cash', 'paid', NULL, NULL, NULL, 'c');
        INSERT INTO counters VALUES ('3', 'T1');
    """)
    old.close()
    db = BackendDB(path)
    try:
        assert _versions(db) == list(range(1, migrations.LATEST + 1))
        assert db.payment("TR1", "C1")["status"] == "paid"  # the payment took its centre
        assert db.count("centre_counters", "centre = 'C1' AND counter = '3' AND "
                        "token_id = 'T1'") == 1
        assert db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'counters'"
                               ).fetchone() is None
    finally:
        db.close()


def test_an_old_file_holding_duplicate_numbers_still_refuses_a_third(tmp_path: Path) -> None:
    path = tmp_path / "dupes.sqlite3"
    BackendDB(path).close()
    raw = sqlite3.connect(path)  # as an old backend without the unique index left it
    raw.executescript("DROP INDEX tokens_number_day; DELETE FROM schema_version WHERE version = 2;"
                      "INSERT INTO tokens (token_id, kiosk_id, centre, number, grp, priority, "
                      "status, issued_at, received_at) VALUES "
                      "('T1', 'K', 'C1', 'C-001', 'C', 'general', 'waiting', "
                      "'2026-12-01T10:00', 'x'), ('T2', 'K', 'C1', 'C-001', 'C', 'general', "
                      "'waiting', '2026-12-01T11:00', 'x');")
    raw.close()
    db = BackendDB(path)  # step 2 cannot make the index: warned, and checked per request
    try:
        assert db.numbers_indexed is False
        with pytest.raises(ProblemError) as refused, db.tx() as conn:
            db.token_event(conn, Caller("K", "C1"), "issued", {
                "token_id": "T3", "number": "C-001", "group": "C",
                "at": "2026-12-01T12:00:00+05:30", "centre": "C1"})
        assert refused.value.code == "number-taken"
        assert db.count("tokens") == 2
    finally:
        db.close()
