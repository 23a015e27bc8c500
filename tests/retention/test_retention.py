"""Retention: what the state already has is deleted after its period, nothing undelivered is
ever touched however old, the file gives the space back, and the sync worker runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.application_cli import template
from kiosk.applications import ApplicationService
from kiosk.catalogue import packaged_catalogue
from kiosk.config import Config
from kiosk.retention import RetentionJob, RetentionPolicy, prune
from kiosk.store import Store
from kiosk.sync import outbox
from tests.sync.sync_helpers import wait_until

NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=3)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "kiosk.sqlite3") as s:
        yield s


def submit(store: Store, config: Config, when: datetime) -> str:
    cat = packaged_catalogue()
    svc = cat.get("INC")
    assert svc is not None
    answers: dict[str, Any] = dict(template(cat, svc, when.date(), "hi")["answers"])
    apps = ApplicationService(store, config, catalogue=packaged_catalogue, clock=lambda: when)
    return apps.submit("INC", answers, lang="hi").application_no


def deliver(store: Store, record: str, when: datetime) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'done', delivered_at = ? WHERE record_id = ?",
                      (when.isoformat(), record))


def count(store: Store, table: str, where: str = "1", *args: object) -> int:
    return int(store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", args)
               .fetchone()[0])


def test_delivered_old_applications_go_undelivered_ones_stay(store: Store,
                                                            config: Config) -> None:
    gone = submit(store, config, OLD)
    deliver(store, gone, OLD + timedelta(minutes=5))
    waiting = submit(store, config, OLD)            # the network was down for 40 days
    parked = submit(store, config, OLD)
    with store.transaction() as conn:
        conn.execute("UPDATE outbox SET state = 'parked', park_code = 'rejected' "
                     "WHERE record_id = ?", (parked,))
    recent = submit(store, config, RECENT)
    deliver(store, recent, RECENT)

    report = prune(store, RetentionPolicy(), NOW)

    left = {r[0] for r in store.conn.execute("SELECT application_no FROM applications")}
    assert left == {waiting, parked, recent}
    assert count(store, "payments", "application_no = ?", gone) == 0
    assert report.deleted["applications"] == 1
    # the old delivered entry went too (7 days); the recent one is kept, the others untouched
    assert count(store, "outbox", "record_id = ?", gone) == 0
    assert count(store, "outbox", "record_id = ?", recent) == 1
    assert count(store, "outbox", "record_id = ? AND state = 'pending'", waiting) == 1
    assert count(store, "outbox", "record_id = ? AND state = 'parked'", parked) == 1


def test_an_application_whose_entries_were_pruned_earlier_still_goes(store: Store,
                                                                   config: Config) -> None:
    no = submit(store, config, OLD)
    deliver(store, no, OLD)
    prune(store, RetentionPolicy(applications_days=0), NOW)   # outbox only
    assert count(store, "outbox", "record_id = ?", no) == 0
    assert count(store, "applications", "application_no = ?", no) == 1
    prune(store, RetentionPolicy(), NOW)
    assert count(store, "applications", "application_no = ?", no) == 0


def test_zero_days_keeps_for_ever_and_print_jobs_age_out(store: Store) -> None:
    with store.transaction() as conn:
        for when in (OLD, RECENT):
            conn.execute("INSERT INTO print_jobs (doc_kind, doc_ref, state, created_at, "
                         "updated_at) VALUES ('token', 'C-001', 'confirmed', ?, ?)",
                         (when.isoformat(), when.isoformat()))
    prune(store, RetentionPolicy(print_jobs_days=0), NOW)
    assert count(store, "print_jobs") == 2
    prune(store, RetentionPolicy(), NOW)
    assert count(store, "print_jobs") == 1


def test_many_rows_are_deleted_in_batches_and_the_file_shrinks(store: Store) -> None:
    assert int(store.conn.execute("PRAGMA auto_vacuum").fetchone()[0]) == 2  # incremental
    blob = json.dumps({"pad": "x" * 800})
    with store.transaction() as conn:
        for i in range(3000):
            outbox.enqueue(conn, "token.issued", f"t{i}", {"token_id": f"t{i}", "b": blob})
        conn.execute("UPDATE outbox SET state = 'done', delivered_at = ?", (OLD.isoformat(),))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = int(store.conn.execute("PRAGMA page_count").fetchone()[0])
    report = prune(store, RetentionPolicy(), NOW)
    after = int(store.conn.execute("PRAGMA page_count").fetchone()[0])
    assert report.deleted["outbox"] == 3000 and count(store, "outbox") == 0
    assert report.pages_freed > 0 and after < before / 2


def test_the_job_runs_at_most_every_interval(store: Store, config: Config) -> None:
    times = [NOW]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return times[0]

    job = RetentionJob(store, RetentionPolicy(every_min=60), clock=Clock)
    job()
    first = job.last
    assert first is not None
    job()
    assert job.last is first                      # throttled
    times[0] = NOW + timedelta(minutes=61)
    job()
    assert job.last is not first


def test_the_policy_comes_from_config(tmp_path: Path) -> None:
    cfg_file = tmp_path / "k.toml"
    cfg_file.write_text("[retention]\napplications_days = 10\noutbox_days = 2\n")
    from kiosk.config import load_config
    policy = RetentionPolicy.from_config(load_config(cfg_file))
    assert (policy.applications_days, policy.outbox_days, policy.print_jobs_days) == (10, 2, 30)


def test_the_sync_worker_prunes(store: Store, config: Config) -> None:
    from kiosk.sync.runtime import start_sync

    no = submit(store, config, datetime.now(UTC) - timedelta(days=45))
    deliver(store, no, datetime.now(UTC) - timedelta(days=45))
    rt = start_sync(config, store)
    try:
        wait_until(lambda: rt.retention.last is not None, timeout=20)
        assert count(store, "applications", "application_no = ?", no) == 0
    finally:
        rt.close()


def test_the_centre_database_is_pruned_too(tmp_path: Path, config: Config) -> None:
    """The centre's copies of kiosk applications and its delivered outbox rows go; its cash
    receipts (no personal data, reprintable) stay."""
    from kiosk.centre.db import CentreStore

    with CentreStore(tmp_path / "centre.sqlite3") as centre:
        with centre.transaction() as conn:
            for no, when in (("OLD-1", OLD), ("NEW-1", RECENT)):
                conn.execute("INSERT INTO kiosk_applications VALUES (?, 'K1', ?, 'INC', ?, 2000, "
                             "'cash', '{}', ?)", (no, when.date().isoformat(), when.isoformat(),
                                                 when.isoformat()))
            conn.execute("INSERT INTO cash_receipts (receipt_no, application_no, counter, day, "
                         "seq, operator_id, amount_paise, taken_at) VALUES ('R-1', 'OLD-1', "
                         "'1', ?, 1, 'op1', 2000, ?)", (OLD.date().isoformat(), OLD.isoformat()))
            outbox.enqueue(conn, "audit.entry", "audit-centre", {"id": 1})
            conn.execute("UPDATE outbox SET state = 'done', delivered_at = ?",
                         (OLD.isoformat(),))
        report = prune(centre, RetentionPolicy(), NOW)
        assert report.deleted["kiosk_applications"] == 1 and report.deleted["outbox"] == 1
        assert [r[0] for r in centre.conn.execute("SELECT application_no FROM "
                                                  "kiosk_applications")] == ["NEW-1"]
        assert count(centre, "cash_receipts") == 1
