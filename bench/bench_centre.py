"""The centre service on loopback: event latency, sustained calls, issue round trip, memory.

Runs ``kiosk centre`` as its own process (forwarding to its embedded reference backend, as a
single-machine centre does) and measures, from this process:

* **call → event**: Call next at a counter → the ``token.called`` event at 10 subscribed
  counters and 5 boards (15 SSE streams): median and p99 over every (call, subscriber);
* **sustained calls/s**: 4 counters calling and completing as fast as they can;
* **issue round trip**: a kiosk's POST /v1/tokens, median and p99;
* **RSS** of the centre process after a simulated day (1,000 tokens issued, called, served,
  with the 15 streams open).

Run::

    .venv/bin/python bench/bench_centre.py [--calls 200] [--day 1000]
"""

from __future__ import annotations

import argparse
import os
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

from kiosk.centre import operators  # noqa: E402
from kiosk.centre.client import CentreClient, EventSubscriber  # noqa: E402
from kiosk.centre.db import CentreStore  # noqa: E402

PIN = "4826"
COUNTERS = 10


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start(data: Path, forward: bool) -> tuple[subprocess.Popen[str], str]:
    store = CentreStore(data / "centre.sqlite3")
    with store.transaction() as conn:
        operators.ensure_schema(conn)
        for n in range(1, COUNTERS + 1):
            operators.add_operator(conn, operator_id=f"op{n}", name=f"Operator {n}",
                                   role="operator", pin=PIN, now=datetime.now(UTC))
    store.close()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
           "KIOSK_KIOSK__COUNTERS": str(COUNTERS)}
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "centre", "--data-dir",
                             str(data), "--port", "0", "--enrolment-code", "BENCH",
                             *([] if forward else ["--no-forward"])], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if not line.startswith("centre service listening on "):
        proc.kill()
        raise SystemExit(f"centre did not start: {line!r}")
    return proc, line.split(" on ", 1)[1].strip()


class Listener:
    """One subscriber: when each event id arrived (perf_counter)."""

    def __init__(self, url: str, token: str) -> None:
        self.arrived: dict[int, float] = {}
        self.cond = threading.Condition()
        self.sub = EventSubscriber(url, token, self._on, max_backoff=0.2)

    def _on(self, ev: dict) -> None:
        with self.cond:
            self.arrived[int(ev["id"])] = time.perf_counter()
            self.cond.notify_all()

    def wait_for(self, event_id: int, timeout: float = 10.0) -> float:
        with self.cond:
            if not self.cond.wait_for(lambda: event_id in self.arrived, timeout):
                raise TimeoutError(f"event {event_id} never arrived")
            return self.arrived[event_id]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200)
    ap.add_argument("--day", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--no-forward", action="store_true",
                    help="without forwarding to the (embedded) state backend")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start(Path(tmp) / "centre", not args.no_forward)
        try:
            run(url, proc.pid, args)
        finally:
            proc.terminate()
            proc.wait(10)


def run(url: str, pid: int, args: argparse.Namespace) -> None:
    kiosk = CentreClient(url, timeout=10)
    kiosk.enrol("BENCH", "K-1", "kiosk")
    token = str(kiosk.device_token)
    listeners = [Listener(url, token) for _ in range(15)]
    for ls in listeners:
        ls.sub.start()
    for ls in listeners:
        ls.sub.connected.wait(10)

    # Issue round trip (and the queue for the latency run).
    issue_ms = []
    for i in range(args.calls + 100):
        t0 = time.perf_counter()
        kiosk.issue(str(uuid.uuid4()), "CAL"[i % 3], "senior" if i % 5 == 0 else "general",
                    "hi", "K-1")
        issue_ms.append((time.perf_counter() - t0) * 1000)

    # Call next → event at 15 subscribers.
    counter = CentreClient(url, device_token=token, timeout=10)
    s = counter.login("1", PIN, operator_id="op1")["session_token"]
    lat_ms: list[float] = []
    per_call_worst: list[float] = []
    for _ in range(args.calls):
        t0 = time.perf_counter()
        r = counter.act("1", "call-next", s)
        worst = 0.0
        for ls in listeners:
            ms = (ls.wait_for(int(r["event_id"])) - t0) * 1000
            lat_ms.append(ms)
            worst = max(worst, ms)
        per_call_worst.append(worst)
        counter.act("1", "complete", s)

    # Sustained calls/s: 4 counters call and complete for N seconds.
    for i in range(2000):
        kiosk.issue(str(uuid.uuid4()), "CAL"[i % 3])
    stop_at = time.monotonic() + args.seconds
    calls = [0] * 4

    def busy(n: int) -> None:
        c = CentreClient(url, device_token=token, timeout=10)
        sess = c.login(str(n + 2), PIN, operator_id=f"op{n + 2}")["session_token"]
        while time.monotonic() < stop_at:
            if c.act(str(n + 2), "call-next", sess)["token"] is None:
                break
            calls[n] += 1
            c.act(str(n + 2), "complete", sess)
        c.close()

    threads = [threading.Thread(target=busy, args=(n,)) for n in range(4)]
    t_start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t_start

    # A simulated day: the rest of 1,000 tokens issued, called and served.
    rss_before = rss_kb(pid)
    done = args.calls + sum(calls)
    for i in range(max(0, args.day - done)):
        kiosk.issue(str(uuid.uuid4()), "CAL"[i % 3])
        counter.act("1", "call-next", s)
        counter.act("1", "complete", s)
    snap = kiosk.queue()
    rss = rss_kb(pid)

    print(f"call-next → event at 15 subscribers (10 counters + 5 boards), {args.calls} calls:")
    print(f"  median {statistics.median(lat_ms):.1f} ms, p99 {pct(lat_ms, 99):.1f} ms, "
          f"worst subscriber per call p99 {pct(per_call_worst, 99):.1f} ms")
    print(f"sustained: {sum(calls) / elapsed:.0f} call-next/s "
          f"({2 * sum(calls) / elapsed:.0f} transitions/s) with 4 counters, {elapsed:.1f} s")
    print(f"issue round trip: median {statistics.median(issue_ms):.1f} ms, "
          f"p99 {pct(issue_ms, 99):.1f} ms ({len(issue_ms)} tokens)")
    served = sum(c["served_today"] for c in snap["counters"])
    print(f"centre RSS after a simulated day ({served} served, {len(snap['waiting'])} still "
          f"waiting, 15 streams open): {rss / 1024:.1f} MiB "
          f"({rss_before / 1024:.1f} MiB before the last {max(0, args.day - done)} tokens)")
    for ls in listeners:
        ls.sub.close()
    counter.close()
    kiosk.close()


if __name__ == "__main__":
    main()
