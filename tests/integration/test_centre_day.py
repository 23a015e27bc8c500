"""A simulated day of one centre, every part a real process on loopback (issue 10, "Done when").

The reference backend (``kiosk backend``), the centre service (``kiosk centre``), two kiosks
issuing through their real path (centre service + lease; kiosk 2 behind a LAN switch), three
counters each driven by an operator's CentreClient in its own process. 300 tokens of mixed
groups and priorities; the state backend is killed for the middle of the day and started again;
kiosk 2 is cut off from the centre for a while and issues from its lease. At the end the counts
agree everywhere: issued = served + no-show + still waiting; numbers unique per (day, group);
every kiosk token reached the centre once; the backend's token events are the centre's, each
exactly once.
"""

from __future__ import annotations

import json
import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.integration.centre_day_procs import LanSwitch

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROCS = HERE / "centre_day_procs.py"
GROUPS = ("C", "L", "A", "S", "T", "R")
PRIORITIES = ("general",) * 6 + ("senior", "divyang", "pregnant")
PIN = "7391"
CENTRE_CODE = "day-enrol"
STATE_CODE = "state-enrol"
STEP_TIMEOUT = 30.0  # seconds any one answer from a process may take


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """A child process with line-wise stdin/stdout and bounded reads."""

    def __init__(self, name: str, args: list[str], logs: Path,
                 env: dict[str, str] | None = None) -> None:
        self.name = name
        logs.mkdir(parents=True, exist_ok=True)
        self.err_path = logs / f"{name}.stderr"
        with open(self.err_path, "ab") as err:
            self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=err, text=True, cwd=ROOT,
                                      env={**os.environ, "PYTHONPATH": str(ROOT),
                                           **(env or {})})
        self._sel = selectors.DefaultSelector()
        assert self.p.stdout is not None
        self._fd = self.p.stdout.fileno()
        self._sel.register(self._fd, selectors.EVENT_READ)
        self._buf = b""

    def line(self, timeout: float = STEP_TIMEOUT) -> str:
        """The next stdout line (raw reads: a text-mode buffer would hide lines from select)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not self._sel.select(left):
                raise AssertionError(f"{self.name}: no answer within {timeout} s{self._err()}")
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise AssertionError(f"{self.name} exited (code {self.p.poll()}){self._err()}")
            self._buf += chunk
        text, self._buf = self._buf.split(b"\n", 1)
        return text.decode("utf-8").strip()

    def _err(self) -> str:
        try:
            tail = self.err_path.read_text(encoding="utf-8", errors="replace")[-1500:]
        except OSError:
            return ""
        return f"; its stderr ends:\n{tail}" if tail else ""

    def json(self, timeout: float = STEP_TIMEOUT) -> Any:
        return json.loads(self.line(timeout))

    def send(self, *lines: str) -> None:
        assert self.p.stdin is not None
        self.p.stdin.write("".join(f"{x}\n" for x in lines))
        self.p.stdin.flush()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(5)
        self._sel.close()
        for stream in (self.p.stdin, self.p.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


def _kiosk_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "kiosk.cli", *args]


def _toml(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _add_operators(db: Path, config_path: Path, data_dir: Path) -> None:
    """Three operators in the centre's database (as ``kiosk operator add`` would)."""
    from kiosk.centre import operators
    from kiosk.centre.db import CentreStore
    from kiosk.config import load_config

    config = load_config(config_path, data_dir=data_dir, environ={})
    with CentreStore(db) as store, store.transaction() as conn:
        operators.ensure_schema(conn)
        for n in (1, 2, 3):
            operators.add_operator(conn, operator_id=f"op-{n}", name=f"Operator {n}",
                                   role="operator", pin=PIN,
                                   now=datetime.now(ZoneInfo(config.timezone)))


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback only
        return json.loads(resp.read())


