"""Real processes on loopback: many counters at once, and a SIGKILLed centre service.

* 1,000 tokens called by 8 counters in 4 processes: none called twice, none skipped.
* The centre process SIGKILLed in the middle of calls and restarted on the same port: nothing
  lost, nothing called twice, the counters carry on by themselves and a subscriber resumes
  with every event exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from centre_helpers import PIN, add_operator, new_id
from centre_proc import ROOT, start_centre_process, stop

from kiosk.centre.client import CentreClient, EventSubscriber
from kiosk.centre.db import CentreStore

pytestmark = [pytest.mark.slow, pytest.mark.timeout(400)]
HERE = Path(__file__).resolve().parent


def prepare(data_dir: Path, counters: int) -> None:
    store = CentreStore(data_dir / "centre.sqlite3")
    try:
        for n in range(1, counters + 1):
            add_operator(store, f"op{n}")
    finally:
        store.close()


def issue_many(client: CentreClient, n: int) -> list[str]:
    groups, prios = ("C", "A", "L"), ("general", "general", "senior", "general", "divyang")

    def one(i: int) -> str:
        return str(client.issue(new_id(), groups[i % 3], prios[i % 5], "hi", "K-1")["id"])

    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(one, range(n)))


def workers(url: str, token: str, groups_of_counters: list[str]) -> list[subprocess.Popen[str]]:
    return [subprocess.Popen([sys.executable, str(HERE / "centre_proc.py"), "worker", url, token,
                              PIN, counters], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             stderr=subprocess.DEVNULL)
            for counters in groups_of_counters]


def collect(procs: list[subprocess.Popen[str]], timeout: float) -> list[dict]:
    records: list[dict] = []
    deadline = time.monotonic() + timeout
    for p in procs:
        out, _ = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
        lines = out.splitlines()
        assert lines and lines[-1] == "done", lines[-3:]
        records += [json.loads(line) for line in lines[:-1]]
    return records


def db_counts(path: Path) -> tuple[int, int, dict[str, int]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        tokens = conn.execute("SELECT COUNT(*) FROM tokens").fetchone()[0]
        served = conn.execute("SELECT COUNT(*) FROM tokens WHERE state = 'served'").fetchone()[0]
        called = dict(conn.execute(
            "SELECT json_extract(body, '$.token.id'), COUNT(*) FROM events "
            "WHERE type = 'token.called' GROUP BY 1").fetchall())
        return int(tokens), int(served), called
    finally:
        conn.close()


def event_ids(path: Path) -> list[int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return [int(r[0]) for r in conn.execute("SELECT id FROM events ORDER BY id")]
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_1000_calls_from_8_counters_in_4_processes_none_twice_none_skipped(
        tmp_path: Path) -> None:
    data = tmp_path / "centre"
    prepare(data, 8)
    proc, url = start_centre_process(data, counters=8)
    try:
        with CentreClient(url, timeout=10) as client:
            client.enrol("CODE-P", "K-1", "kiosk")
            issued = issue_many(client, 1000)
            procs = workers(url, str(client.device_token), ["1,2", "3,4", "5,6", "7,8"])
            records = collect(procs, timeout=300)
        ids = [r["id"] for r in records]
        assert len(ids) == 1000 and len(set(ids)) == 1000        # none twice
        assert set(ids) == set(issued)                          # none skipped
        assert len({r["counter"] for r in records}) == 8        # all counters took part
        tokens, served, called = db_counts(data / "centre.sqlite3")
        assert (tokens, served) == (1000, 1000)
        assert len(called) == 1000 and set(called.values()) == {1}
    finally:
        stop(proc)


def test_sigkill_mid_calls_then_restart_nothing_lost_nothing_twice(tmp_path: Path) -> None:
    data = tmp_path / "centre"
    db = data / "centre.sqlite3"
    prepare(data, 4)
    port = free_port()
    proc, url = start_centre_process(data, port, counters=4)
    got: list[dict] = []
    lock = threading.Lock()

    def on_event(ev: dict) -> None:
        with lock:
            got.append(ev)

    sub = None
    procs: list[subprocess.Popen[str]] = []
    try:
        with CentreClient(url, timeout=10) as client:
            client.enrol("CODE-P", "K-1", "kiosk")
            issued = issue_many(client, 200)
            token = str(client.device_token)
        sub = EventSubscriber(url, token, on_event, max_backoff=0.2).start()
        procs = workers(url, token, ["1,2", "3,4"])
        deadline = time.monotonic() + 120
        while db_counts(db)[1] < 60:
            assert time.monotonic() < deadline, "counters made no progress"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        stop(proc)
        proc, url2 = start_centre_process(data, port, counters=4)
        assert url2 == url
        records = collect(procs, timeout=240)
        procs = []
        tokens, served, called = db_counts(db)
        assert tokens == 200 and served == 200                  # nothing lost
        assert set(called) == set(issued) and set(called.values()) == {1}  # none called twice
        numbers = [r["number"] for r in records]
        assert len(numbers) == len(set(numbers))
        ids = event_ids(db)
        assert ids == list(range(1, len(ids) + 1))
        deadline = time.monotonic() + 30
        while True:                                             # the subscriber caught up
            with lock:
                seen = [e["id"] for e in got]
            if seen and seen[-1] == ids[-1]:
                break
            assert time.monotonic() < deadline, (len(seen), len(ids))
            time.sleep(0.05)
        assert seen == ids and sub.connects >= 2                # every event once, in order
    finally:
        if sub is not None:
            sub.close()
        for p in procs:
            p.kill()
            p.communicate(timeout=10)
        stop(proc)
