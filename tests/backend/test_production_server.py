"""The production server (``kiosk backend``: Starlette on uvicorn) does what a district needs.

Load shaping, the per-request time limit, readiness, structured access logs and a graceful
shutdown, each against a real server on loopback; the shutdown and the multi-worker cases
against a real ``kiosk backend --workers 2`` process. The contract itself is checked against
this server by every other test in this directory (``conftest.py`` runs them on both servers).
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from backend_client.client import BackendClient, batch_key
from reference_backend import loadgen
from reference_backend.asgi_app import Limits
from reference_backend.load_shaping import WriteGate
from reference_backend.workers import AsgiBackend
from tests.sync.sync_helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]
DAY = loadgen.datetime(2026, 12, 1, 4, 30, tzinfo=loadgen.UTC)


@contextmanager
def store_locked(db: Path) -> Iterator[None]:
    """Hold the store's write lock from outside, as a long transaction would: writes wait."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=10)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("COMMIT")
    finally:
        conn.close()


def _batch(token: str, url: str, kiosk: str, centre: str, n: int = 3,
           key: str | None = None) -> requests.Response:
    items = loadgen.token_items(kiosk, centre, n, DAY)
    return requests.post(url + "/v1/batch", json={"items": [i.to_json() for i in items]},
                         timeout=20, headers={"Authorization": f"Bearer {token}",
                                              "Idempotency-Key": key or batch_key(items)})


def test_the_write_gate_spreads_retry_after_as_pressure_grows() -> None:
    now = [100.0]
    gate = WriteGate(limit=2, max_retry_after_s=10, budget_s=4.0, rng=random.Random(1),
                     clock=lambda: now[0])
    a, b = gate.try_enter(), gate.try_enter()
    assert a is not None and b is not None and gate.try_enter() is None
    assert {gate.retry_after() for _ in range(50)} == {1}  # one refusal: come back in 1 s
    for _ in range(40):
        assert gate.try_enter() is None
    now[0] += 1.0
    gate.leave(a)
    gate.leave(b)  # writes take ~0.5 s each: 2 per second get through
    assert gate.pace_s == pytest.approx(0.5, rel=0.3)
    spread = {gate.retry_after() for _ in range(300)}
    assert min(spread) == 1 and max(spread) == 10 and len(spread) == 10  # 41 waiting: 10 s
    assert gate.try_enter() is not None  # a freed slot is taken at once
    assert gate.refused == 41


def test_a_slow_store_lowers_the_bound_so_admitted_writes_stay_inside_the_budget() -> None:
    now = [0.0]
    gate = WriteGate(limit=8, budget_s=4.0, clock=lambda: now[0])
    assert gate.bound == 8
    for _ in range(5):  # writes alone taking 2 s each
        t = gate.try_enter()
        now[0] += 2.0
        gate.leave(t)
    assert gate.bound == 2  # 2 × 2 s fits the 4 s budget; a third would not
    slow = WriteGate(limit=8, budget_s=4.0, clock=lambda: now[0])
    t = slow.try_enter()
    now[0] += 30.0
    slow.leave(t)
    assert slow.bound == 1  # never 0: a slow store still gets one write at a time


