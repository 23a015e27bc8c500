"""Engine behaviour that is not about faults: order per record, parking, batching, pulls."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sync_helpers import KioskUnderTest, wait_until

from kiosk.sync import outbox
from kiosk.sync.status import SyncStatus
from reference_backend import ReferenceBackend


def test_permanent_rejection_parks_and_blocks_only_that_record(
        kiosk: KioskUnderTest, backend: ReferenceBackend) -> None:
    good = kiosk.issue(3)
    base = {"number": "C-999", "group": "C", "priority": "general",
            "centre": kiosk.config.centre_code,
            "at": "2026-11-22T10:00:00+05:30", "counter": "1"}
    with kiosk.store.transaction() as conn:  # events for a token the backend never heard of
        outbox.enqueue(conn, "token.called", "ghost", {**base, "token_id": "ghost"})
        outbox.enqueue(conn, "token.served", "ghost", {**base, "token_id": "ghost"})
        outbox.enqueue(conn, "mystery.kind", "m-1", {"x": 1})
    kiosk.serve(good[0])
    kiosk.engine.cycle()
    st = kiosk.engine.status()
    parked = {p.kind: p for p in st.parked}
    assert set(parked) == {"token.called", "mystery.kind"}
    assert parked["token.called"].code == "rejected" and "issued" in parked["token.called"].reason
    assert parked["mystery.kind"].code == "unknown-kind"
    assert st.blocked == 1 and st.waiting == 1  # the ghost's 'served' waits behind its 'called'
    assert backend.db.count("token_events", "source = 'kiosk'") == 3 + 2
    # Parked entries are not retried by themselves...
    kiosk.engine.cycle()
    assert len(kiosk.engine.status().parked) == 2
    # ...but can be requeued once the cause is fixed (here: the backend learns the token).
    backend.db.conn.execute(
        "INSERT INTO tokens (token_id, kiosk_id, centre, number, grp, priority, status, "
        "issued_at, received_at) VALUES ('ghost', 'x', ?, 'C-999', 'C', 'general', "
        "'waiting', 'a', 'b')", (kiosk.config.centre_code,))
    assert outbox.requeue(kiosk.store, code="rejected") == 1
    kiosk.engine.cycle()
    st = kiosk.engine.status()
    assert [p.kind for p in st.parked] == ["mystery.kind"] and st.waiting == 0


def test_batching_sends_far_fewer_requests_than_records(kiosk: KioskUnderTest,
                                               backend: ReferenceBackend) -> None:
    kiosk.issue(300)
    assert kiosk.engine.cycle()
    assert kiosk.all_done()
    assert backend.stats.requests["batch"] == 300 // 25  # FAST batch size


def test_reference_data_pulled_with_etag_and_applied_atomically(
        kiosk: KioskUnderTest, backend: ReferenceBackend) -> None:
    assert kiosk.engine.cycle(force_pull=True)
    conn = kiosk.store.conn
    assert conn.execute("SELECT COUNT(*) FROM catalogue_services").fetchone()[0] >= 5
    assert conn.execute("SELECT amount_paise FROM fees WHERE item = 'processing'"
                        ).fetchone()[0] == 2000
    applied = dict(conn.execute("SELECT name, applied_at FROM reference_docs").fetchall())
    assert set(applied) == {"catalogue", "holidays", "fees", "issuer-keys", "revocations"}
    bytes_before = backend.stats.bytes_out
    assert kiosk.engine.cycle(force_pull=True)  # all 304
    assert dict(conn.execute("SELECT name, applied_at FROM reference_docs").fetchall()) == applied
    assert backend.stats.bytes_out - bytes_before < 4 * 400  # headers only, no bodies
    backend.publish("fees", {"fees": [{"code": "*", "item": "processing", "amount_paise": 2500}]})
    backend.publish("holidays", {"holidays": [{"date": "2026-01-26"}]})  # malformed: no names
    assert kiosk.engine.cycle(force_pull=True)
    assert [tuple(r) for r in conn.execute("SELECT amount_paise FROM fees")] == [(2500,)]
    assert conn.execute("SELECT COUNT(*) FROM holidays").fetchone()[0] == 4  # old table kept
    body = json.loads(conn.execute("SELECT body FROM reference_docs WHERE name = 'holidays'"
                                   ).fetchone()[0])
    assert len(body["holidays"]) == 4


def test_wake_drains_at_once_and_status_reports_depth(kiosk: KioskUnderTest,
                                                      backend: ReferenceBackend) -> None:
    kiosk.engine.start()
    wait_until(lambda: kiosk.engine.status().online, what="first contact")
    backend.stop()
    kiosk.issue(4)
    kiosk.serve(kiosk.issued[0])
    kiosk.engine.wake()
    wait_until(lambda: kiosk.engine.status().online is False, what="offline")
    st = kiosk.engine.status()
    assert st.outbox_depth == {"token.called": 1, "token.issued": 4, "token.served": 1}
    assert "Offline" in st.indicator("en") and "6" in st.indicator("en")
    backend.start()
    kiosk.engine.wake()
    wait_until(kiosk.all_done, what="drain after wake")
    assert kiosk.engine.status().indicator("en") == "Online"


def test_listeners_hear_the_drained_outbox_before_the_pulls(
        kiosk: KioskUnderTest, backend: ReferenceBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The badge counts what waits to be sent: once the drain delivered, listeners hear it
    before the reference pulls and the heartbeat (seconds on a slow link) run."""
    kiosk.issue(2)
    heard: list[SyncStatus] = []
    kiosk.engine.add_listener(heard.append)
    heard_at_first_pull: list[list[SyncStatus]] = []
    real_get_reference = kiosk.engine.client.get_reference

    def get_reference(*args: Any, **kwargs: Any) -> Any:
        heard_at_first_pull.append(list(heard))
        return real_get_reference(*args, **kwargs)

    monkeypatch.setattr(kiosk.engine.client, "get_reference", get_reference)
    assert kiosk.engine.cycle(force_pull=True)
    assert heard_at_first_pull, "the cycle pulled reference data"
    before_pull = heard_at_first_pull[0]
    assert before_pull and before_pull[-1].online and before_pull[-1].waiting == 0
