"""Every fault from the issue, against a real server; at the end, count both sides.

Each test ends with :func:`assert_counts_match`: every token and event written on the kiosk is
on the server exactly once, and every outbox entry is ``done``.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sync_helpers import FAST, KIOSK_ID, KioskUnderTest, assert_counts_match, wait_until

from kiosk.config import Config
from reference_backend import ReferenceBackend

HERE = Path(__file__).resolve().parent


def _traffic(kiosk: KioskUnderTest, tokens: int, serve_every: int = 3) -> None:
    for i, tok in enumerate(kiosk.issue(tokens)):
        if i % serve_every == 0:
            kiosk.serve(tok)
        kiosk.engine.wake()


def test_backend_down_for_the_whole_session_then_back(kiosk: KioskUnderTest,
                                                      backend: ReferenceBackend) -> None:
    backend.stop()
    kiosk.engine.start()
    _traffic(kiosk, 40)
    wait_until(lambda: kiosk.engine.status().online is False, what="offline status")
    wait_until(lambda: kiosk.engine.requests >= 5, what="several attempts while down")
    st = kiosk.engine.status()
    assert st.waiting == 40 + kiosk.events and not st.parked and st.delivered == 0
    backend.start()  # same port, same database; no wake(): the probe must notice
    wait_until(kiosk.all_done, what="drain after the backend came back")
    assert kiosk.engine.status().online is True
    assert backend.stats.requests["batch"] < 40  # batched, not one request per record
    assert_counts_match(kiosk, backend)


def test_random_5xx_and_timeouts(kiosk: KioskUnderTest, backend: ReferenceBackend) -> None:
    backend.faults.error_rate = 0.3
    backend.faults.timeout_rate = 0.25
    backend.faults.timeout_delay_s = 1.3  # longer than the kiosk's 1 s read timeout
    kiosk.engine.start()
    _traffic(kiosk, 150)
    wait_until(kiosk.all_done, timeout=40, what="drain through 5xx and timeouts")
    assert backend.stats.requests["fault:timeout"] >= 1
    assert_counts_match(kiosk, backend)


def test_connection_dropped_after_the_server_committed(kiosk: KioskUnderTest,
                                                       backend: ReferenceBackend) -> None:
    backend.faults.drop_after_commit_rate = 0.5
    kiosk.engine.start()
    _traffic(kiosk, 120)
    wait_until(kiosk.all_done, what="drain through dropped connections")
    assert backend.stats.requests["fault:drop"] >= 1
    assert_counts_match(kiosk, backend)


def test_malformed_json_and_wrong_content_type(kiosk: KioskUnderTest, backend: ReferenceBackend,
                                               caplog: pytest.LogCaptureFixture) -> None:
    backend.faults.malformed_json_rate = 0.3
    backend.faults.wrong_content_type_rate = 0.3
    with caplog.at_level(logging.WARNING, logger="backend_client"):
        kiosk.engine.start()
        _traffic(kiosk, 120)
        wait_until(kiosk.all_done, what="drain through garbled answers")
    assert backend.stats.requests["fault:malformed"] >= 1
    assert backend.stats.requests["fault:content-type"] >= 1
    assert "protocol error" in caplog.text
    assert_counts_match(kiosk, backend)


def test_clock_skew_between_kiosk_and_server(config: Config, backend: ReferenceBackend) -> None:
    ist = ZoneInfo("Asia/Kolkata")
    backend.faults.clock_skew_s = 3 * 3600          # server three hours fast
    backend.faults.error_rate = 0.3
    backend.faults.retry_after_s = 1
    backend.faults.retry_after_as_date = True       # HTTP-date from the skewed clock
    kiosk_clock = lambda: datetime.now(ist) - timedelta(hours=5)  # noqa: E731 - kiosk slow
    k = KioskUnderTest(config, backend.url,
                       backend.issue_credential(KIOSK_ID, config.centre_code), clock=kiosk_clock)
    try:
        k.engine.start()
        _traffic(k, 60)
        wait_until(k.all_done, what="drain despite skewed clocks")
        k.engine.wake()
        assert_counts_match(k, backend)
        at = backend.db.conn.execute("SELECT issued_at FROM tokens LIMIT 1").fetchone()[0]
        assert datetime.fromisoformat(at) < datetime.now(ist) - timedelta(hours=4)  # kept as sent
        # The heartbeat measured the skew for the technician's screen.
        backend.faults.error_rate = 0.0
        k.engine.wake()
        skew = wait_until(lambda: k.engine.status().clock_skew_s, what="skew measured")
        assert abs(skew - 3 * 3600) < 60
    finally:
        k.close()


def test_401_after_revocation_parks_visibly_without_a_tight_loop(
        config: Config, backend: ReferenceBackend) -> None:
    settings = FAST.__class__(**{**FAST.__dict__, "auth_retry_s": 30.0})
    k = KioskUnderTest(config, backend.url,
                       backend.issue_credential(KIOSK_ID, config.centre_code), settings)
    try:
        k.engine.start()
        _traffic(k, 10)
        wait_until(k.all_done, what="first delivery")
        wait_until(lambda: backend.db.count("heartbeats"), what="first cycle complete")
        backend.revoke(KIOSK_ID)
        k.issue(10)
        k.engine.wake()
        wait_until(lambda: k.engine.status().auth_failed, what="the 401 to show")
        st = k.engine.status()
        # The batch that met the 401 is parked with the reason; anything newer waits.
        assert st.parked and len(st.parked) + st.waiting == 10
        assert {p.code for p in st.parked} == {"auth"}
        assert "401" in st.parked[0].reason
        before = backend.stats.total_requests()
        for _ in range(20):
            k.engine.wake()  # the app calls wake() after every token; it must not hammer
        k.issue(3)
        wait_until(lambda: k.engine.status().waiting == st.waiting + 3,
                   what="new entries stay pending")
        assert backend.stats.total_requests() == before
        # The backend team reissues the credential: everything flows again.
        k.engine.set_credential(backend.issue_credential(KIOSK_ID, config.centre_code))
        wait_until(k.all_done, what="delivery after the new credential")
        assert not k.engine.status().auth_failed
        assert_counts_match(k, backend)
    finally:
        k.close()


def test_sigkill_in_the_middle_of_a_batch_then_restart(config: Config,
                                                       backend: ReferenceBackend) -> None:
    token = backend.issue_credential(KIOSK_ID, config.centre_code)
    k = KioskUnderTest(config, backend.url, token)
    try:
        _traffic(k, 150, serve_every=5)
        total = 150 + k.events
        # The server commits each batch and then sits on the answer: the kiosk is mid-batch.
        backend.faults.timeout_rate = 1.0
        backend.faults.timeout_delay_s = 30.0
        proc = subprocess.Popen([sys.executable, str(HERE / "kiosk_proc.py"),
                                 str(config.db_path), backend.url, token],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                cwd=str(HERE.parents[1]))
        try:
            wait_until(lambda: backend.db.count("token_events") >= 50,
                       what="the first batch committed on the server")
            probe = sqlite3.connect(config.db_path)
            inflight = probe.execute(
                "SELECT COUNT(*) FROM outbox WHERE state = 'inflight'").fetchone()[0]
            probe.close()
            assert inflight == 50
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=10)
            proc.stdout.close()  # type: ignore[union-attr]
            proc.stderr.close()  # type: ignore[union-attr]
        assert proc.returncode == -signal.SIGKILL
        backend.faults.timeout_rate = 0.0
        assert backend.db.count("token_events") == 50 and k.states()["inflight"] == 50
        k.engine.start()  # the restarted kiosk: inflight → pending, resend, duplicates ignored
        wait_until(k.all_done, what="drain after the restart")
        assert k.states() == {"done": total}
        assert_counts_match(k, backend)
    finally:
        k.close()