def test_beyond_the_bound_a_write_gets_429_at_once_and_reads_still_pass(tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    with AsgiBackend(db, limits=Limits(max_inflight_writes=1)) as be:
        token = be.issue_credential("K-1", "MP-A")
        first: list[requests.Response] = []
        with store_locked(db):
            t = threading.Thread(target=lambda: first.append(_batch(token, be.url, "K-1", "MP-A")))
            t.start()
            wait_until(lambda: be.app is not None and be.app.gate.in_flight == 1, 10,
                       what="the first batch holding the write slot")
            t0 = time.monotonic()
            r = _batch(token, be.url, "K-1", "MP-A", key="second")
            assert time.monotonic() - t0 < 2  # answered at once, not queued behind the lock
            assert r.status_code == 429 and r.json()["code"] == "busy"
            assert r.headers["Content-Type"].startswith("application/problem+json")
            assert 1 <= int(r.headers["Retry-After"]) <= 10
            ok = requests.get(be.url + "/v1/reference/fees", timeout=5,
                              headers={"Authorization": f"Bearer {token}"})
            assert ok.status_code == 200  # reads are not shed
        t.join(timeout=20)
        assert first[0].status_code == 200
        assert [i["status"] for i in first[0].json()["items"]] == ["accepted"] * 3
        assert be.db.count("tokens") == 3 and be.stats.requests["shed"] == 1


def test_a_request_past_the_time_limit_is_503_and_its_resend_gets_the_stored_answer(
        tmp_path: Path) -> None:
    db = tmp_path / "b.sqlite3"
    with AsgiBackend(db, limits=Limits(request_timeout_s=0.5)) as be:
        token = be.issue_credential("K-1", "MP-A")
        with store_locked(db):
            r = _batch(token, be.url, "K-1", "MP-A")
            assert r.status_code == 503 and r.json()["code"] == "timeout"
            assert int(r.headers["Retry-After"]) >= 1
        wait_until(lambda: be.db.count("tokens") == 3, 10, what="the late commit")
        again = _batch(token, be.url, "K-1", "MP-A")
        assert again.status_code == 200
        assert [i["status"] for i in again.json()["items"]] == ["accepted"] * 3  # stored answer
        assert be.db.count("tokens") == 3


def test_ready_says_whether_the_store_answers(tmp_path: Path) -> None:
    with AsgiBackend(tmp_path / "b.sqlite3") as be:
        r = requests.get(be.url + "/v1/ready", timeout=5)
        assert r.status_code == 200 and r.json()["status"] == "ready"
        be.db.close()
        (tmp_path / "b.sqlite3").unlink()
        (tmp_path / "b.sqlite3").mkdir()  # the store is gone: nothing can open it
        r = requests.get(be.url + "/v1/ready", timeout=5)
        assert r.status_code == 503 and r.json()["code"] == "not-ready"
        assert r.headers["Retry-After"]
        assert requests.get(be.url + "/v1/health", timeout=5).status_code == 200  # alive still
        (tmp_path / "b.sqlite3").rmdir()


@pytest.mark.slow
def test_500_kiosks_reconnecting_at_once_all_drain_exactly_once(tmp_path: Path) -> None:
    """The catch-up storm: 500 kiosks released together over real loopback HTTP."""
    kiosks, records = 500, 4
    with AsgiBackend(tmp_path / "b.sqlite3") as be:
        sims = loadgen.make_kiosks(be.issue_credential, kiosks, records)
        be.stats.reset()
        outcomes, wall = loadgen.catch_up(be.url, sims, batch_size=100, timeout_s=50)
        sent = {i.idempotency_key for k in sims for i in k.items}
        accepted = [key for o in outcomes for key in o.accepted]
        assert all(o.finished_s is not None for o in outcomes), "a kiosk did not drain"
        assert sum(o.network_errors for o in outcomes) == 0  # no timeout, no reset
        assert sum(o.server_errors for o in outcomes) == 0
        assert sorted(accepted) == sorted(sent)  # every record accepted, each exactly once
        assert not [k for o in outcomes for k in o.duplicate + o.rejected]
        assert be.db.count("tokens") == kiosks * records  # and stored exactly once
        refused = sum(o.refused_429 for o in outcomes)
        assert refused > 0 and be.stats.requests["shed"] == refused  # the shaping did work
        waits = {o.max_wait_s for o in outcomes if o.refused_429}
        assert len(waits) > 1 and max(waits) <= Limits().max_retry_after_s  # spread out
        assert wall < 50


def _start_cli(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "backend", "--port", "0", "--data-dir",
         str(tmp_path), "--enrolment-code", "district-code-1", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("reference backend listening on http://127.0.0.1:"), first
    url = first.rsplit(" ", 1)[1].strip()

    def ready() -> bool:
        try:
            return requests.get(url + "/v1/ready", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_until(ready, 30, what="a ready worker")
    return proc, url


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, err


def _request_read_by_server(port: int) -> bool:
    """True once every connection to ``port`` is accepted and its bytes read (from the
    kernel's socket table: the listener's accept queue and each connection's unread bytes)."""
    listening, established = None, []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        rx_queue = int(fields[4].split(":")[1], 16)
        if local_port == port and fields[3] == "0A":
            listening = rx_queue
        elif local_port == port and fields[3] == "01":
            established.append(rx_queue)
    return listening == 0 and bool(established) and not any(established)


def test_sigterm_finishes_the_batch_in_flight_then_exits(tmp_path: Path) -> None:
    """A real ``kiosk backend --workers 2``: a batch held in flight (the store is locked)
    when SIGTERM arrives is committed and answered; then the process exits 0 and the port
    takes no new connection."""
    proc, url = _start_cli(tmp_path, "--workers", "2")
    db = tmp_path / "backend" / "reference.sqlite3"
    try:
        with BackendClient(url, retries=0) as c:
            token = c.register("K-SIG", "MP-SIG", "district-code-1").token
        answers: list[requests.Response] = []
        with store_locked(db):
            sender = threading.Thread(
                target=lambda: answers.append(_batch(token, url, "K-SIG", "MP-SIG", 5)))
            sender.start()
            # The worker reads the batch and waits on the store lock we hold: it cannot commit
            # before SIGTERM, which is the point.
            wait_until(lambda: _request_read_by_server(int(url.rsplit(":", 1)[1])), 20,
                       what="a worker to accept the connection and read the batch")
            proc.send_signal(signal.SIGTERM)
            threading.Event().wait(0.5)
            assert sender.is_alive()  # still in flight, after the signal
        sender.join(timeout=30)
        code, err = _finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert answers and answers[0].status_code == 200, err[-2000:]
    assert [i["status"] for i in answers[0].json()["items"]] == ["accepted"] * 5
    assert code == 0, err[-2000:]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM tokens").fetchone()[0] == 5
    finally:
        conn.close()
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/v1/health", timeout=2)
    # One JSON access line per request, with no personal data and no path.
    lines = [json.loads(ln) for ln in err.splitlines() if ln.startswith("{")]
    batch = [ln for ln in lines if ln["route"] == "batch"]
    assert len(batch) == 1 and batch[0]["status"] == 200 and batch[0]["kiosk"] == "K-SIG"
    assert {"method", "route", "status", "ms", "bytes_in", "bytes_out", "kiosk"} <= set(batch[0])
    assert "MP-SIG" not in err and "/v1/" not in err


def _worker_pids(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmd = (entry / "cmdline").read_bytes()
            except (OSError, ValueError):
                continue
            if ppid == parent and b"spawn" in cmd:
                found.add(int(entry.name))
    return found


def test_workers_are_separate_processes_and_all_of_them_serve(tmp_path: Path) -> None:
    """``--workers 2``: two worker processes; every answer comes from one of them."""
    proc, url = _start_cli(tmp_path, "--workers", "2")
    try:
        workers = wait_until(lambda: len(_worker_pids(proc.pid)) == 2 and _worker_pids(proc.pid),
                             30, what="two worker processes")
        for _ in range(20):
            with requests.Session() as s:  # a new connection each time
                assert s.get(url + "/v1/health", timeout=5).status_code == 200
        proc.send_signal(signal.SIGTERM)
        code, err = _finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert code == 0, err[-2000:]
    served_by = {json.loads(ln)["pid"] for ln in err.splitlines() if ln.startswith("{")}
    assert served_by and served_by <= workers and proc.pid not in served_by


def test_the_in_thread_production_server_stops_and_starts_on_the_same_port(
        tmp_path: Path) -> None:
    with AsgiBackend(tmp_path / "b.sqlite3") as be:
        port = be.port
        be.stop()
        with pytest.raises(requests.ConnectionError):
            requests.get(be.url + "/v1/health", timeout=2)
        be.start()
        assert be.port == port
        assert requests.get(be.url + "/v1/health", timeout=5).status_code == 200
