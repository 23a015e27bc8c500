"""The display board on loopback: call → shown on the board, and the idle board's CPU.

* **call → shown**: ``kiosk centre`` runs as its own process; this process runs a real board
  (QML offscreen, the real client and event stream) and a counter thread that presses Call next
  every ``--gap`` seconds. Measured from just before the counter's request to (a) the latest
  token's ``Text`` showing the new number and (b) the next frame the window swapped after that.
  Target p99 ≤ 200 ms.
* **idle CPU**: ``kiosk run --mode board`` (offscreen) as its own process, joined to the same
  centre, after a few calls and once the pulse has ended; CPU % of one core from /proc over
  ``--seconds``. Target ≤ 2 %.

Run::

    .venv/bin/python bench/bench_board.py [--calls 100] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.centre import operators  # noqa: E402
from kiosk.centre.client import CentreClient  # noqa: E402
from kiosk.centre.db import CentreStore  # noqa: E402
from kiosk.centre.service import CentreService  # noqa: E402
from kiosk.config import load_config  # noqa: E402

PIN = "4826"
CODE = "bench-board-code"
COUNTERS = 4
TICKS = os.sysconf("SC_CLK_TCK")
KIOSK = Path(sys.executable).with_name("kiosk")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def start_centre(data: Path) -> tuple[subprocess.Popen[str], str]:
    config = load_config(data_dir=data, environ={"KIOSK_KIOSK__COUNTERS": str(COUNTERS)})
    with CentreStore(config.centre_db_path) as store:
        CentreService(store, config, enrolment_code=CODE)
        with store.transaction() as conn:
            for n in range(1, COUNTERS + 1):
                operators.add_operator(conn, operator_id=f"op{n}", name=f"Operator {n}",
                                       role="operator", pin=PIN, now=datetime.now(UTC))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "centre", "--data-dir",
                             str(data), "--port", str(port), "--enrolment-code", CODE,
                             "--no-forward"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env={**os.environ, "KIOSK_KIOSK__COUNTERS": str(COUNTERS)})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise RuntimeError(f"centre did not start: {line!r}")
    return proc, line.split(" on ", 1)[1].strip()


class Desk:
    def __init__(self, url: str) -> None:
        self.client = CentreClient(url, timeout=10.0)
        self.client.enrol(CODE, f"bench-desk-{uuid.uuid4().hex[:6]}", "counter")
        self.sessions = {str(n): self.client.login(str(n), PIN, operator_id=f"op{n}")
                         ["session_token"] for n in range(1, COUNTERS + 1)}

    def call(self, i: int) -> tuple[str, float]:
        """Complete the counter's last token, then Call next: (number, time just before it)."""
        counter = str(i % COUNTERS + 1)
        if i >= COUNTERS:
            self.client.act(counter, "complete", self.sessions[counter])
        t0 = time.perf_counter()
        return (str(self.client.act(counter, "call-next", self.sessions[counter])
                    ["token"]["number"]), t0)


def bench_latency(url: str, calls: int, gap: float, data: Path) -> dict[str, float]:
    from PySide6.QtCore import QObject

    from kiosk.ui.board.app import build_board
    from kiosk.ui.pump import pump

    config = load_config(data_dir=data / "board", environ={
        "KIOSK_CENTRE__URL": url, "KIOSK_CENTRE__ENROLMENT_CODE": CODE})
    issuer = CentreClient(url)
    issuer.enrol(CODE, "bench-kiosk", "kiosk")
    for n in range(calls + 1):
        issuer.issue(str(uuid.uuid4()), "CLA"[n % 3], "general", "hi")
    issuer.close()
    desk = Desk(url)
    ui = build_board(config, size=(1920, 1080))
    ui.start_background_now()
    pump(lambda: ui.link.property("state") == "online", timeout_s=20)
    desk.call(0)  # the first call builds the now-calling card; not measured
    pump(lambda: ui.board.property("hasLatest"), timeout_s=10)
    pump(lambda: ui.window.findChild(QObject, "latestToken") is not None, timeout_s=10)
    token = ui.window.findChild(QObject, "latestToken")
    shown: dict[str, float] = {}
    framed: dict[str, float] = {}
    pending: list[str] = []

    def on_text() -> None:
        value = str(token.property("text"))
        shown.setdefault(value, time.perf_counter())
        pending.append(value)

    def on_frame() -> None:
        now = time.perf_counter()
        while pending:
            framed.setdefault(pending.pop(), now)

    token.textChanged.connect(on_text)  # type: ignore[attr-defined]
    ui.window.frameSwapped.connect(on_frame)
    sent: list[tuple[str, float]] = []
    done = threading.Event()

    def counter_thread() -> None:
        try:
            for i in range(1, calls + 1):
                sent.append(desk.call(i))
                time.sleep(gap)
        finally:
            done.set()

    worker = threading.Thread(target=counter_thread, name="bench-counter")
    worker.start()
    pump(lambda: done.is_set() and all(n in framed for n, _ in sent), timeout_s=calls * 2 + 30)
    worker.join()
    desk.client.close()
    ui.close()
    text_ms = [(shown[n] - t0) * 1000 for n, t0 in sent]
    frame_ms = [(framed[n] - t0) * 1000 for n, t0 in sent]
    return {"n": len(sent), "text_p50": statistics.median(text_ms), "text_p99": pct(text_ms, 99),
            "frame_p50": statistics.median(frame_ms), "frame_p99": pct(frame_ms, 99),
            "frame_max": max(frame_ms)}


def bench_idle(url: str, seconds: float, data: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_CENTRE__URL": url,
           "KIOSK_CENTRE__ENROLMENT_CODE": CODE}
    proc = subprocess.Popen([str(KIOSK), "run", "--mode", "board", "--windowed",
                             "--data-dir", str(data / "idle-board")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)  # started, enrolled, start answer read, stream open
        desk = Desk(url)
        for i in range(3):
            desk.call(COUNTERS * 10 + i)  # a few calls: the board pulses, then is idle
        desk.client.close()
        time.sleep(8)  # the pulse (6 s) is over
        c0, t0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(seconds)
        c1, t1 = cpu_seconds(proc.pid), time.monotonic()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return 100.0 * (c1 - c0) / (t1 - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--gap", type=float, default=0.25, help="seconds between calls")
    ap.add_argument("--seconds", type=float, default=20.0, help="idle CPU window")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-board-") as tmp:
        data = Path(tmp)
        proc, url = start_centre(data / "centre")
        try:
            lat = bench_latency(url, args.calls, args.gap, data)
            print(f"call → shown on the board ({lat['n']:.0f} calls, loopback, centre in its "
                  f"own process; target p99 ≤ 200 ms)")
            print(f"  token text set   p50 {lat['text_p50']:6.1f} ms   "
                  f"p99 {lat['text_p99']:6.1f} ms")
            print(f"  frame swapped    p50 {lat['frame_p50']:6.1f} ms   "
                  f"p99 {lat['frame_p99']:6.1f} ms   max {lat['frame_max']:6.1f} ms")
            # the idle board's own calls need tokens left in the queue
            issuer = CentreClient(url)
            issuer.enrol(CODE, "bench-kiosk-2", "kiosk")
            for _ in range(COUNTERS * 12):
                issuer.issue(str(uuid.uuid4()), "C", "general", "hi")
            issuer.close()
            cpu = bench_idle(url, args.seconds, data)
            print(f"idle board (kiosk run --mode board, offscreen) over {args.seconds:.0f} s: "
                  f"{cpu:.2f} % of one core (target ≤ 2 %)")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            if proc.stdout is not None:
                proc.stdout.close()


if __name__ == "__main__":
    main()