def _rows(db: Path, sql: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def test_a_centre_day_adds_up_everywhere(tmp_path: Path) -> None:
    started = time.monotonic()
    b_port, c_port = _port(), _port()
    backend_db = tmp_path / "backend" / "state.sqlite3"
    centre_dir = tmp_path / "centre"
    centre_db = centre_dir / "centre.sqlite3"
    centre_cfg = _toml(centre_dir / "centre.toml", f"""
[centre]
enrolment_code = "{CENTRE_CODE}"
[queue]
samadhan_window = "00:00-24:00"
[counters.1]
groups = ["C", "L", "A"]
[counters.2]
groups = ["A", "T", "R", "S"]
[counters.3]
groups = ["C", "L", "A", "S", "T", "R"]
[backend]
url = "http://127.0.0.1:{b_port}"
enrolment_code = "{STATE_CODE}"
probe_seconds = 0.3
max_backoff_seconds = 1.0
interval_seconds = 0.5
connect_timeout = 1.0
read_timeout = 5.0
""")
    procs: list[Proc] = []
    switch: LanSwitch | None = None
    logs = tmp_path / "logs"

    def backend() -> Proc:
        p = Proc("backend", _kiosk_cli("backend", "--port", str(b_port), "--db", str(backend_db),
                                       "--enrolment-code", STATE_CODE,
                                       "--data-dir", str(tmp_path / "backend")), logs)
        procs.append(p)
        assert "listening on" in p.line()
        return p

    try:
        state = backend()
        _add_operators(centre_db, centre_cfg, centre_dir / "data")
        centre = Proc("centre", _kiosk_cli("centre", "--config", str(centre_cfg),
                                           "--data-dir", str(centre_dir / "data"),
                                           "--port", str(c_port), "--db", str(centre_db)),
                      logs)
        procs.append(centre)
        first = centre.line()
        assert first == f"centre service listening on http://127.0.0.1:{c_port}", first
        centre_url = f"http://127.0.0.1:{c_port}"
        switch = LanSwitch(c_port)

        kiosks: list[Proc] = []
        for n, url in ((1, centre_url), (2, switch.url)):
            cfg = _toml(tmp_path / f"kiosk{n}" / "kiosk.toml", f"""
[centre]
url = "{url}"
enrolment_code = "{CENTRE_CODE}"
lease_size = 50
[queue]
samadhan_window = "00:00-24:00"
[backend]
kiosk_id = "K{n}"
""")
            k = Proc(f"kiosk{n}", [sys.executable, str(PROCS), "kiosk", str(cfg),
                                   str(tmp_path / f"kiosk{n}" / "data")], logs)
            procs.append(k)
            kiosks.append(k)
        for k in kiosks:
            ready = k.json(60)
            assert ready["ready"] and ready["status"]["online"], ready
            assert all(v == 50 for v in ready["status"]["lease"].values()), ready

        counters: list[Proc] = []
        for n in (1, 2, 3):
            c = Proc(f"counter{n}", [sys.executable, str(PROCS), "counter", centre_url,
                                     CENTRE_CODE, str(n), f"op-{n}"],
                     logs, env={"KIOSK_OPERATOR_PIN": PIN})
            procs.append(c)
            counters.append(c)
        for c in counters:
            assert c.json(60)["ready"]

        rng = random.Random(10)
        plan = [(rng.choice(GROUPS), rng.choice(PRIORITIES)) for _ in range(300)]
        issued: list[dict[str, Any]] = []
        cut_off: list[dict[str, Any]] = []

        def issue(start: int, end: int, *, offline_k2: bool = False) -> None:
            for i in range(start, end, 10):
                chunk = plan[i:min(i + 10, end)]
                for j, (g, p) in enumerate(chunk):
                    kiosks[(i + j) % 2].send(f"issue {g} {p}")
                for j, _ in enumerate(chunk):
                    k = (i + j) % 2
                    answer = kiosks[k].json()
                    assert answer["ok"], answer
                    token = answer["token"]
                    issued.append(token)
                    if k == 1 and offline_k2:
                        assert token["offline"] and token["estimate"] == "offline", token
                        cut_off.append(token)
                    elif k == 0 or not offline_k2:
                        assert not token["offline"], token

        issue(0, 100)                       # morning: everything up
        state.stop(signal.SIGKILL)          # the state link goes down
        issue(100, 130)
        switch.cut()                        # kiosk 2's LAN cable is pulled
        issue(130, 170, offline_k2=True)
        switch.restore()
        kiosks[1].send("sync")
        back = kiosks[1].json()
        assert back["ok"] and back["status"]["unreported"] == 0, back
        issue(170, 200)
        state = backend()                   # the state link is back
        issue(200, 300)

        for c in counters:
            c.send("stop")
        summaries = [c.json() for c in counters]
        assert sum(s["served"] for s in summaries) > 50, summaries  # the counters did work

        deadline = time.monotonic() + 40
        while True:
            health = _get(f"{centre_url}/v1/health")["state_backend"]
            if health["pending"] == 0 and health["online"]:
                break
            assert time.monotonic() < deadline, f"centre never drained to the state: {health}"
            time.sleep(0.2)
        assert health["parked"] == 0

        for k in kiosks:
            k.send("quit")
    finally:
        for p in reversed(procs):
            p.stop()
        if switch is not None:
            switch.close()

    # ---- the counts agree everywhere --------------------------------------------------------
    assert len(issued) == 300 and len(cut_off) == 20
    tokens = _rows(centre_db, "SELECT * FROM tokens")
    assert len(tokens) == 300
    assert {t["id"] for t in tokens} == {t["id"] for t in issued}
    numbers = Counter((t["day"], t["num_grp"], t["seq"]) for t in tokens)
    assert max(numbers.values()) == 1  # unique per (day, group)
    states = Counter(t["state"] for t in tokens)
    served = sum(s["served"] for s in summaries)
    no_show = sum(s["no_show"] for s in summaries)
    assert states["served"] == served and states["no_show"] == no_show
    assert 300 == served + no_show + states["waiting"], states  # nobody left half-called
    # kiosk 2's offline tokens joined the queue with their own numbers and times
    offline = {t["id"]: t for t in tokens if t["offline"]}
    assert set(offline) == {t["id"] for t in cut_off}
    for t in cut_off:
        assert offline[t["id"]]["number"] == t["number"]
        assert datetime.fromisoformat(offline[t["id"]]["issued_at"]) == \
            datetime.fromisoformat(t["issued_at"])
    # each kiosk: everything reported, nothing sent to the state by the kiosk itself
    for n in (1, 2):
        kdb = tmp_path / f"kiosk{n}" / "data" / "kiosk.sqlite3"
        assert _rows(kdb, "SELECT COUNT(*) FROM tokens WHERE reported_at IS NULL")[0][0] == 0
        assert _rows(kdb, "SELECT COUNT(*) FROM outbox")[0][0] == 0
        assert _rows(kdb, "SELECT COUNT(*) FROM tokens")[0][0] == 150
    # the state backend heard every token event of the centre, each exactly once
    everything = _rows(centre_db, "SELECT kind, record_id, state FROM outbox")
    assert everything and all(r["state"] == "done" for r in everything)
    sent = [r for r in everything if r["kind"] != "audit.entry"]
    # ... and every audit entry of the centre, once, as one unbroken chain
    trail = _rows(centre_db, "SELECT id, hash FROM audit_log ORDER BY id")
    assert len(everything) - len(sent) == len(trail)
    held = _rows(backend_db, "SELECT id, hash, break_reason FROM audit_entries "
                             "WHERE source = 'centre' ORDER BY id")
    assert [(r["id"], r["hash"]) for r in held] == [(r["id"], r["hash"]) for r in trail]
    assert all(r["break_reason"] is None for r in held)
    forwarded = _rows(centre_db, "SELECT COUNT(*) FROM events WHERE type LIKE 'token.%'")[0][0]
    assert forwarded == len(sent)
    at_state = _rows(backend_db, "SELECT token_id, event FROM token_events")
    assert Counter((r["token_id"], f"token.{r['event']}") for r in at_state) == \
        Counter((r["record_id"], r["kind"]) for r in sent)
    assert len(_rows(backend_db, "SELECT token_id FROM tokens")) == 300
    assert Counter(r["event"] for r in at_state)["issued"] == 300
    assert time.monotonic() - started < 120
