"""Tokens: numbering, daily reset, priority order, durability across processes and faults."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.config import Config
from kiosk.errors import StoreError, ValidationError
from kiosk.queue import Priority, TokenService
from kiosk.store import SCHEMA_VERSION, Store

IST = ZoneInfo("Asia/Kolkata")


class FakeClock:
    """A settable clock: days must turn over inside a test without waiting for midnight."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(config: Config):  # type: ignore[no-untyped-def]
    s = Store(config.db_path)
    yield s
    s.close()


def test_schema_is_migrated_and_wal(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_numbers_per_group_and_daily_reset(store: Store, config: Config) -> None:
    clock = FakeClock(datetime(2026, 11, 22, 9, 30, tzinfo=IST))
    svc = TokenService(store, config, clock)
    assert [svc.issue("C").number for _ in range(3)] == ["C-001", "C-002", "C-003"]
    assert svc.issue("l").number == "L-001"
    clock.now += timedelta(days=1)
    assert svc.issue("C").number == "C-001"


def test_token_and_outbox_entry_are_one_commit(store: Store, config: Config) -> None:
    tok = TokenService(store, config).issue("S", Priority.DIVYANG, "en")
    row = store.conn.execute("SELECT * FROM outbox WHERE record_id = ?", (tok.id,)).fetchone()
    assert row["kind"] == "token.issued"
    assert json.loads(row["payload"])["number"] == tok.number


def test_priority_goes_ahead_of_general(store: Store, config: Config) -> None:
    svc = TokenService(store, config)
    svc.issue("C")
    svc.issue("C")
    senior = svc.issue("C", "senior")
    assert senior.people_ahead == 0
    general = svc.issue("C")
    assert general.people_ahead == 3
    assert general.wait_minutes == 3 * config.groups["C"].minutes


def test_unknown_group_and_priority_are_validation_errors(store: Store, config: Config) -> None:
    svc = TokenService(store, config)
    with pytest.raises(ValidationError) as e:
        svc.issue("Z")
    assert "Z" in e.value.detail and e.value.user_message("en")
    with pytest.raises(ValidationError):
        svc.issue("C", "vip")
    assert svc.count_today() == 0


def test_concurrent_threads_never_share_a_number(store: Store, config: Config) -> None:
    svc = TokenService(store, config)
    numbers: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            n = svc.issue("A").number
            with lock:
                numbers.append(n)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 100 and len(set(numbers)) == 100


ISSUER = """
import os, sys
from kiosk.config import load_config
from kiosk.queue import TokenService
from kiosk.store import Store
cfg = load_config(data_dir=sys.argv[1], environ={})
svc = TokenService(Store(cfg.db_path), cfg)
with open(os.path.join(sys.argv[1], "shown.txt"), "a") as f:
    while True:
        tok = svc.issue("C")
        # A number counts as shown to the citizen only after issue() returned.
        f.write(tok.number + "\\n"); f.flush(); os.fsync(f.fileno())
        if tok.seq == 20:
            print("ready", flush=True)
"""


def test_sigkill_mid_issue_loses_no_shown_token_and_restart_continues(config: Config) -> None:
    config.data_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", ISSUER, str(config.data_dir)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # mid-issue: it never stops issuing
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
    shown = (config.data_dir / "shown.txt").read_text().split()
    assert len(shown) >= 20
    with Store(config.db_path) as store:
        stored = {r[0] for r in store.conn.execute("SELECT number FROM tokens")}
        assert set(shown) <= stored  # every token a citizen saw is on disk
        outbox = store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        assert outbox == len(stored)  # and each has its outbox entry, never one without
        nxt = TokenService(store, config).issue("C").number
        assert nxt not in stored and nxt == f"C-{len(stored) + 1:03d}"


def test_unwritable_database_is_a_clear_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(StoreError) as e:
        Store(blocker / "k.sqlite3")
    assert "cannot open database" in e.value.detail
    assert e.value.user_message("en").startswith("Your request could not be saved")


def test_locked_database_issues_nothing_half(config: Config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("kiosk.store.BUSY_TIMEOUT_MS", 200)
    with Store(config.db_path) as store:
        svc = TokenService(store, config)
        svc.issue("C")
        other = sqlite3.connect(config.db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with Store(config.db_path) as store2:
                with pytest.raises(StoreError) as e:
                    TokenService(store2, config).issue("C")
                assert "locked" in e.value.detail
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert svc.count_today() == 1
        assert store.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 1


def test_cli_token_issue_prints_json(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "kiosk.cli", "token", "issue", "--group", "C",
                          "--priority", "senior", "--data-dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["number"] == "C-001" and data["priority"] == "senior"
    bad = subprocess.run([sys.executable, "-m", "kiosk.cli", "token", "issue", "--group", "Q",
                          "--data-dir", str(tmp_path)], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2
    assert "Please choose one of the listed services." in bad.stderr
    assert "'Q'" in bad.stderr
